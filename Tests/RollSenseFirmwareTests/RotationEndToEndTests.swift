import Foundation
import RollSenseSimulatorSupport
import RollSenseWire
import Testing

// The sim-roller firmware (two HX711s and the AS5600, docs/HARDWARE.md) live under the harness,
// with the AS5600 model on simavr's TWI (Firmware/sim/as5600-model.c), read through its pty by
// RollSenseWire: angles arrive with their samples, and an unplugged sensor or a lost magnet is a
// fault and "no reading", never an angle that stops changing. (What the pipeline makes of the
// same session: PositionTests, on its recording.)

private let rollerFirmware = FirmwareBuild.root.appendingPathComponent("Firmware/build/sim-roller/rollsense.elf")
private let rotationFaults = FirmwareBuild.root.appendingPathComponent("Fixtures/firmware/scenarios/rotation-faults.scenario")

@Suite(.serialized) struct RotationEndToEndTests {
    @Test("angles arrive with their samples; unplugged and magnet-lost are faults with no reading")
    func anglesAndFaults() throws {
        guard FirmwareBuild.isBuilt, FileManager.default.fileExists(atPath: rollerFirmware.path) else {
            Issue.record(Comment(rawValue: FirmwareBuild.missingMessage))
            return
        }
        let device = try SimulatedDevice(firmware: rollerFirmware, scenario: rotationFaults, simulatedSeconds: 12)
        let info = try device.waitForHello()
        #expect(info.sensorKinds == [.hx711LoadCell, .hx711LoadCell])
        #expect(info.extraKinds == [.rotationAngle])
        let channel = try #require(info.rotationChannel)

        var samples: [Sample] = []
        var faults: [DeviceFault] = []
        for event in try device.events(until: "11.5 s of samples", within: 120, { event in
            if case .sample(let sample) = event { return sample.deviceTimeMicroseconds > 11_500_000 }
            return false
        }) {
            if case .sample(let sample) = event { samples.append(sample) }
            if case .fault(let fault) = event { faults.append(fault) }
        }
        func seconds(_ sample: Sample) -> Double { Double(sample.deviceTimeMicroseconds) / 1e6 }
        // Every sample has its extra channel; no reading exactly while unplugged (3-5 s) and while
        // the magnet is gone (7-9 s).
        #expect(samples.allSatisfy { $0.extras.count == 1 })
        let missing = samples.filter { $0.extras.reading(channel) == nil }.map(seconds)
        #expect(missing.count >= 390 && missing.count <= 402)
        #expect(missing.allSatisfy { (3.0..<5.02).contains($0) || (7.0..<9.02).contains($0) })
        #expect(faults.contains { $0.code == .disconnected && $0.channel == 4 && $0.value == 1 })
        #expect(faults.contains { $0.code == .magnet && $0.channel == 4 })
        // Turning at 30°/s: 341 counts a second, about 3.4 a sample, never standing still.
        let good = samples.filter { (1.0..<2.9).contains(seconds($0)) }.compactMap { $0.extras.reading(channel) }
        let steps = zip(good, good.dropFirst()).map { (Int($1) - Int($0) + 4096) % 4096 }
        let mean = Double(steps.reduce(0, +)) / Double(steps.count)
        #expect(abs(mean - 3.41) < 0.2, "mean step \(mean) counts")
        #expect(device.decoder.counters.unknownFrames == 0)
        #expect(device.decoder.counters.sequenceGaps == 0)
    }
}
