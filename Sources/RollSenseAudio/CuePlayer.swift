import RollSenseCues
import RollSenseKit
import RollSenseSignal
import RollSenseSystem

/// The voice and tone sink: takes a session's events and readings in stream order, asks the
/// planner what to say, and hands the result to the sound device and/or a timeline for a WAV
/// file. Runs on the session's thread and costs a lookup and a queue append per cue.
public final class CuePlayer {
    /// Whether phrases are spoken.
    public let voice: Bool
    /// Whether the pressure tone sounds.
    public let tone: Bool
    /// The synthesised phrases.
    public let bank: PhraseBank
    private var planner: CuePlanner
    private let output: AudioOutput?
    private var timeline: CueTimeline?
    private let onCue: (PlannedCue) -> Void
    private var lastMicroseconds: Int64 = 0

    /// Makes the sink; `output` plays live, `renders` keeps a timeline for `renderTrack`,
    /// `onCue` sees every cue (JSON lines).
    public init(profile: Profile, bank: PhraseBank, voice: Bool, tone: Bool, rules: CueRules = .standard,
                output: AudioOutput?, renders: Bool, onCue: @escaping (PlannedCue) -> Void = { _ in }) {
        self.voice = voice
        self.tone = tone
        self.bank = bank
        planner = CuePlanner(profile: profile, rules: rules, durationMicroseconds: { [bank] in bank.durationMicroseconds($0) })
        self.output = output
        timeline = renders ? CueTimeline() : nil
        self.onCue = onCue
    }

    /// Cues not said, by reason.
    public var dropped: [CueDrop: Int] { planner.dropped }

    /// A reading at session time `t` (µs): moves the tone's zone and releases a waiting cue.
    public func reading(zone: Zone, atMicroseconds t: Int64) {
        lastMicroseconds = max(lastMicroseconds, t)
        setZone(zone, at: t)
        guard voice, let cue = planner.advance(to: t) else { return }
        say(cue, eventHostMicroseconds: hostMonotonicMicroseconds())
    }

    /// An event at session time `t` (µs).
    public func event(_ event: SignalEvent, atMicroseconds t: Int64) {
        let arrived = hostMonotonicMicroseconds()
        lastMicroseconds = max(lastMicroseconds, t)
        // No readings come while the device is away: the tone must not keep sounding the last zone.
        if event.reason == .deviceDisconnected && event.phase == .start { setZone(.fault, at: t) }
        guard voice else { return }
        for cue in planner.event(event, atMicroseconds: t) { say(cue, eventHostMicroseconds: arrived) }
    }

    /// Stops live playback and returns its figures (nil without a device).
    public func finish() -> AudioOutputStatistics? {
        output?.close()
    }

    /// The whole session as one track, up to the last reading or event (nil unless `renders`).
    public func renderTrack() -> [Int16]? {
        timeline?.render(bank: bank, endMicroseconds: lastMicroseconds, tone: tone)
    }

    /// The cues of the session so far (kept when rendering).
    public var plannedCues: [PlannedCue] { timeline?.plannedCues ?? [] }

    private func setZone(_ zone: Zone, at t: Int64) {
        guard tone else { return }
        output?.setZone(zone)
        timeline?.zone(zone, atMicroseconds: t)
    }

    private func say(_ cue: PlannedCue, eventHostMicroseconds: Int64) {
        timeline?.add(cue)
        output?.play(bank.samples(cue.phrase), priority: cue.priority, interrupts: cue.interrupts,
                     eventHostMicroseconds: eventHostMicroseconds)
        onCue(cue)
    }
}
