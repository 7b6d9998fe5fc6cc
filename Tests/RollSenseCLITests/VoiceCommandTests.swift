import Foundation
import Testing
import RollSenseTestSupport

/// Spoken cues and the pressure tone end to end: the built binary renders the demo to WAV files,
/// which are analysed here as a listener would hear them (levels in 10 ms frames), against the
/// event times of the same run's JSON lines.
@Suite("voice and tone")
struct VoiceCommandTests {
    // MARK: - Cue timing in the rendered demo

    @Test func everyCueStartsWithinThreeHundredMillisecondsOfItsEventAndNoneOverlap() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let wav = rollsense.home.appendingPathComponent("demo-voice.wav").path
        let result = try rollsense.run(["demo", "--speed", "20", "--audio-out", wav], extraEnvironment: noSoundDevice)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let cues = cueLines(result.lines)
        let eventTimes = Set(events(in: result.lines).map(\.t))
        // The demo's scenario (SyntheticScenario.lowerBackRoller) reaches target, stop and the
        // daily warning whatever the alert rules around them.
        let phrases = cues.map(\.phrase)
        for phrase in ["Good pressure.", "Stop pressing now.", "One minute left today."] {
            #expect(phrases.contains(phrase), "\(phrases)")
        }
        for cue in cues { #expect(eventTimes.contains(cue.eventT), "cue \(cue.phrase) names an event of the run") }

        for problem in cueTimingProblems(cues, in: try WAVTrack(path: wav)) { Issue.record("demo: \(problem)") }
    }

    /// The timing check itself can fail: a track with sound where the cues say, then the same
    /// track judged against a cue whose event came 0.4 s earlier (late) and two cues heard as one
    /// (overlapping).
    @Test func theTimingCheckCatchesLateAndOverlappingCues() {
        func track(_ bursts: [(Double, Double)]) -> WAVTrack {
            var samples = [Int16](repeating: 0, count: 22_050 * 3)
            for (from, to) in bursts {
                for n in Int(from * 22_050)..<Int(to * 22_050) { samples[n] = Int16(8000 * sin(Double(n) * 0.3)) }
            }
            return WAVTrack(sampleRate: 22_050, samples: samples)
        }
        let onTime = CueLine(t: 1.0, eventT: 1.0, phrase: "Ease off.", durationS: 0.5)
        #expect(cueTimingProblems([onTime], in: track([(1.0, 1.5)])).isEmpty)
        let late = CueLine(t: 1.0, eventT: 0.6, phrase: "Ease off.", durationS: 0.5)
        #expect(cueTimingProblems([late], in: track([(1.0, 1.5)])).contains { $0.contains("heard at") })
        let next = CueLine(t: 1.55, eventT: 1.55, phrase: "Gently.", durationS: 0.4)
        #expect(!cueTimingProblems([onTime, next], in: track([(1.0, 1.5), (1.55, 1.95)])).isEmpty)
    }

