import Testing
@testable import RollSenseSignal
import RollSenseWire

/// The pipeline's stages one by one (docs/ARCHITECTURE.md, "One sample's way"): each does its one
/// job on plain values, so a change to one is tested without a whole session.
@Suite("pipeline stages")
struct PipelineStageTests {
    static let period: Int64 = 10_000

    // MARK: - ZoneAlarms

    /// Zones in newtons: target 10, caution 50, stop 80, deadband 3, 0.5 s on-delay, 5 s off-delay and latch.
    static func alarms() -> ZoneAlarms {
        ZoneAlarms(zones: Profile.massageBallLowerBack.zones, unitsPerProfileUnit: 1, overRangeChannelNewtons: 0)
    }

    static func contactReading(_ newtons: Double) -> Reading {
        Reading(deviceTimeMicroseconds: 0, forceNewtons: newtons, channelForcesNewtons: SIMD4(newtons, 0, 0, 0),
                pressureKilopascals: 0, centroidMillimetres: nil, zone: .none, contact: true,
                area: Area(region: .lowerBack, side: .whole), holdMicroseconds: 0, dailyMicroseconds: 0)
    }

    /// Feeds `newtons` for `seconds`; returns the events and the last reading.
    static func feed(_ alarms: inout ZoneAlarms, _ newtons: Double, from start: Int64, seconds: Double, mayClear: Bool = true,
                     context: ZoneAlarms.Context = .init(linkDown: false, forceUnknown: false)) -> ([SignalEvent], Reading) {
        var reading = contactReading(newtons)
        var events: [SignalEvent] = []
        var t = start
        while t < start + Int64(seconds * 1_000_000) {
            alarms.classify(newtons, isOverRange: false, timeMicroseconds: t)
            alarms.update(newtons, mayClear: mayClear, reading: &reading, context: context, at: t) { events.append($0) }
            alarms.report(reading: &reading, context: context, at: t) { events.append($0) }
            t += period
        }
        return (events, reading)
    }

    @Test func stopIsRaisedAfterItsOnDelayAndNestedInCaution() {
        var alarms = Self.alarms()
        let (events, reading) = Self.feed(&alarms, 90, from: 0, seconds: 1)
        let starts = events.filter { $0.phase == .start && ($0.reason == .zoneStop || $0.reason == .zoneCaution) }
        #expect(starts.map(\.reason) == [.zoneCaution, .zoneStop])
        #expect(starts.map(\.deviceTimeMicroseconds) == [500_000, 500_000])
        #expect(reading.zone == .stop && reading.currentZone == .stop)
    }

    @Test func aLowerBoundRaisesButNeverClears() {
        var alarms = Self.alarms()
        let unknown = ZoneAlarms.Context(linkDown: false, forceUnknown: true)
        var (events, reading) = Self.feed(&alarms, 90, from: 0, seconds: 1, mayClear: false, context: unknown)
        #expect(events.contains { $0.reason == .zoneStop && $0.phase == .start })
        #expect(reading.zone == .stop)
        // The bound falls to nothing for 10 s: the force is unknown, so stop holds.
        (events, reading) = Self.feed(&alarms, 0, from: 1_000_000, seconds: 10, mayClear: false, context: unknown)
        #expect(!events.contains { $0.reason == .zoneStop && $0.phase == .end })
        #expect(reading.zone == .stop)
        // Known again and light: it clears after its off-delay.
        (events, reading) = Self.feed(&alarms, 0, from: 11_000_000, seconds: 6)
        #expect(events.contains { $0.reason == .zoneStop && $0.phase == .end })
    }

    @Test func anUnknownForceWithoutAnAlarmReadsFaultAndAKnownOneItsZone() {
        var alarms = Self.alarms()
        let (_, unknown) = Self.feed(&alarms, 30, from: 0, seconds: 1, mayClear: false, context: .init(linkDown: false, forceUnknown: true))
        #expect(unknown.zone == .fault && unknown.currentZone == .fault)
        let (_, known) = Self.feed(&alarms, 30, from: 1_000_000, seconds: 1)
        #expect(known.zone == .target && known.currentZone == .target)
        let (_, down) = Self.feed(&alarms, 30, from: 2_000_000, seconds: 0.1, context: .init(linkDown: true, forceUnknown: false))
        #expect(down.zone == .fault)
    }

    // MARK: - FaultScope

    static func scope() -> FaultScope {
        FaultScope(monitor: FaultMonitor(holdMicroseconds: 2_000_000, flatLineMicroseconds: 2_000_000, saturationCounts: 8_388_607),
                   fullScaleNewtons: SIMD4(repeating: 838.8607), overRangeChannelNewtons: 441)
    }

