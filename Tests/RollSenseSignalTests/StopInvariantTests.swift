import PropertyBased
import Testing
@testable import RollSenseSignal
import RollSenseWire

/// The stop alarm's invariant (issue "The stop alarm is never silently lost"), over random inputs:
/// for any valid profile, pain marks and fault on a non-force channel, a sustained force at or
/// above the effective stop limit raises stop within its on-delay plus 1 s, and pain marks never
/// raise a limit. The session's path: `PersonalLimits` lowers the profile, `SignalPipeline` runs it.
@Suite("stop alarm invariant (property-based)")
struct StopInvariantTests {
    /// One random situation: a profile with its zones moved, a person, marks, a position fault.
    struct Situation: CustomStringConvertible {
        var ball: Bool
        var bodyMassKilograms: Double
        var stopFactor: Double
        var onDelaySeconds: Double
        var markForcesNewtons: [Double]
        var faultCode: FaultCode
        var faultChannel: Int
        var levelFactor: Double
        var shares: SIMD4<Double>

        var description: String {
            "ball \(ball) mass \(bodyMassKilograms) kg, stop x\(stopFactor), on-delay \(onDelaySeconds) s, marks \(markForcesNewtons) N, "
                + "fault \(faultCode) on channel \(faultChannel), level x\(levelFactor) of stop, shares \(shares)"
        }

        /// The profile as a config override could leave it (zones scaled together, on-delay set),
        /// or nil when that is not a valid profile.
        func profile() -> Profile? {
            var profile = ball ? Profile.massageBallLowerBack : Profile.foamRollerLowerBack
            profile.zones.stop *= stopFactor
            profile.zones.caution = min(profile.zones.caution, profile.zones.stop * 0.8)
            profile.zones.target = min(profile.zones.target, profile.zones.caution * 0.5)
            profile.zones.deadband = min(profile.zones.deadband, 0.3 * (profile.zones.stop - profile.zones.caution),
                                         0.3 * (profile.zones.caution - profile.zones.target))
            profile.zones.onDelaySeconds = onDelaySeconds
            return (try? profile.validate(bodyMassKilograms: bodyMassKilograms)) == nil ? nil : profile
        }
    }

    static let situations = zip(
        Gen.bool(), Gen.double(in: 20...300), Gen.double(in: 0.3...1.5), Gen.double(in: 0...2),
        Gen.double(in: 1...1500).array(of: 0...6),
        // A fault's code and its channel (4-7: the rotation or motion sensor's) in one number.
        Gen.int(in: 0...15),
        // At least 2 % over the limit: the 1 Hz smoother approaches a step from below and never
        // quite reaches it (the property's first counterexample, a load at exactly the stop level:
        // docs/SAFETY.md, "The stop invariant"); from a third of it, 2 % over is reached in 0.56 s.
        Gen.double(in: 1.02...1.5),
        Gen.double(in: 0...1).array(of: 4)
    ).map { ball, mass, stop, delay, marks, fault, level, shares in
        Situation(ball: ball, bodyMassKilograms: mass, stopFactor: stop, onDelaySeconds: delay, markForcesNewtons: marks,
                  faultCode: [FaultCode.magnet, .sensorNotReady, .disconnected, .saturated][fault % 4],
                  faultChannel: Sample.maxChannelCount + fault / 4, levelFactor: level,
                  shares: SIMD4(shares[0], shares[1], shares[2], shares[3]))
    }

    static let period: Int64 = 10_000

    /// The situation's marks applied as a session would: all made within the last minute.
    static func personalLimits(_ base: Profile, _ situation: Situation) -> PersonalLimits {
        let now = 1_800_000_000.0
        let marks = situation.markForcesNewtons.enumerated().map { PersonalLimits.Mark(forceNewtons: $1, unixSeconds: now - Double($0)) }
        return PersonalLimits(profile: base, origins: LimitOrigins(all: .builtIn(profile: base.name)), marks: marks,
                              nowUnixSeconds: now, bodyMassKilograms: situation.bodyMassKilograms)
    }

    /// Runs a situation: 3 s at a third of the effective stop (contact), then the level held for
    /// the on-delay plus 2 s, position faults repeated once a second from 1 s on. Returns the
    /// effective stop in newtons, when the level began, and the events.
    static func run(_ situation: Situation) throws -> (stopNewtons: Double, levelStart: Int64, events: [SignalEvent])? {
        guard let base = situation.profile() else { return nil }
        let profile = personalLimits(base, situation).profile
        var pipeline = try SignalPipeline(profile: profile, bodyMassKilograms: situation.bodyMassKilograms)
        let scale = profile.zones.classifierUnitsPerProfileUnit(bodyMassKilograms: situation.bodyMassKilograms) ?? 1
        let stopNewtons = profile.zones.stop * scale
        let weights = situation.shares.lanesSum > 0.01 ? situation.shares / situation.shares.lanesSum : SIMD4(repeating: 0.25)
        let levelStart: Int64 = 3_000_000
        let end = levelStart + Int64((profile.zones.onDelaySeconds + 2) * 1_000_000)
        var events: [SignalEvent] = []
        var t: Int64 = 0
        var i = 0
        while t <= end {
            if t >= 1_000_000 && t % 1_000_000 == 0 {
                pipeline.process(fault: DeviceFault(deviceTimeMicroseconds: t, code: situation.faultCode,
                                                    channel: UInt8(situation.faultChannel), value: 1)) { events.append($0) }
            }
            let total = t < levelStart ? stopNewtons / 3 : stopNewtons * situation.levelFactor
            _ = pipeline.process(Sample(sequence: UInt64(i), deviceTimeMicroseconds: t, channelCount: 4,
                                        values: weights * total, quantity: .newtons)) { events.append($0) }
            t += period
            i += 1
        }
        return (stopNewtons, levelStart, events)
    }

    @Test(.shrinking) func aSustainedForceAtTheEffectiveStopRaisesStopWithinItsOnDelayPlusOneSecond() async throws {
        await propertyCheck(count: 3000, input: Self.situations) { situation in
            guard let (_, levelStart, events) = try Self.run(situation) else { return }
            let deadline = levelStart + Int64(((situation.profile()?.zones.onDelaySeconds ?? 0) + 1) * 1_000_000)
            let stop = events.first { $0.reason == .zoneStop && $0.phase == .start }
            #expect(stop != nil && stop!.deviceTimeMicroseconds <= deadline, "\(situation)")
        }
    }

    @Test func painMarksNeverRaiseALimit() async {
        await propertyCheck(count: 300, input: Self.situations) { situation in
            guard let base = situation.profile() else { return }
            let limits = Self.personalLimits(base, situation)
            #expect(limits.profile.zones.stop <= base.zones.stop, "\(situation)")
            #expect(limits.profile.zones.caution <= base.zones.caution, "\(situation)")
        }
    }
}
