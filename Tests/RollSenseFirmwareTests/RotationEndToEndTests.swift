import Foundation
import RollSenseSignal
import RollSenseSimulatorSupport
import RollSenseWire
import Testing

// The sim-roller firmware (two HX711s and the AS5600, docs/HARDWARE.md) live under the harness,
// with the AS5600 model on simavr's TWI (Firmware/sim/as5600-model.c), read through its pty by
// RollSenseWire and run through the signal pipeline: angles arrive with their samples, and an
// unplugged sensor or a lost magnet is a fault and an unknown position, never "not moving".

private let rollerFirmware = FirmwareBuild.root.appendingPathComponent("Firmware/build/sim-roller/rollsense.elf")
private let rotationFaults = FirmwareBuild.root.appendingPathComponent("Fixtures/firmware/scenarios/rotation-faults.scenario")

@Suite(.serialized) struct RotationEndToEndTests {
    @Test("angles arrive with their samples; unplugged and magnet-lost are faults with no position")
    func anglesAndFaults() throws {
        guard FirmwareBuild.isBuilt, FileManager.default.fileExists(atPath: rollerFirmware.path) else {
            Issue.record(Comment(rawValue: FirmwareBuild.missingMessage))
            return
        }
        let device = try SimulatedDevice(firmware: rollerFirmware, scenario: rotationFaults, simulatedSeconds: 12)
        let info = try device.waitForHello()
        #expect(info.sensorKinds == [.hx711LoadCell, .hx711LoadCell])
        #expect(info.extraKinds == [.rotationAngle])
        #expect(info.rotationChannel == 0)

        // Contact from the start: 1 mN a count puts the cells' half a million counts far above the
        // contact threshold, so the position is tracked whenever an angle is there.
        let scale = CalibrationCurve.linear(newtonsPerCount: 0.001)
        var pipeline = try SignalPipeline(profile: .foamRollerLowerBack,
                                          calibration: Calibration(offsetCounts: [0, 0], curves: [scale, scale]))
        pipeline.identify(info)
        var faults: [DeviceFault] = []
        var readings: [Reading] = []
        var events: [SignalEvent] = []
        let all = try device.events(until: "11.5 s of samples", within: 120) { event in
            if case .sample(let sample) = event { return sample.deviceTimeMicroseconds > 11_500_000 }
            return false
        }
        for event in all {
            if case .fault(let fault) = event { faults.append(fault) }
            if let reading = pipeline.feed(event, emit: { events.append($0) }) { readings.append(reading) }
        }
        func window(_ from: Double, _ to: Double) -> [Reading] {
            readings.filter { Double($0.deviceTimeMicroseconds) / 1e6 >= from && Double($0.deviceTimeMicroseconds) / 1e6 < to }
        }
        // Unplugged 3-5 s, magnet gone 7-9 s: no position, and the sensor's faults on channel 4.
        #expect(window(3.05, 4.95).allSatisfy { $0.position?.millimetres == nil && $0.position?.isStill == false })
        #expect(window(7.05, 8.95).allSatisfy { $0.position?.millimetres == nil })
        #expect(faults.contains { $0.code == .disconnected && $0.channel == 4 })
        #expect(faults.contains { $0.code == .magnet && $0.channel == 4 })
        #expect(events.contains { $0.reason == .disconnected && $0.channel == 4 })
        // Turning steadily at 30°/s (39.3 mm/s on the 75 mm roller) elsewhere: a moving position.
        let moving = window(1, 2.9).filter { $0.position?.millimetres != nil }
        try #require(moving.count > 150)
        let seconds = Double(moving.last!.deviceTimeMicroseconds - moving.first!.deviceTimeMicroseconds) / 1e6
        let speed = (moving.last!.position!.millimetres! - moving.first!.position!.millimetres!) / seconds
        #expect(abs(speed - 39.3) < 1.5, "speed \(speed) mm/s")
        #expect(window(5.5, 6.9).allSatisfy { $0.position?.millimetres != nil && $0.position?.isStill == false })
        // After each loss the position continues, re-anchored.
        #expect(readings.last?.position?.reanchors == 2)
        #expect(device.decoder.counters.unknownFrames == 0)
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
        case .reply, .protocolDetected: break
        }
        return nil
    }
}
