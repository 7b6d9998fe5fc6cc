import Foundation
import RollSenseSimulatorSupport
import RollSenseWire
import Testing

// The recorded sessions in Fixtures/firmware/captures (Firmware/sim/record-fixtures.sh): each
// decodes cleanly with RollSenseWire, its .times file accounts for every byte, and each shows the
// events its scenario describes (Fixtures/README.md). These need no firmware build.

private let captures = FirmwareBuild.root.appendingPathComponent("Fixtures/firmware/captures")

private struct DecodedCapture {
    var info: DeviceInfo?
    var samples: [Sample] = []
    var faults: [DeviceFault] = []
    var counters: FrameCounters
    var byteCount: Int
    var times: [(timeMicroseconds: Int64, byteCount: Int)]
}

private func decode(_ name: String) throws -> DecodedCapture {
    let bytes = try Data(contentsOf: captures.appendingPathComponent("\(name).bin"))
    var decoder = FrameDecoder()
    var info: DeviceInfo?
    var samples: [Sample] = []
    var faults: [DeviceFault] = []
    decoder.feed(bytes) { event in
        switch event {
        case .info(let hello): if info == nil { info = hello }
        case .sample(let sample): samples.append(sample)
        case .fault(let fault): faults.append(fault)
        default: break
        }
    }
    let timesText = try String(contentsOf: captures.appendingPathComponent("\(name).times"), encoding: .utf8)
    let times = timesText.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line -> (Int64, Int)? in
        let fields = line.split(separator: " ")
        guard fields.count == 2, let time = Int64(fields[0]), let count = Int(fields[1]) else { return nil }
        return (time, count)
    }
    return DecodedCapture(info: info, samples: samples, faults: faults, counters: decoder.counters,
                          byteCount: bytes.count, times: times)
}

/// The sum of every channel's raw counts: a load proxy that needs no calibration.
private func totalCounts(_ sample: Sample) -> Double {
    (0..<sample.channelCount).reduce(0) { $0 + sample.values[$1] }
}

private func samples(_ capture: DecodedCapture, from: Double, to: Double) -> [Sample] {
    capture.samples.filter { Double($0.deviceTimeMicroseconds) >= from * 1e6 && Double($0.deviceTimeMicroseconds) < to * 1e6 }
}

@Suite("Recorded firmware sessions")
struct RecordedFixtureTests {
    @Test("every capture decodes with no bad frame or gap, at 100 Hz, and its times cover every byte",
          arguments: ["foam-roller-lower-back", "massage-ball", "sensor-unplugged"])
    func decodesCleanly(name: String) throws {
        let capture = try decode(name)
        #expect(capture.counters.crcFailures == 0)
        #expect(capture.counters.malformedFrames == 0)
        #expect(capture.counters.sequenceGaps == 0)
        #expect(capture.counters.discardedBytes == 0)
        #expect(capture.info?.sampleRateHz == 100)
        #expect(capture.byteCount < 1_000_000)
        #expect(capture.times.reduce(0) { $0 + $1.byteCount } == capture.byteCount)
        #expect(zip(capture.times, capture.times.dropFirst()).allSatisfy { $0.timeMicroseconds <= $1.timeMicroseconds })
        let first = try #require(capture.samples.first), last = try #require(capture.samples.last)
        let periodMicroseconds = Double(last.deviceTimeMicroseconds - first.deviceTimeMicroseconds) / Double(capture.samples.count - 1)
        #expect(abs(periodMicroseconds - 10_000) < 10)
    }

    @Test("foam roller: loaded while rolling, hardest in the over-pressure moment, back to empty at rest")
    func foamRoller() throws {
        let capture = try decode("foam-roller-lower-back")
        #expect(capture.info?.sensorKinds == Array(repeating: .hx711LoadCell, count: 4))
        #expect(capture.faults.isEmpty)
        let empty = samples(capture, from: 1, to: 4).map(totalCounts)
        let rolling = samples(capture, from: 10, to: 68).map(totalCounts)
        let hold = samples(capture, from: 75, to: 115).map(totalCounts)
        let overPressure = samples(capture, from: 117.2, to: 118.8).map(totalCounts)
        let rest = samples(capture, from: 125, to: 134).map(totalCounts)
        let emptyLevel = empty.reduce(0, +) / Double(empty.count)
        // Rolling strokes rise and fall; the hold is steadier; over-pressure is above both.
        #expect(rolling.max()! - rolling.min()! > 2 * (hold.max()! - hold.min()!))
        #expect(overPressure.min()! > hold.max()!)
        #expect(overPressure.min()! > rolling.max()!)
        #expect(rest.allSatisfy { abs($0 - emptyLevel) < 2_000 }, "back to the empty level after lift-off")
    }

    @Test("massage ball: one FSR, never reads open, presses above the circles")
    func massageBall() throws {
        let capture = try decode("massage-ball")
        #expect(capture.info?.sensorKinds == [.forceSensingResistor])
        #expect(capture.faults.isEmpty, "the bleed resistor keeps an unloaded FSR above the open threshold")
        let idle = samples(capture, from: 0.5, to: 2.5).map { $0.values[0] }
        #expect(idle.allSatisfy { $0 >= 15 && $0 <= 30 })
        let circles = samples(capture, from: 6, to: 34).map { $0.values[0] }
        let presses = samples(capture, from: 37, to: 39).map { $0.values[0] }
        #expect(presses.min()! > circles.reduce(0, +) / Double(circles.count))
    }

    @Test("sensor unplugged: not-ready faults on load cell 1 and disconnected on channel 3, only while out")
    func sensorUnplugged() throws {
        let capture = try decode("sensor-unplugged")
        #expect(capture.info?.sensorKinds == [.hx711LoadCell, .hx711LoadCell, .forceSensingResistor, .forceSensingResistor])
        let notReady = capture.faults.filter { $0.code == .sensorNotReady }
        let disconnected = capture.faults.filter { $0.code == .disconnected }
        #expect(notReady.allSatisfy { $0.channel == 1 && $0.deviceTimeMicroseconds > 20_000_000 && $0.deviceTimeMicroseconds < 40_200_000 })
        #expect(disconnected.allSatisfy { $0.channel == 3 && $0.deviceTimeMicroseconds >= 30_000_000 && $0.deviceTimeMicroseconds < 45_100_000 })
        // Reported when they start and once a second while they last (docs/PROTOCOL.md).
        #expect((19...21).contains(notReady.count))
        #expect((14...16).contains(disconnected.count))
        #expect(capture.faults.count == notReady.count + disconnected.count)
    }
}
