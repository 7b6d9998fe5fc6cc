#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseSystem
import RollSenseWeb
import RollSenseWire
import Synchronization

/// Everything a live session needs, resolved from flags, config and defaults.
struct LiveSessionSettings {
    var profile: Profile
    /// Where the profile's zone limits came from; nil: the built-in profile (the demo).
    var origins: LimitOrigins?
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
    /// Whose pain marks and limits apply.
    var person = PersonalLimitsLoader.defaultPerson
    /// Whether the body mass is the assumed 75 kg (none was given, the zones need one).
    var bodyMassAssumed = false
    /// Spoken cues and the tone (nil: none).
    var voice: VoiceSettings?

    /// Where the live page listens (`--web`), nil for none.
    var webAddress: WebAddress?
    /// The page's fixed token (`--web-token`), nil for a new random one.
    var webToken: String?

    /// An output's folder must exist and be writable, or the session would fail at its end.
    private static func checkFolder(of path: String, option: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue,
              FileManager.default.isWritableFile(atPath: directory) else {
            throw CommandFailure.usage("Cannot write \(option): the folder \(directory) does not exist or is not writable. Choose another path.")
        }
    }

    /// Resolves flags over config over defaults; errors name the flag or key.
    static func resolve(_ options: SessionOptions, voice: VoiceOptions, web: WebOptions, recordPath: String?, title: String,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LiveSessionSettings {
        let config = try UserConfig.load(environment: environment)
        let resolved = try ProfileResolver.resolve(
            name: options.profile ?? config.profile,
            tool: options.tool.flatMap(Tool.init(spelling:)) ?? config.tool,
            area: options.area.flatMap(BodyRegion.init(spelling:)) ?? config.area,
            overrides: config.profileOverrides, configPath: config.path,
            bodyWeightKilograms: options.bodyWeight ?? config.bodyWeightKilograms)
        let profile = resolved.profile
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
        // Every output path is checked before the device is touched: a refusal after opening
        // (and so resetting) the board cost the person its set-up and four lines of noise.
        if let recordPath {
            if FileManager.default.fileExists(atPath: recordPath) {
                throw CommandFailure.data("Cannot record to \(recordPath): \(CaptureWriteError.alreadyExists(path: recordPath))")
            }
            try checkFolder(of: recordPath, option: recordPath)
        }
        if let audioOut = voice.audioOut { try checkFolder(of: audioOut, option: "--audio-out \(audioOut)") }
        let mass = PersonalLimitsLoader.bodyMass(given: options.bodyWeight ?? config.bodyWeightKilograms, profile: profile)
        var settings = LiveSessionSettings(
            profile: profile, bodyMassKilograms: mass.kilograms,
            durationSeconds: options.duration, json: json,
            bell: !options.noBell && (config.bell ?? true),
            color: colorEnabled(environment: environment), recordPath: recordPath,
            dataDirectory: dataDirectory, title: title)
        settings.calibration = calibration
        settings.origins = resolved.origins
        settings.person = options.person ?? config.person ?? PersonalLimitsLoader.defaultPerson
        settings.bodyMassAssumed = mass.assumed
        settings.voice = VoiceSettings.resolve(voice, config: config)
        settings.webAddress = web.address
        settings.webToken = web.webToken
        return settings
    }
}

/// What the rig cannot measure for this person, said at the start (nil: it measures all of it).
func rangeNote(profile: Profile, bodyMassKilograms: Double?) -> String? {
    let range = Int(profile.range.overRangeChannelNewtons.rounded())
    if let heaviest = profile.heaviestServedBodyMassKilograms, let mass = bodyMassKilograms, mass > heaviest {
        return "rollsense: this rig measures up to \(range) N on one channel (the profile's range.overRangeChannelNewtons): "
            + "it serves body masses up to \(Int(heaviest.rounded(.down))) kg; at \(Int(mass.rounded())) kg a hard lean over one "
            + "channel can read over range (\"cannot measure higher\") instead of a force. Larger cells: docs/HARDWARE.md."
    }
    if profile.stopIsBeyondRange(bodyMassKilograms: bodyMassKilograms) {
        return "rollsense: this rig measures up to \(range) N on one channel (the profile's range.overRangeChannelNewtons), "
            + "not up to the stop level: past \(range) N it reads over range (\"cannot measure higher\"), a caution. docs/HARDWARE.md."
    }
    return nil
}

/// Runs a live session on a source with the terminal view or JSON lines, recording and the
/// history ledger; used by `live`, `record` and `demo`.
enum LiveSession {
    /// `baudRate` is the rate the device was opened at (named with a text sketch's channels).
    static func run(source: any ByteSource, identity: BoardIdentity, settings: LiveSessionSettings, baudRate: Int? = nil,
                    environment: [String: String] = ProcessInfo.processInfo.environment,
                    extraStop: @escaping () -> Bool = { false }, willRead: () -> Void = {}) throws {
        let region = settings.profile.region.rawValue
        let timeZone = TimeZone.current
        let startWall = Date()

        // History: today's earlier contact on the region in, this session's contact out.
        let ledger: HistoryLedger
        do { ledger = try HistoryLedger(dataDirectory: settings.dataDirectory) } catch {
            throw CommandFailure.data("\(error)")
        }
        // The person's own stop limit from their pain marks (never above the profile's).
        let limits: PersonalLimits
        do {
            let origins = settings.origins ?? LimitOrigins(all: .builtIn(profile: settings.profile.name))
            limits = try PersonalLimitsLoader.load(ResolvedProfile(profile: settings.profile, origins: origins, baseOrigin: origins.stop),
                                                   person: settings.person, bodyMassKilograms: settings.bodyMassKilograms, ledger: ledger)
        } catch { throw CommandFailure.data("\(error)") }
        let profile = limits.profile
        // Before the recording is created: a wrong voice or --audio-out path costs no file. The
        // cues and the tone follow the person's own limits.
        let (voice, noSoundDevice) = try settings.voice.map {
            try VoiceSession.start($0, profile: profile, playsByDefault: true,
                                   inputs: [settings.recordPath].compactMap { $0 }, json: settings.json)
        } ?? (nil, false)
        if settings.bodyMassAssumed {
            printError("rollsense: no body weight given: zones assume \(Int(PersonalLimitsLoader.assumedBodyMassKilograms)) kg. Pass --body-weight or set bodyWeightKg in config.json.")
        }
        if let note = rangeNote(profile: profile, bodyMassKilograms: settings.bodyMassKilograms) { printError(note) }
        // A stop limit not from the built-in profile is said before the view opens too (the view's
        // and the page's first lines say it for every origin).
        if limits.origins.stop != .builtIn(profile: profile.name) {
            printError("rollsense: stop limit \(LimitText.value(profile.zones.stop, unit: profile.zones.unit, mass: settings.bodyMassKilograms)) from \(LimitText.origin(limits.origins.stop)); `rollsense limits` shows every limit and your pain marks.")
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
            // `report` says where each limit came from, as the live session knew it.
            metadata.fields["limitOrigins"] = JSONValue(encoding: limits.origins)
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

        let web: WebOutput?
        do {
            web = try WebOutput.start(settings.webAddress, token: settings.webToken, profile: profile, bodyMassKilograms: settings.bodyMassKilograms,
                                      bodyMassKnown: !settings.bodyMassAssumed, mode: .live, color: settings.color && standardErrorIsTerminal(),
                                      baudRate: baudRate, limitsLine: LimitText.headline(profile.zones, origins: limits.origins, mass: settings.bodyMassKilograms))
        } catch {
            try? capture?.close()
            throw error
        }
        installStopHandlers()
        if let web, !settings.json, isatty(STDIN_FILENO) == 1 {
            // The full-screen view would cover the link and the QR code at once.
            printError("The view starts when a page connects or you press Enter (at most \(Int(WebOutput.linkWaitSeconds)) s).")
            web.waitForFirstPageOrEnter { stopRequested.load(ordering: .relaxed) }
        }
        if settings.json {
            // The limits the session runs with and where each came from, before any reading.
            say("{\"type\":\"limits\",\(LimitText.json(profile.zones, origins: limits.origins))}")
        }
        let json = JSONLinesOutput(profile: profile, durationSeconds: settings.durationSeconds, baudRate: baudRate, waitNotice: { printError($0) })
        var terminal: LiveTerminalOutput?
        if !settings.json {
            var title = settings.title
            if let web { title += " · page \(web.server.address)" }
            var state = LiveViewState(profile: profile, title: title, bodyMassKilograms: settings.bodyMassKilograms)
            if noSoundDevice { state.soundNote = VoiceSettings.noDeviceNote }
            state.limitsLine = LimitText.headline(profile.zones, origins: limits.origins, mass: settings.bodyMassKilograms)
            state.baudRate = baudRate
            terminal = LiveTerminalOutput(state: state, color: settings.color, bell: settings.bell)
        }
        let person = settings.person
        let watch = RawCountWatch(inner: SinkFanOut([terminal ?? json] + (web.map { [$0] } ?? [])))
        var sink: any SessionSink = watch
        if let voice { sink = VoiceSink(primary: sink, player: voice.player) }
        let marks = PainMarkKeeper(sink: sink) { event in
            // Stored at once: a mark survives a session that fails later.
            try? ledger.addPainMark(PainMark(person: person, area: region, tool: profile.tool.rawValue, date: Date(),
                                             forceNewtons: event.forceNewtons, pressureKilopascals: event.pressureKilopascals))
        }
        let runner = SessionRunner(source: source, configuration: configuration, capture: capture, sink: marks)
        let requester = PainMarkRequester(runner: runner)
        let keys = PainKeyReader(lines: settings.json) { requester.request() }
        keys.start()
        defer { keys.stop() }
        terminal?.open()
        willRead()
        var failure: (any Error)?
        var stats = SessionStatistics()
        do {
            stats = try runner.run {
                terminal?.tick()
                // The page's "It hurts" takes the live key's way in (runner.requestPainMark).
                for _ in 0..<(web?.takePainMarks() ?? 0) { runner.requestPainMark() }
                return stopRequested.load(ordering: .relaxed) || extraStop()
            }
        } catch {
            failure = error
            stats = runner.statistics
        }
        web?.finish()
        terminal?.close()
        source.close()
        var voiceError: (any Error)?
        do { try voice?.finish() } catch { voiceError = error }
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
                                         uncalibrated: rawCounts, columns: standardOutputColumns(),
                                         // Limits not all built in (config, a file, pain marks) are
                                         // said with their origin; the built-in ones need no line.
                                         origins: LimitText.allBuiltIn(limits.origins) ? nil : limits.origins,
                                         bodyMassKilograms: settings.bodyMassKilograms, marksStored: true))
            }
        }
        if rawCounts && settings.json {
            printError("rollsense: no calibration stored for this board, so forces are raw counts: run `rollsense calibrate` once.")
        }
        if let failure { throw failure }
        if let closeError { throw closeError }
        // --duration ran out with the board still unplugged: the session did not measure what
        // was asked, and a script must not take it for a whole one.
        if let goneSinceHost = watch.goneSinceHost, settings.durationSeconds != nil, !stopRequested.load(ordering: .relaxed) {
            let goneSeconds = Double(hostMonotonicMicroseconds() - goneSinceHost) * 1e-6
            throw CommandFailure.device("The board was unplugged at \(clock(stats.durationSeconds)) and did not come back "
                + "for the last \(clock(goneSeconds)) of --duration: the session ended without it. Check the cable, then `rollsense devices`.")
        }
        if let voiceError { throw voiceError }
    }
}

