import Testing
@testable import RollSenseSignal
import RollSenseWire

@Suite struct SlowDeviceTests {
    func sample(_ i: Int, _ newtons: Double, at t: Int64) -> Sample {
        Sample(sequence: UInt64(i), deviceTimeMicroseconds: t, channelCount: 1, values: SIMD4(newtons, 0, 0, 0), quantity: .newtons)
    }

    @Test func medianIgnoresOneOutlierAndNeedsThreeIntervals() {
        var tracker = SampleIntervalTracker()
        tracker.add(1_000_000)
        tracker.add(1_000_000)
        #expect(tracker.typicalMicroseconds == nil)
        #expect(tracker.jumpLimit(base: 500_000) == SampleIntervalTracker.slowestIntervalMicroseconds)
        tracker.add(4_000_000)
        tracker.add(-5)
        tracker.add(60_000_000)
        #expect(tracker.typicalMicroseconds == 1_000_000)
        #expect(tracker.jumpLimit(base: 500_000) == 3_000_000)
    }

    /// A sketch printing once a second: no clock jumps, one slowDevice condition that says why,
    /// and contact time counted for the seconds between samples.
    @Test func oneHertzDeviceIsSlowNotJumping() throws {
        var pipeline = try SignalPipeline(profile: .massageBallLowerBack)
        var events: [SignalEvent] = []
        for i in 0..<20 {
            _ = pipeline.process(sample(i, 30, at: Int64(i) * 1_000_000)) { events.append($0) }
        }
        pipeline.finish(atDeviceTimeMicroseconds: 19_000_000) { events.append($0) }
        #expect(!events.contains { $0.reason == .clockJump })
        let slow = events.filter { $0.reason == .slowDevice }
        #expect(slow.map(\.phase) == [.start, .end])
        #expect(slow.first?.value == 1 && slow.first?.limit == 5)
        #expect(pipeline.sessionMicroseconds >= 15_000_000)
    }

    /// A fast device is never called slow, and its real jumps are still caught.
    @Test func fastDeviceKeepsTheProfileLimit() throws {
        var pipeline = try SignalPipeline(profile: .massageBallLowerBack)
        var events: [SignalEvent] = []
        var t: Int64 = 0
        for i in 0..<100 {
            _ = pipeline.process(sample(i, 30, at: t)) { events.append($0) }
            t += 10_000
        }
        t += 2_000_000
        _ = pipeline.process(sample(100, 30, at: t)) { events.append($0) }
        #expect(!events.contains { $0.reason == .slowDevice })
        #expect(events.filter { $0.reason == .clockJump }.count == 1)
    }

    /// A slow sketch's raw counts (bogde's HX711_full_example prints every 5 s, the basic example
    /// every 1 s): a step to 60 N reads 60 N from its first sample on. Loaded samples before the
    /// contact switch's delay has passed are no zero stretch, and smoothing does not carry one
    /// reading into the next seconds later.
    @Test(arguments: [Int64(1_000_000), 5_000_000])
    func aStepReadsInFullAtOnce(intervalMicroseconds: Int64) throws {
        let calibration = Calibration(offsetCounts: [8000, 0, 0, 0], curves: [.linear(newtonsPerCount: 0.01)])
        var pipeline = try SignalPipeline(profile: .foamRollerLowerBack, calibration: calibration)
        var events: [SignalEvent] = []
        var forces: [Double] = []
        for i in 0..<8 {
            let counts = i == 0 ? 8000.0 : 8000 + 6000
            let sample = Sample(sequence: UInt64(i), deviceTimeMicroseconds: Int64(i) * intervalMicroseconds, channelCount: 1,
                                values: SIMD4(counts, 0, 0, 0))
            forces.append(pipeline.process(sample) { events.append($0) }.forceNewtons)
        }
        #expect(forces.dropFirst().allSatisfy { abs($0 - 60) < 0.01 }, "\(forces)")
        #expect(!events.contains { $0.reason == .zeroDriftBound })
        #expect(pipeline.zeroCorrectionNewtons == .zero)
    }

    /// A 4 Hz sketch read by a busy host: lines arrive 190-310 ms apart. A line that happens to
    /// come sooner than 200 ms after the one before must not be filtered against samples from
    /// seconds ago (it read 30 N of a steady 60 N under load in CI): the device is judged by its
    /// typical rate, not by one step.
    @Test func aJitteringSlowDeviceReadsSteadyLoadsSteadily() throws {
        var pipeline = try SignalPipeline(profile: .foamRollerLowerBack)
        let steps: [Int64] = [250_000, 190_000, 310_000, 250_000, 160_000, 340_000, 250_000, 199_000]
        var t: Int64 = 0
        var forces: [Double] = []
        for i in 0..<40 {
            let newtons = i < 8 ? 0.0 : 60.0
            forces.append(pipeline.process(sample(i, newtons, at: t)) { _ in }.forceNewtons)
            t += steps[i % steps.count]
        }
        #expect(forces.dropFirst(8).allSatisfy { abs($0 - 60) < 0.01 }, "\(forces)")
        #expect(forces.prefix(8).allSatisfy { abs($0) < 0.01 }, "\(forces)")
    }

    /// A 4 Hz sketch on a busy host: the reader stalls for a second now and then, and the lines
    /// printed meanwhile come in one read, stamped 1 µs apart. Such steps are no rate: the device
    /// stays slow, with one slowDevice start and no end until the session ends (a live session
    /// on a busy machine said "3 readings/s" and then "4 readings/s" as two alerts).
    @Test func linesReadTogetherDoNotMakeASlowDeviceFast() throws {
        var pipeline = try SignalPipeline(profile: .foamRollerLowerBack)
        var events: [SignalEvent] = []
        var t: Int64 = 0
        for i in 0..<80 {
            // Lines 10-14 of every 20 arrive together, read when the 14th would have been.
            switch i % 20 {
            case 10: t += 1_250_000
            case 11...14: t += 1
            default: t += i == 0 ? 0 : 250_000
            }
            _ = pipeline.process(sample(i, 30, at: t)) { events.append($0) }
        }
        let slow = events.filter { $0.reason == .slowDevice }
        #expect(slow.map(\.phase) == [.start], "\(slow.map { ($0.phase, $0.value) })")
        #expect(slow.first.map { abs($0.value - 4) < 0.01 } == true)
    }
}
