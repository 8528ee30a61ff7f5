import Interlink
#if canImport(Glibc)
import Glibc
#endif

let help = """
    interlinkd \(InterlinkVersion.current): syncs one-stop register dossiers to the civil-status, land and insurance agencies.

    Usage: interlinkd [--config PATH] [--check-config]

    Options:
      --config PATH    The JSON config. Default: $CONFIGURATION_DIRECTORY/interlink.json,
                       then /etc/interlink/interlink.json.
      --check-config   Validate the config (types, URLs, routes, JSON Pointers, secret files),
                       print a one-line summary and exit 0, or list every problem and exit 78.
      --help           Show this help.
      --version        Show the version.

    Exit status: 0 success, 64 usage error, 78 configuration error.
    """

let environment = ProcessEnvironment.current
do {
    let options = try CommandLineOptions(Array(CommandLine.arguments.dropFirst()),
                                         flags: ["help", "version", "check-config"], options: ["config"])
    if options.has("help") {
        print(help)
        exit(0)
    }
    if options.has("version") {
        print("interlinkd \(InterlinkVersion.current)")
        exit(0)
    }
    let path = ConfigDiscovery.path(explicit: options.value("config"), environment: environment)
    let config = try InterlinkConfig.load(path: path, environment: environment)
    if options.has("check-config") {
        print("\(path): ok: \(config.summary)")
        exit(0)
    }
    FileDescriptorWriter.writeAll(2, Array("interlinkd: the sync engine is not part of this build yet; use --check-config\n".utf8))
    exit(70)
} catch let error as UsageError {
    FileDescriptorWriter.writeAll(2, Array("interlinkd: \(error)\nTry 'interlinkd --help'.\n".utf8))
    exit(UsageError.exitCode)
} catch let error as ConfigError {
    FileDescriptorWriter.writeAll(2, Array("interlinkd: \(error)\n".utf8))
    exit(ConfigError.exitCode)
}
