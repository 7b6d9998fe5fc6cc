#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseWire
import Synchronization

/// Everything a live session needs, resolved from flags, config and defaults.
struct LiveSessionSettings {
    var profile: Profile
    var bodyMassKilograms: Double?
    var durationSeconds: Double?
    var json: Bool
    var bell: Bool
    var color: Bool
    var recordPath: String?
    var dataDirectory: String
    /// Added to today's total from the ledger (the demo starts part-way into the day).
    var extraPriorDailySeconds: Double = 0
    var title: String
    /// A calibration that overrides the stored ones (`--calibration FILE`).
    var calibration: Calibration?

    /// Resolves flags over config over defaults; errors name the flag or key.
    static func resolve(_ options: SessionOptions, recordPath: String?, title: String,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LiveSessionSettings {
        let config = try UserConfig.load(environment: environment)
        let profile = try ProfileResolver.resolve(
            name: options.profile ?? config.profile,
            tool: options.tool.flatMap { OptionValue.parse($0, as: Tool.self) } ?? config.tool,
            area: options.area.flatMap { OptionValue.parse($0, as: BodyRegion.self) } ?? config.area,
            overrides: config.profileOverrides)
        let dataDirectory: String
        do { dataDirectory = try DataDirectory.resolve(flag: options.dataDir, environment: environment) } catch {
            throw CommandFailure.usage("\(error) Pass --data-dir PATH.")
        }
        let json = options.json || !standardOutputIsTerminal()
        var calibration: Calibration?
        if let path = options.calibration {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure.usage("--calibration \(path) cannot be read: check the path.")
            }
            do { calibration = try JSONDecoder().decode(Calibration.self, from: data) } catch {
                throw CommandFailure.data("--calibration \(path) is not a calibration ({\"offsetCounts\": [...], \"curves\": [...]}): \(error)")
            }
        }
        var settings = LiveSessionSettings(
            profile: profile, bodyMassKilograms: options.bodyWeight ?? config.bodyWeightKilograms,
            durationSeconds: options.duration, json: json,
            bell: !options.noBell && (config.bell ?? true),
            color: colorEnabled(environment: environment), recordPath: recordPath,
            dataDirectory: dataDirectory, title: title)
        settings.calibration = calibration
        return settings
    }
}

