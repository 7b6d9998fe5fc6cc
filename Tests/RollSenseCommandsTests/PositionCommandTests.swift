import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import RollSenseTestSupport

/// The rotation sensor end to end through the shipped commands: the sim-roller firmware (two
/// HX711s and the AS5600) under simavr on a pty, `rollsense live --json --record`, then `report
/// --svg --json` and `export` on the recording.
@Suite("position along the back, end to end", .serialized)
struct PositionCommandTests {
    static let harness = BuiltRollSense.root.appendingPathComponent("Firmware/build/sim/rollsense-sim")
    static let firmware = BuiltRollSense.root.appendingPathComponent("Firmware/build/sim-roller/rollsense.elf")
    static let scenario = BuiltRollSense.root.appendingPathComponent("Fixtures/firmware/scenarios/roller-rotation.scenario")
    static var built: Bool {
        FileManager.default.isExecutableFile(atPath: harness.path) && FileManager.default.fileExists(atPath: firmware.path)
    }

    /// make-scenarios.py's rig: each cell's zero offset plus half the cradle's 1.6 kg, 4382 counts a newton.
    static let calibration = """
        {"offsetCounts": [118605, 3370], "curves": [\
        {"linear": {"newtonsPerCount": 0.00022821}}, {"linear": {"newtonsPerCount": 0.00022821}}]}
        """

    /// The harness running `firmware` on `scenario` for 30 s, its pty at `link` once it is there.
    static func startSimulator(firmware: URL, scenario: URL, link: String) throws -> Process {
        let harness = Process()
        harness.executableURL = Self.harness
        harness.arguments = ["--seconds", "30", "--scenario", scenario.path, "--link", link, firmware.path]
        harness.standardOutput = FileHandle.nullDevice
        harness.standardError = FileHandle.nullDevice
        try harness.run()
        while !FileManager.default.fileExists(atPath: link) && harness.isRunning { usleep(10_000) }
        return harness
    }

