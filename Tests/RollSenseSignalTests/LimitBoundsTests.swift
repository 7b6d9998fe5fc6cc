import Foundation
import PropertyBased
import Testing
@testable import RollSenseSignal

/// Issue 21: every stop limit has a physical ceiling (`Profile.stopCeiling`), validation refuses
/// one above it naming `zones.stop`, and pain marks lower only what docs/SAFETY.md says, expire,
/// and stop at a stated floor.
@Suite struct LimitBoundsTests {
    @Test func aRollerStopsAtTheWholeBodyWeightAndTheRigRange() throws {
        let roller = Profile.foamRollerLowerBack
        #expect(roller.stopCeiling(bodyMassKilograms: 75).value == 100)
        #expect(roller.stopCeiling(bodyMassKilograms: nil).value == 100)
        // 4 x 441 N = 1764 N is 60 % of 300 kg: the rig, not the body, bounds a heavy person.
        let heavy = roller.stopCeiling(bodyMassKilograms: 300)
        #expect(abs(heavy.value - 1764 / (300 * 9.80665) * 100) < 1e-9)
        #expect(heavy.reason.contains("measuring range"))
        #expect(throws: ProfileError.self) { try roller.validate(bodyMassKilograms: 300) }

        var huge = roller
        huge.zones.stop = 6000
        #expect(throws: ProfileError(key: "zones.stop", problem: "must be at most 100 % body weight: a tool carries at most the whole body weight (got 6000)")) {
            try huge.validate()
        }
    }

    @Test func aBallHasAnAbsoluteCeilingInNewtons() throws {
        var ball = Profile.massageBallLowerBack
        // The rig's 176 N is below the ball's 300 N.
        #expect(ball.stopCeiling(bodyMassKilograms: nil) == StopCeiling(value: 176, newtons: 176, reason: "the rig's measuring range (1 x range.overRangeChannelNewtons 176 N)"))
        ball.range.overRangeChannelNewtons = 0
        #expect(ball.stopCeiling(bodyMassKilograms: 120).value == Profile.ballStopCeilingNewtons, "a heavy person does not raise a ball's ceiling")
        ball.zones.stop = 301
        #expect(throws: ProfileError.self) { try ball.validate() }
        ball.zones.stop = 300
        try ball.validate()
    }

    @Test func kilopascalZonesHaveACeilingToo() throws {
        var custom = Profile.massageBallLowerBack
        custom.tool = .custom
        custom.customContactAreaSquareCentimetres = 0.5
        custom.range.overRangeChannelNewtons = 0
        custom.zones = ZoneProfile(unit: .kilopascals, target: 100, caution: 500, stop: 1_500, deadband: 3,
                                   onDelaySeconds: 0.5, offDelaySeconds: 5, minimumLatchSeconds: 5)
        #expect(custom.stopCeiling(bodyMassKilograms: 75).value == Profile.stopCeilingKilopascals)
        #expect((try? custom.validate(bodyMassKilograms: 75)) == nil)
        // A tennis ball at its 300 N ceiling presses about 191 kPa: the ceiling follows the force.
        var ball = Profile.massageBallLowerBack
        ball.range.overRangeChannelNewtons = 0
        ball.zones = ZoneProfile(unit: .kilopascals, target: 20, caution: 100, stop: 150, deadband: 3,
                                 onDelaySeconds: 0.5, offDelaySeconds: 5, minimumLatchSeconds: 5)
        let ceiling = ball.stopCeiling(bodyMassKilograms: nil)
        #expect(abs(ceiling.value - PressureModel(tool: .tennisBall, customAreaSquareCentimetres: 0).pressureKilopascals(forceNewtons: 300)) < 1e-9)
        try ball.validate()
    }

    @Test func aProfileWithoutAnExpiryGetsTheDefault() throws {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Profile.foamRollerLowerBack)) as! [String: Any]
        var limits = object["limits"] as! [String: Any]
        limits["painMarkExpiryDays"] = nil
        object["limits"] = limits
        let decoded = try JSONDecoder().decode(Profile.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.limits.painMarkExpiryDays == 14)
        var bad = Profile.foamRollerLowerBack
        bad.limits.painMarkExpiryDays = 0
        #expect(throws: ProfileError.self) { try bad.validate() }
    }

    static let now = 1_800_000_000.0
    static let day = 86_400.0
    static let builtIn = LimitOrigins(all: .builtIn(profile: "massage-ball-lower-back"))

    @Test func marksLowerStopAndCautionButNotTarget() {
        // Ball, newtons: marks 60, 70, 80 N -> stop 0.8 x 70 = 56 N, caution min(50, 47.6).
        let marks = [60.0, 70, 80].enumerated().map { PersonalLimits.Mark(forceNewtons: $1, unixSeconds: Self.now - Double($0) * Self.day) }
        let limits = PersonalLimits(profile: .massageBallLowerBack, origins: Self.builtIn, marks: marks, nowUnixSeconds: Self.now, bodyMassKilograms: nil)
        #expect(abs(limits.profile.zones.stop - 56) < 1e-9)
        #expect(abs(limits.profile.zones.caution - 47.6) < 1e-9)
        #expect(limits.profile.zones.target == 10, "target is the band to work in: a mark does not move it")
        #expect(limits.origins.target == Self.builtIn.target)
        guard case .painMarks(let count, let median, let dates, let floorApplied) = limits.origins.stop else {
            Issue.record("stop should come from the marks")
            return
        }
        #expect(count == 3 && median == 70 && !floorApplied)
        #expect(dates == [Self.now, Self.now - Self.day, Self.now - 2 * Self.day], "newest first")
        #expect((try? limits.profile.validate()) != nil)
    }

    @Test func anExpiredMarkNoLongerCounts() {
        let old = PersonalLimits.Mark(forceNewtons: 60, unixSeconds: Self.now - 15 * Self.day)
        let limits = PersonalLimits(profile: .massageBallLowerBack, origins: Self.builtIn, marks: [old], nowUnixSeconds: Self.now, bodyMassKilograms: nil)
        #expect(limits.profile == .massageBallLowerBack)
        #expect(limits.origins == Self.builtIn)
        var longer = Profile.massageBallLowerBack
        longer.limits.painMarkExpiryDays = 30
        let kept = PersonalLimits(profile: longer, origins: Self.builtIn, marks: [old], nowUnixSeconds: Self.now, bodyMassKilograms: nil)
        #expect(kept.isLoweredByMarks)
    }

    @Test func aStrayLightMarkStopsAtTheFloorAndSaysSo() {
        let stray = PersonalLimits.Mark(forceNewtons: 12, unixSeconds: Self.now)
        let limits = PersonalLimits(profile: .massageBallLowerBack, origins: Self.builtIn, marks: [stray], nowUnixSeconds: Self.now, bodyMassKilograms: nil)
        #expect(limits.profile.zones.stop == PersonalLimits.stopFloorFraction * 80)
        #expect(limits.stopBelowFloor.map { abs($0 - 9.6) < 1e-9 } == true)
        guard case .painMarks(_, _, _, let floorApplied) = limits.origins.stop else {
            Issue.record("stop should come from the marks")
            return
        }
        #expect(floorApplied)
        #expect(limits.profile.zones.target < limits.profile.zones.caution)
        #expect((try? limits.profile.validate()) != nil)
    }

    @Test func twoPressesWithinTheMergeWindowAreOneMark() {
        var core = SessionCore(configuration: SessionCoreTests.configuration())
        var outputs: [SessionOutput] = []
        core.start(hostTimeMicroseconds: 0) { outputs.append($0) }
        core.feed(SessionCoreTests.hello() + SessionCoreTests.samples(from: 0, count: 80, counts: 60), hostTimeMicroseconds: 50_000) { outputs.append($0) }
        core.markPain { outputs.append($0) }
        // 2 s later (160 samples at 80 Hz): within the 3 s window, the same mark.
        core.feed(SessionCoreTests.samples(from: 80, count: 160, counts: 60, startMicroseconds: 80 * SessionCoreTests.period), hostTimeMicroseconds: 60_000) { outputs.append($0) }
        core.markPain { outputs.append($0) }
        // 3 s after the first mark: a new one.
        core.feed(SessionCoreTests.samples(from: 240, count: 80, counts: 60, startMicroseconds: 240 * SessionCoreTests.period), hostTimeMicroseconds: 70_000) { outputs.append($0) }
        core.markPain { outputs.append($0) }
        let marks = outputs.compactMap { if case .event(let event, _) = $0, event.reason == .painMark { event } else { nil } }
        #expect(marks.map(\.deviceTimeMicroseconds) == [79 * SessionCoreTests.period, 319 * SessionCoreTests.period])
        #expect(SessionCore.painMarkMergeSeconds == 3)
        core.finish { outputs.append($0) }
        #expect(core.statistics.painMarks.count == 2)
    }
}

