// Test support shared by the firmware end-to-end and the reliability tests: the real firmware
// under the simavr harness, spoken to over its pty. Not shipped.
import Foundation
import RollSenseTestSupport
import RollSenseWire
#if canImport(Glibc)
import Glibc
#endif

/// Where the firmware build puts what the end-to-end tests run (Firmware/Makefile).
public enum FirmwareBuild {
    /// The repository root, found from this file's path (Tests/SimulatorSupport/...).
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let harness = root.appendingPathComponent("Firmware/build/sim/rollsense-sim")
    public static let loadCellFirmware = root.appendingPathComponent("Firmware/build/sim-hx4/rollsense.elf")
    public static let mixedFirmware = root.appendingPathComponent("Firmware/build/sim-mix/rollsense.elf")
    public static let steadyScenario = root.appendingPathComponent("Fixtures/firmware/scenarios/e2e-steady.scenario")
    public static let faultScenario = root.appendingPathComponent("Fixtures/firmware/scenarios/e2e-faults.scenario")
    public static let buttonScenario = root.appendingPathComponent("Fixtures/firmware/scenarios/e2e-button.scenario")

    public static var isBuilt: Bool {
        FileManager.default.isExecutableFile(atPath: harness.path)
            && FileManager.default.fileExists(atPath: loadCellFirmware.path)
            && FileManager.default.fileExists(atPath: mixedFirmware.path)
    }

    /// CI sets ROLLSENSE_REQUIRE_FIRMWARE=1 (Tools/run-swift-tests.sh): a missing build then fails
    /// the tests instead of skipping them.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_FIRMWARE"] == "1"
    }

    public static let missingMessage =
        "the simulated firmware is not built: run `make -C Firmware` (needs gcc-avr, arduino-core-avr, libsimavr-dev; Tools/setup.sh)"
}

/// What went wrong talking to the simulator.
public enum SimulatedDeviceError: Error, CustomStringConvertible {
    case launchFailed(String)
    case noPtyPath
    case system(call: String, errno: Int32)
    case timedOut(String)

    public var description: String {
        switch self {
        case .launchFailed(let why): return "cannot start rollsense-sim: \(why)"
        case .noPtyPath: return "rollsense-sim did not print its pty path"
        case .system(let call, let code): return "\(call) failed: \(String(cString: strerror(code)))"
        case .timedOut(let what): return "timed out waiting for \(what)"
        }
    }
}

/// The real firmware ELF running under the simavr harness, reached through its pty exactly as a
/// host reaches a board: open, raw termios, poll, read, write (Glibc only; the package's own
/// serial port is tested elsewhere). What it reads goes through RollSenseWire's `FrameDecoder`.
public final class SimulatedDevice {
    private let process = Process()
    private let fd: Int32
    /// The project's decoder; its counters say whether the stream had gaps or bad frames.
    public private(set) var decoder = FrameDecoder()
    private var pending: [WireEvent] = []
    /// Bytes after the last 0x00 seen: the start of text-mode output after a SET_MODE reply.
    private var bytesSinceDelimiter: [UInt8] = []

