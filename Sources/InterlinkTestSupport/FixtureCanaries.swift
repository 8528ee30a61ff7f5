import Foundation
public import InterlinkSim
import Interlink

extension FixtureDossier {
    /// Every name, personal ID and date of birth in the repository's fixtures: canaries that no
    /// log line or masked output may contain.
    public static var personalDataCanaries: Set<String> {
        var found: Set<String> = []
        for fixture in (try? load(directory: Executables.packageRoot + "/Fixtures/dossiers")) ?? [] {
            collect(fixture.dossier, into: &found)
        }
        return found
    }

    private static func collect(_ value: JSONValue, into found: inout Set<String>) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if ["fullName", "personalId", "dateOfBirth"].contains(key), let text = member.stringValue { found.insert(text) }
                collect(member, into: &found)
            }
        case .array(let elements):
            elements.forEach { collect($0, into: &found) }
        default:
            break
        }
    }
}
