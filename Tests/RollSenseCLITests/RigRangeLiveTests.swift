import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import RollSenseTestSupport
#endif

/// `live` says at the start when the rig cannot measure a person's loads (issue 23): the real
/// binary against `rollsense simulate` on a pty, with the built-in roller profile and with a
/// profile file for a rig with the old 50 kg cells (over range from 441 N).
@Suite("live: the rig's range")
struct RigRangeLiveTests {
    private func live(profile: String, bodyWeight: String) throws -> BuiltRollSense.Result {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--speed", "max", "--link", link])
        defer { stop(simulator.process) }
        var path = profile
        if profile == "small-cells" {
            var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: BuiltRollSense.root.appendingPathComponent("Profiles/foam-roller-lower-back.json"))) as? [String: Any])
            var range = try #require(json["range"] as? [String: Any])
            range["overRangeChannelNewtons"] = 441
            json["range"] = range
            json["name"] = "small-cells"
            let file = rollsense.home.appendingPathComponent("small-cells.json")
            try JSONSerialization.data(withJSONObject: json).write(to: file)
            path = file.path
        }
        return try rollsense.run(["live", "--json", "--profile", path, "--device", link, "--duration", "2", "--body-weight", bodyWeight])
    }

    @Test func aRigTooSmallForTheBodyMassSaysSoAtTheStartWithItsRange() throws {
        let result = try live(profile: "small-cells", bodyWeight: "125")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("this rig measures up to 441 N on one channel"), "\(result.stderr)")
        #expect(result.stderr.contains("serves body masses up to 44 kg; at 125 kg"), "\(result.stderr)")
    }

    @Test func theReferenceRollerServesTheHeaviestAcceptedPersonWithoutANote() throws {
        let result = try live(profile: "foam-roller-lower-back", bodyWeight: "300")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("this rig measures up to"), "\(result.stderr)")
    }

    /// `simulate` playing the reference roller with its AS5600 (a scenario's
    /// `rollerRadiusMillimetres`): `live --json` readings carry the roller's position on the back.
    @Test func aSimulatedRollerWithItsRotationSensorGivesPositions() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let scenario = rollsense.home.appendingPathComponent("roller.json")
        try Data(#"""
            {"bodyMassKilograms": 75, "sampleRateHz": 80, "repeats": false, "noiseNewtons": 1, "rollerRadiusMillimetres": 75,
             "segments": [{"label": "rolling", "seconds": 8, "fromLoadPercent": 33, "toLoadPercent": 33,
                           "fromCentroidMillimetres": -90, "toCentroidMillimetres": -90, "strokePercent": 6, "strokeHertz": 0.5,
                           "spreadMillimetres": 300}]}
            """#.utf8).write(to: scenario)
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--speed", "max", "--link", link, "--scenario", scenario.path])
        defer { stop(simulator.process) }
        let result = try rollsense.run(["live", "--json", "--device", link, "--duration", "6", "--body-weight", "75"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let positions = result.lines.compactMap(jsonObject).filter { $0["type"] as? String == "reading" }.compactMap { $0["positionMm"] as? Double }
        #expect(positions.count > 10, "readings with a position: \(positions.count)")
        // Strokes of 60 mm each way: the positions span about 120 mm.
        #expect((positions.max() ?? 0) - (positions.min() ?? 0) > 80)
    }
}
