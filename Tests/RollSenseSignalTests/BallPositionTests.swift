import Foundation
import RollSenseWire
import Testing

@testable import RollSenseSignal

/// A ball's 2-D position on the back from an optical motion sensor (RollingPosition.swift, the
/// tracker the roller uses): the tracker on its own, and the recorded simavr session of the
/// reference ball rig (Firmware/sim/make-scenarios.py `ball_motion`: the sim-ball firmware reading
/// the simulated ADNS-3080 over SPI with a 1 % scale error and 5 % noise on each read) against the
/// scenario's truth.
@Suite struct BallPositionTests {
    static let ball = Profile.massageBallLowerBack.ball!

    static func counts(_ millimetres: SIMD2<Double>) -> SIMD2<Int32> {
        SIMD2<Int32>((millimetres / ball.millimetresPerCount).rounded(.toNearestOrEven))
    }

    @Test func movesInTwoDimensionsFromTheFirstContactAndKeepsCells() {
        var tracker = PositionTracker(ball: Self.ball)
        var reading = PositionReading.unknown
        // 100 mm across and 60 mm along in 1 s at 100 Hz, in steps of whole counts.
        for k in 0...100 {
            reading = tracker.update(timeMicroseconds: Int64(k) * 10_000, intervalMicroseconds: k == 0 ? 0 : 10_000,
                                     motionCounts: k == 0 ? SIMD2(0, 0) : Self.counts(SIMD2(1, 0.6)),
                                     inContact: true, pressureKilopascals: 20)
        }
        let step = Self.counts(SIMD2(1, 0.6))
        #expect(abs(reading.acrossMillimetres! - 100 * Double(step.x) * Self.ball.millimetresPerCount) < 1e-9)
        #expect(abs(reading.millimetres! - 100 * Double(step.y) * Self.ball.millimetresPerCount) < 1e-9)
        #expect(reading.column == 4 && reading.band == 2)
        let cellSum = tracker.cells.values.reduce(Int64(0)) { $0 + $1.contactMicroseconds }
        #expect(cellSum + tracker.unknownMicroseconds == tracker.contactMicroseconds)
        #expect(tracker.contactMicroseconds == 1_000_000)
    }

    @Test func noReadingIsUnknownNeverStillAndReanchors() {
        var tracker = PositionTracker(ball: Self.ball)
        var t: Int64 = 0
        func step(_ counts: SIMD2<Int32>?) -> PositionReading {
            t += 10_000
            return tracker.update(timeMicroseconds: t, intervalMicroseconds: 10_000, motionCounts: counts,
                                  inContact: true, pressureKilopascals: 20)
        }
        for _ in 0..<100 { _ = step(SIMD2(0, 0)) }
        #expect(step(SIMD2(0, 0)).isStill)
        let lost = step(nil)
        #expect(lost.millimetres == nil && lost.acrossMillimetres == nil && !lost.isStill)
        let back = step(Self.counts(SIMD2(10, 0)))
        #expect(back.reanchors == 1 && abs(back.acrossMillimetres!) < 0.5)  // continues from the last known place
        #expect(abs(step(Self.counts(SIMD2(10, 0))).acrossMillimetres! - 10) < 0.5)
    }

    // MARK: - The recorded simavr session

    struct Truth {
        var times: [Double] = []
        var points: [SIMD2<Double>] = []

        init() throws {
            let url = RecordedSessionTests.captures.deletingLastPathComponent()
                .appendingPathComponent("scenarios/ball-motion.truth")
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
                let words = line.split(separator: " ")
                times.append(Double(words[0])!)
                points.append(SIMD2(Double(words[1])!, Double(words[2])!))
            }
        }