    @Test func theToneIsSilentInTargetAndSoundsInStop() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let wav = rollsense.home.appendingPathComponent("demo-tone.wav").path
        let result = try rollsense.run(["demo", "--speed", "20", "--no-voice", "--tone", "--audio-out", wav],
                                       extraEnvironment: noSoundDevice)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(cueLines(result.lines).isEmpty)
        let spans = try toneSpans(result.lines, in: WAVTrack(path: wav))
        #expect(!spans.target.isEmpty && !spans.stop.isEmpty)
        for problem in spans.problems { Issue.record("demo: \(problem)") }
    }

    // MARK: - Sound device

    @Test func noSoundDeviceIsOneLineAndTheDemoGoesOn() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["demo", "--speed", "40", "--tone"], extraEnvironment: noSoundDevice)
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines == ["rollsense: no sound device: cues are off; --audio-out FILE to render them"])
        #expect(result.lines.compactMap(jsonObject).last?["type"] as? String == "summary")
    }

    /// Issue 25: with --audio-out given, the line does not tell the person to give it.
    @Test func noSoundDeviceWithAudioOutSaysWhereTheCuesGo() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let wav = rollsense.path("d.wav")
        let result = try rollsense.run(["demo", "--speed", "40", "--tone", "--audio-out", wav], extraEnvironment: noSoundDevice)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n") == ["rollsense: no sound device: cues are not heard, only rendered to \(wav)"[...]])
        #expect(FileManager.default.fileExists(atPath: wav))
    }

    @Test func aNamedDeviceThatDoesNotExistIsTheSameOneLine() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["demo", "--speed", "40", "--audio-device", "rollsense_no_such_pcm"])
        #expect(result.status == 0)
        #expect(result.stderr.split(separator: "\n") == ["rollsense: no sound device: cues are off; --audio-out FILE to render them"])
    }

    /// ALSA's `null` device (this machine kind has no sound card and no snd-aloop): the real
    /// alsa-lib path from open to writei.
    @Test func cuesPlayThroughALSA() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["demo", "--speed", "4", "--audio-device", "null", "--tone"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        let audio = try #require(result.lines.compactMap(jsonObject).first { $0["type"] as? String == "audio" })
        #expect(audio["device"] as? String == "null")
        #expect((audio["cuesPlayed"] as? Int ?? 0) >= 3, "\(audio)")
    }

    @Test func noVoiceAndNoToneMeansNoAudioAtAll() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["demo", "--speed", "40", "--no-voice"], extraEnvironment: noSoundDevice)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(!result.lines.contains { $0.contains("\"type\":\"audio\"") || $0.contains("\"type\":\"cue\"") })
    }

    // MARK: - Flags, config, files

    @Test func wrongFlagsAreUsageErrors() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        for arguments in [["--voice-rate", "20"], ["--audio-out", "x.mp3"], ["--language", "klingon-xx"]] {
            let result = try rollsense.run(["demo", "--speed", "40"] + arguments, extraEnvironment: noSoundDevice)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(arguments[0]), "\(arguments): \(result.stderr)")
        }
    }

    @Test func anUnwritableAudioOutFolderIsRefusedBeforeTheSession() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["replay", BuiltRollSense.root.appendingPathComponent("Fixtures/captures/session-clean.rscap").path,
                                        "--json", "--audio-out", "/nonexistent-rollsense/x.wav"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("/nonexistent-rollsense/x.wav"))
        // Refused before anything ran: no summary.
        #expect(!result.stdout.contains("\"summary\""))
    }

    @Test func configKeysSetTheDefaults() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        try rollsense.writeConfig(#"{"voice": false, "tone": true, "voiceRate": 300, "language": "en-us", "audioDevice": "null"}"#)
        let result = try rollsense.run(["demo", "--speed", "40"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let audio = try #require(result.lines.compactMap(jsonObject).first { $0["type"] as? String == "audio" })
        #expect(audio["device"] as? String == "null")
        #expect(cueLines(result.lines).isEmpty)
        try rollsense.writeConfig(#"{"voiceRate": "fast"}"#)
        let bad = try rollsense.run(["demo", "--speed", "40"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("voiceRate"))
    }

    @Test func audioOutNeverOverwritesTheReplayedRecording() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let copy = rollsense.home.appendingPathComponent("session.wav")
        try FileManager.default.copyItem(atPath: BuiltRollSense.root.appendingPathComponent("Fixtures/captures/session-clean.rscap").path,
                                         toPath: copy.path)
        let before = try Data(contentsOf: copy)
        let result = try rollsense.run(["replay", copy.path, "--audio-out", copy.path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("input"))
        #expect(try Data(contentsOf: copy) == before)
    }

    @Test func aReplayOfALiveRecordingSaysTheLiveCuesAtTheLiveTimes() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--speed", "8", "--link", link])
        defer { stop(simulator.process) }
        let capture = rollsense.home.appendingPathComponent("live.rscap").path
        let liveWAV = rollsense.home.appendingPathComponent("live.wav").path
        let replayWAV = rollsense.home.appendingPathComponent("replay.wav").path
        let live = try rollsense.run(["live", "--json", "--device", link, "--duration", "45", "--record", capture,
                                      "--tone", "--audio-out", liveWAV], extraEnvironment: noSoundDevice)
        #expect(live.status == 0, "stderr: \(live.stderr)")
        let replay = try rollsense.run(["replay", capture, "--json", "--tone", "--audio-out", replayWAV])
        #expect(replay.status == 0, "stderr: \(replay.stderr)")
        #expect(cueLines(live.lines).count >= 3)
        #expect(cueLines(live.lines) == cueLines(replay.lines))
        #expect(try Data(contentsOf: URL(fileURLWithPath: liveWAV)) == Data(contentsOf: URL(fileURLWithPath: replayWAV)))
    }

    @Test func replayRendersTheSameCuesEveryTime() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let capture = BuiltRollSense.root.appendingPathComponent("Fixtures/captures/firmware-massage-ball.rscap").path
        let a = rollsense.home.appendingPathComponent("a.wav").path
        let b = rollsense.home.appendingPathComponent("b.wav").path
        let first = try rollsense.run(["replay", capture, "--json", "--tone", "--audio-out", a])
        let second = try rollsense.run(["replay", capture, "--json", "--tone", "--audio-out", b, "--speed", "8"])
        #expect(first.status == 0 && second.status == 0, "\(first.stderr) \(second.stderr)")
        #expect(!cueLines(first.lines).isEmpty)
        #expect(cueLines(first.lines) == cueLines(second.lines))
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        // Whole or nothing: no temporary file is left beside it.
        let left = try FileManager.default.contentsOfDirectory(atPath: rollsense.home.path).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty)
    }
}

