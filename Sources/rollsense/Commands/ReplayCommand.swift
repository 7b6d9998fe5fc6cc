#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseWeb
import RollSenseWire
import Synchronization

/// `rollsense replay`: a recording through the same decoder, pipeline and alerts as live.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recording through the live pipeline: the same events the live session gave.",
        discussion: """
            The bytes the device sent are decoded and processed exactly as live (the pipeline runs \
            on the device's clock), so a replay gives the events the live session gave. Damage in \
            the file is skipped with a warning on stderr; a file that is not a capture exits 65. \
            A replay does not count toward today's time unless --ledger is given.

            Examples:
              rollsense replay today.rscap --speed max --json | jq -c 'select(.type == "event")'
              rollsense replay today.rscap --speed 4
              rollsense replay today.rscap --tone --audio-out today.wav
              rollsense replay today.rscap --speed 1 --voice
              rollsense replay today.rscap --web   (the live page follows the replay, as recorded)
            """
    )

    @OptionGroup var capture: CaptureOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("1 = as recorded, N = N times faster, max = as fast as possible (the default; 1 with --web).", valueName: "1|N|max"))
    var speed: String?

    @Flag(help: "Print JSON lines (reading, event, summary) as `live --json` does.")
    var json = false

    @OptionGroup(title: "Voice and tone") var voice: VoiceOptions
    @OptionGroup var web: WebOptions

    @Flag(help: "Add the replayed contact time to the history ledger (off by default).")
    var ledger = false

    @Option(help: ArgumentHelp("Folder of the history ledger, with --ledger. Default: $ROLLSENSE_DATA_DIR, else $XDG_DATA_HOME/rollsense.", valueName: "path"))
    var dataDir: String?

    /// The pace: `--speed`, else as recorded for a page to follow, else as fast as possible.
    var replaySpeed: ReplaySpeed? {
        speed.map(ReplaySpeed.init(argument:)) ?? (web.address == nil ? .maximum : .timesRealTime(1))
    }

    func validate() throws {
        guard let replaySpeed else {
            throw ValidationError("--speed must be 1, a factor such as 4 or 0.5, or max (got '\(speed ?? "")').")
        }
        if replaySpeed == .maximum, web.address != nil {
            throw ValidationError("--web needs a paced replay for the page to follow: --speed 1 (as recorded) or a factor such as 4, not max.")
        }
    }

    func run() throws {
        let setup = try CaptureSessionSetup.open(capture, speed: replaySpeed!)
        let profile = setup.profile
        let configuration = SessionConfiguration(
            profile: profile, bodyMassKilograms: setup.bodyMassKilograms,
            maximumDurationSeconds: setup.durationLimitSeconds, sendsCommands: false,
            silenceTimeoutSeconds: nil, calibration: setup.calibration)
        let progress = ProgressBar(totalBytes: fileSize(capture.file))
        let jsonOutput = JSONLinesOutput(profile: profile)
        let textOutput = ReplayTextOutput(profile: profile, progress: progress)
        var sink: any SessionSink = json ? jsonOutput : textOutput
        let voiceSettings = VoiceSettings.resolve(voice, config: try UserConfig.load(environment: ProcessInfo.processInfo.environment))
        let voiceSession = try VoiceSession.start(voiceSettings, profile: profile, playsByDefault: false,
                                                  inputs: [capture.file], json: json).session
        let webOutput = try WebOutput.start(web.address, token: web.webToken, profile: profile, bodyMassKilograms: setup.bodyMassKilograms,
                                            bodyMassKnown: setup.bodyMassKilograms != nil, mode: .replay,
                                            color: colorEnabled(environment: ProcessInfo.processInfo.environment) && standardErrorIsTerminal())
        if let webOutput { sink = SinkFanOut([sink, webOutput]) }
        if let voiceSession { sink = VoiceSink(primary: sink, player: voiceSession.player) }
        let runner = SessionRunner(source: setup.source, configuration: configuration, sink: sink)
        installStopHandlers()
        if let webOutput {
            // A replay that started before the page opened would show it from the middle.
            let terminal = isatty(STDIN_FILENO) == 1
            printError("The replay starts when a page connects\(terminal ? " or you press Enter" : "") (at most \(Int(WebOutput.linkWaitSeconds)) s).")
            webOutput.waitForFirstPageOrEnter(readsEnter: terminal) { stopRequested.load(ordering: .relaxed) }
        }
        var failure: CommandFailure?
        var stats: SessionStatistics
        do {
            stats = try runner.run {
                progress?.update(doneBytes: setup.source.recordBytesRead)
                return stopRequested.load(ordering: .relaxed)
            }
        } catch {
            failure = setup.classify(error)
            stats = runner.statistics
        }
        webOutput?.finish()
        // Stopped early, the bar stays where the replay was: it did not reach the end.
        progress?.finish(complete: failure == nil && !stopRequested.load(ordering: .relaxed))
        if failure == nil { try setup.requireSamples(stats) }
        setup.printWarnings()
        var voiceError: (any Error)?
        do { try voiceSession?.finish() } catch { voiceError = error }
        if ledger, stats.sampleCount > 0 {
            try recordInLedger(stats, setup: setup, deviceInfo: runner.deviceInfo)
        }
        if json {
            jsonOutput.summary(stats)
        } else {
            print(SummaryText.render(stats, title: "RollSense session summary", profile: profile, showsDailyTotal: true, maximumAlertLines: 8,
                                     columns: standardOutputColumns(), origins: LimitText.allBuiltIn(setup.origins) ? nil : setup.origins,
                                     bodyMassKilograms: setup.bodyMassKilograms))
        }
        if let failure { throw failure }
        if let voiceError { throw voiceError }
    }

    private func recordInLedger(_ stats: SessionStatistics, setup: CaptureSessionSetup, deviceInfo: DeviceInfo?) throws {
        let dataDirectory: String
        do { dataDirectory = try DataDirectory.resolve(flag: dataDir, environment: ProcessInfo.processInfo.environment) } catch {
            throw CommandFailure.usage("\(error) Pass --data-dir PATH.")
        }
        let metadata = setup.source.reader.metadata
        let start = metadata.startWallClock
            ?? Date(timeIntervalSince1970: Double(setup.source.reader.header.startUnixMicroseconds) * 1e-6)
        let timeZone = metadata.timeZoneIdentifier.flatMap(TimeZone.init(identifier:)) ?? TimeZone.current
        let summary = SessionSummary(statistics: stats, start: start, timeZone: timeZone, deviceInfo: deviceInfo,
                                     profile: setup.profile, source: .replay, capturePath: capture.file,
                                     recordingID: Self.recordingID(setup.source.reader))
        do {
            let history = try HistoryLedger(dataDirectory: dataDirectory)
            defer { try? history.close() }
            if try history.contains(recordingID: summary.recordingID!) {
                printError("rollsense: this recording is in the history already (recording \(summary.recordingID!)): not added again.")
                return
            }
            _ = try history.record(summary)
        } catch {
            throw CommandFailure.data("The history ledger was not updated: \(error)")
        }
    }
}

