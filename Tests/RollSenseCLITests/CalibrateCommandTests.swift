import Foundation
import RollSenseKit
import RollSenseWire
import Testing
#if canImport(Glibc)
import Glibc
import RollSenseTestSupport
#endif

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

    /// 4 s empty, then the mass (100 % of the 20 kg "body") put down and left resting.
    static let emptyThenMass: [SyntheticScenario.Segment] = [
        .init("empty", seconds: 4, load: (0, 0), centroid: (0, 0)),
        .init("mass put down", seconds: 0.5, load: (0, 100), centroid: (0, 0)),
        .init("mass resting", seconds: 120, load: (100, 100), centroid: (0, 0)),
    ]

    /// A virtual board serving `segments` once, at 4x, behind a link in the test's home.
    private func board(_ rollsense: BuiltRollSense, _ segments: [SyntheticScenario.Segment]) throws -> (process: Process, link: String) {
        let scenario = SyntheticScenario(bodyMassKilograms: 20, sampleRateHz: 80, repeats: false, noiseNewtons: 1, segments: segments)
        let file = rollsense.home.appendingPathComponent("scenario-\(UUID().uuidString).json")
        try JSONEncoder().encode(scenario).write(to: file)
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--scenario", file.path, "--speed", "4", "--link", link])
        return (simulator.process, link)
    }

    private var calibrationsFile: (BuiltRollSense) -> URL { { $0.configDirectory.appendingPathComponent("calibrations.json") } }
    private let virtualKey = "device:" + String(VirtualDevice.deviceID, radix: 16)

    /// Stores a calibration for the virtual board with its true zero and `scaleFactor` times its scale.
    private func storeVirtualCalibration(_ rollsense: BuiltRollSense, scaleFactor: Double) throws {
        let curve = ["linear": ["newtonsPerCount": VirtualDevice.newtonsPerCount * scaleFactor]]
        let entry: [String: Any] = ["offsetCounts": VirtualDevice.offsetCounts, "curves": Array(repeating: curve, count: 4)]
        try JSONSerialization.data(withJSONObject: [virtualKey: entry]).write(to: calibrationsFile(rollsense))
    }

    private func storedScale(_ rollsense: BuiltRollSense) throws -> Double? {
        let stored = try JSONSerialization.jsonObject(with: Data(contentsOf: calibrationsFile(rollsense))) as? [String: Any]
        let curves = (stored?[virtualKey] as? [String: Any])?["curves"] as? [[String: Any]]
        return (curves?.first?["linear"] as? [String: Any])?["newtonsPerCount"] as? Double
    }

    /// Issue 17: a zero taken under 412 N was saved and every later session read the empty
    /// roller as a load. The tare is judged (TareEstimator) and refused; nothing is saved.
    @Test func aTareUnderLoadIsRefusedAndNothingSaved() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let (simulator, link) = try board(rollsense, [.init("someone on the roller", seconds: 120, load: (210, 210), centroid: (0, 0))])
        defer { stop(simulator) }
        let result = try rollsense.run(["calibrate", "--device", link, "--mass-kg", "20", "--yes"], timeoutSeconds: 60)
        #expect(result.status == 65, "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(result.stderr.contains("Not tared"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: calibrationsFile(rollsense).path))
    }

    @Test func aLoadThatIsNotSteadyWhileMeasuredIsRefused() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        // Steady for the one second the wait needs, then the load climbs while it is averaged.
        let (simulator, link) = try board(rollsense, [
            .init("empty", seconds: 4, load: (0, 0), centroid: (0, 0)),
            .init("mass put down", seconds: 0.5, load: (0, 100), centroid: (0, 0)),
            .init("mass resting", seconds: 1.3, load: (100, 100), centroid: (0, 0)),
            .init("pressed on", seconds: 2, load: (100, 200), centroid: (0, 0)),
            .init("held down", seconds: 120, load: (200, 200), centroid: (0, 0)),
        ])
        defer { stop(simulator) }
        let result = try rollsense.run(["calibrate", "--device", link, "--mass-kg", "20", "--yes"], timeoutSeconds: 60)
        #expect(result.status == 65, "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(result.stderr.contains("not steady"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: calibrationsFile(rollsense).path))
    }

    @Test func aScaleFarFromTheStoredOneIsRefusedShowingBothSideBySide() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        try storeVirtualCalibration(rollsense, scaleFactor: 0.25)
        let (simulator, link) = try board(rollsense, Self.emptyThenMass)
        defer { stop(simulator) }
        let result = try rollsense.run(["calibrate", "--device", link, "--mass-kg", "20", "--yes"], timeoutSeconds: 60)
        #expect(result.status == 65, "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(result.stderr.contains("times the stored one"))
        // Side by side: the stored scale reads the 20 kg as a quarter of its weight.
        let row = try #require(result.lines.first { $0.contains("20.0 kg") })
        #expect(row.contains("49."), "\(row)")
        #expect(row.contains("196."), "\(row)")
        #expect(abs(try #require(try storedScale(rollsense)) / (VirtualDevice.newtonsPerCount * 0.25) - 1) < 1e-9)
    }

    @Test func aNewCalibrationKeepsTheOldOneForUndoAndShowListsBoth() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        try storeVirtualCalibration(rollsense, scaleFactor: 1.5)
        let (simulator, link) = try board(rollsense, Self.emptyThenMass)
        defer { stop(simulator) }
        let result = try rollsense.run(["calibrate", "--device", link, "--mass-kg", "20", "--yes"], timeoutSeconds: 60)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("stored"), "the old calibration is shown next to the new")
        #expect(result.stdout.contains("--undo puts it back"))
        let saved = try #require(try storedScale(rollsense))
        #expect(abs(saved / VirtualDevice.newtonsPerCount - 1) < 0.01)

        let show = try rollsense.run(["calibrate", "--show"], timeoutSeconds: 30)
        #expect(show.status == 0, "stderr: \(show.stderr)")
        #expect(show.stdout.contains(virtualKey))
        #expect(show.stdout.contains("earlier (--undo)"))

        let undo = try rollsense.run(["calibrate", "--device", link, "--undo"], timeoutSeconds: 60)
        #expect(undo.status == 0, "stderr: \(undo.stderr)")
        #expect(abs(try #require(try storedScale(rollsense)) / (VirtualDevice.newtonsPerCount * 1.5) - 1) < 1e-9)
        let again = try rollsense.run(["calibrate", "--device", link, "--undo"], timeoutSeconds: 60)
        #expect(again.status == 64, "only one step back is kept: \(again.stderr)")
    }

    /// How the sketch below prints a raw reading: a label without a unit, which the text parser
    /// on main reads as raw counts (the HX711 examples' `HX711 reading: 84111` needs the parser
    /// that reads a label with spaces; this test holds for either form).
    static let rawCountLinePrefix = "reading:"

    /// A Serial Plotter sketch printing raw HX711 counts (`reading:84111`) is calibrated
    /// host-side, stored by the path it was opened by (no USB serial, no by-id name on a pty),
    /// and `live` applies it next time without being told.
    @Test func aTextSketchOfRawCountsIsCalibratedAndLiveUsesIt() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.home.appendingPathComponent("hx711").path
        // 84111 counts empty, 50 counts per newton: 20 kg is 9807 counts more.
        let zero = 84_111.0, countsPerNewton = 50.0
        let sketch = try TextSketch(link: link) { elapsed, line in
            let counts = zero + (elapsed > 5 ? 20 * 9.80665 * countsPerNewton : 0) + Double(line % 3) * 4
            return "\(Self.rawCountLinePrefix)\(Int(counts))"
        }
        defer { sketch.stop() }
        let result = try rollsense.run(["calibrate", "--device", link, "--no-reset", "--mass-kg", "20", "--yes"], timeoutSeconds: 60)
        #expect(result.status == 0, "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(result.stdout.contains("Saved for path:\(link)"), "\(result.stdout)")
        let stored = try JSONSerialization.jsonObject(with: Data(contentsOf: calibrationsFile(rollsense))) as? [String: Any]
        let entry = try #require(stored?["path:" + link] as? [String: Any])
        let offset = try #require((entry["offsetCounts"] as? [Double])?.first)
        #expect(abs(offset - zero) < 10, "zero \(offset)")
        // Nothing at all to a device whose bytes were text (not even the probe).
        #expect(sketch.received.isEmpty, "host wrote \(sketch.received)")

        let live = try rollsense.run(["live", "--json", "--device", link, "--no-reset", "--duration", "2"], timeoutSeconds: 60)
        #expect(live.status == 0, "stderr: \(live.stderr)")
        let forces = live.lines.compactMap(jsonObject).filter { $0["type"] as? String == "reading" }.compactMap { $0["forceN"] as? Double }
        let last = try #require(forces.last)
        #expect(abs(last - 20 * 9.80665) < 5, "20 kg read as \(last) N")
        #expect(!live.stderr.contains("raw counts"), "calibrated: no raw-count warning: \(live.stderr)")
    }

    /// Issue 17: forces labelled with a unit still printed "forces are raw counts". The warning
    /// is given only when the values are raw counts and no calibration is stored.
    @Test(arguments: [("force_N:", false), (CalibrateCommandTests.rawCountLinePrefix, true)])
    func theRawCountWarningOnlyForRawCounts(prefix: String, warns: Bool) throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.home.appendingPathComponent("sketch").path
        let sketch = try TextSketch(link: link) { _, _ in "\(prefix)150" }
        defer { sketch.stop() }
        let live = try rollsense.run(["live", "--json", "--device", link, "--no-reset", "--duration", "1"], timeoutSeconds: 60)
        #expect(live.status == 0, "stderr: \(live.stderr)")
        #expect(live.stderr.contains("raw counts") == warns, "\(prefix): \(live.stderr)")
    }
}

