import Glibc
import InterlinkFuzzTargets

/// `make fuzz` builds this with `-sanitize=fuzzer,address -DFUZZING`: libFuzzer drives the
/// target named by `INTERLINK_FUZZ_TARGET`. A plain build replays files instead, so a crash
/// input can be checked without the sanitizer toolchain.
let selectedTarget: FuzzTarget? = getenv("INTERLINK_FUZZ_TARGET").flatMap { FuzzTarget(rawValue: String(cString: $0)) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    selectedTarget?.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if FUZZING
// Exported by libclang_rt.fuzzer, which -sanitize=fuzzer links. SwiftPM renames an
// executable's entry point, so libFuzzer's own main() is never the one that runs.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
#endif

@main
enum FuzzMain {
    static func main() {
        guard selectedTarget != nil else {
            print("set INTERLINK_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
            exit(64)
        }
        #if FUZZING
        // Swift's crash handler would keep libFuzzer from writing the crashing input to a file.
        for signal in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] { Glibc.signal(signal, SIG_DFL) }
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else {
                print("cannot open \(path)")
                exit(66)
            }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while case let count = fread(&chunk, 1, chunk.count, file), count > 0 { bytes += chunk[..<count] }
            fclose(file)
            selectedTarget?.run(bytes)
            print("ok: \(path) (\(bytes.count) bytes)")
        }
        #endif
    }
}
