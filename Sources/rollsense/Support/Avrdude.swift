#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import Synchronization

/// A flag one thread raises and another reads.
private final class SharedFlag: Sendable {
    private let state = Mutex(false)
    func raise() { state.withLock { $0 = true } }
    var isRaised: Bool { state.withLock { $0 } }
}

/// When rollsense forwarded a stop signal to avrdude; nil before it did.
private final class SharedDate: Sendable {
    private let state = Mutex<Date?>(nil)
    var value: Date? { state.withLock { $0 } }
    func set(_ date: Date) { state.withLock { $0 = date } }
}

/// The boards `rollsense flash` knows: which chip, bootloader protocol and speed each has.
enum FlashBoard: String, CaseIterable, ExpressibleByArgument {
    case auto, uno, nano
    case nanoOld = "nano-old"
    case leonardo, micro

    /// What avrdude needs for one board, and the firmware build it runs.
    struct Target: Equatable {
        var name: String
        /// avrdude's `-p` part.
        var part: String
        /// avrdude's `-c` programmer (the bootloader's protocol).
        var programmer: String
        var baudRate: Int
        /// The Firmware/build variant (and installed image name).
        var variant: String
        /// Flash bytes below the bootloader.
        var applicationBytes: Int
        /// Whether the bootloader starts on a 1200-baud open and close (native USB boards).
        var touchAt1200Baud: Bool
    }

    /// The target for a named board; nil for `auto`. Sources: Arduino AVR core 1.8 boards.txt
    /// (upload.protocol, upload.speed, upload.maximum_size).
    var target: Target? {
        switch self {
        case .auto: return nil
        case .uno: return Target(name: "Arduino Uno", part: "atmega328p", programmer: "arduino", baudRate: 115_200, variant: "uno", applicationBytes: 32_256, touchAt1200Baud: false)
        case .nano: return Target(name: "Arduino Nano", part: "atmega328p", programmer: "arduino", baudRate: 115_200, variant: "uno", applicationBytes: 32_256, touchAt1200Baud: false)
        case .nanoOld: return Target(name: "Arduino Nano (old bootloader)", part: "atmega328p", programmer: "arduino", baudRate: 57_600, variant: "uno", applicationBytes: 30_720, touchAt1200Baud: false)
        case .leonardo: return Target(name: "Arduino Leonardo", part: "atmega32u4", programmer: "avr109", baudRate: 57_600, variant: "leonardo", applicationBytes: 28_672, touchAt1200Baud: true)
        case .micro: return Target(name: "Arduino Micro", part: "atmega32u4", programmer: "avr109", baudRate: 57_600, variant: "leonardo", applicationBytes: 28_672, touchAt1200Baud: true)
        }
    }

    /// The board udev's name implies, nil when it cannot tell (a pty, an unknown adapter). A
    /// USB-serial bridge (CH340, FTDI, CP210x) is most often a Nano; its bootloader speed is
    /// tried at 115200 first, then 57600 (see FlashCommand).
    static func guess(fromUdevName name: String?) -> FlashBoard? {
        guard let name else { return nil }
        // Bridges first: "CH340 serial (Nano/Uno clone)" names the Uno too.
        if name.contains("CH340") || name.contains("FTDI") || name.contains("CP210x") || name.contains("CH9102") { return .nano }
        if name.hasPrefix("Arduino Uno") { return .uno }
        if name.hasPrefix("Arduino Leonardo") { return .leonardo }
        if name.hasPrefix("Arduino Micro") { return .micro }
        return nil
    }
}

