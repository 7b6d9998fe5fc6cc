import Foundation
import Testing
@testable import RollSenseSignal

/// The pure parts the alarms are built from: stillness, ISA-18.2 annunciation, sensor range.
@Suite struct StillnessDetectorTests {
    static func detector() -> StillnessDetector {
        StillnessDetector(windowMicroseconds: 4_000_000, forceSpanNewtons: 6, forceSpanFraction: 0.15, centroidSpanMillimetres: 20)
    }

    /// Seconds still over a run of `seconds` at 80 Hz.
    static func stillSeconds(seconds: Double, force: (Double) -> Double, centroid: (Double) -> Double? = { _ in 0 }) -> Double {
        var d = detector()
        var still = 0.0
        let n = Int(seconds * 80)
        for i in 0..<n {
            let s = Double(i) / 80
            if d.update(forceNewtons: force(s), centroidMillimetres: centroid(s), timeMicroseconds: Int64(s * 1e6)) { still += 1.0 / 80 }
        }
        return still
    }

    @Test func rollingStrokesAtEveryOrdinaryCadenceAreNeverStill() {
        // 34 % ± 8 % of 45 to 140 kg at 0.38-0.72 Hz (33 ± 10 strokes/min, Sezik et al. 2024).
        for mass in [45.0, 100, 140] {
            for hertz in [0.38, 0.55, 0.72] {
                let still = Self.stillSeconds(seconds: 120) { s in mass * 9.80665 * (0.34 + 0.08 * sin(2 * .pi * hertz * s)) }
                #expect(still == 0, "mass \(mass) kg at \(hertz) Hz was still for \(still) s")
            }
        }
    }

    @Test func aSteadyHoldWithNoiseAndBreathingIsStillAfterOneWindow() {
        var noise = TestNoise(seed: 3)
        var d = Self.detector()
        var since: Int64?
        for i in 0..<(30 * 80) {
            let s = Double(i) / 80
            let f = 300 + 8 * sin(2 * .pi * 0.25 * s) + noise.next(amplitude: 1)
            if d.update(forceNewtons: f, centroidMillimetres: -90, timeMicroseconds: Int64(s * 1e6)), since == nil {
                since = d.stillSinceMicroseconds
                #expect(s <= 4.1)
            }
        }
        #expect(d.isStill)
        #expect(since == 0)
    }

    @Test func aCentroidSweepingAlongTheRollerIsNotStill() {
        let still = Self.stillSeconds(seconds: 30, force: { _ in 300 }, centroid: { s in 60 * sin(2 * .pi * 0.5 * s) })
        #expect(still == 0)
    }

    @Test func movingAgainEndsStillnessAndResetForgets() {
        var d = Self.detector()
        for i in 0..<800 { _ = d.update(forceNewtons: 200, centroidMillimetres: nil, timeMicroseconds: Int64(i) * 12_500) }
        #expect(d.isStill)
        let moved = d.update(forceNewtons: 320, centroidMillimetres: nil, timeMicroseconds: 800 * 12_500)
        #expect(!moved)
        #expect(d.stillSinceMicroseconds == nil)
        d.reset()
        let afterReset = d.update(forceNewtons: 200, centroidMillimetres: nil, timeMicroseconds: 900 * 12_500)
        #expect(!afterReset)
    }
}

@Suite struct AnnunciatorTests {
    @Test func aStrokeThatCrossesTheLimitEveryCycleGivesOneAlert() {
        // Peaks over the limit every 2.5 s for 110 s: one alert, cleared once after the set.
        var alarm = Annunciator(onDelayMicroseconds: 500_000, offDelayMicroseconds: 5_000_000, minimumLatchMicroseconds: 5_000_000)
        var changes: [Annunciator.Change] = []
        for i in 0..<(130 * 80) {
            let s = Double(i) / 80
            let value = s < 110 ? 100 + 30 * sin(2 * .pi * 0.4 * s) : 0
            if let c = alarm.update(raise: value >= 120, clear: value < 115, timeMicroseconds: Int64(s * 1e6)) { changes.append(c) }
        }
        #expect(changes == [.raised, .cleared])
    }

