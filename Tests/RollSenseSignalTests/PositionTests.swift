import Foundation
import RollSenseWire
import Testing
@testable import RollSenseSignal

/// Position along the back from the roller's angle (RollingPosition.swift): the tracker on its
/// own, and the recorded simavr session of the reference rig (Firmware/sim/make-scenarios.py
/// `roller_rotation`: the firmware reading the simulated AS5600 with a 1 % scale error, a zero
/// offset, a once-a-turn wobble and noise) against the scenario's truth.
@Suite struct PositionTests {
    static let rotation = Profile.foamRollerLowerBack.rotation!
    /// mm of back per AS5600 count on the 75 mm roller.
    static let millimetresPerCount = 2 * Double.pi * 75 / 4096

    static func counts(_ millimetres: Double, offset: Int32 = 1000) -> Int32 {
        let c = (Int32((millimetres / millimetresPerCount).rounded()) + offset) % 4096
        return c < 0 ? c + 4096 : c
    }

    @Test func unwrapsAcrossTheTurnAndStartsAtTheFirstContact() {
        var tracker = PositionTracker(profile: Self.rotation)
        var reading = PositionReading.unknown
        // 1.5 turns forwards (707 mm) at 100 Hz in contact, starting near the wrap at 4000 counts.
        for k in 0...300 {
            let mm = 707 * Double(k) / 300
            reading = tracker.update(timeMicroseconds: Int64(k) * 10_000, intervalMicroseconds: k == 0 ? 0 : 10_000,
                                     angleCounts: Self.counts(mm, offset: 4000), inContact: true, pressureKilopascals: 20)
        }
        #expect(abs(reading.millimetres! - 707) < 0.2)
        #expect(reading.band == 35)
        #expect(reading.reanchors == 0)
    }