/// A Serial Plotter sketch on a pty behind `link`: 80 lines a second, each from `line(elapsed
/// seconds, line number)`, and what the host writes drained so the pty never fills.
final class TextSketch: @unchecked Sendable {
    private var controller: Int32 = -1
    private var device: Int32 = -1
    private let stopped = Locked(false)
    private let done = DispatchSemaphore(value: 0)
    private let receivedBytes = Locked<[UInt8]>([])

    /// What the host wrote to the sketch so far.
    var received: [UInt8] { receivedBytes.get() }

    init(link: String, line: @escaping @Sendable (Double, Int) -> String) throws {
        var name = [CChar](repeating: 0, count: 128)
        guard openpty(&controller, &device, &name, nil, nil) == 0 else { throw POSIXError(.EIO) }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Raw from the start: a cooked pty would echo the sketch's own lines back as "received".
        var settings = termios()
        tcgetattr(device, &settings)
        cfmakeraw(&settings)
        tcsetattr(device, TCSANOW, &settings)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        let controllerFD = controller
        let started = Date()
        let stopped = self.stopped, done = self.done, receivedBytes = self.receivedBytes
        Thread {
            var number = 0
            var scratch = [UInt8](repeating: 0, count: 256)
            while !stopped.get() {
                let text = Array((line(Date().timeIntervalSince(started), number) + "\r\n").utf8)
                _ = text.withUnsafeBytes { write(controllerFD, $0.baseAddress, $0.count) }
                var poller = pollfd(fd: controllerFD, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, 0) > 0 {
                    let count = read(controllerFD, &scratch, scratch.count)
                    if count > 0 { receivedBytes.set(receivedBytes.get() + scratch[0..<count]) }
                }
                number += 1
                usleep(12_500)  // 80 lines a second, as an HX711 at 80 SPS
            }
            done.signal()
        }.start()
    }

    /// Ends the writer before the descriptors close (a write to a reused number would land in
    /// another test's file).
    func stop() {
        stopped.set(true)
        done.wait()
        close(controller)
        close(device)
    }
}
