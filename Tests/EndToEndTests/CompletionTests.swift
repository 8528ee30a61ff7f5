import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// Shell completion comes from the command table, and bash completes with it.
@Suite("End to end: shell completion")
struct CompletionTests {
    @Test func bashCompletesCommandsAfterGlobalOptionsAndEachCommandsOptions() throws {
        let directory = try TemporaryDirectory()
        let script = try runProcess(Executables.path("interlinkctl"), ["completion", "bash"])
        #expect(script.status == 0)
        let path = try directory.write("interlinkctl.bash", script.stdout)
        let probe = """
            source \(path)
            COMP_WORDS=(interlinkctl --journal x sh); COMP_CWORD=3; _interlinkctl; echo "${COMPREPLY[@]}"
            COMP_WORDS=(interlinkctl show --rev); COMP_CWORD=2; _interlinkctl; echo "${COMPREPLY[@]}"
            COMP_WORDS=(interlinkctl log --si); COMP_CWORD=2; _interlinkctl; echo "${COMPREPLY[@]}"
            """
        let run = try runProcess("/bin/bash", ["-c", probe])
        #expect(run.stdout.split(separator: "\n") == ["show", "--reveal", "--since"], "\(run.stdout)\(run.stderr)")
        let zsh = try runProcess(Executables.path("interlinkctl"), ["completion", "zsh"])
        #expect(zsh.status == 0 && zsh.stdout.hasPrefix("#compdef interlinkctl") && zsh.stdout.contains("'replay:"))
        #expect(try runProcess(Executables.path("interlinkctl"), ["completion", "fish"]).status == 64)
    }
}
