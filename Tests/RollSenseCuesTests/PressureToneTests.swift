import Testing
@testable import RollSenseCues
import RollSenseSignal

@Suite struct PressureToneTests {
    func rms(_ zone: Zone, seconds: Double = 2) -> Double {
        var samples = [Int16](repeating: 0, count: Int(22_050 * seconds))
        samples.withUnsafeMutableBufferPointer { PressureTone.add(zone: zone, firstSample: 0, sampleRate: 22_050, into: $0) }
        let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (sum / Double(samples.count)).squareRoot()
    }

    @Test func silentOutOfContactInLightAndInTarget() {
        for zone in [Zone.none, .light, .target] { #expect(rms(zone) == 0) }
    }

    @Test func stopIsContinuousAndLouderThanCaution() {
        #expect(rms(.stop) > 1.5 * rms(.caution))
        #expect(rms(.caution) > 0)
        #expect(rms(.fault) > 0)
        #expect(PressureTone.envelope(zone: .stop, sinceZoneStartMicroseconds: 1_234_567) == 1)
    }

    @Test func cautionBeepsSlowly() {
        #expect(PressureTone.envelope(zone: .caution, sinceZoneStartMicroseconds: 75_000) == 1)
        #expect(PressureTone.envelope(zone: .caution, sinceZoneStartMicroseconds: 250_000) == 0)
        #expect(PressureTone.envelope(zone: .caution, sinceZoneStartMicroseconds: 475_000) == 1)
    }

    @Test func chunksJoinedSoundLikeOneBlock() {
        var whole = [Int16](repeating: 0, count: 4410)
        whole.withUnsafeMutableBufferPointer { PressureTone.add(zone: .caution, firstSample: 0, sampleRate: 22_050, into: $0) }
        var pieces = [Int16](repeating: 0, count: 4410)
        pieces.withUnsafeMutableBufferPointer { buffer in
            for start in stride(from: 0, to: 4410, by: 441) {
                PressureTone.add(zone: .caution, firstSample: start, sampleRate: 22_050,
                                 into: UnsafeMutableBufferPointer(rebasing: buffer[start..<start + 441]))
            }
        }
        #expect(whole == pieces)
    }

    @Test func toneAndSpeechTogetherNeverClip() {
        #expect(PressureTone.amplitude + PressureTone.speechGain(toneEnabled: true) <= 1)
    }
}
