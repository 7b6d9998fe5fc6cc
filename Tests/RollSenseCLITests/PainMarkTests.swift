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

        // The recording replays to the same events, the mark included.
        let replay = try rollsense.run(["replay", recording, "--json"])
        #expect(replay.status == 0, "stderr: \(replay.stderr)")
        let replayEvents = replay.lines.filter { $0.contains("\"type\":\"event\"") }
        #expect(replayEvents == liveEvents.map(String.init))

        // The ledger keeps it: the stop limit now comes from the mark.
        let limits = try rollsense.run(["limits", "--body-weight", "75", "--json"])
        let figures = try #require(limits.lines.last.flatMap(jsonObject))
        #expect((figures["stop"] as? [String: Any])?["source"] as? String == "painMarks")
        #expect((figures["painMarks"] as? [String: Any])?["count"] as? Int == 1)
    }
}
