import Testing
@testable import RollSenseAudio
import RollSenseCues
import RollSenseSignal

/// Real espeak-ng and real ALSA (its `null` device: this machine kind has no sound card).
@Suite struct SpeechAndDeviceTests {
    // MARK: - espeak-ng

    @Test func espeakSpeaksAPhraseInProcess() throws {
        let synthesizer = try SpeechSynthesizer(voice: "en", wordsPerMinute: 175)
        #expect(synthesizer.sampleRate == 22_050)
        let samples = try synthesizer.synthesize(CuePhrase.easeOff.text)
        let seconds = Double(samples.count) / 22_050
        #expect(seconds > 0.3 && seconds < 2)
        // Trimmed: speech starts and ends on the first and last loud sample.
        #expect(abs(Int(samples.first!)) > Int(SpeechSynthesizer.silenceThreshold))
        #expect(samples.map { abs(Int($0)) }.max()! > 3000)
    }

    @Test func aFasterRateGivesShorterSpeech() throws {
        let slow = try SpeechSynthesizer(voice: "en", wordsPerMinute: 120).synthesize(CuePhrase.moveOn.text)
        let fast = try SpeechSynthesizer(voice: "en", wordsPerMinute: 300).synthesize(CuePhrase.moveOn.text)
        #expect(Double(fast.count) < 0.7 * Double(slow.count))
    }

    @Test func anUnknownVoiceIsRefusedWithSomeThatExist() {
        #expect {
            _ = try SpeechSynthesizer(voice: "no-such-voice", wordsPerMinute: 175)
        } throws: { error in
            guard case SpeechError.unknownVoice(_, let known) = error else { return false }
            return known.contains("en") || known.contains { $0.hasPrefix("en") }
        }
    }

    @Test func theBankHoldsEveryPhraseOfAProfile() throws {
        let synthesizer = try SpeechSynthesizer(voice: "en", wordsPerMinute: 175)
        let bank = try PhraseBank(phrases: CuePlanner.phrases(for: .massageBallLowerBack), synthesizer: synthesizer)
        for phrase in CuePlanner.phrases(for: .massageBallLowerBack) {
            #expect(bank.durationMicroseconds(phrase) > 100_000, "\(phrase)")
        }
        // A pain confirmation is joined from words made before the session: any force is said.
        for newtons in [10, 170, 480, 1_250] {
            let parts = CuePhrase.painNoted(newtons: newtons).spokenParts ?? []
            let pieces = try parts.map { try synthesizer.synthesize($0).count }
            // espeak-ng's length for a word varies by a few samples from run to run.
            #expect(abs(bank.samples(.painNoted(newtons: newtons)).count - pieces.reduce(0, +)) < 2_205, "\(newtons) N")
        }
    }

    // MARK: - ALSA

    @Test func aMissingDeviceIsReportedNotFatal() {
        #expect(throws: AudioDeviceError.self) {
            _ = try AudioOutput(deviceName: "rollsense_no_such_device", sampleRate: 22_050, tone: true)
        }
    }

    @Test func theNullDevicePlaysCuesAtRealTimePace() throws {
        let output = try AudioOutput(deviceName: "null", sampleRate: 22_050, tone: false)
        let start = hostMicrosecondsForTest()
        let samples = [Int16](repeating: 1000, count: 22_050 / 2)
        output.play(samples, priority: .info, interrupts: false, eventHostMicroseconds: start)
        output.play(samples, priority: .info, interrupts: false, eventHostMicroseconds: start)
        // The thread keeps pace with a card even on a device that never blocks: two half-second
        // cues are not done after a tenth of a second.
        while output.statisticsSnapshot().cuesPlayed < 2 && hostMicrosecondsForTest() - start < 3_000_000 { usleep(10_000) }
        let elapsed = hostMicrosecondsForTest() - start
        let stats = output.close()
        #expect(stats.cuesPlayed == 2)
        #expect(elapsed > 300_000)
        #expect(stats.failure == nil)
    }

    @Test func aFullQueueDropsCuesInsteadOfWaiting() throws {
        let output = try AudioOutput(deviceName: "null", sampleRate: 22_050, tone: true)
        let long = [Int16](repeating: 1000, count: 22_050 * 5)
        let start = hostMicrosecondsForTest()
        for _ in 0..<20 { output.play(long, priority: .info, interrupts: false, eventHostMicroseconds: start) }
        // Twenty five-second cues were handed over without waiting for any of them.
        #expect(hostMicrosecondsForTest() - start < 1_000_000)
        output.setZone(.stop)
        output.play(long, priority: .stop, interrupts: true, eventHostMicroseconds: start)
        let stats = output.close()
        #expect(stats.cuesDropped >= 20 - AudioOutput.queueCapacity)
    }
}

#if canImport(Glibc)
import Glibc
#endif

func hostMicrosecondsForTest() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
}
