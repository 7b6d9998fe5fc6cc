import Foundation
import Testing
import RollSenseTestSupport

/// `rollsense devices` end to end: the built binary under `umockdev-run` with the fixtures.
///
/// A child process with its own umockdev (never the in-process testbed of UdevTests: the two must
/// not mix in one process). Needs the `rollsense` binary beside the test bundle, which
/// `swift build --build-tests` builds.
@Suite(
    "rollsense devices under umockdev-run",
    .enabled(
        if: BuiltCommand.canRun || Testbed.isRequired,
        "needs umockdev-run and a built rollsense (set ROLLSENSE_REQUIRE_UMOCKDEV=1 to fail instead)"
    )
)
struct DevicesCommandTests {
    /// Runs `rollsense ARGS` with the fixtures as its /sys and /dev; answers exit status, stdout, stderr.
    private func run(_ arguments: [String], fixtures: [String] = UdevFixture.all) throws -> (Int32, String, String) {
        try #require(BuiltCommand.canRun, "umockdev-run (apt umockdev) and \(BuiltCommand.executable.path) are needed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltCommand.umockdevRun)
        process.arguments =
            fixtures.flatMap { ["-d", Testbed.fixturesDirectory.appendingPathComponent($0).path] }
            + ["--", BuiltCommand.executable.path] + arguments
        // The child gets its own umockdev, not this process's preload or testbed.
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = nil
        environment["UMOCKDEV_DIR"] = nil
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    @Test func jsonListsEveryPortWithItsFields() throws {
        let (status, output, errors) = try run(["devices", "--json"])
        #expect(status == 0, "stderr: \(errors)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(array.map { $0["path"] as? String } == ["/dev/ttyACM0", "/dev/ttyACM1", "/dev/ttyS0", "/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/ttyUSB2"])
        for entry in array {
            for key in ["path", "vendorId", "productId", "serial", "manufacturer", "product", "driver", "board"] {
                #expect(entry.keys.contains(key), "\(key) missing in \(entry)")
            }
        }
        let uno = array[0]
        #expect(uno["vendorId"] as? String == "2341")
        #expect(uno["productId"] as? String == "0043")
        #expect(uno["serial"] as? String == "75833353035351B0E1D0")
        #expect(uno["manufacturer"] as? String == "Arduino (www.arduino.cc)")
        #expect(uno["product"] is NSNull)
        #expect(uno["driver"] as? String == "cdc_acm")
        #expect(uno["board"] as? String == "Arduino Uno")
        #expect(uno["byIdPath"] as? String == "/dev/serial/by-id/usb-Arduino__www.arduino.cc__0043_75833353035351B0E1D0-if00")
        let nano = array[3]
        #expect(nano["vendorId"] as? String == "1a86" && nano["productId"] as? String == "7523")
        #expect(nano["serial"] is NSNull && nano["driver"] as? String == "ch341")
        let modem = array[5]
        #expect(modem["board"] is NSNull)
        #expect(modem["vendorId"] as? String == "2c7c")
        let builtin = array[2]
        #expect(builtin["vendorId"] is NSNull && builtin["productId"] is NSNull && builtin["board"] is NSNull)
    }

    @Test func tableShowsOneRowPerPortAndTheDefaultChoice() throws {
        let (status, output, errors) = try run(["devices"], fixtures: [UdevFixture.uno, UdevFixture.usbModem, UdevFixture.builtinSerial])
        print("rollsense devices (uno, usb-modem, builtin-ttyS fixtures):\n\(output)")
        #expect(status == 0, "stderr: \(errors)")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("PATH") == true)
        #expect(lines.contains { $0.hasPrefix("/dev/ttyACM0") && $0.contains("2341:0043") && $0.contains("Arduino Uno") && $0.contains("cdc_acm") })
        #expect(lines.contains { $0.hasPrefix("/dev/ttyUSB2") && $0.contains("2c7c:0125") && $0.contains("option") })
        #expect(output.contains("Without --device, rollsense uses /dev/ttyACM0 (Arduino Uno)."))
    }

    @Test func emptySystemSaysSoAndSucceeds() throws {
        let (status, output, _) = try run(["devices", "--json"], fixtures: [])
        #expect(status == 0)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || output.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        let (tableStatus, table, _) = try run(["devices"], fixtures: [])
        #expect(tableStatus == 0)
        #expect(table.contains("No serial ports found"))
    }

    @Test func deviceOptionShowsTheOneItNames() throws {
        let (status, output, errors) = try run(["devices", "--json", "--device", "A50285BI"])
        #expect(status == 0, "stderr: \(errors)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(array.map { $0["path"] as? String } == ["/dev/ttyUSB1"])
    }

    @Test func unknownDeviceFailsListingTheCandidates() throws {
        let (status, output, errors) = try run(["devices", "--device", "NOSUCHSERIAL"], fixtures: [UdevFixture.uno, UdevFixture.usbModem])
        #expect(status != 0)
        #expect(output.isEmpty)
        #expect(errors.contains("No serial device matches 'NOSUCHSERIAL'"))
        #expect(errors.contains("/dev/ttyACM0") && errors.contains("/dev/ttyUSB2"))
    }

    @Test func unknownOptionFailsWithUsage() throws {
        let (status, _, errors) = try run(["devices", "--bogus"])
        #expect(status != 0)
        #expect(errors.contains("--bogus"))
    }
}

/// Where the built `rollsense` and umockdev-run are, and whether both are there.
enum BuiltCommand {
    static let umockdevRun = "/usr/bin/umockdev-run"

    /// The built executable (the shared test runner knows where it is).
    static var executable: URL { BuiltRollSense.executable }

    static var canRun: Bool {
        FileManager.default.isExecutableFile(atPath: umockdevRun) && FileManager.default.isExecutableFile(atPath: executable.path)
    }
}
