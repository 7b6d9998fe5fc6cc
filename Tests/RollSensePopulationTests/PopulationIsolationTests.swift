import Foundation
import Testing

/// The population model must be blind to the thresholds it judges (issue 24): its sources may
/// import no RollSense module and name no profile, SAFETY.md value or file reading.
@Suite struct PopulationIsolationTests {
    static let sourceDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/RollSensePopulation")

    static func sources() throws -> [(name: String, text: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: sourceDirectory.path).filter { $0.hasSuffix(".swift") }.sorted()
        return try names.map { ($0, try String(contentsOf: sourceDirectory.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// What a source may not contain, and why.
    static func violations(in text: String) -> [String] {
        var found: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let code = line.trimmingCharacters(in: .whitespaces)
            if code.hasPrefix("import ") || code.contains(" import ") {
                let module = code.split(separator: " ").drop { $0 != "import" }.dropFirst().first.map(String.init) ?? ""
                if module != "Glibc" { found.append("imports \(module)") }
            }
            for word in ["Profiles/", "Profile(", "SAFETY.md", "fopen", "FileManager", "contentsOf", "readLine", "getenv", "Bundle."]
            where line.contains(word) {
                found.append("mentions \(word)")
            }
        }
        return found
    }

    @Test func theGeneratorImportsNothingOfRollSenseAndReadsNoFile() throws {
        let files = try Self.sources()
        #expect(files.count >= 3, "the generator's sources were not found at \(Self.sourceDirectory.path)")
        for (name, text) in files {
            #expect(Self.violations(in: text).isEmpty, "\(name): \(Self.violations(in: text))")
        }
    }

    @Test func theCheckCatchesAForbiddenImportOrProfilePath() {
        #expect(Self.violations(in: "import RollSenseSignal") == ["imports RollSenseSignal"])
        #expect(Self.violations(in: "@testable import RollSenseSignal") == ["imports RollSenseSignal"])
        #expect(Self.violations(in: "let path = \"Profiles/foam-roller-lower-back.json\"") == ["mentions Profiles/"])
        #expect(Self.violations(in: "import Glibc").isEmpty)
    }
}
