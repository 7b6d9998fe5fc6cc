import Foundation
import Testing
import RollSenseTestSupport

/// `rollsense doctor`: under umockdev-run with board fixtures, and against the real firmware under simavr.
@Suite("rollsense doctor", .serialized)
struct DoctorCommandTests {
    struct Check { var name: String; var status: String; var detail: String; var fix: String? }

    static func checks(_ output: String) throws -> (ok: Bool, checks: [Check]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "not JSON: \(output)")
        let list = try #require(object["checks"] as? [[String: Any]])
        return (object["ok"] as? Bool ?? true, list.map {
            Check(name: $0["name"] as? String ?? "", status: $0["status"] as? String ?? "", detail: $0["detail"] as? String ?? "", fix: $0["fix"] as? String)
        })
    }

    @Test func aBoardWithTheRuleButNoRollSenseFirmwareIsAProblemWithTheFlashFix() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["doctor", "--json", "--hello-timeout", "1"], launcher: FlashCommandTests.fixtures("uno-with-rule.umockdev"))
        print("rollsense doctor --json under umockdev (uno-with-rule):\n\(result.stdout)")
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let (ok, checks) = try Self.checks(result.stdout)
        #expect(!ok)
        let rule = try #require(checks.first { $0.name == "udev rule" })
        #expect(rule.status == "ok" && rule.detail == "applied to /dev/ttyACM0")
        let modem = try #require(checks.first { $0.name == "ModemManager" })
        #expect(modem.status == "ok")
        let board = try #require(checks.first { $0.name == "board /dev/ttyACM0" })
        #expect(board.status == "problem")
        #expect(board.detail.contains("said no RollSense HELLO"))
        #expect(board.fix == "rollsense flash --device /dev/ttyACM0")
        #expect(checks.contains { $0.name == "history database" && $0.status == "ok" })
    }

    @Test func aBoardTheRuleDidNotReachIsAProblemAndTheTextSaysHowToFixIt() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["doctor", "--hello-timeout", "1"], launcher: FlashCommandTests.fixtures("uno.umockdev"))
        print("rollsense doctor under umockdev (uno without the rule):\n\(result.stdout)")
        #expect(result.status == 1)
        #expect(result.stdout.contains("PROBLEM  udev rule:"))
        #expect(result.stdout.contains("udevadm control --reload"))
        #expect(result.stdout.contains("problems to fix (above)."))
    }

    @Test func noBoardIsAProblem() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["doctor", "--json"], launcher: FlashCommandTests.fixtures("builtin-ttyS.umockdev"))
        #expect(result.status == 1)
        let (_, checks) = try Self.checks(result.stdout)
        #expect(checks.contains { $0.name == "boards" && $0.status == "problem" && $0.detail == "no Arduino board is plugged in" })
    }

    @Test func theRealFirmwareUnderSimavrPassesAndItsCalibrationIsChecked() throws {
        try #require(SimulatedBootloaderBoard.available, "run `make -C Firmware`")
        let elf = BuiltRollSense.root.appendingPathComponent("Firmware/build/uno/rollsense.elf")
        let board = try SimulatedBootloaderBoard(application: elf)
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        // Not under umockdev-run, which would hide the simulator's /dev/pts node.
        let result = try cli.run(["doctor", "--json", "--device", board.link])
        print("rollsense doctor --device <sim>:\n\(result.stdout)")
        let (_, checks) = try Self.checks(result.stdout)
        let firmware = try #require(checks.first { $0.name == "board \(board.link)" })
        let version = try FlashCommandTests.configVersion()
        #expect(firmware.status == "ok" && firmware.detail.hasPrefix("RollSense firmware \(version)"), "\(firmware)")
        let calibration = try #require(checks.first { $0.name == "calibration \(board.link)" })
        #expect(calibration.status == "problem" && calibration.fix == "rollsense calibrate --device \(board.link)")
    }

    /// Issue 25: the simulator's calibration is its own, not one stored in calibrations.json
    /// (which `calibrate --show` finds empty); `devices --device` names the port it was given
    /// rather than "No Arduino board recognised".
    @Test func theSimulatorsCalibrationIsNotCalledStoredAndDevicesNamesThePortGiven() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let (simulator, path) = try cli.startSimulator([])
        defer { stop(simulator) }
        let result = try cli.run(["doctor", "--json", "--device", path])
        let (_, checks) = try Self.checks(result.stdout)
        let calibration = try #require(checks.first { $0.name == "calibration \(path)" }, "\(result.stdout)")
        #expect(calibration.status == "ok")
        #expect(!calibration.detail.hasPrefix("stored in"), "\(calibration.detail)")
        #expect(calibration.detail.contains("nothing stored"), "\(calibration.detail)")
        let show = try cli.run(["calibrate", "--show"])
        #expect(!show.stdout.contains(path), "\(show.stdout)")

        let devices = try cli.run(["devices", "--device", path])
        #expect(devices.status == 0, "\(devices.stderr)")
        #expect(!devices.stdout.contains("No Arduino board recognised"), "\(devices.stdout)")
        #expect(devices.lines.last?.hasPrefix("With --device, rollsense uses \(path)") == true, "\(devices.stdout)")
    }

    /// A new user: no data folder, not even ~/.local/share. The first session creates them, so
    /// that is no problem; a data folder under a file can never be made, and is one.
    @Test func aDataFolderNotMadeYetIsFineOneThatCannotBeMadeIsAProblem() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let fresh = try cli.run(["doctor", "--json"], launcher: FlashCommandTests.fixtures("builtin-ttyS.umockdev"),
                                extraEnvironment: ["ROLLSENSE_DATA_DIR": "", "XDG_DATA_HOME": ""])
        let (_, checks) = try Self.checks(fresh.stdout)
        let history = try #require(checks.first { $0.name == "history database" })
        #expect(history.status == "ok", "\(history)")
        #expect(history.detail == "none yet; the first session creates \(cli.home.path)/.local/share/rollsense/history.sqlite")

        let file = cli.home.appendingPathComponent("a-file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let blocked = try cli.run(["doctor", "--json"], launcher: FlashCommandTests.fixtures("builtin-ttyS.umockdev"),
                                  extraEnvironment: ["ROLLSENSE_DATA_DIR": file.path + "/rollsense"])
        let (_, after) = try Self.checks(blocked.stdout)
        #expect(after.contains { $0.name == "history database" && $0.status == "problem" && $0.detail == "\(file.path)/rollsense is not writable" })
    }

    @Test func aDamagedHistoryDatabaseIsAProblem() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        try FileManager.default.createDirectory(at: cli.dataDirectory, withIntermediateDirectories: true)
        let result0 = try cli.run(["doctor", "--json"], launcher: FlashCommandTests.fixtures("builtin-ttyS.umockdev"))
        let (_, before) = try Self.checks(result0.stdout)
        let history = try #require(before.first { $0.name == "history database" })
        #expect(history.status == "ok")
        let path = try #require(history.detail.split(separator: " ").first { $0.hasPrefix("/") }.map(String.init))
        try "not a database".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try cli.run(["doctor", "--json"], launcher: FlashCommandTests.fixtures("builtin-ttyS.umockdev"))
        let (_, after) = try Self.checks(result.stdout)
        #expect(after.contains { $0.name == "history database" && $0.status == "problem" && $0.detail.contains("is not an SQLite database") })
    }
}
