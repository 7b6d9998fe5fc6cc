import Foundation
import RollSenseKit
import Testing

/// `rollsense calibrate --yes` against `simulate` with a known mass put on the virtual roller.
@Suite("rollsense calibrate")
struct CalibrateCommandTests {
    @Test func knownMassGivesTheVirtualBoardsCalibrationAndLiveReadsTheMass() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        // 4 s empty, then 20 kg resting on the middle of the roller (100 % of a 20 kg "body").
        let scenario = SyntheticScenario(bodyMassKilograms: 20, sampleRateHz: 80, repeats: false, noiseNewtons: 1, segments: [
            .init("empty", seconds: 4, load: (0, 0), centroid: (0, 0)),
            .init("mass put down", seconds: 0.5, load: (0, 100), centroid: (0, 0)),
            .init("mass resting", seconds: 120, load: (100, 100), centroid: (0, 0)),
        ])
        let file = rollsense.home.appendingPathComponent("mass.json")
        try JSONEncoder().encode(scenario).write(to: file)
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--scenario", file.path, "--speed", "4", "--link", link])
        defer { stop(simulator.process) }

        let result = try rollsense.run(["calibrate", "--device", link, "--mass-kg", "20", "--yes"], timeoutSeconds: 60)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let key = "device:" + String(VirtualDevice.deviceID, radix: 16)
        #expect(result.stdout.contains("Saved for \(key)"))
        let stored = try JSONSerialization.jsonObject(with: Data(contentsOf: rollsense.configDirectory.appendingPathComponent("calibrations.json"))) as? [String: Any]
        let entry = try #require(stored?[key] as? [String: Any])
        let offsets = try #require(entry["offsetCounts"] as? [Double])
        for (measured, actual) in zip(offsets, VirtualDevice.offsetCounts) {
            #expect(abs(measured - actual) < 5, "tare \(measured) vs the board's zero \(actual)")
        }
        let curves = try #require(entry["curves"] as? [[String: Any]])
        let scale = try #require((curves.first?["linear"] as? [String: Any])?["newtonsPerCount"] as? Double)
        #expect(abs(scale / VirtualDevice.newtonsPerCount - 1) < 0.01, "scale \(scale) vs \(VirtualDevice.newtonsPerCount)")

        // The next session on the same board reads the 20 kg as 196 N.
        let live = try rollsense.run(["live", "--json", "--device", link, "--duration", "2"], timeoutSeconds: 60)
        #expect(live.status == 0, "stderr: \(live.stderr)")
        let forces = live.lines.compactMap(jsonObject).filter { $0["type"] as? String == "reading" }.compactMap { $0["forceN"] as? Double }
        let last = try #require(forces.last)
        #expect(abs(last - 20 * 9.80665) < 5, "20 kg read as \(last) N")
    }
}
