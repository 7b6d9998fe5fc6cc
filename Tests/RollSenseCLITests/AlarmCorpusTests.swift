import Foundation
import Testing
import RollSenseTestSupport

/// Every labelled session in Fixtures/sessions/ through the real live path (`rollsense simulate
/// --scenario` on a pty feeding `rollsense live --json`), judged by Tools/bench/alarm_quality.py:
/// a missing, extra, late or chattering alert fails; and the cues and tone those sessions render.
@Suite("labelled sessions")
struct AlarmCorpusTests {
    static let evaluator = BuiltRollSense.root.appendingPathComponent("Tools/bench/alarm_quality.py").path

    static func evaluate(_ sessions: [String], audioDirectory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", evaluator, BuiltRollSense.executable.path, "--check"] + sessions
            + (audioDirectory.map { ["--audio-dir", $0.path] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static var sessionNames: [String] {
        let folder = BuiltRollSense.root.appendingPathComponent("Fixtures/sessions")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// One run of the corpus (minutes), judged twice: its alerts against the labels (issue 12),
    /// and what it said and sounded, from the WAV files the same live sessions rendered (issue 14):
    /// every cue heard within 300 ms of its event, none overlapping, the tone silent in target and
    /// continuous in stop.
    @Test func everyLabelledSessionGivesExactlyItsAlertsAndSpeaksOnTime() throws {
        let audio = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-corpus-audio-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: audio) }
        let result = try Self.evaluate([], audioDirectory: audio)
        let names = Self.sessionNames
        #expect(names.count >= 17)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("| sessions failing their labels | 0 of \(names.count) | 0 |"), "\(result.output)")
        #expect(result.output.contains("| chattering alerts (3+ starts in 60 s) | 0 | 0 |"))
        #expect(result.output.contains("| stop alerts per hour of ordinary rolling | 0.0 | 0 |"))

        var cueCount = 0, stopSpans = 0, targetSpans = 0
        for name in names {
            let file = { (suffix: String) in audio.appendingPathComponent(name + suffix) }
            let lines = try String(contentsOf: file(".jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
            let cues = cueLines(lines)
            cueCount += cues.count
            let eventTimes = Set(events(in: lines).map(\.t))
            for cue in cues where !eventTimes.contains(cue.eventT) { Issue.record("\(name): cue \(cue.phrase) names no event of the run") }
            for problem in cueTimingProblems(cues, in: try WAVTrack(path: file(".wav").path)) { Issue.record("\(name): \(problem)") }

            let toneLines = try String(contentsOf: file("-tone.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
            // The replay that rendered the tone gave the live session's events.
            #expect(events(in: toneLines).map(\.reason) == events(in: lines).map(\.reason), "\(name): replay events")
            let tone = try toneSpans(toneLines, in: WAVTrack(path: file("-tone.wav").path))
            for problem in tone.problems { Issue.record("\(name): \(problem)") }
            stopSpans += tone.stop.count
            targetSpans += tone.target.count
        }
        // The check has something to judge: cues in every kind of session, stops in the danger ones.
        #expect(cueCount >= names.count, "\(cueCount) cues")
        #expect(stopSpans >= 3 && targetSpans >= names.count, "\(stopSpans) stop, \(targetSpans) target stretches")
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
