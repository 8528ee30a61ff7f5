import Interlink

/// The register's dossiers, ordered by `(updatedAt, code)` for keyset paging.
struct RegisterStore {
    struct Entry {
        var code: String
        var version: Int
        var updatedAt: String
        var updatedAtMs: Int64
        /// The exact bytes served: usually a serialised dossier, sometimes deliberately broken input.
        var raw: [UInt8]
        var dossier: JSONValue?
    }

    struct Key: Comparable {
        let updatedAtMs: Int64
        let code: String
        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.updatedAtMs, lhs.code) < (rhs.updatedAtMs, rhs.code)
        }
    }

    private(set) var entries: [String: Entry] = [:]
    private var order: [Key] = []
    var interconnections: [String: JSONValue] = [:]

    var count: Int { entries.count }

    /// Adds or replaces the entry for `entry.code`, keeping the order.
    mutating func put(_ entry: Entry) {
        if let old = entries[entry.code] {
            let oldKey = Key(updatedAtMs: old.updatedAtMs, code: old.code)
            let index = insertionIndex(oldKey)
            if index < order.count, order[index] == oldKey { order.remove(at: index) }
        }
        entries[entry.code] = entry
        let key = Key(updatedAtMs: entry.updatedAtMs, code: entry.code)
        order.insert(key, at: insertionIndex(key))
    }

    /// Up to `limit` entries strictly after `position`, and whether more follow.
    func page(after position: Key?, limit: Int) -> (entries: [Entry], more: Bool) {
        var start = 0
        if let position {
            start = insertionIndex(position)
            if start < order.count, order[start] == position { start += 1 }
        }
        let end = min(order.count, start + limit)
        let page = order[start..<end].compactMap { entries[$0.code] }
        return (page, end < order.count)
    }

    /// The first index whose key is not below `key`.
    private func insertionIndex(_ key: Key) -> Int {
        var low = 0, high = order.count
        while low < high {
            let middle = (low + high) / 2
            if order[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