    @Test func aLiftedRollerSpinningDoesNotMoveThePosition() {
        var tracker = PositionTracker(profile: Self.rotation)
        var t: Int64 = 0
        func step(_ mm: Double, contact: Bool) -> PositionReading {
            t += 10_000
            return tracker.update(timeMicroseconds: t, intervalMicroseconds: 10_000, angleCounts: Self.counts(mm),
                                  inContact: contact, pressureKilopascals: contact ? 20 : 0)
        }
        for k in 0...100 { _ = step(Double(k), contact: true) }  // rolled 100 mm
        for k in 0...100 { #expect(step(100 + 3 * Double(k), contact: false).millimetres == nil) }  // spun 300 mm in the air
        let back = step(400, contact: true)
        #expect(abs(back.millimetres! - 100) < 0.5)  // continues where it was lifted
        #expect(back.reanchors == 1)
        #expect(abs(step(420, contact: true).millimetres! - 120) < 0.5)
    }

    @Test func aMissingAngleIsUnknownNeverStill() {
        var tracker = PositionTracker(profile: Self.rotation)
        var reading = PositionReading.unknown
        for k in 0..<200 {
            reading = tracker.update(timeMicroseconds: Int64(k) * 10_000, intervalMicroseconds: k == 0 ? 0 : 10_000,
                                     angleCounts: k < 100 ? Self.counts(50) : nil, inContact: true, pressureKilopascals: 20)
            if k == 99 { #expect(reading.isStill) }
        }
        #expect(reading.millimetres == nil && !reading.isStill)
        // The interval after each unknown sample, the last one's included: 99 of them.
        #expect(tracker.unknownMicroseconds == 99 * 10_000)
    }

    @Test func stillnessWithinTheProfilesTimeAndNoiseDoesNotMoveTheHold() {
        var tracker = PositionTracker(profile: Self.rotation)
        var noise = TestNoise(seed: 3)
        var stillAt: Int64?
        for k in 0..<300 {
            let t = Int64(k) * 10_000
            let mm = k < 100 ? Double(k) * 2 : 200 + noise.next(amplitude: 0.3)  // rolls 2 m/s... then stops
            let reading = tracker.update(timeMicroseconds: t, intervalMicroseconds: k == 0 ? 0 : 10_000,
                                         angleCounts: Self.counts(mm), inContact: true, pressureKilopascals: 20)
            if reading.isStill && stillAt == nil { stillAt = t }
            if k > 160 { #expect(reading.isStill && abs(reading.millimetres! - 200) < 0.3) }
        }
        let after = Double(stillAt! - 1_000_000) / 1e6
        #expect(after >= 0 && after <= 0.6)
    }

    @Test func strokesAreCountedAtTurningPoints() {
        var tracker = PositionTracker(profile: Self.rotation)
        var reading = PositionReading.unknown
        // 0.25 Hz back and forth over 12 cm for 60 s: 30 passes (the last one unfinished).
        for k in 0...6000 {
            let s = Double(k) / 100
            let mm = 60 * (1 - cos(2 * Double.pi * 0.25 * s))
            reading = tracker.update(timeMicroseconds: Int64(k) * 10_000, intervalMicroseconds: k == 0 ? 0 : 10_000,
                                     angleCounts: Self.counts(mm), inContact: true, pressureKilopascals: 20)
        }
        #expect(reading.strokes == 29)
        #expect(abs(tracker.strokesPerMinute! - 30) < 2)
    }

    // MARK: - The recorded simavr session

    struct Truth {
        var times: [Double] = []
        var millimetres: [Double] = []

        init() throws {
            let url = RecordedSessionTests.captures.deletingLastPathComponent()
                .appendingPathComponent("scenarios/roller-rotation.truth")
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
                let words = line.split(separator: " ")
                times.append(Double(words[0])!)
                millimetres.append(Double(words[1])!)
            }
        }

        func at(_ seconds: Double) -> Double {
            let k = min(max(Int(seconds / 0.1), 0), times.count - 2)
            let f = (seconds - times[k]) / (times[k + 1] - times[k])
            return millimetres[k] + (millimetres[k + 1] - millimetres[k]) * f
        }
    }

    struct Run {
        var samples: [(seconds: Double, reading: Reading)] = []
        var pipeline: SignalPipeline
    }

    static func runRecorded() throws -> Run {
        let events = try RecordedSessionTests.decode("roller-rotation")
        let scale = CalibrationCurve.linear(newtonsPerCount: 1 / RecordedSessionTests.countsPerNewton)
        let calibration = try RecordedSessionTests.tare(events, curves: [scale, scale], untilMicroseconds: 2_500_000)
        var profile = Profile.foamRollerLowerBack
        profile.spine.channelPositionsMillimetres = [-150, 150]  // the cradle's two ends
        var run = Run(pipeline: try SignalPipeline(profile: profile, calibration: calibration))
        for event in events {
            if let reading = run.pipeline.feed(event, emit: { _ in }) {
                run.samples.append((Double(reading.deviceTimeMicroseconds) / 1e6, reading))
            }
        }
        return run
    }

    @Test func recordedSessionPositionErrorStillnessLiftAndBands() throws {
        let truth = try Truth()
        let run = try Self.runRecorded()
        let rolling = run.samples.filter { $0.seconds >= 5 && $0.seconds < 65 }
        let errors = rolling.compactMap { s in s.reading.position?.millimetres.map { $0 - truth.at(s.seconds) } }
        #expect(errors.count == rolling.count)  // a position for every sample of the minute
        let rms = (errors.reduce(0) { $0 + $1 * $1 } / Double(errors.count)).squareRoot()
        let end = errors.last!
        let maximum = errors.map(abs).max()!
        print("position error over the 60 s of rolling (1 % scale, offset, wobble, noise): "
              + String(format: "end %.1f mm, RMS %.1f mm, max %.1f mm", end, rms, maximum))
        #expect(abs(end) <= 20)
        #expect(rms <= 10)

        // Stillness: the hold starts at 65 s.
        let still = run.samples.first { $0.seconds >= 65 && $0.reading.position?.isStill == true }!
        print(String(format: "stillness detected %.2f s after the hold began", still.seconds - 65))
        #expect(still.seconds - 65 <= 1)
        let beforeLift = run.samples.last { $0.seconds < 80 }!.reading
        #expect(beforeLift.holdMicroseconds >= 14_000_000)  // the hold timer runs from the stillness

        // Lift at 80-81 s, roller spun 400° in the air, back down at 83-84 s: the position
        // continues from the lift, re-anchored once, and the spin (523 mm) is not in it.
        let lifted = beforeLift.position!.millimetres!
        let back = run.samples.first { $0.seconds >= 84.2 }!.reading.position!
        print(String(format: "lift and replace: %.1f mm before, %.1f mm after, re-anchored %d", lifted, back.millimetres!, back.reanchors))
        #expect(abs(back.millimetres! - lifted) < 5)
        #expect(back.reanchors == 1)

        // Per-band time sums to the contact time exactly, and to the pipeline's time on area.
        let tracker = run.pipeline.position!
        let bandSum = tracker.bands.values.reduce(Int64(0)) { $0 + $1.contactMicroseconds }
        #expect(bandSum + tracker.unknownMicroseconds == tracker.contactMicroseconds)
        #expect(tracker.contactMicroseconds == run.pipeline.sessionMicroseconds)
        // Unknown: only the contact off-delays while lifting (two lifts of about 0.5-1 s), when
        // the switch still says contact but nothing bears on the roller.
        #expect(tracker.unknownMicroseconds > 0 && tracker.unknownMicroseconds < 2_000_000)
        #expect(tracker.bands.count >= 8)  // 0-200 mm of back in 2 cm bands

        // 33 strokes a minute in the scenario (Sezik et al. 2024's self-chosen cadence).
        let cadence = tracker.strokesPerMinute!
        print(String(format: "cadence %.1f strokes/min", cadence))
        #expect(cadence > 28 && cadence < 38)
    }

    @Test func aFailingSensorIsAFaultAndAnUnknownPositionThroughTheCore() throws {
        // Recorded from the sim-roller firmware: 200 N on the cradle, the roller turning at 30°/s,
        // the AS5600 unplugged at 3-5 s and its magnet gone at 7-9 s. Through SessionCore, as live.
        let bytes = try RecordedSessionTests.bytes("rotation-faults")
        let scale = CalibrationCurve.linear(newtonsPerCount: 1 / RecordedSessionTests.countsPerNewton)
        var profile = Profile.foamRollerLowerBack
        profile.spine.channelPositionsMillimetres = [-150, 150]
        let (readings, events, statistics) = Self.throughTheCore(
            bytes, profile: profile, calibration: Calibration(offsetCounts: [84213, -31022], curves: [scale, scale]))
        func window(_ from: Double, _ to: Double) -> [Reading] {
            readings.filter { (from..<to).contains(Double($0.deviceTimeMicroseconds) / 1e6) }
        }
        // Unknown, never still, in both windows; the hold falls back to force stillness there (200 N, steady).
        for part in [window(3.05, 4.95), window(7.05, 8.95)] {
            #expect(!part.isEmpty && part.allSatisfy { $0.position?.millimetres == nil && $0.position?.isStill == false })
            #expect(part.last!.holdMicroseconds - part.first!.holdMicroseconds > 1_800_000)
        }
        // Moving at 39.3 mm/s (30°/s on the 75 mm roller) elsewhere, continued after each loss.
        let moving = window(1, 2.9).filter { $0.position?.millimetres != nil }
        let span = Double(moving.last!.deviceTimeMicroseconds - moving.first!.deviceTimeMicroseconds) / 1e6
        let speed = (moving.last!.position!.millimetres! - moving.first!.position!.millimetres!) / span
        #expect(abs(speed - 39.3) < 1.5, "speed \(speed) mm/s")
        #expect(readings.last?.position?.reanchors == 2)
        // The device's faults are faults here too, on the sensor's channel.
        #expect(events.contains { $0.reason == .disconnected && $0.channel == 4 })
        #expect(events.contains { $0.reason == .sensorNotReady && $0.channel == 4 })
        // Bands and the unknown share add up to the contact time.
        let banded = statistics.positionBands.values.reduce(0) { $0 + $1.seconds }
        #expect(abs(banded + statistics.positionUnknownSeconds - statistics.contactSeconds) < 1e-6)
        #expect(statistics.positionUnknownSeconds > 3.5)
    }

    /// A recording through `SessionCore` in one read, as live: every reading, event and the statistics.
    static func throughTheCore(_ bytes: [UInt8], profile: Profile, calibration: Calibration)
        -> (readings: [Reading], events: [SignalEvent], statistics: SessionStatistics) {
        var core = SessionCore(configuration: SessionConfiguration(
            profile: profile, sendsCommands: false, silenceTimeoutSeconds: nil, calibration: { _ in calibration }))
        var readings: [Reading] = []
        var events: [SignalEvent] = []
        func collect(_ output: SessionOutput) {
            if case .sample(_, let reading, _, _) = output { readings.append(reading) }
            if case .event(let event, _) = output { events.append(event) }
        }
        core.feed(bytes, hostTimeMicroseconds: 0, collect)
        let statistics = core.finish(collect)
        return (readings, events, statistics)
    }

    @Test func withoutTheAngleChannelNothingChanges() throws {
        // The same recording with the angle stripped: no position, hold is time in contact.
        let events = try RecordedSessionTests.decode("roller-rotation").map { event -> WireEvent in
            switch event {
            case .info(var info):
                info.extraKinds = []
                return .info(info)
            case .sample(var sample):
                sample.extras = .none
                return .sample(sample)
            default: return event
            }
        }
        var pipeline = try SignalPipeline(profile: .foamRollerLowerBack,
                                          calibration: Calibration(offsetCounts: [0, 0, 0, 0], curves: []))
        var positions = 0
        for event in events {
            if let reading = pipeline.feed(event, emit: { _ in }), reading.position != nil { positions += 1 }
        }
        #expect(positions == 0)
        #expect(pipeline.position == nil)
    }
}

extension SignalPipeline {
    /// The decoder's events into the pipeline the way SessionCore hands them over (the recorded
    /// streams have one HELLO, at the start).
    mutating func feed(_ event: WireEvent, emit: (SignalEvent) -> Void) -> Reading? {
        switch event {
        case .info(let info): identify(info)
        case .sample(let sample): return process(sample, emit: emit)
        case .fault(let fault): process(fault: fault, emit: emit)
        case .gap(let missing, let t): process(gap: SampleGap(missingSamples: missing, deviceTimeMicroseconds: t), emit: emit)
        case .reply, .protocolDetected, .textChannels, .button: break
        }
        return nil
    }
}
