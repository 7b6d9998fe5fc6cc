#if canImport(Glibc)
import Glibc
#endif
import RollSenseSystem
import RollSenseWire

/// Why the virtual device could not be served.
public enum PseudoTerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `openpty` failed (no free ptys, or /dev/pts is not mounted).
    case openFailed(errno: Errno)
    /// The symlink asked for could not be made.
    case linkFailed(path: String, errno: Errno)
    /// Writing to or reading from the pty failed.
    case ioFailed(function: String, errno: Errno)

    /// One line: the cause and what to do.
    public var description: String {
        switch self {
        case .openFailed(let code):
            return "Could not open a pseudo-terminal (\(code)): check that /dev/pts is mounted."
        case .linkFailed(let path, let code):
            return "Could not make the link \(path) (\(code)): choose a path in a writable folder where no file exists."
        case .ioFailed(let function, let code):
            return "The pseudo-terminal failed in \(function) (\(code)): run it again."
        }
    }
}

/// Serves a `VirtualDevice` on the master side of a pty: a program opens `path` as if it were
/// the board's serial port. Runs on the calling thread until stopped or the scenario ends.
public final class PseudoTerminalDevice {
    /// The slave side's path (`/dev/pts/N`), to give to `rollsense live --device`.
    public let path: String
    /// The symlink made to `path`, if any (removed on close).
    public let linkPath: String?
    private var master: Int32
    private var slave: Int32

