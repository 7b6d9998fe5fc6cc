import Foundation
import Testing
import RollSenseTestSupport

/// A pain mark end to end: a `pain` line on `live --json`'s stdin becomes an event at the force
/// then, lands in the recording and the history ledger, replays as the same event, and lowers
/// the next session's stop limit (`rollsense limits`).
@Suite("pain marks")
struct PainMarkTests {
    @Test func aMarkIsAnEventStoredRecordedReplayedAndLowersTheLimit() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--speed", "2", "--link", link])
        defer { stop(simulator.process) }
        let recording = rollsense.home.appendingPathComponent("marked.rscap").path

        let live = Process()
        live.executableURL = BuiltRollSense.executable
        live.arguments = ["live", "--json", "--device", link, "--duration", "8", "--body-weight", "75", "--record", recording]
        live.environment = rollsense.environment
        let input = Pipe(), output = Pipe()
        live.standardInput = input
        live.standardOutput = output
        live.standardError = FileHandle.nullDevice
        try live.run()
        // Marked while rolling (the built-in session rolls from 2 s of device time, 1 s here).
        usleep(2_500_000)
        input.fileHandleForWriting.write(Data("pain\n".utf8))
        let data = output.fileHandleForReading.readDataToEndOfFile()
        live.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(live.terminationStatus == 0)
        let liveEvents = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { $0.contains("\"type\":\"event\"") }
        let marks = liveEvents.filter { $0.contains("\"reason\":\"painMark\"") }
        #expect(marks.count == 1, "\(liveEvents)")
        #expect(marks.first?.contains("\"kind\":\"pain\"") == true)