    @Test func aPositionSensorsFaultLeavesTheForceKnown() {
        var faults = Self.scope()
        faults.see(.sensorNotReady, channel: 4, value: 0, timeMicroseconds: 0)
        var reports: [(FaultKind, Int?, Bool)] = []
        _ = faults.update(timeMicroseconds: 0, endAll: false) { kind, channel, _, started in reports.append((kind, channel, started)) }
        #expect(reports.count == 1 && reports[0].1 == 4 && reports[0].2)
        #expect(!faults.forceUnknown(usedChannelBits: 0b1111) && !faults.anyForceActive)
        faults.see(.disconnected, channel: 2, value: 0, timeMicroseconds: 10)
        _ = faults.update(timeMicroseconds: 10, endAll: false) { _, _, _, _ in }
        #expect(faults.forceUnknown(usedChannelBits: 0b1111))
        // Channel 2 is not among those in use on a two-channel rig.
        #expect(!faults.forceUnknown(usedChannelBits: 0b0011))
    }

    @Test func theLowerBoundIsTheHealthyChannelsPlusASaturatedOnesRange() {
        var faults = Self.scope()
        faults.see(.saturated, channel: 0, value: 8_388_607, timeMicroseconds: 0)
        faults.see(.disconnected, channel: 1, value: 0, timeMicroseconds: 0)
        _ = faults.update(timeMicroseconds: 0, endAll: false) { _, _, _, _ in }
        let smoothed = SIMD4<Double>(800, 500, 60, -5)
        // Channel 0 at positive full scale: its 441 N range (less than the 839 N full scale stands
        // for); channel 1 unknown: nothing; channel 2 as read; channel 3's noise below zero: nothing.
        #expect(faults.forceLowerBoundNewtons(smoothed, rawValues: SIMD4(8_388_607, 0, 0, 0), channelCount: 4) == 501)
        // At negative full scale a channel proves no load.
        #expect(faults.forceLowerBoundNewtons(smoothed, rawValues: SIMD4(-8_388_608, 0, 0, 0), channelCount: 4) == 60)
    }

    // MARK: - LoadLayout, AreaTime

    @Test func theCentroidGivesTheSideAndANarrowCentredLoadIsOnTheSpine() {
        var layout = LoadLayout(spine: Profile.foamRollerLowerBack.spine)
        let positions = Profile.foamRollerLowerBack.spine.channelPositionsMillimetres
        #expect(layout.canObserveSpine && positions.count == 4)
        var reading = Self.contactReading(100)
        reading.channelForcesNewtons = SIMD4(100, 0, 0, 0)
        layout.place(&reading)
        #expect(reading.centroidMillimetres == positions[0])
        #expect(reading.area.side == (positions[0] < 0 ? .left : .right))
        // All of it on the two middle saddles: the centre line.
        reading.channelForcesNewtons = SIMD4(0, 50, 50, 0)
        layout.place(&reading)
        #expect(reading.area.side == .centre)
        var changed = false
        var t: Int64 = 0
        while t <= 3_000_000 && !changed {
            changed = layout.updateSpine(reading, inContact: true, timeMicroseconds: t)
            t += Self.period
        }
        #expect(changed && layout.isOnSpine)
        #expect(layout.endSpine() && !layout.isOnSpine)
    }

    @Test func areaTimeAddsPerSide() {
        var time = AreaTime()
        time.add(10, side: .left)
        time.add(5, side: .right)
        time.add(1, side: .left)
        #expect(time.sessionMicroseconds == 16)
        #expect(time.bySide == SIMD4(0, 11, 0, 5))
    }

    // MARK: - SignalConditioner, ChannelCalibration

    @Test func aOneSampleSpikeIsRejectedAndNoSmootherPassesTheMedianThrough() {
        var filter = Profile.foamRollerLowerBack.filter
        filter.smoother = .none
        var conditioner = SignalConditioner(filter: filter)
        var out: [Double] = []
        for i in 0..<10 {
            let despiked = conditioner.despike(SIMD4(i == 5 ? 1000 : 10, 0, 0, 0))
            out.append(conditioner.smooth(despiked, dtSeconds: 0.01)[0])
        }
        #expect(out.allSatisfy { $0 <= 10 })
        #expect(out.last == 10)
    }

    @Test func linearCalibrationIsOffsetTimesScaleAndNonFiniteIsRefused() throws {
        let stage = try ChannelCalibration(Calibration(offsetCounts: [100, 0], curves: [.linear(newtonsPerCount: 0.5), .linear(newtonsPerCount: 2)]))
        #expect(stage.newtons(SIMD4(300, 10, 0, 0)) == SIMD4(100, 20, 0, 0))
        #expect(throws: ProfileError.self) {
            _ = try ChannelCalibration(Calibration(offsetCounts: [.nan], curves: [.linear(newtonsPerCount: 1)]))
        }
    }
}
