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
        #expect(try runProcess(Executables.path("interlinkctl"), ["completion", "fish"]).status == 64)
    }

    /// The zsh function is autoloaded from `fpath` by a real zsh, as compinit would. zsh's
    /// completion builtins only work inside a line editor, so `compadd`, `_describe` and `_files`
    /// are stand-ins that print the candidates matching the word being completed.
    @Test func zshCompletesCommandsAfterGlobalOptionsAndEachCommandsOptions() throws {
        let directory = try TemporaryDirectory()
        let script = try runProcess(Executables.path("interlinkctl"), ["completion", "zsh"])
        #expect(script.status == 0 && script.stdout.hasPrefix("#compdef interlinkctl"))
        _ = try directory.write("functions/_interlinkctl", script.stdout)
        let probe = try directory.write("probe.zsh", """
            fpath=(\(directory.file("functions")) $fpath)
            autoload -Uz _interlinkctl
            compadd() { [[ $1 == -- ]] && shift; local -a hits; hits=(${(M)@:#${PREFIX}*}); (( $#hits )) && print -r -- "${(j: :)hits}" }
            _describe() { local -a names hits; names=("${(@)${(@P)2}%%:*}"); hits=(${(M)names:#${PREFIX}*}); (( $#hits )) && print -r -- "${(j: :)hits}" }
            _files() { print -r -- files }
            probe() { words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}; _interlinkctl }
            probe interlinkctl --journal x sh
            probe interlinkctl show --rev
            probe interlinkctl --config /etc/interlink/interlink.json log --si
            probe interlinkctl status --journal ""
            probe interlinkctl --u
            """)
        let run = try runProcess("/usr/bin/zsh", ["-f", probe])
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n") == ["show", "--reveal", "--since", "files", "--utc"], "\(run.stdout)")
    }
}