/// Runs a live session on a source with the terminal view or JSON lines, recording and the
/// history ledger; used by `live`, `record` and `demo`.
enum LiveSession {
    static func run(source: any ByteSource, identity: BoardIdentity, settings: LiveSessionSettings,
                    environment: [String: String] = ProcessInfo.processInfo.environment,
                    extraStop: @escaping () -> Bool = { false }) throws {
        let profile = settings.profile
        let region = profile.region.rawValue
        let timeZone = TimeZone.current
        let startWall = Date()

        // History: today's earlier contact on the region in, this session's contact out.
        let ledger: HistoryLedger
        do { ledger = try HistoryLedger(dataDirectory: settings.dataDirectory) } catch {
            throw CommandFailure.data("\(error)")
        }
        let priorSeconds: Double
        do { priorSeconds = try ledger.todayTotalSeconds(area: region, day: LocalDay(startWall, in: timeZone)) } catch {
            throw CommandFailure.data("\(error)")
        }

        var capture: CaptureWriter?
        // The history knows a recorded session by this id, so replaying the recording with
        // --ledger later does not count it a second time.
        let recordingID = settings.recordPath == nil ? nil : UUID().uuidString.lowercased()
        if let path = settings.recordPath {
            var metadata = CaptureMetadata(
                programVersion: RollSenseVersion.string, startWallClock: startWall, timeZoneIdentifier: timeZone.identifier,
                profileName: profile.name, area: region, tool: profile.tool.rawValue)
            metadata.durationLimitSeconds = settings.durationSeconds
            metadata.recordingID = recordingID
            // What a replay on another machine needs to give the same events: the whole profile
            // (overrides included) and the body mass; the calibration follows once the device
            // has said who it is.
            metadata.profile = JSONValue(encoding: profile)
            metadata.bodyMassKilograms = settings.bodyMassKilograms
            do { capture = try CaptureWriter(path: path, metadata: metadata, startWallClock: startWall) } catch {
                throw CommandFailure.data("Cannot record to \(path): \(error)")
            }
        }

        let stored = try CalibrationStore(environment: environment).all()
        let calibrationStore = CalibrationStore(environment: environment)
        let uncalibrated = Atomic<Bool>(false)
        let configuration = SessionConfiguration(
            profile: profile, bodyMassKilograms: settings.bodyMassKilograms,
            priorDailyMicroseconds: Int64((priorSeconds + settings.extraPriorDailySeconds) * 1_000_000),
            maximumDurationSeconds: settings.durationSeconds,
            calibration: { [override = settings.calibration, capture] info in
                var chosen = override
                if chosen == nil {
                    let (calibration, known) = calibrationStore.calibration(identity, info: info, stored: stored)
                    if !known { uncalibrated.store(true, ordering: .relaxed) }
                    chosen = calibration
                }
                // Recorded right after the bytes holding the HELLO, where a replay looks for it.
                try? capture?.append(metadata: CaptureMetadata(calibration: JSONValue(encoding: chosen!)))
                return chosen!
            })

        installStopHandlers()
        let json = JSONLinesOutput(profile: profile, durationSeconds: settings.durationSeconds, waitNotice: { printError($0) })
        var terminal: LiveTerminalOutput?
        if !settings.json {
            terminal = LiveTerminalOutput(state: LiveViewState(profile: profile, title: settings.title, bodyMassKilograms: settings.bodyMassKilograms), color: settings.color, bell: settings.bell)
        }
        let watch = RawCountWatch(inner: terminal ?? json)
        let runner = SessionRunner(source: source, configuration: configuration, capture: capture, sink: watch)
        terminal?.open()
        var failure: (any Error)?
        var stats = SessionStatistics()
        do {
            stats = try runner.run {
                terminal?.tick()
                return stopRequested.load(ordering: .relaxed) || extraStop()
            }
        } catch {
            failure = error
            stats = runner.statistics
        }
        terminal?.close()
        source.close()
        // Close the recording and write the ledger even when the session failed part-way.
        var closeError: CommandFailure?
        if let stopped = runner.recordingFailure {
            // The writer gave up at the failure; what it synced before stays readable.
            try? capture?.close()
            closeError = CommandFailure.data(RecordingStop.message(stopped, atSeconds: runner.recordingStoppedAtSeconds ?? 0, path: settings.recordPath ?? ""))
        } else {
            do { try capture?.close() } catch { closeError = CommandFailure.data("The recording \(settings.recordPath ?? "") could not be closed: \(error)") }
        }
        let summary = SessionSummary(statistics: stats, start: startWall, timeZone: timeZone, deviceInfo: runner.deviceInfo,
                                     profile: profile, source: .live, capturePath: settings.recordPath, recordingID: recordingID)
        if stats.sampleCount > 0 {
            do { _ = try ledger.record(summary) } catch {
                // Both are said: a stopped recording must not hide a history that was not written.
                let ledgerMessage = "The history ledger was not updated: \(error)"
                closeError = .data(closeError.map { $0.message + " " + ledgerMessage } ?? ledgerMessage)
            }
        }
        try? ledger.close()

        // Forces labelled with a unit (a text sketch's `force_N:`) need no calibration: the
        // warning is for values that really were raw counts.
        let rawCounts = uncalibrated.load(ordering: .relaxed) && watch.sawRawCounts
        if stats.sampleCount > 0 || failure == nil {
            if settings.json {
                json.summary(stats)
            } else {
                print(SummaryText.render(stats, title: "RollSense session summary", profile: profile, showsDailyTotal: true,
                                         maximumAlertLines: 8, recordPath: settings.recordPath,
                                         uncalibrated: rawCounts))
            }
        }
        if rawCounts && settings.json {
            printError("rollsense: no calibration stored for this board, so forces are raw counts: run `rollsense calibrate` once.")
        }
        if let failure { throw failure }
        if let closeError { throw closeError }
    }
}

/// Passes everything to `inner` and notes whether any sample was raw counts (not newtons).
final class RawCountWatch: SessionSink {
    private let inner: any SessionSink
    private(set) var sawRawCounts = false

    init(inner: any SessionSink) { self.inner = inner }

    func sessionDidIdentify(_ info: DeviceInfo) { inner.sessionDidIdentify(info) }
    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) { inner.sessionDidRead(reading, sessionSeconds: sessionSeconds) }
    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) { inner.sessionDidEmit(event, sessionSeconds: sessionSeconds) }
    func sessionLinkDidChange(_ state: LinkState) { inner.sessionLinkDidChange(state) }
    func sessionDidProcess(_ sample: Sample, reading: Reading, sessionSeconds: Double) {
        if sample.quantity == .rawCounts { sawRawCounts = true }
        inner.sessionDidProcess(sample, reading: reading, sessionSeconds: sessionSeconds)
    }
    func sessionRecordingDidStop(_ error: CaptureWriteError, sessionSeconds: Double) {
        inner.sessionRecordingDidStop(error, sessionSeconds: sessionSeconds)
    }
}

/// What a person is told when the recording stopped and the session went on.
enum RecordingStop {
    static func message(_ error: CaptureWriteError, atSeconds seconds: Double, path: String) -> String {
        "The recording stopped at \(clock(seconds)) of the session (\(error)). The part before it is safe: "
            + "`rollsense replay \(absolutePath(path))`. The session went on: its summary and today's history are complete."
    }
}
