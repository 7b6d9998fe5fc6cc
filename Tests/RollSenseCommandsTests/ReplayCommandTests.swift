import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RollSenseStore
import Testing
import RollSenseTestSupport

/// `rollsense replay` as a subprocess: fixtures, damaged files, and recordings made by `live`
/// against `rollsense simulate` replayed to the same events.
@Suite("rollsense replay", .serialized)
struct ReplayCommandTests {
    // MARK: - Fixtures

    @Test func cleanFixtureReplaysWithoutWarnings() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["replay", BuiltRollSense.fixture("session-clean.rscap"), "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        let summary = try #require(result.lines.last.flatMap(jsonObject))
        #expect(summary["type"] as? String == "summary")
        #expect(summary["samples"] as? Int == 60)
        #expect(!lines(ofType: "event", in: result.lines).isEmpty)
    }

    @Test func firmwareFixtureGivesItsAlerts() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["replay", BuiltRollSense.fixture("firmware-massage-ball.rscap"), "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let summary = try #require(result.lines.last.flatMap(jsonObject))
        #expect(summary["samples"] as? Int == 8499)
        let alerts = try #require(summary["alerts"] as? [[String: Any]])
        // The jump, then over range, caution and stop: one alert each, no chatter.
        #expect(alerts.map { $0["kind"] as? String } == ["jump", "zone", "zone", "zone"])
    }

    /// The reference roller rig's AS5600 loses its magnet before a hard lean (80 % of body weight):
    /// the replay says the position fault and still gives caution and stop, the zone shown beside
    /// the fault. Main turned the zone to fault and gave no pressure alert at all.
    @Test func aRotationFaultDuringAHardLeanStillGivesStop() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["replay", BuiltRollSense.fixture("firmware-roller-rotation-fault.rscap"), "--json",
                                        "--body-weight", "75"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let events = lines(ofType: "event", in: result.lines).compactMap(jsonObject)
        func time(_ reason: String, _ phase: String) -> Double? {
            events.first { $0["reason"] as? String == reason && $0["phase"] as? String == phase }?["t"] as? Double
        }
        let faultStart = try #require(time("sensorNotReady", "start"))
        let faultEnd = try #require(time("sensorNotReady", "end"))
        let stop = try #require(time("zoneStop", "start"), "no stop alert: \(events)")
        #expect(faultStart < 13.5 && faultEnd > 28)
        // The lean reaches the stop level at about 14.8 s; stop follows its 0.5 s on-delay.
        #expect(stop > faultStart && stop < faultEnd && stop < 16.5)
        #expect(time("zoneCaution", "start") != nil)
        #expect(events.contains { ($0["message"] as? String)?.contains("position unknown") == true })
        // While the position is lost the zone is the force's, never "fault".
        #expect(!events.contains { $0["zone"] as? String == "fault" })
    }

