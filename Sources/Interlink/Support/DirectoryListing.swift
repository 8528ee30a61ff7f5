#if canImport(Glibc)
import Glibc
#endif

/// Lists a directory's files through POSIX `opendir`, sorted by name: the simulator's fixtures
/// and `interlinkctl preview`'s dossiers.
public enum DirectoryListing: Sendable {
    /// Why a directory could not be listed.
    public struct ListingError: Error, Sendable, CustomStringConvertible {
        /// The directory and what to check.
        public let description: String
    }

    /// The paths of `directory`'s entries named `*suffix`, hidden ones skipped, sorted by name.
    public static func files(in directory: String, suffix: String) -> Result<[String], ListingError> {
        guard let handle = opendir(directory) else {
            return .failure(ListingError(description: "cannot open directory \(directory): \(String(cString: strerror(errno))); check the path and its permissions"))
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasSuffix(suffix), !name.hasPrefix(".") { names.append(name) }
        }
        return .success(names.sorted().map { directory + "/" + $0 })
    }
}