/// What is wrong with the timing of `cues` (a session's cue lines) as heard in `track`: each cue
/// planned more than 0.3 s after its event, heard more than 0.3 s from it, lasting other than
/// planned (something else mixed in), or overlapping the next. Empty when all is well.
func cueTimingProblems(_ cues: [CueLine], in track: WAVTrack) -> [String] {
    var problems: [String] = []
    let heard = track.soundingStretches()
    // A cue that outranks the one playing cuts it off (a stop over "Ease off."): the two are
    // heard as one stretch, the first phrase up to the cut and then the whole second one.
    var runs: [(first: CueLine, end: Double)] = []
    for cue in cues {
        if cue.interrupts, let last = runs.last, cue.t < last.end {
            runs[runs.count - 1].end = cue.t + cue.durationS
        } else {
            runs.append((cue, cue.t + cue.durationS))
        }
    }
    for cue in cues where cue.t - cue.eventT > 0.3 {
        problems.append("\(cue.phrase) planned \(cue.t - cue.eventT) s after its event")
    }
    guard heard.count == runs.count else {
        return problems + ["\(heard.count) stretches heard for \(runs.count) planned: \(heard.map { ($0.start, $0.end) })"]
    }
    for (stretch, run) in zip(heard, runs) {
        if abs(stretch.start - run.first.eventT) > 0.3 {
            problems.append("\(run.first.phrase) heard at \(stretch.start) s, event at \(run.first.eventT) s")
        }
        // As long as the phrases planned for it, so nothing else was mixed in.
        let planned = run.end - run.first.t
        if abs((stretch.end - stretch.start) - planned) > 0.06 {
            problems.append("\(run.first.phrase) lasts \(stretch.end - stretch.start) s, planned \(planned) s")
        }
    }
    for (a, b) in zip(heard, heard.dropFirst()) where a.end >= b.start {
        problems.append("stretches overlap: \(a.start)-\(a.end) and \(b.start)-\(b.end)")
    }
    return problems
}

/// The target and stop stretches of a tone-only render's JSON lines, and what is wrong with the
/// tone in them: target must be silent, stop continuous (loud in every 10 ms frame).
func toneSpans(_ lines: [String], in track: WAVTrack) -> (target: [(Double, Double)], stop: [(Double, Double)], problems: [String]) {
    let found = events(in: lines)
    func spans(_ reason: String) -> [(Double, Double)] {
        let starts = found.filter { $0.reason == reason && $0.phase == "start" }.map(\.t)
        let ends = found.filter { $0.reason == reason && $0.phase == "end" }.map(\.t)
        return zip(starts, ends).map { ($0, $1) }
    }
    // Zones reach the tone with the readings (every 67 ms): judge each stretch inside a margin.
    let margin = 0.1
    let target = spans("zoneTarget"), stop = spans("zoneStop")
    var problems: [String] = []
    for (start, end) in target where end - start > 2 * margin {
        let level = track.rms(from: start + margin, to: end - margin)
        if level >= 30 { problems.append("tone in target \(start)-\(end) s: RMS \(level)") }
    }
    for (start, end) in stop where end - start > 2 * margin {
        let level = track.rms(from: start + margin, to: end - margin)
        let quietest = track.quietestFrame(from: start + margin, to: end - margin)
        if level <= 5000 || quietest <= 3000 { problems.append("tone in stop \(start)-\(end) s: RMS \(level), quietest frame \(quietest)") }
    }
    return (target, stop, problems)
}

