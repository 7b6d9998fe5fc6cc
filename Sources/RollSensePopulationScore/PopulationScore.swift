// Judges the alarms on the population: each session's board output goes through the signal
// pipeline (the pure core every command runs, fed sample by sample in device time, not in real
// time), and its alerts are held against the dangers the generator planted. Ordinary sessions
// have none: every alert in them is false.
import RollSensePopulation
import RollSenseSignal
import RollSenseWire

/// What a set of sessions' alerts add up to, for one profile.
public struct AlarmTally: Sendable, Equatable {
    /// Time on the roller in ordinary sessions, s.
    public var ordinarySeconds = 0.0
    /// Ordinary sessions scored.
    public var ordinarySessions = 0
    /// Stop-level alerts in ordinary sessions.
    public var falseStops = 0
    /// Caution-level alerts in ordinary sessions.
    public var falseCautions = 0
    /// False alerts by reason (`EventReason` raw values).
    public var falseByReason: [String: Int] = [:]
    /// Ordinary sessions with at least one caution or stop, by the person's load condition.
    public var sessionsAlertedByCondition: [String: Int] = [:]
    /// Ordinary sessions by the person's load condition.
    public var sessionsByCondition: [String: Int] = [:]
    /// Stop-level alerts in ordinary sessions, by the person's load condition.
    public var falseStopsByCondition: [String: Int] = [:]
    /// Alerts of one reason starting 3 or more times within 60 s (ISA-18.2), any session.
    public var chattering = 0
    /// The same, by reason.
    public var chatteringByReason: [String: Int] = [:]
    /// Dangers planted, by kind.
    public var planted: [String: Int] = [:]
    /// Dangers with no alert of the kind that answers them, by kind.
    public var missed: [String: Int] = [:]
    /// Seconds from each caught danger's start to its alert, by kind.
    public var latencies: [String: [Double]] = [:]
    /// Sessions the pipeline refused (an invalid profile): must stay 0.
    public var refused = 0
    /// Indexes of the ordinary sessions with a stop alert, to look into (`population-bench --explain`).
    public var falseStopSessions: [Int] = []

    /// An empty tally.
    public init() {}

    /// Ordinary rolling, h.
    public var ordinaryHours: Double { ordinarySeconds / 3600 }
    /// All planted dangers.
    public var plantedCount: Int { planted.values.reduce(0, +) }
    /// All missed dangers.
    public var missedCount: Int { missed.values.reduce(0, +) }

    /// Adds another tally's counts to this one.
    public mutating func merge(_ other: AlarmTally) {
        ordinarySeconds += other.ordinarySeconds
        ordinarySessions += other.ordinarySessions
        falseStops += other.falseStops
        falseCautions += other.falseCautions
        falseByReason.merge(other.falseByReason, uniquingKeysWith: +)
        sessionsAlertedByCondition.merge(other.sessionsAlertedByCondition, uniquingKeysWith: +)
        sessionsByCondition.merge(other.sessionsByCondition, uniquingKeysWith: +)
        chattering += other.chattering
        chatteringByReason.merge(other.chatteringByReason, uniquingKeysWith: +)
        falseStopsByCondition.merge(other.falseStopsByCondition, uniquingKeysWith: +)
        planted.merge(other.planted, uniquingKeysWith: +)
        missed.merge(other.missed, uniquingKeysWith: +)
        latencies.merge(other.latencies, uniquingKeysWith: +)
        refused += other.refused
        falseStopSessions += other.falseStopSessions
    }
}

/// Running population sessions through the pipeline and scoring them.
public enum PopulationScore {
    /// The alerts (caution or stop: starts, ends and one-offs) the pipeline gives on `samples` of
    /// `plan` with `profile`: as `rollsense live` would with the person's body mass, their
    /// calibration and today's earlier time from the ledger. Nil when the profile is invalid.
    public static func alerts(plan: SessionPlan, samples: [RawSample], profile: Profile) -> [SignalEvent]? {
        let board = plan.person.board
        let calibration: Calibration
        let quantity: SampleQuantity
        if plan.valuesAreNewtons {
            calibration = .identity
            quantity = .newtons
        } else {
            calibration = Calibration(
                offsetCounts: (0..<4).map { board.offsetCounts[$0] },
                curves: (0..<4).map { .linear(newtonsPerCount: 1 / board.calibratedCountsPerNewton[$0]) })
            quantity = .rawCounts
        }
        var pipeline: SignalPipeline
        do {
            pipeline = try SignalPipeline(profile: profile, calibration: calibration, bodyMassKilograms: plan.person.bodyMassKilograms,
                                          priorDailyMicroseconds: Int64(plan.priorDailySeconds * 1e6))
        } catch {
            return nil
        }
        var alerts: [SignalEvent] = []
        // Ends are kept too: a danger that comes while its alarm is still raised is answered.
        func keep(_ event: SignalEvent) {
            if event.level >= .caution { alerts.append(event) }
        }
        for (n, raw) in samples.enumerated() {
            let sample = Sample(sequence: UInt64(n), deviceTimeMicroseconds: raw.timeMicroseconds, channelCount: 4,
                                values: raw.values, quantity: quantity)
            _ = pipeline.process(sample, emit: keep)
        }
        pipeline.finish(atDeviceTimeMicroseconds: samples.last?.timeMicroseconds ?? 0, emit: keep)
        return alerts
    }

    /// The alert reasons that answer a planted danger of `kind`.
    public static func answers(_ kind: DangerKind) -> Set<EventReason> {
        switch kind {
        case .hardLean: return [.zoneStop]
        case .fall: return [.jump, .zoneStop]
        case .stayingStill: return [.holdCaution]
        case .tooLongInADay: return [.dailyLimit]
        }
    }

