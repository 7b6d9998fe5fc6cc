import RollSenseCues
import RollSenseSignal

/// Everything a session would play, placed at session (device) time: rendered to one track for
/// `--audio-out FILE.wav`, so a recording can be listened to with the timing it had live.
public struct CueTimeline: Sendable {
    private var cues: [PlannedCue] = []
    private var zones: [(startMicroseconds: Int64, zone: Zone)] = []

    /// An empty timeline.
    public init() {}

    /// The cues so far, in order.
    public var plannedCues: [PlannedCue] { cues }

    /// Adds a cue the planner started.
    public mutating func add(_ cue: PlannedCue) { cues.append(cue) }

    /// Notes the zone at `t` (from readings); repeats of the same zone are ignored.
    public mutating func zone(_ zone: Zone, atMicroseconds t: Int64) {
        if zones.last?.zone != zone { zones.append((t, zone)) }
    }

    /// The track: 16-bit mono at `bank.sampleRate`, from session time 0 to `endMicroseconds`
    /// (or the end of the last phrase). A cue cut off by a higher-ranked one stops where it starts.
    public func render(bank: PhraseBank, endMicroseconds: Int64, tone: Bool) -> [Int16] {
        let rate = Int64(bank.sampleRate)
        func index(_ t: Int64) -> Int { Int(max(0, t) * rate / 1_000_000) }
        var end = index(endMicroseconds)
        for cue in cues { end = max(end, index(cue.startMicroseconds) + bank.samples(cue.phrase).count) }
        var track = [Int16](repeating: 0, count: end)
        let gain = PressureTone.speechGain(toneEnabled: tone)
        for (i, cue) in cues.enumerated() {
            let samples = bank.samples(cue.phrase)
            let start = index(cue.startMicroseconds)
            var stop = min(end, start + samples.count)
            if i + 1 < cues.count { stop = min(stop, index(cues[i + 1].startMicroseconds)) }
            guard start < stop else { continue }
            for n in start..<stop { track[n] = Int16((Double(samples[n - start]) * gain).rounded()) }
        }
        if tone {
            track.withUnsafeMutableBufferPointer { buffer in
                for (i, segment) in zones.enumerated() {
                    let start = min(end, index(segment.startMicroseconds))
                    let stop = i + 1 < zones.count ? min(end, index(zones[i + 1].startMicroseconds)) : end
                    guard start < stop else { continue }
                    PressureTone.add(zone: segment.zone, firstSample: 0, sampleRate: bank.sampleRate,
                                     into: UnsafeMutableBufferPointer(rebasing: buffer[start..<stop]))
                }
            }
        }
        return track
    }
}