/// avrdude, Debian's package, run as a child process with its progress shown as a bar.
enum Avrdude {
    /// The avrdude on PATH (or `$ROLLSENSE_AVRDUDE`), or a failure saying how to install it.
    static func locate() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["ROLLSENSE_AVRDUDE"], !explicit.isEmpty { return explicit }
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/avrdude"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw CommandFailure.device(
            "avrdude is not installed; rollsense flash uses it to talk to the board's bootloader. "
                + "Install it with `sudo apt-get install avrdude` (Debian, Ubuntu) or your system's package manager, then run flash again.")
    }

    /// avrdude's arguments to write and verify `image` (no chip erase: bootloaders erase each
    /// page). `syncAttempts` caps the stk500 sync tries (avrdude's default is 10, 5 s each).
    static func arguments(target: FlashBoard.Target, port: String, image: String, syncAttempts: Int? = nil) -> [String] {
        ["-p", target.part, "-c", target.programmer, "-P", port, "-b", String(target.baudRate), "-D"]
            + (syncAttempts.map { ["-x", "attempts=\($0)"] } ?? []) + ["-U", "flash:w:\(image):i"]
    }

    /// How a run ended: avrdude's exit status and everything it printed.
    struct Outcome {
        var status: Int32
        var log: String
        var terminatedByLimit = false
        var portVanished = false
        /// The signal (SIGINT, SIGTERM) that stopped rollsense, and with it avrdude; 0 when none did.
        var interruptedBy: Int32 = 0
    }

    /// Runs avrdude, turning each "Writing | ####" / "Reading | ####" bar it prints into a
    /// progress bar (or a line per phase when stderr is not a terminal); `echo` prints its raw output.
    static func run(executable: String, arguments: [String], port: String, echo: Bool) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw CommandFailure.device("Cannot start \(executable): \(error.localizedDescription). Install avrdude: `sudo apt-get install avrdude`.")
        }
        // avrdude 7.1 spins forever on a port that vanished mid-run (the board unplugged): stop
        // it when the port goes away, and in any case after a generous limit. When rollsense is
        // told to stop (Ctrl-C, SIGTERM), avrdude gets the same signal, so no orphan keeps
        // writing to the board after rollsense has gone.
        let vanished = SharedFlag()
        let started = Date()
        let watch = DispatchSource.makeTimerSource(queue: .global())
        watch.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        let forwardedAt = SharedDate()
        watch.setEventHandler {
            guard process.isRunning else { return }
            let signal = stopSignal.load(ordering: .relaxed)
            if signal != 0 {
                // SIGKILL a second later: the signal may be blocked in the mask avrdude inherited.
                if let at = forwardedAt.value {
                    if Date().timeIntervalSince(at) > 1 { kill(process.processIdentifier, SIGKILL) }
                } else {
                    forwardedAt.set(Date())
                    kill(process.processIdentifier, signal)
                }
                return
            }
            // SIGKILL: a spinning avrdude has nothing to save, and SIGTERM may be blocked in
            // the signal mask rollsense's parent handed down.
            if !FileManager.default.fileExists(atPath: port) {
                vanished.raise()
                kill(process.processIdentifier, SIGKILL)
            } else if Date().timeIntervalSince(started) > Double(Self.timeLimitSeconds) {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        watch.resume()
        defer { watch.cancel() }
        var progress = ProgressParser()
        var log = Data()
        let handle = pipe.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            log.append(chunk)
            if echo { FileHandle.standardError.write(chunk) }
            progress.feed(chunk)
        }
        process.waitUntilExit()
        progress.finish()
        // Read after avrdude ended: at a terminal Ctrl-C reaches avrdude (same process group)
        // as soon as rollsense, and its end must not read as a hang stopped by the time limit.
        let interruptedBy = stopSignal.load(ordering: .relaxed)
        return Outcome(status: process.terminationStatus, log: String(decoding: log, as: UTF8.self),
                       terminatedByLimit: process.terminationReason == .uncaughtSignal && !vanished.isRaised && interruptedBy == 0,
                       portVanished: vanished.isRaised, interruptedBy: interruptedBy)
    }

    /// A 32 KB upload and verify takes under 10 s at 57600 baud; several minutes means it hangs.
    static let timeLimitSeconds = 180

    /// Follows avrdude's no-terminal progress output: `Writing | ` then one `#` per 2 % then ` | 100% 2.38s`.
    struct ProgressParser {
        private var line = ""
        private var hashes = 0
        private var phase: String?
        private var bar: ProgressBar?

        mutating func feed(_ data: Data) {
            for byte in data {
                let character = Character(UnicodeScalar(byte))
                if let current = phase {
                    if character == "#" {
                        hashes += 1
                        bar?.update(doneBytes: Int64(hashes))
                    } else if character == "\n" || (character == "%" && hashes >= 50) {
                        end(current)
                    }
                    continue
                }
                if character == "\n" { line = ""; continue }
                line.append(character)
                for (word, label) in [("Writing | ", "Writing"), ("Reading | ", "Verifying")] where line.hasSuffix(word) {
                    phase = label
                    hashes = 0
                    line = ""
                    bar = ProgressBar(totalBytes: 50)
                    if bar != nil { printError(label == "Writing" ? "Writing the firmware:" : "Reading it back to verify:") }
                }
            }
        }

        private mutating func end(_ label: String) {
            // Short of 50 marks the phase was cut off (avrdude stopped): the bar stays where it got.
            if let bar { bar.finish(complete: hashes >= 50) } else { say("\(label): \(hashes * 2) % done") }
            bar = nil
            phase = nil
        }

        mutating func finish() {
            if let phase { end(phase) }
        }
    }

    /// A plain explanation of a failed run, from avrdude's messages.
    static func explain(_ outcome: Outcome, target: FlashBoard.Target, port: String) -> CommandFailure {
        let log = outcome.log
        let lower = log.lowercased()
        if outcome.interruptedBy != 0 {
            return interrupted(outcome.interruptedBy, port: port, whileWriting: true)
        }
        if outcome.portVanished {
            return .device("\(port) went away while avrdude was writing (unplugged?). The board keeps its bootloader: plug it back in and run flash again.")
        }
        if outcome.terminatedByLimit {
            return .device("avrdude did not finish within \(timeLimitSeconds / 60) minutes on \(port) and was stopped. Unplug the board, plug it back in and run flash again.")
        }
        if let signature = firstMatch(in: log, after: "device signature = 0x"), lower.contains("expected signature") {
            let chip = chipNames[signature.lowercased()] ?? "a chip with signature 0x\(signature)"
            let fix = " " + (boardHint[signature.lowercased()] ?? unsupported)
            return .device(
                "Wrong board: the chip on \(port) is \(chip), but --board chose the \(target.name) (\(target.part)). Nothing was written.\(fix)")
        }
        if lower.contains("verification error") || lower.contains("verification mismatch") || lower.contains("mismatch at") {
            return .device("Verify failed: after writing, the flash of the board on \(port) reads back different from the image\(mismatchDetail(log)). "
                + "The firmware on it is incomplete and must not be trusted: the board may not start, or may misbehave. "
                + "The bootloader is untouched, so run flash again; if verify fails again at the same place, that board's flash is worn "
                + "or faulty: use another board.")
        }
        // Before "cannot open": avrdude ends a failed sync with "unable to open programmer" too.
        if noAnswer(outcome) {
            let hint: String
            switch target.programmer {
            case "avr109":
                hint = "No \(target.name) bootloader answered on \(port). Is the board really a Leonardo or Micro? "
                    + "(An Uno or Nano needs --board uno, nano or nano-old.) If it is, press its reset button twice quickly and run flash again within 8 s."
            default:
                hint = "The bootloader on \(port) did not answer at \(target.baudRate) baud. "
                    + (target.baudRate == 115_200 ? "A Nano with the old bootloader needs --board nano-old (57600 baud); a Leonardo or Micro needs --board leonardo or micro. "
                        : "A Nano with the new bootloader needs --board nano (115200 baud). ")
                    + "Check that nothing else uses the port and try again."
            }
            return .device(hint)
        }
        if lower.contains("cannot open port") || lower.contains("unable to open programmer") {
            let reason = log.split(whereSeparator: \.isNewline).first { $0.contains("OS error") && !$0.contains("TIOCM") }
                .map { " (" + String($0).replacingOccurrences(of: "avrdude OS error: ", with: "") + ")" } ?? ""
            if !lower.contains("permission denied") {
                return .device("avrdude could not open \(port)\(reason). Check that the board is plugged in; `rollsense doctor` checks the set-up.")
            }
        }
        if lower.contains("permission denied") {
            return .device("Permission denied on \(port): add yourself to the dialout group (`sudo adduser $USER dialout`, then log out and in) "
                + "or install the udev rule (`rollsense doctor` tells what is missing).")
        }
        let errors = log.split(whereSeparator: \.isNewline).map(String.init).filter { $0.contains("error") && !$0.contains("TIOCM") }
        return .device("avrdude failed (exit status \(outcome.status)): " + (errors.last ?? "see its output with --verbose") + ".")
    }

    /// The failure for a flash stopped by a signal: exit status 128 + the signal, as a shell
    /// reports a command it interrupted. `whileWriting`: avrdude had started on the board.
    static func interrupted(_ signal: Int32, port: String, whileWriting: Bool) -> CommandFailure {
        let name = signal == SIGINT ? "Ctrl-C (SIGINT)" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
        let message = whileWriting
            ? "Flashing was stopped by \(name); avrdude was stopped too. The board on \(port) may hold a partly written "
                + "firmware and need flashing again: run `rollsense flash` again (its bootloader is untouched)."
            : "Stopped by \(name) before anything was written to \(port)."
        return CommandFailure(message: message, exitCode: 128 + signal)
    }

    /// Whether avrdude found nobody speaking its bootloader protocol on the port.
    static func noAnswer(_ outcome: Outcome) -> Bool {
        let lower = outcome.log.lowercased()
        return ["not in sync", "not responding", "did not respond", "initialization failed", "timeout", "no response"].contains { lower.contains($0) }
    }

    /// " (at byte 0x0100 the board holds 0xff where the image has 0xac)" from avrdude 7's
    /// "device 0xff != input 0xac at addr 0x0100", or "" when the log has no such line.
    static func mismatchDetail(_ log: String) -> String {
        guard let line = log.split(whereSeparator: \.isNewline).first(where: { $0.contains("!= input") }) else { return "" }
        let words = line.split(whereSeparator: \.isWhitespace)
        func after(_ word: String) -> Substring? { words.firstIndex(of: Substring(word)).flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } }
        guard let device = after("device"), let input = after("input"), let address = after("addr") else { return "" }
        return " (at byte \(address) the board holds \(device) where the image has \(input))"
    }

    /// AVR signatures (datasheets, "Signature bytes") and the chip's usual boards.
    static let chipNames: [String: String] = [
        "1e950f": "an ATmega328P (Uno, Nano)", "1e9514": "an ATmega328 (some clones)", "1e9406": "an ATmega168 (old Nano, Diecimila)",
        "1e9587": "an ATmega32U4 (Leonardo, Micro)", "1e9801": "an ATmega2560 (Mega 2560)", "1e9307": "an ATmega8",
    ]
    static let boardHint: [String: String] = [
        "1e950f": "Run flash again with --board uno (or nano, nano-old).", "1e9587": "Run flash again with --board leonardo (or micro).",
    ]
    static let unsupported = "RollSense's firmware is built for the ATmega328P (Uno, Nano) and the ATmega32U4 (Leonardo, Micro) only."

    private static func firstMatch(in text: String, after marker: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        return String(text[range.upperBound...].prefix { $0.isHexDigit })
    }
}
