import RollSenseSignal

/// The planner's rules, all in microseconds of session (device) time.
public struct CueRules: Sendable, Equatable {
    /// Silence after a phrase that finished, before the next one of any rank: back-to-back
    /// phrases blur into one for a listener. (A higher-ranked cue does not wait for a phrase
    /// still playing: it cuts it off.)
    public var minimumGapMicroseconds: Int64
    /// The same phrase is not said again within this time of its last start: a person rolling
    /// across a zone edge would otherwise hear it on every stroke (33 strokes/min, platform facts).
    public var repeatWindowMicroseconds: Int64
    /// A cue that has to wait (a phrase still playing, the gap) is dropped after this long:
    /// a cue heard late describes a moment that is over. Kept under the 300 ms the issue allows.
    public var maximumDelayMicroseconds: Int64

    /// The defaults: 0.25 s gap, 20 s no-repeat window, 250 ms maximum delay (estimates, docs/VOICE.md).
    public static let standard = CueRules(minimumGapMicroseconds: 250_000, repeatWindowMicroseconds: 20_000_000,
                                          maximumDelayMicroseconds: 250_000)

    /// Makes rules.
    public init(minimumGapMicroseconds: Int64, repeatWindowMicroseconds: Int64, maximumDelayMicroseconds: Int64) {
        self.minimumGapMicroseconds = minimumGapMicroseconds
        self.repeatWindowMicroseconds = repeatWindowMicroseconds
        self.maximumDelayMicroseconds = maximumDelayMicroseconds
    }
}

/// A phrase the planner decided to say.
public struct PlannedCue: Sendable, Equatable {
    /// What to say.
    public var phrase: CuePhrase
    /// How urgent it is.
    public var priority: CuePriority
    /// Session time at which it starts.
    public var startMicroseconds: Int64
    /// Session time of the event that caused it.
    public var eventMicroseconds: Int64
    /// How long it plays (from the synthesised audio).
    public var durationMicroseconds: Int64
    /// Whether it cuts off a phrase that is still playing.
    public var interrupts: Bool
}

/// Why a cue was not said; counted for the summary and tests.
public enum CueDrop: String, Sendable, CaseIterable {
    /// Said within the repeat window already.
    case repeated
    /// Waited longer than the maximum delay.
    case stale
    /// A higher- or equally-ranked newer cue took its waiting place.
    case superseded
}

/// Decides what to say and when from a session's events and readings: pure and deterministic,
/// so the same events give the same cues live, replayed or rendered to a file.
///
/// Feed it in stream order: `event` for every event, `advance` for every reading (it releases
/// a waiting cue once the phrase before it and the gap are over). It never reads a clock.
public struct CuePlanner: Sendable {
    /// The rules it applies.
    public let rules: CueRules
    private let tool: Tool
    private let region: BodyRegion
    private let pressSeconds: Int
    private let dailyLimitSeconds: Double
    private let durationMicroseconds: @Sendable (CuePhrase) -> Int64

    private var playing: PlannedCue?
    private var waiting: (phrase: CuePhrase, priority: CuePriority, eventMicroseconds: Int64)?
    private var lastStart: [CuePhrase: Int64] = [:]
    /// Cues not said, by reason.
    public private(set) var dropped: [CueDrop: Int] = [:]

    /// Makes a planner for `profile`; `durationMicroseconds` gives each phrase's playing time
    /// (the synthesiser's, so the "still playing" rule matches what is heard).
    public init(profile: Profile, rules: CueRules = .standard,
                durationMicroseconds: @escaping @Sendable (CuePhrase) -> Int64) {
        self.rules = rules
        tool = profile.tool
        region = profile.region
        pressSeconds = Int(profile.limits.holdNoticeSeconds.rounded())
        dailyLimitSeconds = profile.limits.dailyLimitSeconds
        self.durationMicroseconds = durationMicroseconds
    }

    /// Every phrase a session with `profile` can say: synthesise these before it starts.
    public static func phrases(for profile: Profile) -> [CuePhrase] {
        var phrases: [CuePhrase] = [.stop, .easeOff, .goodPressure, .moveOffSpine, .gently, .moveOn, .pressDone,
                                    .timeUp(profile.region), .sensorUnplugged, .checkSensor, .sensorBack]
        phrases.append(.stayStill(seconds: Int(profile.limits.holdNoticeSeconds.rounded())))
        phrases.append(.timeLeft(minutes: minutesLeft(limitSeconds: profile.limits.dailyLimitSeconds,
                                                      atSeconds: profile.limits.dailyWarningSeconds)))
        return phrases
    }

    static func minutesLeft(limitSeconds: Double, atSeconds: Double) -> Int {
        Int(((limitSeconds - atSeconds) / 60).rounded(.toNearestOrAwayFromZero))
    }

    var isBall: Bool { tool == .tennisBall || tool == .lacrosseBall }