    @Test func raisesAfterTheOnDelayAndStaysLatchedTheMinimumTime() {
        var alarm = Annunciator(onDelayMicroseconds: 500_000, offDelayMicroseconds: 1_000_000, minimumLatchMicroseconds: 5_000_000)
        var raisedAt: Int64?, clearedAt: Int64?
        for i in 0...1000 {
            let t = Int64(i) * 10_000
            let high = i >= 100 && i < 160  // 0.6 s over the limit from 1 s
            switch alarm.update(raise: high, clear: !high, timeMicroseconds: t) {
            case .raised: raisedAt = t
            case .cleared: clearedAt = t
            case nil: break
            }
        }
        #expect(raisedAt == 1_500_000)
        #expect(clearedAt == 6_500_000)  // latched 5 s though the condition lasted 0.6 s
    }

    @Test func aBlipShorterThanTheOnDelayNeverRaises() {
        var alarm = Annunciator(onDelayMicroseconds: 500_000, offDelayMicroseconds: 0, minimumLatchMicroseconds: 0)
        for i in 0..<100 {
            let high = i % 40 < 30
            let change = alarm.update(raise: high, clear: !high, timeMicroseconds: Int64(i) * 10_000)
            #expect(change == nil)
        }
        let wasActive = alarm.reset()
        #expect(!wasActive)
    }
}

@Suite struct SensorRangeTests {
    @Test func topOfTheRangeIsOverRangeInCountsOrNewtons() {
        let fsr = SensorRange(overRangeCounts: 920, overRangeChannelNewtons: 0)
        let one = SIMD4<Double>(1, 0, 0, 0)
        #expect(!fsr.isOverRange(rawValues: SIMD4(900, 0, 0, 0), channelForcesNewtons: SIMD4(15, 0, 0, 0), laneMask: one))
        #expect(fsr.isOverRange(rawValues: SIMD4(1023, 0, 0, 0), channelForcesNewtons: SIMD4(20, 0, 0, 0), laneMask: one))
        // Lanes past the channel count do not count.
        #expect(!fsr.isOverRange(rawValues: SIMD4(0, 2000, 0, 0), channelForcesNewtons: .zero, laneMask: one))
        let cells = SensorRange(overRangeCounts: 7_969_177, overRangeChannelNewtons: 441)
        let all = SIMD4<Double>(repeating: 1)
        #expect(cells.isOverRange(rawValues: nil, channelForcesNewtons: SIMD4(100, 450, 100, 0), laneMask: all))
        #expect(!cells.isOverRange(rawValues: nil, channelForcesNewtons: SIMD4(400, 400, 400, 400), laneMask: all))
    }
}

@Suite struct PersonalLimitsTests {
    static let now = 1_800_000_000.0
    static let origins = LimitOrigins(all: .builtIn(profile: "test"))

    /// Marks newest first, one a minute apart.
    static func limits(_ base: Profile, _ forces: [Double], mass: Double? = nil) -> PersonalLimits {
        let marks = forces.enumerated().map { PersonalLimits.Mark(forceNewtons: $1, unixSeconds: now - Double($0) * 60) }
        return PersonalLimits(profile: base, origins: origins, marks: marks, nowUnixSeconds: now, bodyMassKilograms: mass)
    }

    @Test func theStopIsEightTenthsOfTheMedianMarkAndNeverAboveTheProfile() throws {
        let base = Profile.massageBallLowerBack  // zones in newtons: 10 / 50 / 80
        let none = Self.limits(base, [])
        #expect(none.profile == base)
        #expect(none.origins == Self.origins)
        // Median of the newest five (60, 55, 70, 40, 65) is 60: stop 48 N, caution 40.8 N.
        let marked = Self.limits(base, [60, 55, 70, 40, 65, 10])
        #expect(marked.profile.zones.stop == 48)
        #expect(abs(marked.profile.zones.caution - 40.8) < 1e-9)
        #expect(marked.origins.stop == .painMarks(count: 5, medianNewtons: 60, datesUnixSeconds: (0..<5).map { Self.now - Double($0) * 60 }, floorApplied: false))
        try marked.profile.validate()
        // Marks above the profile's stop never raise it.
        let high = Self.limits(base, [200, 220])
        #expect(high.profile == base)
    }

    @Test func percentOfBodyWeightZonesConvertTheMarkWithTheBodyMass() throws {
        let base = Profile.foamRollerLowerBack
        let limits = Self.limits(base, [400], mass: 100)
        #expect(abs(limits.profile.zones.stop - 320 / (100 * 9.80665) * 100) < 1e-9)
        try limits.profile.validate()
        // A very low mark gives a valid profile held at the floor, half the profile's stop.
        let low = Self.limits(base, [60], mass: 100)
        try low.profile.validate()
        #expect(low.profile.zones.stop == base.zones.stop * PersonalLimits.stopFloorFraction)
        #expect(low.stopBelowFloor != nil)
    }
}
