import Foundation
import RollSenseAudio
import RollSenseCues
import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// The voice and tone settings of one session: flags over config over defaults.
struct VoiceSettings {
    /// espeak-ng's own limits (speak_lib.h: espeakRATE_MINIMUM, espeakRATE_MAXIMUM).
    static let wordsPerMinuteRange = 80...450
    /// espeak-ng's default rate (espeakRATE_NORMAL).
    static let defaultWordsPerMinute = 175
    static let defaultLanguage = "en"
    static let defaultDevice = "default"
    /// What a session says, once, when it cannot play sound.
    static let noDeviceLine = "rollsense: no sound device: cues are off; --audio-out FILE to render them"

    /// The same when the cues are rendered to `audioOut`: suggesting --audio-out to a person who
    /// gave it would be wrong.
    static func noDeviceLine(audioOut: String?) -> String {
        audioOut.map { "rollsense: no sound device: cues are not heard, only rendered to \($0)" } ?? noDeviceLine
    }
    /// The same, kept on the live view's screen (which hides the line printed before it opened).
    static let noDeviceNote = "no sound device: cues are off"

    /// `--voice` / `--no-voice` / config; nil leaves it to the command.
    var voice: Bool?
    var tone: Bool
    var wordsPerMinute: Int
    var language: String
    var audioOut: String?
    var device: String

    static func resolve(_ options: VoiceOptions, config: UserConfig) -> VoiceSettings {
        VoiceSettings(
            voice: options.voice ?? config.voice, tone: options.tone || (config.tone ?? false),
            wordsPerMinute: options.voiceRate ?? config.voiceRate ?? defaultWordsPerMinute,
            language: options.language ?? config.language ?? defaultLanguage,
            audioOut: options.audioOut, device: options.audioDevice ?? config.audioDevice ?? defaultDevice)
    }
}

/// The voice and tone sink of one session, set up before it starts and finished after it ends.
final class VoiceSession {
    let player: CuePlayer
    private let settings: VoiceSettings
    private let json: Bool

    private init(player: CuePlayer, settings: VoiceSettings, json: Bool) {
        self.player = player
        self.settings = settings
        self.json = json
    }

    /// Builds the sink (nil when nothing is to be played or rendered) and says whether sound was
    /// wanted but no device opened. `playsByDefault`: a live session or the demo (plays unless
    /// told not to); a replay plays only with `--voice`. A missing sound device costs one line on
    /// stderr, never the session.
    static func start(_ settings: VoiceSettings, profile: Profile, playsByDefault: Bool, inputs: [String],
                      json: Bool) throws -> (session: VoiceSession?, noDevice: Bool) {
        let speaks = settings.voice ?? (playsByDefault || settings.audioOut != nil)
        let plays = playsByDefault ? (speaks || settings.tone) : settings.voice == true
        guard plays || settings.audioOut != nil, speaks || settings.tone else { return (nil, false) }
        if let path = settings.audioOut {
            do { try WAVFile.checkNotInput(path, inputs: inputs) } catch { throw CommandFailure.usage(error.description) }
        }
        // The voice is checked first (a wrong --language is a usage error with or without a
        // device), the device opened next, and the phrases made only when something will use them.
        var synthesizer: SpeechSynthesizer?
        if speaks {
            do { synthesizer = try SpeechSynthesizer(voice: settings.language, wordsPerMinute: settings.wordsPerMinute) } catch {
                throw speechFailure(error)
            }
        }
        let sampleRate = synthesizer?.sampleRate ?? PhraseBank.toneSampleRate
        var output: AudioOutput?
        if plays {
            do { output = try AudioOutput(deviceName: settings.device, sampleRate: sampleRate, tone: settings.tone) } catch {
                printError(VoiceSettings.noDeviceLine(audioOut: settings.audioOut))
            }
        }
        let noDevice = plays && output == nil
        guard output != nil || settings.audioOut != nil else { return (nil, noDevice) }
        let bank: PhraseBank
        if let synthesizer {
            do { bank = try PhraseBank(phrases: CuePlanner.phrases(for: profile), synthesizer: synthesizer) } catch {
                _ = output?.close()
                throw speechFailure(error)
            }
        } else {
            bank = PhraseBank(sampleRate: sampleRate)
        }
        let player = CuePlayer(profile: profile, bank: bank, voice: speaks, tone: settings.tone, output: output,
                               renders: settings.audioOut != nil, onCue: json ? { say(cueLine($0)) } : { _ in })
        return (VoiceSession(player: player, settings: settings, json: json), noDevice)
    }