    /// The phrase and rank for an event, or nil for events said by other means (readings on
    /// screen, the tone) or not worth a word.
    public func phrase(for event: SignalEvent) -> (CuePhrase, CuePriority)? {
        switch (event.reason, event.phase) {
        case (.zoneStop, .start): return (.stop, .stop)
        case (.zoneCaution, .start): return (.easeOff, .caution)
        case (.zoneTarget, .start): return (.goodPressure, .info)
        case (.loadOnSpine, .start): return (.moveOffSpine, event.level == .stop ? .stop : .caution)
        case (.jump, _): return (.gently, .caution)
        case (.contact, .start) where isBall && pressSeconds > 0: return (.stayStill(seconds: pressSeconds), .info)
        case (.holdNotice, .start): return isBall ? (.pressDone, .info) : (.moveOn, .info)
        case (.holdCaution, .start): return (.moveOn, .caution)
        case (.dailyWarning, .start):
            // The event's limit is the warning threshold; the time left runs to the daily limit.
            return (.timeLeft(minutes: Self.minutesLeft(limitSeconds: dailyLimitSeconds, atSeconds: event.value)), .caution)
        case (.dailyLimit, .start), (.dailyLimitReminder, _):
            return (.timeUp(event.area.region), event.level == .stop ? .stop : .caution)
        case (.disconnected, .start), (.deviceDisconnected, .start): return (.sensorUnplugged, .fault)
        case (.deviceDisconnected, .end): return (.sensorBack, .info)
        // The person hears what was stored; below a stop cue, which it never cuts off.
        case (.painMark, _): return (.painNoted(forceNewtons: event.forceNewtons), .caution)
        case (.saturated, .start), (.flatLine, .start), (.sensorNotReady, .start), (.invalidValue, .start):
            return (.checkSensor, .fault)
        default: return nil
        }
    }

    /// Takes one event at session time `atMicroseconds`; returns the cues that start because of
    /// it, in order (usually none or one; a released waiting cue may come first).
    public mutating func event(_ event: SignalEvent, atMicroseconds t: Int64) -> [PlannedCue] {
        var started: [PlannedCue] = []
        if let released = advance(to: t) { started.append(released) }
        guard let (phrase, priority) = phrase(for: event) else { return started }
        if let last = lastStart[phrase], t - last < rules.repeatWindowMicroseconds {
            dropped[.repeated, default: 0] += 1
            return started
        }
        if canStart(priority, at: t) {
            let interrupting = playing.map { t < end(of: $0) } ?? false
            started.append(start(phrase, priority, event: t, at: t, interrupting: interrupting))
        } else {
            wait(phrase, priority, event: t)
        }
        return started
    }

    /// Moves time on to `t` (call it for every reading); returns a waiting cue that starts, placed
    /// at the earliest moment the rules allowed it (at most one reading interval before `t`).
    public mutating func advance(to t: Int64) -> PlannedCue? {
        guard let pending = waiting else { return nil }
        let earliest = earliestStart(afterEventAt: pending.eventMicroseconds)
        guard earliest <= t else { return nil }
        waiting = nil
        return start(pending.phrase, pending.priority, event: pending.eventMicroseconds, at: earliest, interrupting: false)
    }

    private func end(of cue: PlannedCue) -> Int64 { cue.startMicroseconds + cue.durationMicroseconds }

    private func canStart(_ priority: CuePriority, at t: Int64) -> Bool {
        guard let playing else { return true }
        if t < end(of: playing) { return priority > playing.priority }
        return t >= end(of: playing) + rules.minimumGapMicroseconds
    }

    /// When a cue that has to wait may start: after the playing phrase and the gap.
    private func earliestStart(afterEventAt t: Int64) -> Int64 {
        playing.map { max(t, end(of: $0) + rules.minimumGapMicroseconds) } ?? t
    }

    private mutating func wait(_ phrase: CuePhrase, _ priority: CuePriority, event t: Int64) {
        // Known at once: a cue that could only start too late is never said.
        if earliestStart(afterEventAt: t) - t > rules.maximumDelayMicroseconds {
            dropped[.stale, default: 0] += 1
            return
        }
        if let pending = waiting {
            // One waiting place: the higher rank keeps it, the newer wins a tie.
            if pending.priority > priority {
                dropped[.superseded, default: 0] += 1
                return
            }
            dropped[.superseded, default: 0] += 1
        }
        waiting = (phrase, priority, t)
    }

    private mutating func start(_ phrase: CuePhrase, _ priority: CuePriority, event: Int64, at t: Int64,
                                interrupting: Bool) -> PlannedCue {
        let cue = PlannedCue(phrase: phrase, priority: priority, startMicroseconds: t, eventMicroseconds: event,
                             durationMicroseconds: durationMicroseconds(phrase), interrupts: interrupting)
        if interrupting, let pending = waiting, pending.priority <= priority {
            waiting = nil
            dropped[.superseded, default: 0] += 1
        }
        playing = cue
        lastStart[phrase] = t
        return cue
    }
}
