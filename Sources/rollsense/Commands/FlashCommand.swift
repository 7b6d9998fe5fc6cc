#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import RollSenseDevice
import RollSenseKit
import RollSenseWire
import Synchronization

/// `rollsense flash`: puts the RollSense firmware on a board through its bootloader (avrdude).
struct FlashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flash",
        abstract: "Put the RollSense firmware on an Arduino board (through avrdude and the board's bootloader).",
        discussion: """
            Finds the board (as `devices` does), picks the firmware image built for it \
            (Firmware/build after `make -C Firmware`, or share/rollsense/firmware after \
            `make install`), checks the image, runs avrdude with the bootloader's protocol and \
            speed (Uno and new Nano: optiboot at 115200 baud; old Nano: 57600, and a Nano silent \
            at 115200 is tried at 57600; Leonardo and Micro: a 1200-baud touch starts the \
            bootloader, which may come up on another port), then waits for the new firmware's \
            HELLO and reports its version.

            Flashing replaces whatever sketch the board ran. Exit status 0 when the new firmware \
            said hello, 64 for a wrong option or several boards with none chosen, 65 for a \
            damaged image, 69 when the board, the port or avrdude failed (a failed verify too), \
            130 or 143 when Ctrl-C or SIGTERM stopped it (avrdude is stopped with it).

            Examples:
              rollsense flash
              rollsense flash --device /dev/ttyUSB0 --board nano-old
              rollsense flash --image my-build.hex --board uno
            """
    )

    @Option(help: ArgumentHelp("The board's port: a path, a /dev/serial/by-id path or a USB serial number. Default: the only board plugged in.", valueName: "path|by-id|serial"))
    var device: String?

    @Option(help: ArgumentHelp("The board: auto (from its USB id), uno, nano, nano-old (57600-baud bootloader), leonardo or micro.", valueName: "board"))
    var board: FlashBoard = .auto

    @Option(help: ArgumentHelp("Flash this Intel HEX file instead of the RollSense image for the board.", valueName: "file.hex"))
    var image: String?

    // .unconditional: `-1` is a value to refuse with the range, not a missing value.
    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds to wait for the new firmware's HELLO after writing (above 0, at most 600)."))
    var helloTimeout: Double = 10

    @Flag(help: "Show avrdude's own output as it runs.")
    var verbose = false

    func validate() throws {
        guard helloTimeout > 0, helloTimeout <= 600 else {
            throw ValidationError("--hello-timeout must be a number of seconds above 0 and at most 600 (got \(helloTimeout)).")
        }
    }

    func run() throws {
        let chosen = try chooseDevice()
        // After the question of which board (a handled Ctrl-C would not end readLine): from here
        // Ctrl-C or SIGTERM must stop avrdude too, which Avrdude.run forwards them to.
        installStopHandlers()
        let (boardChoice, guessed) = try resolveBoard(chosen)
        var target = boardChoice.target!
        let avrdude = try Avrdude.locate()
        let imageURL = try image.map { URL(fileURLWithPath: $0) } ?? FirmwareImage.locate(variant: target.variant)
        let summary = try FirmwareImage.check(imageURL, limitBytes: target.applicationBytes)
        try refuseIfBusy(chosen.path)

        say("Flashing \(imageURL.path) (\(summary.dataBytes) bytes) to the \(target.name) on \(chosen.path)\(guessed ? " (board chosen from its USB id; --board to override)" : "").")
        var port = chosen.path
        if target.touchAt1200Baud {
            port = try BootloaderTouch.startBootloader(path: chosen.path)
            if port != chosen.path { say("The bootloader came up on \(port).") }
        }
        try stopIfAsked(port: port, whileWriting: false)
        let started = Date()
        // A Nano's bootloader may be the old one at 57600, which never answers at 115200: give up
        // on 115200 after 3 sync tries (about 15 s) rather than avrdude's 10.
        var outcome = try runAvrdude(avrdude, target: target, port: port, image: imageURL.path, syncAttempts: boardChoice == .nano ? 3 : nil)
        if outcome.status != 0, outcome.interruptedBy == 0, boardChoice == .nano, Avrdude.noAnswer(outcome) {
            // Nanos shipped with two bootloaders and nothing on the board tells which: the old
            // one listens at 57600.
            say("No answer at 115200 baud; trying the old Nano bootloader at 57600.")
            target = FlashBoard.nanoOld.target!
            outcome = try runAvrdude(avrdude, target: target, port: port, image: imageURL.path)
            if outcome.status == 0 { say("This Nano has the old bootloader: --board nano-old skips the first try next time.") }
        }
        guard outcome.status == 0 else { throw Avrdude.explain(outcome, target: target, port: port) }
        say(String(format: "Written and verified in %.1f s.", Date().timeIntervalSince(started)))

        if image != nil {
            say("Waiting for a RollSense HELLO (a custom image may not send one)...")
        }
        let helloPort = target.touchAt1200Baud ? (BootloaderTouch.waitForPort(chosen.path, seconds: 8) ?? chosen.path) : chosen.path
        let info = try HelloListener.listen(path: helloPort, timeoutSeconds: helloTimeout) { stopRequested.load(ordering: .relaxed) }
        if stopRequested.load(ordering: .relaxed) {
            throw CommandFailure(message: "Stopped while waiting for the board's HELLO; the firmware was written and verified. "
                + "`rollsense devices` shows what it runs.", exitCode: 128 + stopSignal.load(ordering: .relaxed))
        }
        guard let info else {
            throw CommandFailure.device(
                "The firmware was written, but the board did not say HELLO within \(Self.seconds(helloTimeout)) on \(helloPort). "
                    + "Unplug it, plug it back in and run `rollsense devices`; if it stays silent, run flash again.")
        }
        let channels = info.sensorKinds.map(\.description).joined(separator: ", ")
        say("RollSense firmware \(info.firmwareVersion) is running on \(helloPort): board \(info.board), \(info.channelCount) channel(s) (\(channels)), \(info.sampleRateHz) Hz.")
        if info.firmwareVersion != FirmwareImage.expectedVersion {
            say("Note: this rollsense expects firmware \(FirmwareImage.expectedVersion); the board runs \(info.firmwareVersion).")
        }
    }

    /// Runs avrdude for `target`; with --verbose its command line is shown first, so a person
    /// can run it by hand.
    private func runAvrdude(_ executable: String, target: FlashBoard.Target, port: String, image: String, syncAttempts: Int? = nil) throws -> Avrdude.Outcome {
        let arguments = Avrdude.arguments(target: target, port: port, image: image, syncAttempts: syncAttempts)
        if verbose { printError("Running: " + ([executable] + arguments).joined(separator: " ")) }
        return try Avrdude.run(executable: executable, arguments: arguments, port: port, echo: verbose)
    }

    private func stopIfAsked(port: String, whileWriting: Bool) throws {
        let signal = stopSignal.load(ordering: .relaxed)
        if signal != 0 { throw Avrdude.interrupted(signal, port: port, whileWriting: whileWriting) }
    }

    /// The device named by --device, the only board, or (several boards, at a terminal) the one the user picks.
    private func chooseDevice() throws -> SerialDevice {
        let devices = (try? Discovery.serialDevices()) ?? []
        do {
            return try Discovery.select(device, from: devices)
        } catch .severalBoards(let boards) {
            guard isatty(STDIN_FILENO) == 1 else {
                throw CommandFailure.usage(DeviceSelectionError.severalBoards(boards).description)
            }
            return try Self.ask(boards)
        } catch {
            throw CommandFailure.device(error.description)
        }
    }

    private static func ask(_ boards: [SerialDevice]) throws -> SerialDevice {
        say("Several boards are plugged in. Which one should be flashed?")
        for (index, board) in boards.enumerated() {
            say("  \(index + 1)) \(board.path)  \(board.board?.name ?? "")\(board.serialNumber.map { "  serial \($0)" } ?? "")")
        }
        FileHandle.standardOutput.write(Data("Number (1-\(boards.count)): ".utf8))
        guard let answer = readLine(), let number = Int(answer.trimmingCharacters(in: .whitespaces)), (1...boards.count).contains(number) else {
            throw CommandFailure.usage("No board chosen; nothing was written. Name one with --device.")
        }
        return boards[number - 1]
    }

    /// The board to flash, and whether it was guessed from the USB id.
    private func resolveBoard(_ device: SerialDevice) throws -> (FlashBoard, Bool) {
        if board != .auto { return (board, false) }
        guard let guess = FlashBoard.guess(fromUdevName: device.board?.name) else {
            throw CommandFailure.usage(
                "Cannot tell which board is on \(device.path)\(device.board.map { " (\($0.name))" } ?? ""): "
                    + "name it with --board uno, nano, nano-old, leonardo or micro.")
        }
        return (guess, true)
    }

    private func refuseIfBusy(_ path: String) throws {
        let holders = PortUsers.holders(of: path)
        guard !holders.isEmpty else { return }
        throw CommandFailure.device(
            "\(path) is in use by \(holders.map(\.description).joined(separator: ", ")). Close that program "
                + "(a serial monitor, another rollsense, ModemManager) and run flash again; nothing was written.")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// The Leonardo's and Micro's way into the bootloader: open the port at 1200 baud and close it;
/// the board resets, its port goes away and the bootloader's port appears for about 8 s.
enum BootloaderTouch {
    /// Touches the port and answers the bootloader's port: a new one, the same name back, or the
    /// same port unchanged when nothing re-enumerated within 2 s (as the Arduino IDE does).
    static func startBootloader(path: String) throws -> String {
        let before = Set(((try? Discovery.serialDevices()) ?? []).map(\.path))
        let port = try SerialPort(path: path, options: SerialPortOptions(baudRate: 1200, dtrPolicy: .resetBoard, exclusive: false))
        port.close()
        var vanished = false
        let start = Date()
        while Date().timeIntervalSince(start) < (vanished ? 10 : 2), !stopRequested.load(ordering: .relaxed) {
            usleep(100_000)
            let now = ((try? Discovery.serialDevices()) ?? []).map(\.path)
            if let fresh = now.first(where: { !before.contains($0) }) { return fresh }
            let exists = FileManager.default.fileExists(atPath: path)
            if !exists { vanished = true }
            if vanished && exists { return path }
        }
        let signal = stopSignal.load(ordering: .relaxed)
        if signal != 0 { throw Avrdude.interrupted(signal, port: path, whileWriting: false) }
        if vanished {
            throw CommandFailure.device("\(path) went away after the 1200-baud touch and no bootloader port appeared within 10 s. "
                + "Press the board's reset button twice quickly and run flash again within 8 s.")
        }
        return path
    }

    /// Waits up to `seconds` for `path` to exist (the sketch's port comes back after the upload).
    static func waitForPort(_ path: String, seconds: Double) -> String? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if FileManager.default.fileExists(atPath: path) { return path }
            usleep(100_000)
        }
        return nil
    }
}
