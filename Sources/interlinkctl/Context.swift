import Interlink
#if canImport(Glibc)
import Glibc
#endif

/// Exit statuses every command shares.
enum Exit {
    static let ok: Int32 = 0
    static let problems: Int32 = 1
    static let usage: Int32 = 64
    static let noJournal: Int32 = 66
    /// A service it needs (the register, for `sweep`) could not be reached: try again later.
    static let unavailable: Int32 = 69
    static let config: Int32 = 78
}

/// A failure that ends the command with a status and a message that says what to do.
struct CommandFailure: Error {
    let status: Int32
    let message: String
}

/// What every command gets: parsed options, the journal, and output helpers.
struct Context {
    static let commonFlags: Set<String> = ["json", "help", "utc"]
    static let commonOptions: Set<String> = ["journal", "config"]

    let options: CommandLineOptions
    let environment: [String: String]
    /// The settings, read once: every time shown asks for the zone, and reading them parses
    /// the config and the holiday calendar. Any failure is thrown where they are used.
    private let loaded: Result<OperatorSettings, CommandFailure>

    init(options: CommandLineOptions, environment: [String: String]) {
        self.options = options
        self.environment = environment
        do {
            loaded = .success(try OperatorSettings.load(journal: options.value("journal"), config: options.value("config"), environment: environment))
        } catch {
            loaded = .failure(CommandFailure(status: Exit.config, message: error.description))
        }
    }

    var json: Bool { options.has("json") }

    /// The zone times are read and shown in: the config's `time.zone`, else `$TZ`, else
    /// Asia/Ho_Chi_Minh. `--utc` shows UTC (reading is unchanged: an RFC 3339 time says its own offset).
    var zone: ZoneRules {
        let configured = (try? settings())?.timeZone ?? environment["TZ"].map { $0.hasPrefix(":") ? String($0.dropFirst()) : $0 }
        return configured.flatMap { ZoneRules(identifier: $0) } ?? TimeFilter.defaultZone
    }

    /// `instant` for people: in ``zone``, or UTC with `--utc`.
    func shownTime(_ instant: Timestamp) -> String {
        TimeFilter.display(instant, zone: options.has("utc") ? nil : zone)
    }

    /// The journal and retention settings: `--journal`, else the config's.
    func settings() throws -> OperatorSettings {
        try loaded.get()
    }

    /// Opens the journal the daemon writes. A missing one is exit 66, not a new empty journal.
    /// Commands need not close it: each write is committed before they return.
    func openJournal() throws -> any Journal {
        try open(try settings().journal)
    }

    /// Opens `journal`, which must exist.
    func open(_ journal: JournalConfig) throws -> any Journal {
        do {
            return try JournalFactory.open(journal, access: .existingOrReadOnly)
        } catch let error where error.code == .missing {
            throw CommandFailure(status: Exit.noJournal, message: error.description)
        } catch {
            throw CommandFailure(status: Exit.noJournal, message: "cannot open the journal \(journal): \(error)")
        }
    }

    func print(_ text: String) {
        FileDescriptorWriter.writeAll(1, Array((text + "\n").utf8))
    }

    func printJSON(_ value: JSONValue) {
        print(JSONWriter.string(value))
    }

    /// Personal data masked for display, unless the operator asked to reveal it.
    func shown(_ value: JSONValue, reveal: Bool = false) -> JSONValue {
        reveal ? value : PersonalDataMasker.mask(value)
    }

    func shown(_ text: String, reveal: Bool = false) -> String {
        reveal ? text : PersonalDataMasker.mask(text)
    }
}

/// Aligned text tables for people.
struct Table {
    let headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) {
        self.headers = headers
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    var text: String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }.joined()
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

enum Format {
    /// "12 s", "5 min", "3 h", "2 d" ago.
    static func age(_ since: Timestamp?, now: Timestamp = .now()) -> String {
        guard let since else { return "-" }
        let seconds = max(0, (now.millisecondsSinceEpoch - since.millisecondsSinceEpoch) / 1_000)
        switch seconds {
        case ..<120: return "\(seconds) s"
        case ..<7_200: return "\(seconds / 60) min"
        case ..<172_800: return "\(seconds / 3_600) h"
        default: return "\(seconds / 86_400) d"
        }
    }

    static func ageSeconds(_ since: Timestamp?, now: Timestamp = .now()) -> JSONValue {
        since.map { .number(Double(max(0, now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch) / 1_000)) } ?? .null
    }
}