    /// How long before a danger's labelled start an answering alert still counts (a lean's
    /// ramp, the daily total's rounding), and how long after its end, s.
    public static let earlySeconds = 2.0
    /// How long after a danger's end an answering alert still counts, s.
    public static let lateSeconds = 1.0

    /// Scores one session's alerts into `tally`.
    public static func score(plan: SessionPlan, alerts: [SignalEvent]?, into tally: inout AlarmTally) {
        guard let events = alerts else {
            tally.refused += 1
            return
        }
        let alerts = events.filter { $0.phase != .end }
        func seconds(_ e: SignalEvent) -> Double { Double(e.deviceTimeMicroseconds) * 1e-6 }
        // Chattering: one reason starting 3+ times within 60 s.
        var startsByReason: [EventReason: [Double]] = [:]
        for e in alerts { startsByReason[e.reason, default: []].append(seconds(e)) }
        for (reason, times) in startsByReason {
            var i = 0
            while i + 2 < times.count {
                if times[i + 2] - times[i] <= 60 {
                    tally.chattering += 1
                    tally.chatteringByReason[reason.rawValue, default: 0] += 1
                    i += 3
                } else {
                    i += 1
                }
            }
        }
        if plan.dangers.isEmpty {
            let condition = plan.person.condition.rawValue
            tally.ordinarySessions += 1
            tally.ordinarySeconds += plan.loadedSeconds
            tally.sessionsByCondition[condition, default: 0] += 1
            if !alerts.isEmpty { tally.sessionsAlertedByCondition[condition, default: 0] += 1 }
            for e in alerts {
                if e.level == .stop {
                    tally.falseStops += 1
                    tally.falseStopsByCondition[condition, default: 0] += 1
                } else {
                    tally.falseCautions += 1
                }
                tally.falseByReason[e.reason.rawValue, default: 0] += 1
            }
            return
        }
        for danger in plan.dangers {
            let kind = danger.kind.rawValue
            tally.planted[kind, default: 0] += 1
            let wanted = answers(danger.kind)
            let hit = alerts.first {
                wanted.contains($0.reason) && seconds($0) >= danger.startSeconds - earlySeconds
                    && seconds($0) <= danger.endSeconds + lateSeconds
            }
            if let hit {
                tally.latencies[kind, default: []].append(seconds(hit) - danger.startSeconds)
            } else if let raised = raisedSince(events, reasons: wanted, atSeconds: danger.startSeconds - earlySeconds) {
                // Already raised (an earlier load past the limit, still latched): the person is being told.
                tally.latencies[kind, default: []].append(raised - danger.startSeconds)
            } else {
                tally.missed[kind, default: 0] += 1
            }
        }
    }

    /// When the latest alert of `reasons` started, if it is still raised at `time` (s).
    static func raisedSince(_ events: [SignalEvent], reasons: Set<EventReason>, atSeconds time: Double) -> Double? {
        var since: Double? = nil
        for e in events where reasons.contains(e.reason) {
            let t = Double(e.deviceTimeMicroseconds) * 1e-6
            if t > time { break }
            switch e.phase {
            case .start: since = t
            case .end: since = nil
            case .instant: break
            }
        }
        return since
    }

    /// Renders and scores sessions `range` of `population` (ordinary, or the dangers in turn)
    /// with each profile of `profiles`; one tally per profile.
    public static func run(population: Population, sessions: Range<Int>, dangerEvery: Int, profiles: [Profile]) -> [AlarmTally] {
        var tallies = [AlarmTally](repeating: AlarmTally(), count: profiles.count)
        for index in sessions {
            let plan = population.session(index, danger: danger(forSession: index, every: dangerEvery))
            let samples = plan.render()
            for (p, profile) in profiles.enumerated() {
                let stopsBefore = tallies[p].falseStops
                score(plan: plan, alerts: alerts(plan: plan, samples: samples, profile: profile), into: &tallies[p])
                if tallies[p].falseStops > stopsBefore { tallies[p].falseStopSessions.append(index) }
            }
        }
        return tallies
    }

    /// The danger session `index` plants: sessions whose index is a multiple of `every` carry
    /// one, the kinds in turn; the rest are ordinary (nil).
    public static func danger(forSession index: Int, every: Int) -> DangerKind? {
        guard every > 0, index % every == 0 else { return nil }
        let kinds = DangerKind.allCases
        return kinds[(index / every) % kinds.count]
    }
}

/// Statistics for the table.
public enum AlarmStatistics {
    /// The one-sided 95 % upper bound of a Poisson mean after observing `count` events.
    public static func poissonUpper95(_ count: Int) -> Double {
        // Past 100 events the CDF's terms overflow; the normal approximation is close there.
        if count > 100 { return Double(count) + 1.645 * Double(count).squareRoot() + 1 }
        // Find λ with P(X <= count; λ) = 0.05 by bisection on the CDF.
        func cdf(_ lambda: Double) -> Double {
            var term = 1.0, sum = 1.0
            if count > 0 { for k in 1...count { term *= lambda / Double(k); sum += term } }
            return sum * exp(-lambda)
        }
        var low = 0.0, high = Double(count) * 3 + 10
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid) > 0.05 { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// The `q` quantile (0...1) of `values` (nearest rank), nil when empty.
    public static func quantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[rank]
    }
}

private func exp(_ x: Double) -> Double {
    // e^x for the Poisson CDF without a system import: 2^k · e^r with |r| ≤ ln 2 / 2.
    let ln2 = 0.693_147_180_559_945_3
    let k = (x / ln2).rounded()
    let r = x - k * ln2
    var term = 1.0, sum = 1.0, n = 1.0
    while abs(term) > 1e-17 * abs(sum) {
        term *= r / n
        sum += term
        n += 1
    }
    return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
}