/// Lets the key thread ask the runner for a mark: `requestPainMark` is atomic, so sharing the
/// runner for that one call is safe.
private struct PainMarkRequester: @unchecked Sendable {
    let runner: SessionRunner
    func request() { runner.requestPainMark() }
}

/// Passes everything to `inner` and notes whether any sample was raw counts (not newtons).
final class RawCountWatch: SessionSink {
    private let inner: any SessionSink
    private(set) var sawRawCounts = false
    /// When the board was unplugged (host microseconds), while it is gone.
    private(set) var goneSinceHost: Int64?

    init(inner: any SessionSink) { self.inner = inner }

    func sessionDidIdentify(_ info: DeviceInfo) { inner.sessionDidIdentify(info) }
    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) { inner.sessionDidRead(reading, sessionSeconds: sessionSeconds) }
    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) { inner.sessionDidEmit(event, sessionSeconds: sessionSeconds) }
    func sessionLinkDidChange(_ state: LinkState) {
        goneSinceHost = state == .disconnected ? (goneSinceHost ?? hostMonotonicMicroseconds()) : nil
        inner.sessionLinkDidChange(state)
    }
    func sessionDidProcess(_ sample: Sample, reading: Reading, sessionSeconds: Double) {
        if sample.quantity == .rawCounts { sawRawCounts = true }
        inner.sessionDidProcess(sample, reading: reading, sessionSeconds: sessionSeconds)
    }
    func sessionDidNameChannels(_ channels: TextChannels) { inner.sessionDidNameChannels(channels) }
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
