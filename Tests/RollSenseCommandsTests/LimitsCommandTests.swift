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
        // Target is the band to work in: the marks leave it where the profile put it.
        #expect((personal["target"] as? [String: Any])?["source"] as? String == "profile")
        let table = try rollsense.run(["limits", "--body-weight", "80"])
        #expect(table.stdout.contains("your pain marks: 0.8 x median 320 N of 3 (2027-01-15, 2027-01-15, 2027-01-15)"), "\(table.stdout)")
        #expect(table.stdout.contains("Pain is the primary stop signal"))

        let reset = try rollsense.run(["limits", "--reset", "--tool", "foam-roller"])
        #expect(reset.status == 0)
        #expect(reset.stdout.contains("Forgot 3 pain marks of default on lower-back with foam-roller"))
        let again = try rollsense.run(["limits", "--body-weight", "80", "--json"])
        #expect((again.lines.last.flatMap(jsonObject)?["stop"] as? [String: Any])?["source"] as? String == "profile")
    }

    /// Issue 21: a config.json stop of 6000 % of body weight was accepted and shown as the
    /// profile default. It is refused, naming the file and the key.
    @Test func aStopAboveTheCeilingInConfigIsAUsageErrorNamingFileAndKey() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        try rollsense.writeConfig(#"{"profileOverrides":{"zones":{"stop":6000}}}"#)
        let result = try rollsense.run(["limits", "--body-weight", "75"])
        #expect(result.status == 64, "stdout: \(result.stdout)")
        #expect(result.stderr.contains(rollsense.configDirectory.appendingPathComponent("config.json").path), "\(result.stderr)")
        #expect(result.stderr.contains("\"zones.stop\" must be at most 100 % body weight"), "\(result.stderr)")
        // A ball's stop in a profile file above a ball's ceiling: that file and key.
        try rollsense.writeConfig("{}")
        let ball = rollsense.path("ball.json")
        let text = try String(contentsOf: BuiltRollSense.root.appendingPathComponent("Profiles/massage-ball-lower-back.json"), encoding: .utf8)
        try text.replacingOccurrences(of: "\"stop\": 80", with: "\"stop\": 500").write(toFile: ball, atomically: true, encoding: .utf8)
        let file = try rollsense.run(["limits", "--profile", ball])
        #expect(file.status == 64)
        #expect(file.stderr.contains("\(ball): key \"zones.stop\" must be at most 300 N: a ball's ceiling of 300 N"), "\(file.stderr)")
        // The live session refuses it too, before it opens any device.
        let live = try rollsense.run(["live", "--profile", ball, "--device", "/dev/null", "--json"])
        #expect(live.status == 64, "\(live.stderr)")
        #expect(live.stderr.contains("zones.stop"))
    }

    /// Each limit says where it came from: config.json for an override, the built-in profile
    /// for the rest (the table showed "profile default" for a config value).
    @Test func everyLimitSaysWhereItCameFrom() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        try rollsense.writeConfig(#"{"profileOverrides":{"zones":{"stop":60}, "limits":{"holdCautionSeconds": 60}}}"#)
        let configPath = rollsense.configDirectory.appendingPathComponent("config.json").path
        let json = try rollsense.run(["limits", "--body-weight", "75", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let figures = try #require(json.lines.last.flatMap(jsonObject))
        let stop = try #require(figures["stop"] as? [String: Any])
        #expect(stop["source"] as? String == "config")
        #expect((stop["origin"] as? [String: Any])?["path"] as? String == configPath)
        let target = try #require((figures["target"] as? [String: Any])?["origin"] as? [String: Any])
        #expect(target["source"] as? String == "builtIn" && target["profile"] as? String == "foam-roller-lower-back")
        #expect((figures["stopCeiling"] as? [String: Any])?["value"] as? Double == 100)
        let table = try rollsense.run(["limits", "--body-weight", "75"])
        let lines = table.lines
        #expect(lines.contains { $0.hasPrefix("  stop ") && $0.hasSuffix("\(configPath) (profileOverrides)") }, "\(table.stdout)")
        #expect(lines.contains { $0.hasPrefix("  caution ") && $0.hasSuffix("built-in profile foam-roller-lower-back") }, "\(table.stdout)")
        #expect(lines.contains { $0.hasPrefix("  hold ") && $0.hasSuffix("\(configPath) (profileOverrides)") }, "\(table.stdout)")
        #expect(!table.stdout.contains("profile default"))
    }

    /// Marks are listed with an id, removed one at a time, expire, and never take the stop
    /// below the floor without the table saying so.
    @Test func marksAreListedRemovedOneByOneExpireAndStopAtTheFloor() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let ledger = try HistoryLedger(dataDirectory: rollsense.dataDirectory.path)
        let now = Date()
        // A stray light press today (20 N), an ordinary one yesterday, one 20 days ago (expired).
        try ledger.addPainMark(PainMark(person: "default", area: "lower-back", tool: "tennis-ball", date: now.addingTimeInterval(-20 * 86_400), forceNewtons: 30, pressureKilopascals: 60))
        try ledger.addPainMark(PainMark(person: "default", area: "lower-back", tool: "tennis-ball", date: now.addingTimeInterval(-86_400), forceNewtons: 70, pressureKilopascals: 100))
        try ledger.addPainMark(PainMark(person: "default", area: "lower-back", tool: "tennis-ball", date: now, forceNewtons: 20, pressureKilopascals: 50))
        try ledger.close()

        let list = try rollsense.run(["limits", "--marks", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let marks = try #require(list.lines.last.flatMap(jsonObject)?["marks"] as? [[String: Any]])
        #expect(marks.map { $0["id"] as? Int } == [1, 2, 3])
        #expect(marks.map { $0["counts"] as? Bool } == [false, true, true])
        #expect(marks.allSatisfy { $0["area"] as? String == "lower-back" && $0["tool"] as? String == "tennis-ball" && $0["date"] is String })
        let table = try rollsense.run(["limits", "--marks"])
        #expect(table.lines.contains { $0.hasPrefix("  1 ") && $0.contains("30 N") && $0.hasSuffix("expired") }, "\(table.stdout)")

        // Two counting marks, median 45 N -> 36 N: below the floor, half the profile's 80 N.
        let floored = try rollsense.run(["limits", "--tool", "tennisBall", "--json"])
        let stop = try #require(floored.lines.last.flatMap(jsonObject)?["stop"] as? [String: Any])
        #expect(stop["value"] as? Double == 40)
        #expect((stop["origin"] as? [String: Any])?["floorApplied"] as? Bool == true)
        let floorTable = try rollsense.run(["limits", "--tool", "tennisBall"])
        #expect(floorTable.stdout.contains("Your marks would set stop at 36 N; it is held at the floor, 50 % of the profile's stop."), "\(floorTable.stdout)")

        // The stray press removed: one mark of 70 N -> 56 N.
        let removed = try rollsense.run(["limits", "--remove-mark", "3"])
        #expect(removed.status == 0)
        #expect(removed.stdout.contains("Forgot pain mark 3 of default."))
        let after = try rollsense.run(["limits", "--tool", "tennisBall", "--json"])
        #expect((after.lines.last.flatMap(jsonObject)?["stop"] as? [String: Any])?["value"] as? Double == 56)
        let again = try rollsense.run(["limits", "--remove-mark", "3"])
        #expect(again.status == 64)
        #expect(again.stderr.contains("default has no pain mark 3"))
        let both = try rollsense.run(["limits", "--marks", "--reset"])
        #expect(both.status == 64)

        // A longer expiry in config.json brings the old mark back: median of 30 and 70 N.
        try rollsense.writeConfig(#"{"profileOverrides":{"limits":{"painMarkExpiryDays": 30}}}"#)
        let longer = try rollsense.run(["limits", "--tool", "tennisBall", "--json"])
        #expect((longer.lines.last.flatMap(jsonObject)?["stop"] as? [String: Any])?["value"] as? Double == 40)
    }

    @Test func aBadPersonIsAUsageError() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["limits", "--person", "a b"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--person must be"))
    }
}
