import Foundation
import InterlinkFuzzTargets
import InterlinkTestSupport
import Testing

/// Every input in `Fixtures/fuzz/<target>/` (the seed corpus, and each crash `make fuzz`
/// found, kept once fixed) runs through its fuzz target: a regression traps the test run.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    @Test(arguments: FuzzTarget.allCases)
    func corpusRunsClean(target: FuzzTarget) throws {
        let directory = Executables.packageRoot + "/Fixtures/fuzz/" + target.rawValue
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(!names.isEmpty, "Fixtures/fuzz/\(target.rawValue) holds the seed corpus")
        for name in names {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            target.run(bytes)
        }
    }
}