/// An empty ALSA configuration: no `default` device, as on a machine without a sound card.
let noSoundDevice = ["ALSA_CONFIG_PATH": "/dev/null"]

struct CueLine: Equatable {
    var t: Double
    var eventT: Double
    var phrase: String
    var durationS: Double
    var interrupts = false
}

func cueLines(_ lines: [String]) -> [CueLine] {
    lines.compactMap(jsonObject).filter { $0["type"] as? String == "cue" }.map {
        CueLine(t: $0["t"] as? Double ?? -1, eventT: $0["eventT"] as? Double ?? -1, phrase: $0["phrase"] as? String ?? "",
                durationS: $0["durationS"] as? Double ?? -1, interrupts: $0["interrupts"] as? Bool ?? false)
    }
}

/// A 16-bit mono WAV file, read back for analysis.
struct WAVTrack {
    var sampleRate: Int
    var samples: [Int16]

    init(sampleRate: Int, samples: [Int16]) {
        self.sampleRate = sampleRate
        self.samples = samples
    }

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let bytes = [UInt8](data)
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        guard bytes.count >= 44, String(decoding: bytes[0..<4], as: UTF8.self) == "RIFF",
              String(decoding: bytes[8..<12], as: UTF8.self) == "WAVE", u16(20) == 1, u16(22) == 1, u16(34) == 16,
              String(decoding: bytes[36..<40], as: UTF8.self) == "data", u32(40) == bytes.count - 44
        else { throw CocoaError(.fileReadCorruptFile) }
        sampleRate = u32(24)
        samples = stride(from: 44, to: bytes.count - 1, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
    }

    /// Samples per analysis frame: 10 ms (220 at 22 050 Hz, so a frame is 9.98 ms: times come
    /// from sample counts, never from frame count × 10 ms).
    var frameSize: Int { sampleRate / 100 }
    var frameSeconds: Double { Double(frameSize) / Double(sampleRate) }

    /// RMS of each frame.
    var frames: [Double] {
        let size = frameSize
        return stride(from: 0, to: samples.count - size + 1, by: size).map { start in
            (samples[start..<start + size].reduce(0.0) { $0 + Double($1) * Double($1) } / Double(size)).squareRoot()
        }
    }

    /// Stretches of sound, joined across pauses up to 0.15 s (the pauses between words of one
    /// phrase are under 0.05 s; the planner keeps 0.25 s between phrases).
    func soundingStretches(threshold: Double = 150, joinSeconds: Double = 0.15) -> [(start: Double, end: Double)] {
        var stretches: [(start: Double, end: Double)] = []
        for (i, level) in frames.enumerated() where level > threshold {
            let t = Double(i) * frameSeconds
            if let last = stretches.last, t - last.end <= joinSeconds {
                stretches[stretches.count - 1].end = t + frameSeconds
            } else {
                stretches.append((t, t + frameSeconds))
            }
        }
        return stretches
    }

    func rms(from: Double, to: Double) -> Double {
        let a = max(0, Int(from * Double(sampleRate))), b = min(samples.count, Int(to * Double(sampleRate)))
        guard a < b else { return 0 }
        return (samples[a..<b].reduce(0.0) { $0 + Double($1) * Double($1) } / Double(b - a)).squareRoot()
    }

    func quietestFrame(from: Double, to: Double) -> Double {
        frames[Int(from / frameSeconds)..<min(frames.count, Int(to / frameSeconds))].min() ?? 0
    }
}
