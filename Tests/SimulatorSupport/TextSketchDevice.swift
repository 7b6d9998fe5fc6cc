import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A pty that behaves like a board running someone else's sketch: once a host opens it, it prints
/// `lines` in a loop, one every `interval`, and records every byte the host writes. With
/// `tareReply`, a `t` from the host makes it print that line (HX711_ADC's "Tare complete").
/// It never garbles (a pty has no line rate): the simavr harness is the device for that.
public final class TextSketchDevice: @unchecked Sendable {
    /// The slave side's path, for `rollsense ... --device`.
    public let path: String
    private let master: Int32
    private let received = Mutex<[UInt8]>([])
    private let stopped = Atomic<Bool>(false)
    private var thread: Thread?

    /// Opens the pty and starts serving in the background.
    public init(lines: [String], interval: Double, banner: [String] = [], tareReply: String? = nil) throws {
        var masterFD: Int32 = -1
        var slaveFD: Int32 = -1
        guard openpty(&masterFD, &slaveFD, nil, nil, nil) == 0 else { throw SimulatedDeviceError.system(call: "openpty", errno: errno) }
        var attributes = termios()
        tcgetattr(slaveFD, &attributes)
        cfmakeraw(&attributes)
        tcsetattr(slaveFD, TCSANOW, &attributes)
        path = String(cString: ttyname(slaveFD))
        // Closed now: the master reads as hung up until a host opens the slave.
        close(slaveFD)
        master = masterFD
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        let thread = Thread { [self] in serve(lines: lines, interval: interval, banner: banner, tareReply: tareReply) }
        self.thread = thread
        thread.start()
    }

    /// Every byte the host has written so far.
    public var bytesFromHost: [UInt8] { received.withLock { $0 } }

    /// Stops serving and closes the pty.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        while thread?.isFinished == false { usleep(10_000) }
        close(master)
    }

    private func serve(lines: [String], interval: Double, banner: [String], tareReply: String?) {
        // Wait for the host: POLLHUP until the slave is opened.
        while !stopped.load(ordering: .relaxed) {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 20)
            if descriptor.revents & Int16(POLLHUP) == 0 { break }
            usleep(20_000)
        }
        var queue = banner.map { $0 + "\r\n" }
        var next = 0
        var due = Date()
        while !stopped.load(ordering: .relaxed) {
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if count > 0 {
                let bytes = Array(buffer[0..<count])
                received.withLock { $0 += bytes }
                if let tareReply, bytes.contains(UInt8(ascii: "t")) { queue.append(tareReply + "\r\n") }
            }
            if (Date() >= due && !lines.isEmpty) || !queue.isEmpty {
                var text: String
                if !queue.isEmpty {
                    text = queue.removeFirst()
                } else {
                    text = lines[next % lines.count] + "\r\n"
                    next += 1
                    due = due.addingTimeInterval(interval)
                }
                _ = text.withUTF8 { write(master, $0.baseAddress, $0.count) }
            }
            usleep(5_000)
        }
    }
}