        try Self.expectReplayedAndStored(liveEvents.map(String.init), recording: recording, marks: 1, rollsense)
    }

    /// The board's pain button (a BUTTON frame, docs/PROTOCOL.md) is the `p` key on the board:
    /// the same event, recorded (its bytes), replayed, stored, lowering the limit.
    @Test func theBoardsPainButtonIsThePainKey() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let scenario = rollsense.home.appendingPathComponent("button.json")
        try Data("""
            {"bodyMassKilograms": 75, "sampleRateHz": 80, "repeats": false, "noiseNewtons": 1, "painButtonSeconds": [6],
             "segments": [{"label": "on", "seconds": 1, "fromLoadPercent": 0, "toLoadPercent": 40, "fromCentroidMillimetres": -90,
                           "toCentroidMillimetres": -90, "strokePercent": 0, "strokeHertz": 0, "spreadMillimetres": 300},
                          {"label": "rolling", "seconds": 9, "fromLoadPercent": 40, "toLoadPercent": 40, "fromCentroidMillimetres": -90,
                           "toCentroidMillimetres": -90, "strokePercent": 6, "strokeHertz": 0.5, "spreadMillimetres": 300}]}
            """.utf8).write(to: scenario)
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--scenario", scenario.path, "--speed", "max", "--link", link])
        defer { stop(simulator.process) }
        let recording = rollsense.home.appendingPathComponent("pressed.rscap").path
        let live = try rollsense.run(["live", "--json", "--device", link, "--duration", "9.5", "--body-weight", "75", "--record", recording])
        #expect(live.status == 0, "stderr: \(live.stderr)")
        let liveEvents = live.lines.filter { $0.contains("\"type\":\"event\"") }
        let marks = liveEvents.filter { $0.contains("\"reason\":\"painMark\"") }
        #expect(marks.count == 1, "\(liveEvents)")
        let mark = try #require(marks.first.flatMap(jsonObject))
        // At the press (6 s of device time; session time starts at the first sample).
        #expect(abs((mark["t"] as? Double ?? 0) - 6) < 0.1, "\(mark)")
        #expect(mark["kind"] as? String == "pain")
        try Self.expectReplayedAndStored(liveEvents, recording: recording, marks: 1, rollsense)
    }

    /// Issue 21: a press of the board's pain button twice within 3 s is one mark; each mark is
    /// confirmed aloud with its force, and shows in the JSON summary, `report` (text, JSON, SVG
    /// markers), the events export and `limits --marks`.
    @Test func aDoublePressIsOneMarkConfirmedAndShownEverywhere() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let scenario = rollsense.home.appendingPathComponent("presses.json")
        try Data("""
            {"bodyMassKilograms": 75, "sampleRateHz": 80, "repeats": false, "noiseNewtons": 1, "painButtonSeconds": [5, 6.5, 9],
             "segments": [{"label": "on", "seconds": 1, "fromLoadPercent": 0, "toLoadPercent": 40, "fromCentroidMillimetres": -90,
                           "toCentroidMillimetres": -90, "strokePercent": 0, "strokeHertz": 0, "spreadMillimetres": 300},
                          {"label": "rolling", "seconds": 11, "fromLoadPercent": 40, "toLoadPercent": 40, "fromCentroidMillimetres": -90,
                           "toCentroidMillimetres": -90, "strokePercent": 6, "strokeHertz": 0.5, "spreadMillimetres": 300}]}
            """.utf8).write(to: scenario)
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--scenario", scenario.path, "--speed", "max", "--link", link])
        defer { stop(simulator.process) }
        let recording = rollsense.path("presses.rscap")
        let live = try rollsense.run(["live", "--json", "--device", link, "--duration", "10.5", "--body-weight", "75", "--record", recording,
                                      "--audio-out", rollsense.path("cues.wav")])
        #expect(live.status == 0, "stderr: \(live.stderr)")
        let marks = live.lines.filter { $0.contains("\"reason\":\"painMark\"") }.compactMap(jsonObject)
        #expect(marks.map { ($0["t"] as? Double).map { ($0 * 10).rounded() / 10 } } == [5, 9], "the press at 6.5 s is the 5 s mark")
        let force = try #require(marks.first?["forceN"] as? Double)
        // The spoken confirmation, at the force rounded to 10 N.
        let cues = live.lines.compactMap(jsonObject).filter { $0["type"] as? String == "cue" }.compactMap { $0["phrase"] as? String }
        #expect(cues.contains("Pain noted at \(Int((force / 10).rounded()) * 10) newtons."), "\(cues)")
        // The limits the session ran with, and where they came from, come first.
        let first = try #require(live.lines.first.flatMap(jsonObject))
        #expect(first["type"] as? String == "limits")
        #expect(((first["stop"] as? [String: Any])?["origin"] as? [String: Any])?["source"] as? String == "builtIn")
        let summary = try #require(live.lines.compactMap(jsonObject).last { $0["type"] as? String == "summary" })
        #expect((summary["painMarks"] as? [[String: Any]])?.count == 2)

        let report = try rollsense.run(["report", recording])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.lines.contains { $0.hasPrefix("  Pain marks") && $0.hasSuffix(" 2") }, "\(report.stdout)")
        #expect(report.lines.filter { $0.hasPrefix("    0:0") && $0.contains(" N, ~") }.count == 2, "\(report.stdout)")
        #expect(report.lines.contains { $0.hasPrefix("  Limits") && $0.contains("stop 65 % body weight (478 N)")
            && $0.hasSuffix("from built-in profile foam-roller-lower-back") }, "\(report.stdout)")
        let reportJSON = try #require(try rollsense.run(["report", recording, "--json"]).lines.last.flatMap(jsonObject))
        #expect((reportJSON["painMarks"] as? [[String: Any]])?.count == 2)
        #expect((((reportJSON["limits"] as? [String: Any])?["stop"] as? [String: Any])?["origin"] as? [String: Any])?["profile"] as? String == "foam-roller-lower-back")
        let svg = rollsense.path("presses.svg")
        #expect(try rollsense.run(["report", recording, "--svg", svg]).status == 0)
        let document = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(document.components(separatedBy: "<g class=\"pain-mark\">").count - 1 == 2)
        #expect(document.contains(">pain mark</text>"))
        let events = rollsense.path("events.jsonl")
        #expect(try rollsense.run(["export", recording, "--csv", rollsense.path("out.csv"), "--events", events]).status == 0)
        let exported = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n").filter { $0.contains("\"painMark\"") }
        #expect(exported.count == 2)
        #expect(exported.allSatisfy { $0.contains("\"forceN\":") })

        let list = try rollsense.run(["limits", "--marks", "--json"])
        let stored = try #require(list.lines.last.flatMap(jsonObject)?["marks"] as? [[String: Any]])
        #expect(stored.count == 2)
        #expect(stored.allSatisfy { $0["tool"] as? String == "foam-roller" && $0["area"] as? String == "lower-back" })
    }

    /// A stop limit from config.json is said before the session, in its first JSON line, and
    /// kept in the recording: replay and report name config.json, not "profile default".
    @Test func aConfigStopIsNamedLiveAndInTheRecordingsSummaryAndReport() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        try rollsense.writeConfig(#"{"profileOverrides":{"zones":{"stop":60}}}"#)
        let configPath = rollsense.configDirectory.appendingPathComponent("config.json").path
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--speed", "max", "--link", link])
        defer { stop(simulator.process) }
        let recording = rollsense.path("config.rscap")
        let live = try rollsense.run(["live", "--json", "--device", link, "--duration", "3", "--body-weight", "75", "--record", recording])
        #expect(live.status == 0, "stderr: \(live.stderr)")
        #expect(live.stderr.contains("stop limit 60 % body weight (441 N) from \(configPath) (profileOverrides)"), "\(live.stderr)")
        let first = try #require(live.lines.first.flatMap(jsonObject))
        #expect(((first["stop"] as? [String: Any])?["origin"] as? [String: Any])?["path"] as? String == configPath)

        // Elsewhere, with no config: the recording still knows where its limits came from.
        try rollsense.writeConfig("{}")
        let replay = try rollsense.run(["replay", recording])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.lines.contains { $0.hasPrefix("  Limit stop") && $0.hasSuffix("60 % body weight (441 N), from \(configPath) (profileOverrides)") }, "\(replay.stdout)")
        #expect(replay.lines.contains { $0.hasPrefix("  Limit caution") && $0.hasSuffix("from built-in profile foam-roller-lower-back") }, "\(replay.stdout)")
        let report = try #require(try rollsense.run(["report", recording, "--json"]).lines.last.flatMap(jsonObject))
        #expect((((report["limits"] as? [String: Any])?["stop"] as? [String: Any])?["origin"] as? [String: Any])?["source"] as? String == "config")
    }

    /// The recording replays to the same events, the marks included, and the ledger keeps them:
    /// the stop limit now comes from the marks.
    static func expectReplayedAndStored(_ liveEvents: [String], recording: String, marks: Int, _ rollsense: BuiltRollSense) throws {
        let replay = try rollsense.run(["replay", recording, "--json"])
        #expect(replay.status == 0, "stderr: \(replay.stderr)")
        let replayEvents = replay.lines.filter { $0.contains("\"type\":\"event\"") }
        #expect(replayEvents == liveEvents)

        let limits = try rollsense.run(["limits", "--body-weight", "75", "--json"])
        let figures = try #require(limits.lines.last.flatMap(jsonObject))
        #expect((figures["stop"] as? [String: Any])?["source"] as? String == "painMarks")
        #expect((figures["painMarks"] as? [String: Any])?["count"] as? Int == marks)
    }
}
