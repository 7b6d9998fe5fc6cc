import Foundation
import Testing
import RollSenseTestSupport

/// `rollsense demo` on a non-terminal: JSON lines from the virtual board over a real pty.
@Suite("rollsense demo")
struct DemoCommandTests {
    @Test func printsJSONLinesWithZonesAndAlertsAtTheScenarioTimes() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["demo", "--speed", "20"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let objects = result.lines.map(jsonObject)
        #expect(!objects.isEmpty && objects.allSatisfy { $0 != nil }, "every line is a JSON object")
        let found = events(in: result.lines)
        func first(_ reason: String, _ phase: String = "start") -> OutputEvent? {
            found.first { $0.reason == reason && $0.phase == phase }
        }
        // Times from SyntheticScenario.lowerBackRoller: contact once the load passes 20 N at
        // 1.2 s plus the 0.2 s on-delay; spine 1 s after the centroid enters the 25 mm band.
        let contact = try #require(first("contact"))
        #expect(abs(contact.t - 1.44) < 0.2)
        let spine = try #require(first("loadOnSpine"))
        #expect(abs(spine.t - 31.1) < 0.5)
        #expect(spine.level == "caution")
        let jump = try #require(first("jump", "instant"))
        #expect(abs(jump.t - 39.15) < 0.3)
        let stop = try #require(first("zoneStop"))
        #expect(abs(stop.t - 39.6) < 0.5)
        #expect(stop.level == "stop")
        #expect(stop.kind == "zone")
        // 200 s before the demo plus 40 s of contact reach the 240 s daily warning.
        let daily = try #require(first("dailyWarning"))
        #expect(abs(daily.t - 41.4) < 0.5)
        // Rolling is no hold: only 90 s still on one spot would be.
        #expect(first("holdCaution") == nil)
        // The summary closes the stream.
        let summary = try #require(objects.last ?? nil)
        #expect(summary["type"] as? String == "summary")
        #expect((summary["durationS"] as? Double).map { abs($0 - 63) < 0.1 } == true)
        #expect((summary["alerts"] as? [Any])?.isEmpty == false)
    }

    @Test func readingsComeAtAboutFifteenPerSecondOfDeviceTime() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["demo", "--speed", "40"])
        #expect(result.status == 0)
        let readings = result.lines.compactMap(jsonObject).filter { $0["type"] as? String == "reading" }
        let inWindow = readings.filter { (($0["t"] as? Double) ?? -1) >= 10 && (($0["t"] as? Double) ?? -1) < 20 }
        // One reading per 6 samples at 80 Hz (the first at or past 66.7 ms): 13.3 per second.
        #expect((120...160).contains(inWindow.count), "readings in 10 s of device time: \(inWindow.count)")
        let first = try #require(readings.first)
        for key in ["t", "forceN", "pressureKPa", "zone", "area"] { #expect(first[key] != nil, "reading has \(key)") }
    }

    @Test func neverWritesTheUsersHistory() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["demo", "--speed", "40"])
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: rollsense.dataDirectory.path))
    }
}
