import Foundation
import RollSenseStore
import Testing
import RollSenseTestSupport

@Suite("rollsense limits")
struct LimitsCommandTests {
    @Test func defaultsComeFromTheProfileAndPainMarksLowerTheStop() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let before = try rollsense.run(["limits", "--body-weight", "80", "--json"])
        #expect(before.status == 0, "stderr: \(before.stderr)")
        let defaults = try #require(before.lines.last.flatMap(jsonObject))
        #expect((defaults["stop"] as? [String: Any])?["source"] as? String == "profile")
        #expect((defaults["stop"] as? [String: Any])?["value"] as? Double == 65)

        // Three marks at 300, 320 and 340 N: stop 0.8 x 320 N = 256 N = 32.6 % of 80 kg.
        let ledger = try HistoryLedger(dataDirectory: rollsense.dataDirectory.path)
        for (i, force) in [300.0, 340, 320].enumerated() {
            try ledger.addPainMark(PainMark(person: "default", area: "lower-back", tool: "foam-roller",
                                            date: Date(timeIntervalSince1970: 1_800_000_000 + Double(i)), forceNewtons: force, pressureKilopascals: 40))
        }
        // Someone else's mark and a ball mark change nothing here.
        try ledger.addPainMark(PainMark(person: "sam", area: "lower-back", tool: "foam-roller", date: Date(), forceNewtons: 50, pressureKilopascals: 9))
        try ledger.addPainMark(PainMark(person: "default", area: "lower-back", tool: "tennis-ball", date: Date(), forceNewtons: 20, pressureKilopascals: 40))
        try ledger.close()

        let after = try rollsense.run(["limits", "--body-weight", "80", "--json"])
        let personal = try #require(after.lines.last.flatMap(jsonObject))
        let stop = try #require(personal["stop"] as? [String: Any])
        #expect(stop["source"] as? String == "painMarks")
        #expect(abs((stop["value"] as? Double ?? 0) - 256 / (80 * 9.80665) * 100) < 0.01)
        let table = try rollsense.run(["limits", "--body-weight", "80"])
        #expect(table.stdout.contains("your pain marks: 0.8 x median 320 N of 3"))
        #expect(table.stdout.contains("Pain is the primary stop signal"))

        let reset = try rollsense.run(["limits", "--reset", "--tool", "foam-roller"])
        #expect(reset.status == 0)
        #expect(reset.stdout.contains("Forgot 3 pain marks of default on lower-back with foam-roller"))
        let again = try rollsense.run(["limits", "--body-weight", "80", "--json"])
        #expect((again.lines.last.flatMap(jsonObject)?["stop"] as? [String: Any])?["source"] as? String == "profile")
    }

    @Test func aBadPersonIsAUsageError() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["limits", "--person", "a b"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--person must be"))
    }
}
