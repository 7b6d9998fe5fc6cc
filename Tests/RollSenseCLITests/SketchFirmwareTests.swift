import Foundation
import RollSenseSimulatorSupport
import Testing
import RollSenseTestSupport

/// One format of Firmware/examples/sketch-formats.cpp under the simavr harness at its real baud
/// rate, read by `rollsense live --baud auto` as a new user would.
struct SketchFormatCase: Sendable, CustomStringConvertible {
    var format: Int
    var name: String
    var baud: Int
    /// The calibration for unitless values (counts or the sketch's own units per newton), nil
    /// when the sketch prints a force unit.
    var newtonsPerValue: [Double]?
    var offset: [Double] = [0, 0]
    var durationSeconds: Double
    var truthNewtons: Double

    var description: String { "format \(format) \(name)" }

    /// Load cells: the sketch's counts are 8000 unloaded (chip 0) and -3000 (chip 1), plus
    /// `countsPerNewton` per newton: 60 N on chip 0, 30 N on chip 1 from 2 s on.
    static let countsPerNewton = 9525.0 / 4.448222
    static let scenario = """
        seed 5
        0 hx711 0 8000
        0 hx711 1 -3000
        0 adc 0 0
        2 hx711 0 \(Int(8000 + 60 * countsPerNewton))
        2 hx711 1 \(Int(-3000 + 30 * countsPerNewton))
        2 adc 0 2500
        """

    static let all: [SketchFormatCase] = [
        SketchFormatCase(format: 1, name: "bogde HX711_basic_example", baud: 57_600, newtonsPerValue: [1 / countsPerNewton],
                         offset: [8000, 0], durationSeconds: 6, truthNewtons: 60),
        // One line per 5 s after a banner: a slow device whose readings are whole from the first.
        SketchFormatCase(format: 2, name: "bogde HX711_full_example", baud: 38_400, newtonsPerValue: [2280 / countsPerNewton],
                         durationSeconds: 16, truthNewtons: 60),
        SketchFormatCase(format: 3, name: "olkal HX711_ADC Read_1x_load_cell", baud: 57_600, newtonsPerValue: [696 / countsPerNewton],
                         durationSeconds: 6, truthNewtons: 60),
        SketchFormatCase(format: 4, name: "olkal HX711_ADC Read_2x_load_cell", baud: 57_600,
                         newtonsPerValue: [696 / countsPerNewton, 696 / countsPerNewton], durationSeconds: 6, truthNewtons: 90),
        SketchFormatCase(format: 5, name: "SparkFun HX711 example (lbs)", baud: 9_600, newtonsPerValue: nil, durationSeconds: 4, truthNewtons: 60),
        // 2500 mV on A0 reads 511; the calibration says 511.5 counts is 60 N.
        SketchFormatCase(format: 6, name: "Adafruit FSR analog reading", baud: 9_600, newtonsPerValue: [60 / 511.5],
                         durationSeconds: 6, truthNewtons: 60),
        SketchFormatCase(format: 7, name: "RobTillaart HX711_plotter", baud: 115_200, newtonsPerValue: [420 / countsPerNewton],
                         durationSeconds: 6, truthNewtons: 60),
    ]
}

// One sketch at a time: seven simulators in real time on a shared machine fall behind, and a
// sketch that lags by seconds makes real clock jumps in the host-stamped lines.
@Suite(.serialized) struct SketchFirmwareTests {
    static let harness = FirmwareBuild.harness
    static func elf(_ format: Int) -> URL {
        FirmwareBuild.root.appendingPathComponent("Firmware/build/examples/format-\(format).elf")
    }
    static var built: Bool {
        FileManager.default.isExecutableFile(atPath: harness.path) && FileManager.default.fileExists(atPath: elf(7).path)
    }

    /// The rate is found without being told, and the forces are within 2 % of the truth (after
    /// the calibration for unitless values, directly for a unit).
    @Test(.enabled(if: SketchFirmwareTests.built || FirmwareBuild.isRequired), arguments: SketchFormatCase.all)
    func liveReadsTheSketchAtItsRealBaud(_ sketch: SketchFormatCase) throws {
        try #require(Self.built, Comment(rawValue: FirmwareBuild.missingMessage))
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let scenarioFile = rollsense.home.appendingPathComponent("sketch.scenario")
        try SketchFormatCase.scenario.write(to: scenarioFile, atomically: true, encoding: .utf8)
        let link = rollsense.home.appendingPathComponent("sketch").path
        let harness = Process()
        harness.executableURL = Self.harness
        harness.arguments = ["--realtime", "--seconds", "60", "--scenario", scenarioFile.path, "--link", link, Self.elf(sketch.format).path]
        harness.standardOutput = FileHandle.nullDevice
        harness.standardError = FileHandle.nullDevice
        try harness.run()
        defer { stop(harness) }
        while !FileManager.default.fileExists(atPath: link) && harness.isRunning { usleep(10_000) }

        var extra: [String] = []
        if let scales = sketch.newtonsPerValue {
            let curves = (0..<4).map { "{\"linear\": {\"newtonsPerCount\": \(scales[min($0, scales.count - 1)])}}" }
            let offsets = (0..<4).map { String(sketch.offset[min($0, sketch.offset.count - 1)]) }
            let file = rollsense.home.appendingPathComponent("calibration.json")
            try "{\"offsetCounts\": [\(offsets.joined(separator: ", "))], \"curves\": [\(curves.joined(separator: ", "))]}"
                .write(to: file, atomically: true, encoding: .utf8)
            extra = ["--calibration", file.path]
        }
        let result = try rollsense.run(
            ["live", "--json", "--device", link, "--baud", "auto", "--duration", String(sketch.durationSeconds)] + extra,
            timeoutSeconds: 90)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("at \(sketch.baud) baud: text"), "\(result.stderr)")
        let forces = result.lines.compactMap { line -> Double? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["type"] as? String == "reading" else { return nil }
            return object["forceN"] as? Double
        }
        let last = try #require(forces.last, "no reading: \(result.stdout.prefix(400)) \(result.stderr)")
        #expect(abs(last - sketch.truthNewtons) <= 0.02 * sketch.truthNewtons, "\(sketch): \(forces.suffix(5))")
        #expect(!result.lines.contains { $0.contains("\"reason\":\"clockJump\"") }, "a slow sketch is not a jumping clock")
    }
}