    @Test(.enabled(if: PositionCommandTests.built || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_FIRMWARE"] == "1"))
    func liveRecordReportAndExportCarryThePosition() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let calibrationFile = rollsense.path("calibration.json")
        try Self.calibration.write(toFile: calibrationFile, atomically: true, encoding: .utf8)
        let link = rollsense.path("roller")
        let harness = try Self.startSimulator(firmware: Self.firmware, scenario: Self.scenario, link: link)
        defer { stopSimulator(harness) }

        // 20 s: sitting down at 3-5 s, then 15 s of rolling strokes.
        let capture = rollsense.path("roller.rscap")
        let live = try rollsense.run(["live", "--json", "--device", link, "--no-reset", "--duration", "20",
                                      "--calibration", calibrationFile, "--record", capture])
        #expect(live.status == 0, "stderr: \(live.stderr)")
        let readings = lines(ofType: "reading", in: live.lines).compactMap(jsonObject)
        let placed = readings.filter { $0["positionMm"] is Double }
        #expect(placed.count > readings.count / 2, "readings with a position: \(placed.count) of \(readings.count)")
        let farthest = placed.compactMap { $0["positionMm"] as? Double }.max() ?? 0
        #expect(farthest > 80 && farthest < 160, "the strokes reach 12 cm plus the drift up the back: \(farthest) mm")

        let svgPath = rollsense.path("roller.svg")
        let report = try rollsense.run(["report", capture, "--json", "--svg", svgPath])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        let object = try #require(report.lines.compactMap(jsonObject).first)
        let position = try #require(object["position"] as? [String: Any])
        let bands = try #require(position["bands"] as? [[String: Any]])
        #expect(bands.count >= 5)
        let banded = bands.compactMap { $0["contactS"] as? Double }.reduce(0, +)
        let contact = try #require(object["contactS"] as? Double)
        let unknown = try #require(position["unknownS"] as? Double)
        #expect(abs(banded + unknown - contact) < 0.01, "bands \(banded) + unknown \(unknown) vs contact \(contact)")
        // The day's history keeps the same time per spot (live wrote it to the ledger).
        let history = try rollsense.run(["history", "--bands", "--json"])
        #expect(history.status == 0, "stderr: \(history.stderr)")
        let days = history.lines.compactMap(jsonObject)
        #expect(days.count == bands.count, "one row per band: \(history.stdout)")
        #expect(days.compactMap { $0["fromMm"] as? Double } == bands.compactMap { $0["fromMm"] as? Double })
        let storedBanded = days.compactMap { $0["contactS"] as? Double }.reduce(0, +)
        #expect(abs(storedBanded - banded) < 0.01, "history \(storedBanded) s vs report \(banded) s on bands")
        let table = try rollsense.run(["history", "--bands"])
        #expect(table.stdout.contains("Spot (cm)") && table.stdout.contains("0.0 to 2.0"), "\(table.stdout)")
        #expect(try rollsense.run(["history"]).stdout.contains("rollsense history --bands"))
        let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        #expect(svg.contains("id=\"body-map\""))
        #expect(svg.components(separatedBy: "class=\"band\"").count - 1 == bands.count)

        let csvPath = rollsense.path("roller.csv")
        let export = try rollsense.run(["export", capture, "--csv", csvPath])
        #expect(export.status == 0, "stderr: \(export.stderr)")
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n")
        #expect(csv.first?.hasSuffix("angle_counts,position_mm,band,still,drift_bound_mm") == true)
    }

    static let ballFirmware = BuiltRollSense.root.appendingPathComponent("Firmware/build/sim-ball/rollsense.elf")
    static let ballScenario = BuiltRollSense.root.appendingPathComponent("Fixtures/firmware/scenarios/ball-motion.scenario")
    static var ballBuilt: Bool {
        FileManager.default.isExecutableFile(atPath: harness.path) && FileManager.default.fileExists(atPath: ballFirmware.path)
    }

    /// The ball rig: the wall plate's load cell zero plus its 1.6 kg, 4379 counts a newton.
    static let ballCalibration = """
        {"offsetCounts": [152920], "curves": [{"linear": {"newtonsPerCount": 0.00022837}}]}
        """

    /// The sim-ball firmware (one HX711 and the ADNS-3080 on SPI) under simavr: `live --json
    /// --record` carries x and y, the report's body map is a grid, export has the 2-D columns and
    /// the history keeps the cells.
    @Test(.enabled(if: PositionCommandTests.ballBuilt || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_FIRMWARE"] == "1"))
    func aBallsPositionIsTwoDimensionalInEveryOutput() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let calibrationFile = rollsense.path("calibration.json")
        try Self.ballCalibration.write(toFile: calibrationFile, atomically: true, encoding: .utf8)
        let link = rollsense.path("ball")
        let harness = try Self.startSimulator(firmware: Self.ballFirmware, scenario: Self.ballScenario, link: link)
        defer { stopSimulator(harness) }

        // 20 s: leaning in at 3-5 s, then 15 s of strokes in 2-D.
        let capture = rollsense.path("ball.rscap")
        let live = try rollsense.run(["live", "--json", "--device", link, "--no-reset", "--duration", "20",
                                      "--profile", "massage-ball-lower-back", "--calibration", calibrationFile, "--record", capture])
        #expect(live.status == 0, "stderr: \(live.stderr)")
        let readings = lines(ofType: "reading", in: live.lines).compactMap(jsonObject)
        let placed = readings.filter { $0["positionMm"] is Double && $0["acrossMm"] is Double }
        #expect(placed.count > readings.count / 2, "readings with a 2-D position: \(placed.count) of \(readings.count)")
        let across = placed.compactMap { $0["acrossMm"] as? Double }
        #expect((across.max() ?? 0) - (across.min() ?? 0) > 10, "the strokes wander across the back")

        let svgPath = rollsense.path("ball.svg")
        let report = try rollsense.run(["report", capture, "--json", "--svg", svgPath])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        let object = try #require(report.lines.compactMap(jsonObject).first)
        let position = try #require(object["position"] as? [String: Any])
        let cells = try #require(position["cells"] as? [[String: Any]])
        #expect(cells.count >= 6)
        let celled = cells.compactMap { $0["contactS"] as? Double }.reduce(0, +)
        let contact = try #require(object["contactS"] as? Double)
        let unknown = try #require(position["unknownS"] as? Double)
        #expect(abs(celled + unknown - contact) < 0.01, "cells \(celled) + unknown \(unknown) vs contact \(contact)")
        let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        #expect(svg.components(separatedBy: "class=\"cell\"").count - 1 == cells.count)

        let history = try rollsense.run(["history", "--cells", "--json"])
        #expect(history.status == 0, "stderr: \(history.stderr)")
        let days = history.lines.compactMap(jsonObject)
        #expect(days.count == cells.count, "one row per cell: \(history.stdout)")
        #expect(days.compactMap { $0["acrossFromMm"] as? Double } == cells.compactMap { $0["acrossFromMm"] as? Double })
        let table = try rollsense.run(["history", "--cells"])
        #expect(table.stdout.contains("Across (cm)"), "\(table.stdout)")

        let csvPath = rollsense.path("ball.csv")
        let export = try rollsense.run(["export", capture, "--csv", csvPath])
        #expect(export.status == 0, "stderr: \(export.stderr)")
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n")
        #expect(csv.first?.hasSuffix("motion_x_counts,motion_y_counts,position_mm,band,across_mm,column,still,drift_bound_mm") == true)
    }
}
