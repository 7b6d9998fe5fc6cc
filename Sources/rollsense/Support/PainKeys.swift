#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseWire
import Synchronization

/// Reads the pain key from standard input on its own thread: `p` on a terminal (no Enter
/// needed), or a line `pain` when stdin is a pipe (`live --json` driven by another program).
final class PainKeyReader: @unchecked Sendable {
    // @unchecked: `onMark` is only called on the reader thread, `stopping` is atomic, and the
    // saved terminal settings are touched only by start and stop on the caller's thread.
    private let lines: Bool
    private let onMark: @Sendable () -> Void
    private let stopping = Atomic<Bool>(false)
    private var savedTerminal: termios?
    private var thread: Thread?

    /// A reader that calls `onMark` for each mark; `lines` reads `pain` lines instead of keys.
    init(lines: Bool, onMark: @escaping @Sendable () -> Void) {
        self.lines = lines || isatty(STDIN_FILENO) == 0
        self.onMark = onMark
    }

    /// Starts reading (and, on a terminal, turns off line editing and echo so `p` arrives alone).
    func start() {
        if !lines {
            var settings = termios()
            if tcgetattr(STDIN_FILENO, &settings) == 0 {
                savedTerminal = settings
                settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
                tcsetattr(STDIN_FILENO, TCSANOW, &settings)
            }
        }
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "rollsense-pain-key"
        self.thread = thread
        thread.start()
    }

    /// Stops reading and gives the terminal its settings back.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        if var saved = savedTerminal {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            savedTerminal = nil
        }
    }

    private func readLoop() {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while !stopping.load(ordering: .relaxed) {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            guard read(STDIN_FILENO, &byte, 1) == 1 else { return }  // end of input or an error
            if !lines {
                if byte == UInt8(ascii: "p") || byte == UInt8(ascii: "P") { onMark() }
                continue
            }
            if byte == UInt8(ascii: "\n") {
                if String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces) == "pain" { onMark() }
                line.removeAll(keepingCapacity: true)
            } else if line.count < 64 {
                line.append(byte)
            }
        }
    }
}

/// Passes everything on to the real sink, and hands each pain mark to `store` first.
final class PainMarkKeeper: SessionSink {
    private let sink: any SessionSink
    private let store: (SignalEvent) -> Void

    init(sink: any SessionSink, store: @escaping (SignalEvent) -> Void) {
        self.sink = sink
        self.store = store
    }

    func sessionDidIdentify(_ info: DeviceInfo) { sink.sessionDidIdentify(info) }
    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) { sink.sessionDidRead(reading, sessionSeconds: sessionSeconds) }
    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) {
        if event.reason == .painMark { store(event) }
        sink.sessionDidEmit(event, sessionSeconds: sessionSeconds)
    }
    func sessionLinkDidChange(_ state: LinkState) { sink.sessionLinkDidChange(state) }
    func sessionDidProcess(_ sample: Sample, reading: Reading, sessionSeconds: Double) {
        sink.sessionDidProcess(sample, reading: reading, sessionSeconds: sessionSeconds)
    }
    func sessionDidNameChannels(_ channels: TextChannels) { sink.sessionDidNameChannels(channels) }
    func sessionRecordingDidStop(_ error: CaptureWriteError, sessionSeconds: Double) {
        sink.sessionRecordingDidStop(error, sessionSeconds: sessionSeconds)
    }
}
