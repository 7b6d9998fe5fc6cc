// Over 400 lines: one serialized suite against the simulated bootloaders (each test holds the
// simulated board the suite's helpers start); split, the helpers would be shared for nothing.
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
    /// The old Nano's bootloader (ATmegaBOOT, 57600 baud) as Debian's arduino-core-avr ships it: 1480 bytes at 0x7800, inside the 2 KB boot section.
    static let oldNanoBootloader = URL(fileURLWithPath: "/usr/share/arduino/hardware/arduino/avr/bootloaders/atmega/ATmegaBOOT_168_atmega328.hex")
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: simulator.path) && FileManager.default.fileExists(atPath: bootloader("atmega328").path)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/avrdude")
    }

    let process = Process()
    let link: String
    private let folder: URL

    /// Starts the board (`chip`: atmega328 for an Uno, atmega168 for a board with another chip;
    /// `bootloader` another HEX than optiboot for that chip); `application` is an ELF already in
    /// flash; `wornFlashByte` a flash address that keeps its old value when written.
    init(chip: String = "atmega328", bootloader: URL? = nil, application: URL? = nil, wornFlashByte: Int? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-flash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        link = folder.appendingPathComponent("board").path
        process.executableURL = Self.simulator
        let mcu = chip == "atmega328" ? "atmega328p" : chip
        process.arguments = ["-r", "-B", (bootloader ?? Self.bootloader(chip)).path, "-R", "-m", mcu, "-l", link]
            + (wornFlashByte.map { ["-W", String($0)] } ?? []) + (application.map { [$0.path] } ?? [])
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

    /// Starts `rollsense flash` of the simulated Uno in a 40x30 tmux session. SIGINT is ignored
    /// by the shell only (rollsense installs its handler, so avrdude starts with the default
    /// action), so the shell lives to print the exit status after a Ctrl-C.
    static func startFlashAtFortyColumns(_ board: SimulatedBootloaderBoard, in server: TerminalViewTests.Server) throws {
        let command = "trap '' INT; env -u LD_PRELOAD -u UMOCKDEV_DIR '\(BuiltRollSense.executable.path)' flash --device '\(board.link)' --board uno; echo \"exit status $?\"; sleep 600"
        try server.run(["new-session", "-d", "-s", "view", "-x", "40", "-y", "30", "sh", "-c", command])
    }

    /// At a terminal avrdude's progress is a bar that fits the width; at 40 columns it never wraps.
    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func aTerminalSeesAProgressBarThatFitsFortyColumns() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        try #require(SimulatedBootloaderBoard.available)
        let board = try SimulatedBootloaderBoard()
        let server = TerminalViewTests.Server()
        try Self.startFlashAtFortyColumns(board, in: server)
        let lines = try server.waitForScreen(seconds: 90) { $0.contains { $0.hasPrefix("exit status") } }
        print("rollsense flash at 40 columns:\n" + lines.joined(separator: "\n"))
        #expect(lines.contains("exit status 0"))
        let bars = lines.filter { $0.hasPrefix("[") }
        #expect(bars.count == 2, "one finished bar for writing, one for verifying")
        #expect(bars.allSatisfy { $0.hasPrefix("[###") && $0.hasSuffix("] 100%") && $0.count < 40 })
        #expect(lines.contains("Writing the firmware:") && lines.contains("Reading it back to verify:"))
    }

    /// Ctrl-C at a terminal reaches rollsense and avrdude alike (one process group): the bar
    /// stays where the write got, the message says the board may need flashing again, exit 130,
    /// and no avrdude is left on the port.
    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func ctrlCAtATerminalStopsTheWriteAndSaysSo() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        try #require(SimulatedBootloaderBoard.available)
        let board = try SimulatedBootloaderBoard()
        let server = TerminalViewTests.Server()
        try Self.startFlashAtFortyColumns(board, in: server)
        _ = try server.waitForScreen(seconds: 60) { $0.contains("Writing the firmware:") }
        try server.run(["send-keys", "-t", "view", "C-c"])
        let lines = try server.waitForScreen(seconds: 30) { $0.contains { $0.hasPrefix("exit status") } }
        print("Ctrl-C during flash at 40 columns:\n" + lines.joined(separator: "\n"))
        #expect(lines.contains("exit status 130"))
        #expect(lines.joined().contains("Flashing was stopped by Ctrl-C (SIGINT); avrdude was stopped too."))
        #expect(lines.joined().contains("need flashing again"))
        #expect(!lines.contains { $0.hasPrefix("[") && $0.contains("100%") }, "a cut-off write is not drawn as complete")
        let left = avrdudeProcesses(on: board.link)
        #expect(left.isEmpty, "avrdude still running on the port: \(left)")
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
        // Long lines wrap at the terminal's width, between words or inside one, wherever the
        // firmware's path (the checkout's folder) puts them: compare the text without its spaces.
        func unspaced(_ text: String) -> String { text.filter { !$0.isWhitespace } }
        #expect(unspaced(lines.joined()).contains(unspaced("to the Arduino Nano on /dev/ttyUSB0 (board chosen from its USB id")))
        #expect(lines.contains("exit status 69"))
    }

    /// A worn flash cell (the simulator keeps byte 0x100 at its blank 0xFF whatever optiboot
    /// writes there): avrdude's read-back verify fails for real, and flash says so plainly.
    @Test func aFailedVerifyIsSaidPlainlyWithWhatItMeans() throws {
        try #require(SimulatedBootloaderBoard.available)
        let board = try SimulatedBootloaderBoard(wornFlashByte: 0x100)
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", board.link, "--board", "uno"])
        print("worn flash:\n\(result.stdout)\(result.stderr)")
        #expect(result.status == 69)
        #expect(result.stdout.contains("Writing: 100 % done"), "the write itself succeeded; only the read-back differs")
        #expect(!result.stdout.contains("Written and verified"))
        #expect(result.stderr.contains("Verify failed: after writing, the flash of the board on \(board.link) reads back different from the image (at byte 0x0100 the board holds 0xff where the image has 0x"))
        #expect(result.stderr.contains("must not be trusted"))
        #expect(result.stderr.contains("run flash again; if verify fails again at the same place, that board's flash is worn or faulty"))
    }

    /// A blank Nano with the old bootloader under simavr.
    static func oldNano() throws -> SimulatedBootloaderBoard {
        try #require(SimulatedBootloaderBoard.available)
        try #require(FileManager.default.fileExists(atPath: SimulatedBootloaderBoard.oldNanoBootloader.path), "Tools/setup.sh installs arduino-core-avr")
        return try SimulatedBootloaderBoard(bootloader: SimulatedBootloaderBoard.oldNanoBootloader)
    }

    /// The old Nano bootloader (ATmegaBOOT at 57600, from Debian's arduino-core-avr) under simavr.
    @Test func theOldNanoBootloaderTakesTheFirmwareWithNanoOld() throws {
        let board = try Self.oldNano()
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", board.link, "--board", "nano-old"])
        print("rollsense flash --board nano-old:\n\(result.stdout)\(result.stderr)")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("to the Arduino Nano (old bootloader) on \(board.link)"))
        #expect(!result.stdout.contains("No answer at 115200"))
        #expect(result.stdout.contains("RollSense firmware \(try Self.configVersion()) is running on \(board.link)"))
    }

    /// `--board nano` (and `auto` on a USB bridge, which guesses nano): nothing tells which
    /// bootloader a Nano has, so 115200 gets no answer from the old one (the simulator garbles
    /// bytes at a mismatched rate) and flash says so and tries 57600.
    @Test func aNanoSilentAt115200IsTriedAt57600AndSaysSo() throws {
        let board = try Self.oldNano()
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", board.link, "--board", "nano", "--verbose"])
        print("rollsense flash --board nano on an old bootloader:\n\(result.stdout)")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("-P \(board.link) -b 115200 -D -x attempts=3 -U flash:w:"), "3 sync tries at 115200, not avrdude's 10")
        #expect(result.stdout.contains("No answer at 115200 baud; trying the old Nano bootloader at 57600."))
        #expect(result.stderr.contains("-P \(board.link) -b 57600 -D -U flash:w:"))
        #expect(result.stdout.contains("This Nano has the old bootloader: --board nano-old skips the first try next time."))
        #expect(result.stdout.contains("RollSense firmware \(try Self.configVersion()) is running on \(board.link)"))
    }

    /// With the wrong speed chosen by name there is no retry: the message says which choice fits.
    @Test func nanoOldOnANewBootloaderSaysTryNano() throws {
        try #require(SimulatedBootloaderBoard.available)
        let board = try SimulatedBootloaderBoard()
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["flash", "--device", board.link, "--board", "nano-old"], timeoutSeconds: 120)
        #expect(result.status == 69)
        #expect(result.stderr.contains("The bootloader on \(board.link) did not answer at 57600 baud. A Nano with the new bootloader needs --board nano (115200 baud)."), "stderr: \(result.stderr)")
    }

    /// rollsense stopped by a signal sent to it alone (a service manager, `kill`; at a terminal
    /// Ctrl-C reaches avrdude too) stops avrdude, says the board may need flashing again, and
    /// exits 128 + the signal.
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalStopsAvrdudeToo(signal: Int32) throws {
        try #require(SimulatedBootloaderBoard.available)
        let board = try SimulatedBootloaderBoard()
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let running = try RunningRollSense(cli, ["flash", "--device", board.link, "--board", "uno"])
        defer { stop(running.process) }
        // Wait until avrdude is writing. Not a fixed pause after it starts: the 7.6 KB upload
        // takes about a second of simulated wire time, and a pause of one second let it finish
        // first on a quiet machine.
        var avrdude: pid_t?
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            avrdude = childProcesses(of: running.process.processIdentifier).first { processName($0) == "avrdude" }
            if avrdude != nil, running.stdout.contains("Writing:") { break }
            usleep(20_000)
        }
        let child = try #require(avrdude, "avrdude never started")
        try #require(running.stdout.contains("Writing:"), "avrdude never started writing: \(running.stdout)")
        kill(running.process.processIdentifier, signal)
        let status = running.finish(timeoutSeconds: 20)
        let result = (stdout: running.stdout, stderr: running.stderr)
        print("flash stopped by signal \(signal):\n\(result.stdout)\(result.stderr)")
        #expect(status == 128 + signal)
        #expect(kill(child, 0) == -1 && errno == ESRCH, "avrdude \(child) outlived rollsense")
        #expect(result.stderr.contains("Flashing was stopped by \(signal == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM"); avrdude was stopped too."))
        #expect(result.stderr.contains("may hold a partly written firmware and need flashing again"))
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

/// The processes whose parent is `pid` (from /proc).
func childProcesses(of pid: pid_t) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { pid_t($0) }.filter { candidate in
        guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        // "pid (comm) state ppid ...": the name may hold spaces, so read after its ")".
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 && pid_t(fields[1]) == pid
    }
}

/// A process's name (/proc/PID/comm).
func processName(_ pid: pid_t) -> String? {
    (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The avrdude processes whose command line names `port` (/proc/PID/cmdline).
func avrdudeProcesses(on port: String) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { pid_t($0) }.filter { pid in
        guard processName(pid) == "avrdude", let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data, as: UTF8.self).contains(port)
    }
}