/// Over random valid profiles, body masses and marks (any force, any age): the personal limits
/// stay a valid profile under the ceiling, only ever lower the stop, never below the floor, and
/// leave target alone while it stays below caution.
@Suite struct PersonalLimitsPropertyTests {
    @Test func marksOnlyLowerAndStayBetweenTheFloorAndTheCeiling() async {
        await propertyCheck(
            count: 1_000, input: Gen.int(in: 0...1), Gen.double(in: 40...300), Gen.double(in: 0...1),
            Gen.double(in: 0...2_000).array(of: 0...8), Gen.double(in: 0...40).array(of: 8)
        ) { which, mass, stopPosition, forces, ageDays in
            var base = Profile.builtIn[which]
            let ceiling = base.stopCeiling(bodyMassKilograms: mass).value
            let lowest = base.zones.caution + base.zones.deadband * 1.01
            guard ceiling > lowest else { return }
            base.zones.stop = lowest + stopPosition * (ceiling - lowest)
            #expect((try? base.validate(bodyMassKilograms: mass)) != nil)
            let now = 1_800_000_000.0
            let marks = forces.enumerated().map { PersonalLimits.Mark(forceNewtons: $1, unixSeconds: now - ageDays[$0] * 86_400) }
            let limits = PersonalLimits(profile: base, origins: LimitOrigins(all: .builtIn(profile: base.name)), marks: marks,
                                        nowUnixSeconds: now, bodyMassKilograms: mass)
            let zones = limits.profile.zones
            #expect(zones.stop <= base.zones.stop)
            #expect(zones.stop >= PersonalLimits.stopFloorFraction * base.zones.stop)
            #expect(zones.stop <= limits.profile.stopCeiling(bodyMassKilograms: mass).value)
            #expect(zones.caution <= base.zones.caution)
            if base.zones.target < zones.caution { #expect(zones.target == base.zones.target) }
            #expect(limits.countedMarks.allSatisfy { now - $0.unixSeconds < base.limits.painMarkExpiryDays * 86_400 })
            #expect(limits.isLoweredByMarks == (zones.stop < base.zones.stop))
            do { try limits.profile.validate(bodyMassKilograms: mass) } catch { Issue.record("\(error)") }
        }
    }
}
