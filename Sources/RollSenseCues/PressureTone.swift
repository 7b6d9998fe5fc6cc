#if canImport(Glibc)
import Glibc
#endif
import RollSenseSignal

/// The parking-sensor tone: pressure as sound, no words. Silent out of contact, in light and in
/// target; slow beeps in caution; continuous in stop; a slow low beep during a fault (the
/// pressure is unknown, which must not sound like "fine").
public enum PressureTone {
    /// A beep pattern: `onMicroseconds` of tone every `periodMicroseconds` (equal: continuous).
    public struct Pattern: Sendable, Equatable {
        /// Pitch of the beep.
        public var frequencyHertz: Double
        /// Length of one beep.
        public var onMicroseconds: Int64
        /// Beep to beep.
        public var periodMicroseconds: Int64
    }

    /// Peak amplitude as a fraction of full scale: clearly audible under speech, never clipping
    /// when mixed with it (speech is scaled by `speechGain` to leave room).
    public static let amplitude = 0.3
    /// Speech's gain when the tone may sound under it: the two together never clip.
    public static func speechGain(toneEnabled: Bool) -> Double { toneEnabled ? 1 - amplitude : 1 }

    /// Fade in and out of each beep, so it does not click.
    public static let rampMicroseconds: Int64 = 5_000

    /// The pattern for a zone, or nil for silence.
    public static func pattern(for zone: Zone) -> Pattern? {
        switch zone {
        case .none, .light, .target: return nil
        // 2.5 beeps a second, like a parking sensor at mid range.
        case .caution: return Pattern(frequencyHertz: 880, onMicroseconds: 150_000, periodMicroseconds: 400_000)
        case .stop: return Pattern(frequencyHertz: 880, onMicroseconds: 1, periodMicroseconds: 1)
        case .fault: return Pattern(frequencyHertz: 440, onMicroseconds: 200_000, periodMicroseconds: 2_000_000)
        }
    }

    /// The tone's gain (0...1, before `amplitude`) at `sinceZoneStart` into a stretch of `zone`.
    public static func envelope(zone: Zone, sinceZoneStartMicroseconds t: Int64) -> Double {
        guard let pattern = pattern(for: zone), t >= 0 else { return 0 }
        if pattern.onMicroseconds >= pattern.periodMicroseconds {
            return min(1, Double(t) / Double(rampMicroseconds))
        }
        let phase = t % pattern.periodMicroseconds
        guard phase < pattern.onMicroseconds else { return 0 }
        let edge = min(phase, pattern.onMicroseconds - phase)
        return min(1, Double(edge) / Double(rampMicroseconds))
    }

    /// Writes the tone into `samples` (16-bit PCM at `sampleRate`), adding it to what is there.
    /// `firstSample` is the index of `samples[0]` since the zone began: the beeps keep their
    /// phase across calls, so live chunks and a rendered file sound the same. Pitches are whole
    /// hertz, so the phase may restart every second of samples without a jump.
    public static func add(zone: Zone, firstSample: Int, sampleRate: Int, into samples: UnsafeMutableBufferPointer<Int16>) {
        guard let pattern = pattern(for: zone) else { return }
        let step = 2 * Double.pi * pattern.frequencyHertz / Double(sampleRate)
        for i in 0..<samples.count {
            let n = firstSample + i
            let t = Int64(n) * 1_000_000 / Int64(sampleRate)
            let gain = envelope(zone: zone, sinceZoneStartMicroseconds: t)
            if gain == 0 { continue }
            let value = Double(samples[i]) + gain * amplitude * 32767 * sin(step * Double(n % sampleRate))
            samples[i] = Int16(max(-32768, min(32767, value.rounded())))
        }
    }
}