    private static func speechFailure(_ error: SpeechError) -> CommandFailure {
        switch error {
        case .unknownVoice: return .usage(error.description)
        case .unavailable, .synthesisFailed: return .data(error.description)
        }
    }

    /// Stops playback and writes the WAV file; a failure here never loses the session's data.
    func finish() throws {
        let stats = player.finish()
        if let failure = stats?.failure {
            printError("rollsense: the sound device failed during the session, cues stopped there: \(failure)")
        }
        if json {
            say(Self.audioLine(device: stats == nil ? nil : settings.device, stats: stats, cues: player.plannedCues.count,
                               dropped: player.dropped))
        }
        if let path = settings.audioOut, let track = player.renderTrack() {
            do { try WAVFile.write(track, sampleRate: player.bank.sampleRate, to: path) } catch {
                throw CommandFailure.data(error.description)
            }
        }
    }

    /// `{"type":"cue",...}`: a cue as it starts, with its event's time.
    static func cueLine(_ cue: PlannedCue) -> String {
        "{\"type\":\"cue\",\"t\":\(number(Double(cue.startMicroseconds) * 1e-6, digits: 3)),\"eventT\":\(number(Double(cue.eventMicroseconds) * 1e-6, digits: 3)),\"phrase\":\(quote(cue.phrase.text)),\"priority\":\(quote(String(describing: cue.priority))),\"durationS\":\(number(Double(cue.durationMicroseconds) * 1e-6, digits: 3)),\"interrupts\":\(cue.interrupts)}"
    }

    /// `{"type":"audio",...}`: what was played, dropped, and how fast the first samples went out.
    static func audioLine(device: String?, stats: AudioOutputStatistics?, cues: Int, dropped: [CueDrop: Int]) -> String {
        let latencies = (stats?.firstSampleLatenciesMicroseconds ?? []).sorted()
        func milliseconds(_ q: Double) -> String {
            latencies.isEmpty ? "null" : number(Double(latencies[min(latencies.count - 1, Int(q * Double(latencies.count)))]) * 1e-3, digits: 2)
        }
        let skipped = CueDrop.allCases.map { "\(quote($0.rawValue)):\(dropped[$0] ?? 0)" }.joined(separator: ",")
        return "{\"type\":\"audio\",\"device\":\(device.map(quote) ?? "null"),\"cuesPlayed\":\(stats?.cuesPlayed ?? 0),\"cuesDroppedByDevice\":\(stats?.cuesDropped ?? 0),\"cuesNotSaid\":{\(skipped)},\"firstSampleLatencyMs\":{\"p50\":\(milliseconds(0.5)),\"max\":\(milliseconds(1))}}"
    }
}

/// Hands everything to the session's own sink, then to the voice.
final class VoiceSink: SessionSink {
    private let primary: any SessionSink
    private let player: CuePlayer

    init(primary: any SessionSink, player: CuePlayer) {
        self.primary = primary
        self.player = player
    }

    func sessionDidIdentify(_ info: DeviceInfo) { primary.sessionDidIdentify(info) }

    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) {
        primary.sessionDidRead(reading, sessionSeconds: sessionSeconds)
        player.reading(zone: reading.zone, atMicroseconds: Int64((sessionSeconds * 1e6).rounded()))
    }

    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) {
        primary.sessionDidEmit(event, sessionSeconds: sessionSeconds)
        player.event(event, atMicroseconds: Int64((sessionSeconds * 1e6).rounded()))
    }

    func sessionLinkDidChange(_ state: LinkState) { primary.sessionLinkDidChange(state) }
    // The rest only passes on: the protocol's defaults would drop them (the raw-count warning,
    // the recording's stop and the sketch's channel names).
    func sessionDidProcess(_ sample: Sample, reading: Reading, sessionSeconds: Double) {
        primary.sessionDidProcess(sample, reading: reading, sessionSeconds: sessionSeconds)
    }
    func sessionDidNameChannels(_ channels: TextChannels) { primary.sessionDidNameChannels(channels) }
    func sessionRecordingDidStop(_ error: CaptureWriteError, sessionSeconds: Double) {
        primary.sessionRecordingDidStop(error, sessionSeconds: sessionSeconds)
    }
}