    /// Starts the harness (unthrottled, deterministic) and opens its pty.
    public init(firmware: URL = FirmwareBuild.loadCellFirmware, scenario: URL? = FirmwareBuild.steadyScenario,
         simulatedSeconds: Int = 120) throws {
        process.executableURL = FirmwareBuild.harness
        var arguments = ["--seconds", String(simulatedSeconds)]
        if let scenario { arguments += ["--scenario", scenario.path] }
        process.arguments = arguments + [firmware.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw SimulatedDeviceError.launchFailed("\(error)") }

        // The harness prints the pty path as its first line, then waits for us to open it.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let path = String(data: line, encoding: .utf8)?.split(separator: "\n").first.map(String.init),
              path.hasPrefix("/dev/")
        else {
            stop(process)
            throw SimulatedDeviceError.noPtyPath
        }
        let opened = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK)
        guard opened >= 0 else {
            stop(process)
            throw SimulatedDeviceError.system(call: "open \(path)", errno: errno)
        }
        fd = opened
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { throw SimulatedDeviceError.system(call: "tcgetattr", errno: errno) }
        cfmakeraw(&settings)
        // The harness decodes at the host's rate as a real UART does: the firmware's 115200.
        cfsetispeed(&settings, speed_t(B115200))
        cfsetospeed(&settings, speed_t(B115200))
        guard tcsetattr(fd, TCSANOW, &settings) == 0 else { throw SimulatedDeviceError.system(call: "tcsetattr", errno: errno) }
    }

    deinit {
        close(fd)
        stop(process)
    }

    /// Waits for the HELLO the firmware sends at boot, as a host waits for a board it has just
    /// reset by opening its port, and returns it.
    @discardableResult
    public func waitForHello() throws -> DeviceInfo {
        let events = try events(until: "the boot HELLO") { if case .info = $0 { true } else { false } }
        guard case .info(let info) = events.last else { throw SimulatedDeviceError.timedOut("the boot HELLO") }
        return info
    }

    /// Sends one command, encoded by RollSenseWire.
    public func send(_ command: Command, tag: UInt8) throws {
        let bytes = try command.encoded(tag: tag)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EAGAIN || errno == EINTR { try waitFor(events: Int16(POLLOUT), milliseconds: 100); continue }
                throw SimulatedDeviceError.system(call: "write", errno: errno)
            }
            offset += written
        }
    }

    /// The next decoded event, waiting at most `seconds` of wall-clock time (a limit so a broken
    /// firmware fails the test instead of hanging it, not a speed check).
    public func nextEvent(within seconds: Double = 10) throws -> WireEvent {
        let deadline = Date().addingTimeInterval(seconds)
        while pending.isEmpty {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw SimulatedDeviceError.timedOut("a frame from the device") }
            let chunk = try readChunk(waitingAtMost: left)
            decoder.feed(chunk) { pending.append($0) }
        }
        return pending.removeFirst()
    }

    /// Events up to and including the first one `stop` accepts.
    public func events(until what: String, within seconds: Double = 10, _ stop: (WireEvent) -> Bool) throws -> [WireEvent] {
        let deadline = Date().addingTimeInterval(seconds)
        var events: [WireEvent] = []
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw SimulatedDeviceError.timedOut(what) }
            let event = try nextEvent(within: left)
            events.append(event)
            if stop(event) { return events }
        }
    }

    /// The next `count` samples, and every other event seen on the way.
    public func samples(_ count: Int) throws -> (samples: [Sample], others: [WireEvent]) {
        var samples: [Sample] = []
        var others: [WireEvent] = []
        while samples.count < count {
            let event = try nextEvent()
            if case .sample(let sample) = event { samples.append(sample) } else { others.append(event) }
        }
        return (samples, others)
    }

    /// Sends a command and returns the events up to its REPLY (the REPLY last).
    public func command(_ command: Command, tag: UInt8) throws -> [WireEvent] {
        try send(command, tag: tag)
        return try events(until: "the reply to \(command)") { event in
            if case .reply(let reply) = event { return reply.command == command.type && reply.tag == tag }
            return false
        }
    }

    /// Raw text after the last frame, for text mode.
    public func readText(bytes wanted: Int, within seconds: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var collected = bytesSinceDelimiter
        while collected.count < wanted {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw SimulatedDeviceError.timedOut("\(wanted) bytes of text") }
            collected += try readChunk(waitingAtMost: left)
        }
        return String(decoding: collected, as: UTF8.self)
    }

    /// The next bytes from the pty as they arrive (empty after `seconds` with none), for a test
    /// that decodes them itself. (The reliability tests feed one decoder from two harness
    /// runs.)
    public func rawChunk(waitingAtMost seconds: Double) throws -> [UInt8] {
        try readChunk(waitingAtMost: seconds)
    }

    private func readChunk(waitingAtMost seconds: Double) throws -> [UInt8] {
        try waitFor(events: Int16(POLLIN), milliseconds: Int32(min(seconds, 1) * 1000))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EAGAIN || errno == EINTR { return [] }
            throw SimulatedDeviceError.system(call: "read", errno: errno)
        }
        let chunk = Array(buffer[..<count])
        if let lastZero = chunk.lastIndex(of: 0) {
            bytesSinceDelimiter = Array(chunk[(lastZero + 1)...])
        } else {
            bytesSinceDelimiter += chunk
        }
        return chunk
    }

    private func waitFor(events: Int16, milliseconds: Int32) throws {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        if poll(&descriptor, 1, milliseconds) < 0 && errno != EINTR {
            throw SimulatedDeviceError.system(call: "poll", errno: errno)
        }
    }
}
