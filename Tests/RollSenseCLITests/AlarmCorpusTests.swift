import Foundation
import Testing
import RollSenseTestSupport

/// Every labelled session in Fixtures/sessions/ through the real live path (`rollsense simulate
/// --scenario` on a pty feeding `rollsense live --json`), judged by Tools/bench/alarm_quality.py:
/// a missing, extra, late or chattering alert fails.
@Suite("labelled sessions")
struct AlarmCorpusTests {
    static let evaluator = BuiltRollSense.root.appendingPathComponent("Tools/bench/alarm_quality.py").path

    static func evaluate(_ sessions: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", evaluator, BuiltRollSense.executable.path, "--check"] + sessions
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func everyLabelledSessionGivesExactlyItsAlerts() throws {
        let result = try Self.evaluate([])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("| sessions failing their labels | 0 of 12 | 0 |"), "\(result.output)")
        #expect(result.output.contains("| chattering alerts (3+ starts in 60 s) | 0 | 0 |"))
        #expect(result.output.contains("| stop alerts per hour of ordinary rolling | 0.0 | 0 |"))
    }

    @Test func aSessionLabelledWithoutItsStopAlertFails() throws {
        // The hard lean with its labels taken away: the stop it gives is now extra.
        let source = BuiltRollSense.root.appendingPathComponent("Fixtures/sessions/roller-80kg-hard-lean.json")
        var label = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any])
        label["expect"] = [[String: Any]]()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("mislabelled-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: label).write(to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let result = try Self.evaluate([copy.path])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("extra zoneStop stop"), "\(result.output)")
    }
}