extension ReplayCommand {
    /// The recording's id; a recording made before ids were written is known by its start time
    /// to the microsecond (from its header), which no other recording shares in practice.
    static func recordingID(_ reader: CaptureReader) -> String {
        reader.metadata.recordingID ?? "start-us:\(reader.header.startUnixMicroseconds)"
    }
}

/// Replay without --json: alerts as they happen, one line each; the summary follows.
final class ReplayTextOutput: SessionSink {
    private let profile: Profile
    private let progress: ProgressBar?
    private let write: (String) -> Void

    /// Event lines go through `write`; the progress bar's line is cleared first, so a line never
    /// starts after the bar.
    init(profile: Profile, progress: ProgressBar?, write: @escaping (String) -> Void = { line in say(line) }) {
        self.profile = profile
        self.progress = progress
        self.write = write
    }

    private func emit(_ line: String) {
        progress?.clear()
        write(line)
    }

    func sessionDidIdentify(_ info: DeviceInfo) {
        for line in hangingWrap("Device: \(info.board), firmware \(info.firmwareVersion), \(info.sampleRateHz) samples/s, \(info.channelCount) channels",
                                firstPrefix: "", indent: 2, columns: standardOutputColumns()) {
            emit(line)
        }
    }

    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) {}

    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) {
        guard event.level != .info, event.phase != .end else { return }
        // Wrapped between words on a terminal (whole lines to a file or a pipe), as the summary is.
        let prefix = "\(clock(sessionSeconds))  \(event.level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))"
        for line in hangingWrap(EventWording.sentence(event, profile: profile), firstPrefix: prefix, indent: prefix.count,
                                columns: standardOutputColumns()) {
            emit(line)
        }
    }

    func sessionLinkDidChange(_ state: LinkState) {
        switch state {
        case .connected: break
        case .disconnected: emit("Device disconnected")
        case .reconnected(let gap): emit("Device back after \(format(Double(gap) * 1e-6, digits: 1)) s")
        }
    }
}

/// The size of a file in bytes (0 when it cannot be read).
func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
}