    /// Opens a pty in raw mode; with `linkPath`, also makes a symlink to it (replacing an old symlink).
    public init(linkPath: String? = nil) throws(PseudoTerminalError) {
        var masterFD: Int32 = -1
        var slaveFD: Int32 = -1
        guard openpty(&masterFD, &slaveFD, nil, nil, nil) == 0 else { throw .openFailed(errno: Errno(errno)) }
        // Raw on the slave so the line discipline neither echoes nor edits the host's bytes.
        var attributes = termios()
        tcgetattr(slaveFD, &attributes)
        cfmakeraw(&attributes)
        tcsetattr(slaveFD, TCSANOW, &attributes)
        master = masterFD
        path = String(cString: ttyname(slaveFD))
        // Closed at once: while no program has the slave open the master reads as hung up, which
        // is how `serve` knows when a host arrives (and the board "boots" for it).
        Glibc.close(slaveFD)
        slave = -1
        if let linkPath {
            var status = stat()
            if lstat(linkPath, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK { unlink(linkPath) }
            guard symlink(path, linkPath) == 0 else {
                let code = errno
                // The slave is already closed: closing it again could close another file.
                Glibc.close(masterFD)
                throw .linkFailed(path: linkPath, errno: Errno(code))
            }
        }
        self.linkPath = linkPath
    }

    deinit { close() }

    /// Closes both sides and removes the link.
    public func close() {
        if master >= 0 { Glibc.close(master); master = -1 }
        if slave >= 0 { Glibc.close(slave); slave = -1 }
        if let linkPath { unlink(linkPath) }
    }

    /// Plays `device` on the pty. `speed` 1 is real time, N is N times faster, nil is as fast as
    /// the reader reads. Stops after `seconds` of device time (nil: the scenario's end, or never
    /// for a repeating one) or when `shouldStop` answers true (polled at least every 50 ms).
    /// In real time, samples that do not fit because nobody reads are dropped, as a board does.
    /// With `seconds`, waiting for a program to open the port lasts at most that long in host
    /// time too, so a bounded run ends even when nobody ever reads; returns whether a host came.
    @discardableResult
    public func serve(_ device: inout VirtualDevice, speed: Double?, seconds: Double? = nil, shouldStop: () -> Bool) throws(PseudoTerminalError) -> Bool {
        let hostWaitMicroseconds = seconds.map { Int64($0 * 1e6) }
        // Like a board reset by the host opening its port: nothing happens before a host is
        // there, so the host sees the HELLO and the session from device time 0.
        guard waitForHost(timeoutMicroseconds: hostWaitMicroseconds, shouldStop: shouldStop) else { return false }
        try write(device.bootBytes(), blocking: device.isForeignSketch, shouldStop: shouldStop)
        var startHost = hostMonotonicMicroseconds()
        var startDevice = device.deviceTimeMicroseconds
        let period = device.scenario.repeats ? nil : device.scenario.periodSeconds
        let limitSeconds = [seconds, period].compactMap { $0 }.min()
        var input = [UInt8](repeating: 0, count: 256)
        while !shouldStop() {
            let elapsedDevice = device.deviceTimeMicroseconds - startDevice
            if let limitSeconds, Double(elapsedDevice) * 1e-6 >= limitSeconds {
                // Closing now would throw away what the host has not read yet (a pty drops its
                // buffer on close): a finished board stays plugged in, silent, until the host
                // lets go.
                waitForHostToClose(shouldStop: shouldStop)
                break
            }
            var waitMilliseconds: Int32 = 0
            if let speed {
                let due = startHost + Int64(Double(elapsedDevice) / speed)
                waitMilliseconds = Int32(clamping: max(0, min(50, (due - hostMonotonicMicroseconds()) / 1_000)))
            }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, waitMilliseconds)
            if ready > 0 && descriptor.revents & Int16(POLLHUP) != 0 {
                // The host closed the port: wait for the next one and boot again for it, the
                // device clock running on (a HELLO restarts the host's sequence tracking).
                guard waitForHost(timeoutMicroseconds: hostWaitMicroseconds, shouldStop: shouldStop) else { return true }
                try write(device.bootBytes(), blocking: device.isForeignSketch, shouldStop: shouldStop)
                startHost = hostMonotonicMicroseconds()
                startDevice = device.deviceTimeMicroseconds
                continue
            }
            if ready > 0 && descriptor.revents & Int16(POLLIN) != 0 {
                let count = input.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, $0.count) }
                if count > 0 {
                    let reply = device.receive(Array(input[0..<count]))
                    if !reply.isEmpty { try write(reply, blocking: true, shouldStop: shouldStop) }
                }
            }
            if let speed {
                let due = startHost + Int64(Double(device.deviceTimeMicroseconds - startDevice) / speed)
                guard hostMonotonicMicroseconds() >= due else { continue }
                // Catch up in one write after a stall instead of one poll per late sample.
                var bytes: [UInt8] = []
                while bytes.count < 2_048 && hostMonotonicMicroseconds() >= startHost + Int64(Double(device.deviceTimeMicroseconds - startDevice) / speed) {
                    bytes += device.nextSampleBytes()
                }
                try write(bytes, blocking: false, shouldStop: shouldStop)
            } else {
                var bytes: [UInt8] = []
                for _ in 0..<32 { bytes += device.nextSampleBytes() }
                try write(bytes, blocking: true, shouldStop: shouldStop)
            }
        }
        return true
    }

    /// Waits until the host has closed the slave side, or a stop request.
    private func waitForHostToClose(shouldStop: () -> Bool) {
        while !shouldStop() {
            var descriptor = pollfd(fd: master, events: 0, revents: 0)
            _ = poll(&descriptor, 1, 50)
            if descriptor.revents & Int16(POLLHUP) != 0 { return }
        }
    }

    /// Waits until a program has the slave side open; false when asked to stop, or when
    /// `timeoutMicroseconds` pass, first.
    private func waitForHost(timeoutMicroseconds: Int64?, shouldStop: () -> Bool) -> Bool {
        let deadline = timeoutMicroseconds.map { hostMonotonicMicroseconds() + $0 }
        while !shouldStop() {
            if let deadline, hostMonotonicMicroseconds() >= deadline { return false }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 0)
            if descriptor.revents & Int16(POLLHUP) == 0 { return true }
            usleep(20_000)
        }
        return false
    }

    /// Writes bytes to the master; blocking waits for room (as fast as the reader reads),
    /// non-blocking drops what does not fit.
    private func write(_ bytes: [UInt8], blocking: Bool, shouldStop: () -> Bool) throws(PseudoTerminalError) {
        var offset = 0
        while offset < bytes.count {
            var descriptor = pollfd(fd: master, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&descriptor, 1, blocking ? 50 : 0)
            if ready == 0 {
                if !blocking || shouldStop() { return }
                continue
            }
            if ready < 0 {
                if errno == EINTR { continue }
                throw .ioFailed(function: "poll", errno: Errno(errno))
            }
            // The host closed the port: what it did not read is lost, as on a real link.
            if descriptor.revents & Int16(POLLHUP) != 0 { return }
            let written = bytes.withUnsafeBytes { Glibc.write(master, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == EIO { return }
                throw .ioFailed(function: "write", errno: Errno(errno))
            }
            offset += written
        }
    }
}
