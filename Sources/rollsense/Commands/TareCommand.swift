import ArgumentParser
import Foundation
import RollSenseDevice
import RollSenseWire

/// `rollsense tare`: sends a text sketch its own tare command, only because the user asked.
struct TareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tare",
        abstract: "Tell a text sketch to tare itself: sends HX711_ADC's `t`, and nothing else.",
        discussion: """
            For a board running someone else's sketch that takes a tare command, such as the \
            olkal/HX711_ADC examples (`t` tares the scale, which then prints "Tare complete"). \
            RollSense never sends it by itself: other sketches read letters as their own commands. \
            The device must be printing text first; a board running the RollSense firmware is \
            refused (use `rollsense calibrate`). Remove everything from the scale before.

            Opening a port resets most boards, and HX711_ADC sketches tare at start-up anyway: \
            with --no-reset the board keeps running and only the `t` tares it.

            Examples:
              rollsense tare
              rollsense tare --device /dev/ttyUSB0 --no-reset
            """
    )

    /// The byte HX711_ADC's examples tare on (`if (inByte == 't') LoadCell.tareNoDelay();`).
    static let tareCommand = UInt8(ascii: "t")

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp("How long to wait for the sketch's \"Tare complete\".", valueName: "seconds"))
    var timeout: Double = 5

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds.") }
    }

    func run() throws {
        let chosen = try device.chosenDevice()
        let connection = try device.connectDetectingRate(chosen)
        defer { connection.close() }
        var decoder = WireDecoder()
        var lines = LineCollector()
        var buffer = [UInt8](repeating: 0, count: 4_096)

        // Text first: only a device seen printing text gets the letter.
        var speaksText = false
        let textDeadline = Date().addingTimeInterval(10)
        while !speaksText {
            guard Date() < textDeadline else {
                throw CommandFailure.device("\(chosen.path) printed no text lines in 10 s, so `t` was not sent: check --baud and that the sketch prints.")
            }
            let chunk = try read(connection, &buffer)
            var identified = false
            decoder.feed(chunk, hostTimeMicroseconds: 0) { event in
                switch event {
                case .info: identified = true
                case .protocolDetected(let kind): speaksText = kind == .text
                default: break
                }
            }
            if identified || decoder.counters.binary.frames > 0 {
                throw CommandFailure.usage("\(chosen.path) runs the RollSense firmware, which has no tare command: use `rollsense calibrate`.")
            }
            lines.add(chunk)
        }
        lines.reset()

        do { try connection.write([Self.tareCommand]) } catch {
            throw CommandFailure.device("Sending `t` to \(chosen.path) failed: \(error)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lines.add(try read(connection, &buffer))
            if let line = lines.all.first(where: { $0.lowercased().contains("tare complete") }) {
                print("Tared: the sketch answered \"\(line)\".")
                return
            }
        }
        throw CommandFailure.device(
            "Sent `t` to \(chosen.path), but the sketch did not answer \"Tare complete\" in \(timeout) s: it may not take a tare command (the HX711_ADC examples do).")
    }

    private func read(_ connection: Connection, _ buffer: inout [UInt8]) throws -> [UInt8] {
        let result = try buffer.withUnsafeMutableBytes { try connection.read(into: $0, timeoutMilliseconds: 100) }
        switch result {
        case .bytes(let count): return Array(buffer[0..<count])
        case .timeout, .reconnected: return []
        case .end, .disconnected: throw CommandFailure.device("\(connection.device.path) went away: plug it back in and try again.")
        }
    }
}

/// Complete text lines from a byte stream, for reading a sketch's answers.
private struct LineCollector {
    private(set) var all: [String] = []
    private var partial: [UInt8] = []

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                all.append(String(decoding: partial, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
                partial.removeAll()
            } else {
                partial.append(byte)
            }
        }
    }

    mutating func reset() { all.removeAll() }
}