        func at(_ seconds: Double) -> SIMD2<Double> {
            let k = min(max(Int(seconds / 0.1), 0), times.count - 2)
            let f = (seconds - times[k]) / (times[k + 1] - times[k])
            return points[k] + (points[k + 1] - points[k]) * f
        }
    }

    static func runRecorded() throws -> (samples: [(seconds: Double, reading: Reading)], pipeline: SignalPipeline) {
        let events = try RecordedSessionTests.decode("ball-motion")
        let scale = CalibrationCurve.linear(newtonsPerCount: 1 / RecordedSessionTests.countsPerNewton)
        let calibration = try RecordedSessionTests.tare(events, curves: [scale], untilMicroseconds: 2_500_000)
        var pipeline = try SignalPipeline(profile: .massageBallLowerBack, calibration: calibration)
        var samples: [(seconds: Double, reading: Reading)] = []
        for event in events {
            if let reading = pipeline.feed(event, emit: { _ in }) {
                samples.append((Double(reading.deviceTimeMicroseconds) / 1e6, reading))
            }
        }
        return (samples, pipeline)
    }

    static func length(_ v: SIMD2<Double>) -> Double { (v * v).sum().squareRoot() }

    @Test func recordedSessionPositionErrorStillnessLiftAndCells() throws {
        let truth = try Truth()
        let run = try Self.runRecorded()
        // The minute of strokes, 5-65 s; contact began at about 3.4 s with the back at (0, 0).
        let strokes = run.samples.filter { $0.seconds >= 5 && $0.seconds < 65 }
        let errors = strokes.compactMap { s -> SIMD2<Double>? in
            guard let p = s.reading.position, let y = p.millimetres, let x = p.acrossMillimetres else { return nil }
            return SIMD2(x, y) - truth.at(s.seconds)
        }
        #expect(errors.count == strokes.count)  // a position for every sample of the minute
        let distances = errors.map(Self.length)
        let rms = (distances.reduce(0) { $0 + $1 * $1 } / Double(distances.count)).squareRoot()
        let end = errors.last!
        let travelled = zip(strokes.dropFirst(), strokes).reduce(0.0) { sum, pair in
            sum + Self.length(truth.at(pair.0.seconds) - truth.at(pair.1.seconds))
        }
        print("ball position error over the 60 s of 2-D strokes (1 % scale, 5 % noise a read, \(Int(travelled)) mm travelled):")
        print("| measure | across (x) | along (y) | 2-D | goal |")
        print("|---|---|---|---|---|")
        print(String(format: "| at the end (65 s) | %.1f mm | %.1f mm | %.1f mm | <= 20 mm |", end.x, end.y, Self.length(end)))
        print(String(format: "| RMS over the minute | %.1f mm | %.1f mm | %.1f mm | <= 10 mm |",
                     (errors.reduce(0) { $0 + $1.x * $1.x } / Double(errors.count)).squareRoot(),
                     (errors.reduce(0) { $0 + $1.y * $1.y } / Double(errors.count)).squareRoot(), rms))
        print(String(format: "| largest | | | %.1f mm | |", distances.max()!))
        #expect(Self.length(end) <= 20)
        #expect(rms <= 10)

        // Stillness: the press on one spot starts at 65 s.
        let still = run.samples.first { $0.seconds >= 65 && $0.reading.position?.isStill == true }!
        print(String(format: "stillness detected %.2f s after the press began", still.seconds - 65))
        #expect(still.seconds - 65 <= 1)
        let beforeLift = run.samples.last { $0.seconds < 80 }!.reading
        #expect(beforeLift.holdMicroseconds >= 14_000_000)  // the hold timer runs from the stillness

        // Off the ball at 80-83 s while the back moves (40, -30) mm turning nothing; back at 83-84 s:
        // the position continues from where it left, re-anchored once (the true move is unknown).
        let left = beforeLift.position!
        let back = run.samples.first { $0.seconds >= 84.2 }!.reading.position!
        let jump = Self.length(SIMD2(back.acrossMillimetres! - left.acrossMillimetres!, back.millimetres! - left.millimetres!))
        print(String(format: "lift and replace: (%.1f, %.1f) mm before, (%.1f, %.1f) mm after, re-anchored %d",
                     left.acrossMillimetres!, left.millimetres!, back.acrossMillimetres!, back.millimetres!, back.reanchors))
        #expect(jump < 5)
        #expect(back.reanchors == 1)

        // Per-cell (and per-band) time sums to the contact time exactly, and to the pipeline's time on area.
        let tracker = run.pipeline.position!
        let cellSum = tracker.cells.values.reduce(Int64(0)) { $0 + $1.contactMicroseconds }
        let bandSum = tracker.bands.values.reduce(Int64(0)) { $0 + $1.contactMicroseconds }
        #expect(cellSum + tracker.unknownMicroseconds == tracker.contactMicroseconds)
        #expect(bandSum == cellSum)
        #expect(tracker.contactMicroseconds == run.pipeline.sessionMicroseconds)
        #expect(tracker.unknownMicroseconds > 0 && tracker.unknownMicroseconds < 2_000_000)
        #expect(tracker.cells.count >= 10)  // about 6 cm across and 10 cm along in 2 cm cells
        let cadence = tracker.strokesPerMinute!
        print(String(format: "cadence %.1f strokes/min, %d cells", cadence, tracker.cells.count))
        #expect(cadence > 25 && cadence < 35)
    }

    @Test func aFailingSensorIsAFaultAndAnUnknownPositionThroughTheCore() throws {
        // Recorded from the sim-ball firmware: 25 N on the ball turning at 40 mm/s along y, the
        // sensor unplugged at 2-4 s and blind at 5-6 s. Through SessionCore, as live.
        let bytes = try RecordedSessionTests.bytes("ball-faults")
        let scale = CalibrationCurve.linear(newtonsPerCount: 1 / RecordedSessionTests.countsPerNewton)
        let (readings, events, statistics) = PositionTests.throughTheCore(
            bytes, profile: .massageBallLowerBack, calibration: Calibration(offsetCounts: [84213], curves: [scale]))
        func window(_ from: Double, _ to: Double) -> [Reading] {
            readings.filter { (from..<to).contains(Double($0.deviceTimeMicroseconds) / 1e6) }
        }
        // Unknown, never still, while unplugged and while blind.
        for part in [window(2.05, 3.95), window(5.05, 5.95)] {
            #expect(!part.isEmpty && part.allSatisfy { $0.position?.millimetres == nil && $0.position?.isStill == false })
        }
        // The ball's surface turning at 40 mm/s with a 1 % scale error moves the back
        // 40 x 1.01 x (1 - 2c/d) = 36.8 mm/s along the spine, continued after each loss.
        let moving = window(0.5, 1.9).filter { $0.position?.millimetres != nil }
        let span = Double(moving.last!.deviceTimeMicroseconds - moving.first!.deviceTimeMicroseconds) / 1e6
        let speed = (moving.last!.position!.millimetres! - moving.first!.position!.millimetres!) / span
        #expect(abs(speed - 40 * 1.01 * (1 - 2 * 3.0 / 67)) < 1.5, "speed \(speed) mm/s")
        #expect(readings.last?.position?.reanchors == 2)
        #expect(events.contains { $0.reason == .disconnected && $0.channel == 4 })
        #expect(events.contains { $0.reason == .sensorNotReady && $0.channel == 4 })
        let banded = statistics.positionBands.values.reduce(0) { $0 + $1.seconds }
        #expect(abs(banded + statistics.positionUnknownSeconds - statistics.contactSeconds) < 1e-6)
        #expect(statistics.positionUnknownSeconds > 2.5)
    }
}
