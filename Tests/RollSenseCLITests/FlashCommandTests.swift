import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import RollSenseTestSupport
#endif

/// A blank board with a bootloader under simavr (Firmware/sim, `--bootloader --reset-on-open`):
/// each open of its pty resets it into optiboot, as an Uno's DTR line does.
/// Unchecked Sendable: its fields are set once; a test may stop it from another thread.
final class SimulatedBootloaderBoard: @unchecked Sendable {
    static let simulator = BuiltRollSense.root.appendingPathComponent("Firmware/build/sim/rollsense-sim")
    static func bootloader(_ chip: String) -> URL { BuiltRollSense.root.appendingPathComponent("Firmware/build/sim/optiboot_\(chip).hex") }
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: simulator.path) && FileManager.default.fileExists(atPath: bootloader("atmega328").path)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/avrdude")
    }

    let process = Process()
    let link: String
    private let folder: URL

    /// Starts the board (`chip`: atmega328 for an Uno, atmega168 for a board with another chip);
    /// `application` is an ELF already in flash.
    init(chip: String = "atmega328", application: URL? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-flash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        link = folder.appendingPathComponent("board").path
        process.executableURL = Self.simulator
        let mcu = chip == "atmega328" ? "atmega328p" : chip
        process.arguments = ["-r", "-B", Self.bootloader(chip).path, "-R", "-m", mcu, "-l", link] + (application.map { [$0.path] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: link) && Date() < deadline { usleep(20_000) }
    }

    deinit {
        // SIGKILL: the test runner may hand its children a mask that blocks SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// `rollsense flash` end to end: the built binary, real avrdude, optiboot and the firmware under simavr.
@Suite(
    "rollsense flash",
    .enabled(
        if: SimulatedBootloaderBoard.available || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_FIRMWARE"] == "1",
        "needs `make -C Firmware` (simulator and bootloaders) and avrdude"),
    .serialized
)
struct FlashCommandTests {
    /// The firmware version Firmware/config.h says the built image has.
    static func configVersion() throws -> String {
        let config = try String(contentsOf: BuiltRollSense.root.appendingPathComponent("Firmware/config.h"), encoding: .utf8)
        let parts = ["MAJOR", "MINOR", "PATCH"].map { part in
            config.split(separator: "\n").first { $0.hasPrefix("#define RS_FIRMWARE_\(part) ") }.map { String($0.split(separator: " ").last!) } ?? "?"
        }
        return parts.joined(separator: ".")
    }

    @Test func uploadsTheUnoImageThroughAvrdudeAndTheNewFirmwareSaysHello() throws {
        try #require(SimulatedBootloaderBoard.available, "run `make -C Firmware` and install avrdude")
        let board = try SimulatedBootloaderBoard()
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", board.link, "--board", "uno"])
        print("rollsense flash --device <sim> --board uno:\n\(result.stdout)\(result.stderr)")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Firmware/build/uno/rollsense.hex"))
        #expect(result.stdout.contains("Writing: 100 % done"))
        #expect(result.stdout.contains("Verifying: 100 % done"))
        #expect(result.stdout.contains("Written and verified"))
        let version = try Self.configVersion()
        #expect(result.stdout.contains("RollSense firmware \(version) is running on \(board.link): board Arduino Uno"))
        #expect(!result.stdout.contains("Note: this rollsense expects"), "the host's expected version drifted from config.h")
    }

    /// At a terminal avrdude's progress is a bar that fits the width; at 40 columns it never wraps.
    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func aTerminalSeesAProgressBarThatFitsFortyColumns() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        try #require(SimulatedBootloaderBoard.available)
        let board = try SimulatedBootloaderBoard()
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let server = TerminalViewTests.Server()
        let command = "env -u LD_PRELOAD -u UMOCKDEV_DIR '\(BuiltRollSense.executable.path)' flash --device '\(board.link)' --board uno; echo \"exit status $?\"; sleep 600"
        try server.run(["new-session", "-d", "-s", "view", "-x", "40", "-y", "30", "sh", "-c", command])
        let lines = try server.waitForScreen(seconds: 90) { $0.contains { $0.hasPrefix("exit status") } }
        print("rollsense flash at 40 columns:\n" + lines.joined(separator: "\n"))
        #expect(lines.contains("exit status 0"))
        let bars = lines.filter { $0.hasPrefix("[") }
        #expect(bars.count == 2, "one finished bar for writing, one for verifying")
        #expect(bars.allSatisfy { $0.hasPrefix("[###") && $0.hasSuffix("] 100%") && $0.count < 40 })
        #expect(lines.contains("Writing the firmware:") && lines.contains("Reading it back to verify:"))
    }

    /// Two boards at a terminal: flash asks which, and goes on with the one chosen (here a Nano
    /// clone's CH340 under umockdev, whose node avrdude cannot open: a plain device error).
    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func twoBoardsAtATerminalAskWhichOne() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        let server = TerminalViewTests.Server()
        let launcher = Self.fixtures("uno.umockdev", "nano-ch340.umockdev").map { "'\($0)'" }.joined(separator: " ")
        let command = "env -u LD_PRELOAD -u UMOCKDEV_DIR \(launcher) '\(BuiltRollSense.executable.path)' flash; echo \"exit status $?\"; sleep 600"
        try server.run(["new-session", "-d", "-s", "view", "-x", "100", "-y", "30", "sh", "-c", command])
        _ = try server.waitForScreen { $0.contains { $0.hasPrefix("Number (1-2):") } }
        try server.run(["send-keys", "-t", "view", "2", "Enter"])
        let lines = try server.waitForScreen(seconds: 60) { $0.contains { $0.hasPrefix("exit status") } }
        print("two boards at a terminal:\n" + lines.joined(separator: "\n"))
        #expect(lines.contains("Several boards are plugged in. Which one should be flashed?"))
        #expect(lines.contains { $0.hasPrefix("  1) /dev/ttyACM0  Arduino Uno") })
        // Long lines wrap at the terminal's width: look at the text as one.
        #expect(lines.joined().contains("to the Arduino Nano on /dev/ttyUSB0 (board chosen from its USB id"))
        #expect(lines.contains("exit status 69"))
    }

    @Test func aBoardWithAnotherChipFailsOnTheSignatureWithAPlainMessage() throws {
        try #require(SimulatedBootloaderBoard.available)
        let board = try SimulatedBootloaderBoard(chip: "atmega168")
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", board.link, "--board", "uno"])
        print("wrong chip:\n\(result.stderr)")
        #expect(result.status == 69)
        #expect(result.stderr.contains("Wrong board: the chip on \(board.link) is an ATmega168"))
        #expect(result.stderr.contains("Nothing was written"))
    }

    @Test func choosingLeonardoForTheUnoSaysNoLeonardoBootloaderAnswered() throws {
        try #require(SimulatedBootloaderBoard.available)
        // An Uno that already runs the firmware. (On a blank one simavr's optiboot, fed avr109
        // bytes, crashes over and over: harness restarts it, avrdude waits on.)
        let board = try SimulatedBootloaderBoard(application: BuiltRollSense.root.appendingPathComponent("Firmware/build/uno/rollsense.elf"))
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", board.link, "--board", "leonardo"], timeoutSeconds: 60)
        print("leonardo chosen for an Uno:\n\(result.stderr)")
        #expect(result.status == 69)
        #expect(result.stderr.contains("No Arduino Leonardo bootloader answered"))
        #expect(result.stderr.contains("--board uno"))
    }

    /// The board unplugged mid-upload (the simulator stopped): avrdude 7.1 would spin on the
    /// vanished pty for ever; flash stops it and says what happened.
    @Test func unpluggingTheBoardDuringTheUploadIsReportedNotHung() throws {
        try #require(SimulatedBootloaderBoard.available)
        let board = try SimulatedBootloaderBoard()
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        // The whole upload takes 5-10 s; 2.5 s in, avrdude is syncing or writing. A thread of its
        // own: run's pipe readers can hold every thread of Dispatch's global pool (2 cores).
        Thread {
            usleep(2_500_000)
            kill(board.process.processIdentifier, SIGKILL)  // as abrupt as a pulled cable
        }.start()
        let started = Date()
        let result = try cli.run(["flash", "--device", board.link, "--board", "uno"], timeoutSeconds: 60)
        #expect(result.status == 69)
        #expect(result.stderr.contains("\(board.link) went away while avrdude was writing (unplugged?)"), "stderr: \(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func aDamagedImageIsRefusedBeforeTheBoardIsTouched() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let original = try String(contentsOf: BuiltRollSense.root.appendingPathComponent("Firmware/build/uno/rollsense.hex"), encoding: .utf8)
        let intact = original.split(whereSeparator: \.isNewline).map(String.init)
        var lines = intact
        // One data byte changed on line 3: the record's checksum no longer adds up.
        var third = Array(lines[2])
        third[9] = third[9] == "0" ? "1" : "0"
        lines[2] = String(third)
        let damaged = cli.home.appendingPathComponent("damaged.hex")
        try (lines.joined(separator: "\n") + "\n").write(to: damaged, atomically: true, encoding: .utf8)
        let result = try cli.run(["flash", "--device", "/dev/null", "--board", "uno", "--image", damaged.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("is damaged (line 3: checksum mismatch); nothing was written to the board"))

        let cut = cli.home.appendingPathComponent("cut.hex")
        try (intact.prefix(20).joined(separator: "\n") + "\n").write(to: cut, atomically: true, encoding: .utf8)
        let short = try cli.run(["flash", "--device", "/dev/null", "--board", "uno", "--image", cut.path])
        #expect(short.status == 65)
        #expect(short.stderr.contains("no end record: the file is cut short"))

        // Data past the 32256 bytes optiboot leaves on an Uno: an image for another board.
        let big = cli.home.appendingPathComponent("big.hex")
        try ":020000040001F9\n:0100000000FF\n:00000001FF\n".write(to: big, atomically: true, encoding: .utf8)
        let tooBig = try cli.run(["flash", "--device", "/dev/null", "--board", "uno", "--image", big.path])
        #expect(tooBig.status == 65)
        #expect(tooBig.stderr.contains("needs flash up to byte 65537, but this board has 32256 bytes"))
    }

    @Test func aBusyPortNamesTheProcessHoldingIt() throws {
        try #require(SimulatedBootloaderBoard.available)
        let board = try SimulatedBootloaderBoard()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 3<>\"$0\"; exec sleep 60", board.link]
        try holder.run()
        defer { stop(holder) }
        usleep(300_000)
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", board.link, "--board", "uno"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("is in use by sleep (pid \(holder.processIdentifier))"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("nothing was written"))
    }

    @Test func missingAvrdudeSaysHowToInstallIt() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", "/dev/null", "--board", "uno"], extraEnvironment: ["PATH": "/nonexistent"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("avrdude is not installed"))
        #expect(result.stderr.contains("sudo apt-get install avrdude"))
    }

    @Test func aPortOfUnknownKindNeedsBoard() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", "/dev/null"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Cannot tell which board is on /dev/null: name it with --board uno, nano, nano-old, leonardo or micro."))
    }

    // MARK: - Under umockdev-run: which board

    static let umockdevRun = "/usr/bin/umockdev-run"
    static func fixtures(_ names: String...) -> [String] {
        [umockdevRun] + names.flatMap { ["-d", BuiltRollSense.root.appendingPathComponent("Fixtures/udev/\($0)").path] } + ["--"]
    }

    @Test func noBoardPluggedInIsADeviceError() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash"], launcher: Self.fixtures("builtin-ttyS.umockdev", "usb-modem.umockdev"))
        #expect(result.status == 69)
        #expect(result.stderr.contains("No Arduino board found"), "stderr: \(result.stderr)")
    }

    @Test func twoBoardsWithoutATerminalListBothAndExit64() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash"], launcher: Self.fixtures("uno.umockdev", "nano-ch340.umockdev"))
        #expect(result.status == 64)
        #expect(result.stderr.contains("Several boards are plugged in; choose one with --device"))
        #expect(result.stderr.contains("/dev/ttyACM0") && result.stderr.contains("/dev/ttyUSB0"), "stderr: \(result.stderr)")
    }
}