    @Test func damagedFixtureWarnsAndGoesOn() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["replay", BuiltRollSense.fixture("session-damaged.rscap"), "--json"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("skipped 61 damaged bytes at offset 627"))
        let summary = try #require(result.lines.last.flatMap(jsonObject))
        #expect(summary["samples"] as? Int == 57)
    }

    @Test func truncatedFixtureWarnsAndGoesOn() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["replay", BuiltRollSense.fixture("session-truncated.rscap"), "--json"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("cut short"))
        #expect(result.stderr.contains("not closed cleanly"))
        #expect((result.lines.last.flatMap(jsonObject)?["samples"] as? Int ?? 0) > 0)
    }

    @Test(arguments: ["empty.rscap", "newer-major.rscap", "not-a-capture.txt", "no-such-file.rscap"])
    func unusableFileIsADataError(name: String) throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["replay", BuiltRollSense.fixture(name)])
        #expect(result.status == 65)
        #expect(result.stderr.contains("Cannot replay"))
        #expect(result.stdout.isEmpty)
    }

    @Test func badSpeedIsAUsageError() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        #expect(try rollsense.run(["replay", BuiltRollSense.fixture("session-clean.rscap"), "--speed", "0"]).status == 64)
    }

    @Test func noProgressBarWhenStderrIsNotATerminal() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["replay", BuiltRollSense.fixture("firmware-massage-ball.rscap"), "--json"])
        #expect(!result.stderr.contains("\r"))
        #expect(!result.stderr.contains("%"))
    }

    @Test func replayFeedsTheLedgerOnlyWhenAsked() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let file = BuiltRollSense.fixture("firmware-massage-ball.rscap")
        #expect(try rollsense.run(["replay", file, "--json"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: rollsense.dataDirectory.appendingPathComponent("history.sqlite").path))
        #expect(try rollsense.run(["replay", file, "--json", "--ledger"]).status == 0)
        let ledger = try HistoryLedger(dataDirectory: rollsense.dataDirectory.path)
        defer { try? ledger.close() }
        let sessions = try ledger.recentSessions(limit: 10)
        #expect(sessions.count == 1)
        #expect(sessions.first?.summary.source == .replay)
    }

    // MARK: - Round trip against the virtual board

    @Test func liveRecordingReplaysToExactlyTheSameEventsAndReadings() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.path("board")
        let simulator = try rollsense.startSimulator(["--speed", "max"], link: link)
        defer { stopSimulator(simulator) }
        let capture = rollsense.path("session.rscap")
        let live = try rollsense.run(["live", "--json", "--device", link, "--duration", "45", "--record", capture])
        #expect(live.status == 0, "stderr: \(live.stderr)")
        let replay = try rollsense.run(["replay", capture, "--json"])
        #expect(replay.status == 0, "stderr: \(replay.stderr)")
        #expect(replay.stderr.isEmpty)
        let liveEvents = lines(ofType: "event", in: live.lines)
        #expect(liveEvents.count > 10)
        #expect(lines(ofType: "event", in: replay.lines) == liveEvents)
        #expect(lines(ofType: "reading", in: replay.lines) == lines(ofType: "reading", in: live.lines))
        #expect(lines(ofType: "device", in: replay.lines) == lines(ofType: "device", in: live.lines))
        // At a real-time multiple, the same events again.
        let paced = try rollsense.run(["replay", capture, "--json", "--speed", "50"])
        #expect(lines(ofType: "event", in: paced.lines) == liveEvents)
    }

    @Test func replayUsesTheCalibrationProfileAndBodyMassTheLiveSessionRecorded() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.path("board")
        let simulator = try rollsense.startSimulator(["--speed", "max"], link: link)
        defer { stopSimulator(simulator) }
        // A calibration this machine does not store: twice the virtual board's own scale, so
        // the replay gives the live events only if it takes the calibration from the file.
        let calibrationFile = rollsense.path("calibration.json")
        try """
            {"offsetCounts": [0, 0, 0, 0], "curves": [\
            {"linear": {"newtonsPerCount": 0.05}}, {"linear": {"newtonsPerCount": 0.05}}, \
            {"linear": {"newtonsPerCount": 0.05}}, {"linear": {"newtonsPerCount": 0.05}}]}
            """.write(toFile: calibrationFile, atomically: true, encoding: .utf8)
        let capture = rollsense.path("calibrated.rscap")
        let live = try rollsense.run(["live", "--json", "--device", link, "--duration", "20",
                                      "--calibration", calibrationFile, "--body-weight", "90", "--record", capture])
        #expect(live.status == 0, "stderr: \(live.stderr)")
        let replay = try rollsense.run(["replay", capture, "--json"])
        #expect(replay.status == 0, "stderr: \(replay.stderr)")
        let liveEvents = lines(ofType: "event", in: live.lines)
        #expect(liveEvents.contains { $0.contains("zoneStop") })
        #expect(lines(ofType: "event", in: replay.lines) == liveEvents)
        #expect(lines(ofType: "reading", in: replay.lines) == lines(ofType: "reading", in: live.lines))
    }

    @Test func recordingKilledMidWayReplaysUpToTheKill() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.path("board")
        let simulator = try rollsense.startSimulator(["--speed", "4"], link: link)
        defer { stopSimulator(simulator) }
        let capture = rollsense.path("killed.rscap")
        let (recorder, _, _) = try rollsense.start(["record", "--json", "--device", link, "--out", capture])
        // Wait until more than a second of data is synced (the writer syncs at least once a second).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && recorder.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: capture)[.size] as? Int) ?? 0
            if size > 20_000 { break }
            usleep(50_000)
        }
        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        #expect(recorder.terminationReason == .uncaughtSignal)
        let replay = try rollsense.run(["replay", capture, "--json"])
        #expect(replay.status == 0, "stderr: \(replay.stderr)")
        #expect(replay.stderr.contains("not closed cleanly"))
        let summary = try #require(replay.lines.last.flatMap(jsonObject))
        #expect((summary["samples"] as? Int ?? 0) > 100)
    }
}

/// SIGKILL: a simulator waiting for a host to open its pty does not look at SIGTERM.
func stopSimulator(_ process: Process) {
    kill(-process.processIdentifier, SIGKILL)
    process.waitUntilExit()
}

@Suite("rollsense replay progress")
struct ReplayProgressTests {
    @Test func progressBarOnATerminalStderr() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        var master: Int32 = -1, slave: Int32 = -1
        #expect(openpty(&master, &slave, nil, nil, nil) == 0)
        defer { close(master) }
        let process = Process()
        process.executableURL = BuiltRollSense.executable
        process.arguments = ["replay", BuiltRollSense.fixture("firmware-massage-ball.rscap"), "--json"]
        process.environment = rollsense.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var flags = fcntl(master, F_GETFL)
        flags |= O_NONBLOCK
        _ = fcntl(master, F_SETFL, flags)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.contains("\r["))
        #expect(text.contains("] 100%"))
    }
}
