import CUdev
import Glibc
import RollSenseSystem

/// An open serial port in raw 8N1 mode without flow control, read with timeouts.
///
/// Ownership: one thread owns the port and calls `read` and `close`; another thread may `write`
/// while the owner reads (the kernel serialises the two directions). `close` must not race a
/// `read` or `write` in progress, hence `@unchecked Sendable`.
public final class SerialPort: @unchecked Sendable {
    /// The path the port was opened by.
    public let path: String
    /// The options in force (the baud rate may change after opening).
    public private(set) var options: SerialPortOptions
    /// Whether the driver accepted TIOCEXCL (ptys do; umockdev's emulated ttys answer ENOTTY).
    public private(set) var exclusiveIoctlSupported = false
    /// Whether the driver has modem lines (DTR); ptys and emulated ttys answer ENOTTY.
    public private(set) var modemLinesSupported = false

    private var fd: Int32
    private let system: SystemCalls

    /// How long DTR stays low in a reset pulse: avrdude's `arduino` programmer holds it 250 ms
    /// to discharge the reset capacitor (avrdude src/arduino.c).
    static let resetPulseMilliseconds = 250
    /// Default time a write may wait for room in the output queue.
    public static let defaultWriteTimeoutMilliseconds = 2_000

    /// Opens and configures the port at `path`. The corresponding C function is `open`.
    public convenience init(path: String, options: SerialPortOptions = SerialPortOptions()) throws(SerialPortError) {
        try self.init(path: path, options: options, system: .live)
    }

    init(path: String, options: SerialPortOptions, system: SystemCalls) throws(SerialPortError) {
        self.path = path
        self.options = options
        self.system = system
        switch system.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) {
        case .success(let descriptor):
            fd = descriptor
        case .failure(let code):
            throw Self.openError(path: path, errno: code, system: system)
        }
        do {
            try lockIfExclusive()
            try configure()
            try applyDTRPolicy()
        } catch {
            _ = system.close(fd)
            fd = -1
            throw error
        }
    }

    deinit {
        if fd >= 0 { _ = system.close(fd) }
    }

    /// The open descriptor, for polling it together with other descriptors; -1 once closed.
    public var fileDescriptor: Int32 { fd }

    /// Whether the port is open.
    public var isOpen: Bool { fd >= 0 }

    // MARK: - Opening

    private func lockIfExclusive() throws(SerialPortError) {
        guard options.exclusive else { return }
        // flock first: it works on every tty, including ptys and umockdev's emulated ones, and
        // also keeps out root, which TIOCEXCL does not.
        if case .failure(let code) = system.flock(fd, LOCK_EX | LOCK_NB) {
            if code.code == EWOULDBLOCK || code.code == EAGAIN {
                throw .busy(path: path, holderProcessIDs: holders(), errno: code)
            }
            // ENOLCK, EINVAL: this file system has no locks; TIOCEXCL below is all there is.
        }
        switch system.ioctlNoArgument(fd, UInt(TIOCEXCL)) {
        case .success: exclusiveIoctlSupported = true
        case .failure: exclusiveIoctlSupported = false  // ENOTTY: fall back to the flock alone
        }
    }

    private func configure() throws(SerialPortError) {
        var attributes: termios
        switch system.getAttributes(fd) {
        case .success(let value): attributes = value
        case .failure(let code) where code.code == ENOTTY || code.code == EINVAL:
            throw .notATerminal(path: path)
        case .failure(let code): throw classify(code, function: "tcgetattr")
        }
        cfmakeraw(&attributes)
        attributes.c_cflag &= ~(tcflag_t(CSIZE | PARENB | CSTOPB) | tcflag_t(CRTSCTS))
        attributes.c_cflag |= tcflag_t(CS8 | CLOCAL | CREAD)
        attributes.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        if options.dtrPolicy == .leaveUnchanged {
            attributes.c_cflag &= ~tcflag_t(HUPCL)
        } else {
            attributes.c_cflag |= tcflag_t(HUPCL)
        }
        // Non-blocking reads return what is there; poll does the waiting.
        withUnsafeMutableBytes(of: &attributes.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        let standard = Self.standardSpeed(options.baudRate)
        if let standard {
            cfsetispeed(&attributes, standard)
            cfsetospeed(&attributes, standard)
        }
        if case .failure(let code) = system.setAttributes(fd, attributes) {
            throw classify(code, function: "tcsetattr")
        }
        if standard == nil { try setArbitrarySpeed() }
    }

    private func setArbitrarySpeed() throws(SerialPortError) {
        guard options.baudRate > 0, options.baudRate <= Int(UInt32.max) else {
            throw .unsupportedBaudRate(path: path, baudRate: options.baudRate, errno: nil)
        }
        var attributes: rollsense_termios2
        switch system.getAttributes2(fd) {
        case .success(let value): attributes = value
        case .failure(let code): throw .unsupportedBaudRate(path: path, baudRate: options.baudRate, errno: code)
        }
        attributes.c_cflag &= ~ROLLSENSE_CBAUD
        attributes.c_cflag |= ROLLSENSE_BOTHER
        attributes.c_ispeed = UInt32(options.baudRate)
        attributes.c_ospeed = UInt32(options.baudRate)
        if case .failure(let code) = system.setAttributes2(fd, attributes) {
            throw .unsupportedBaudRate(path: path, baudRate: options.baudRate, errno: code)
        }
    }

    private func applyDTRPolicy() throws(SerialPortError) {
        let dtr = Int32(TIOCM_DTR)
        guard options.dtrPolicy == .resetBoard else {
            // Probe only, without changing a line: TIOCMBIS of no bits is a no-op where supported.
            modemLinesSupported = (try? system.setModemBits(fd, UInt(TIOCMBIS), 0).get()) != nil
            return
        }
        switch system.setModemBits(fd, UInt(TIOCMBIC), dtr) {
        case .failure(let code) where code.code == ENOTTY || code.code == EINVAL:
            modemLinesSupported = false  // a pty or an emulated tty: nothing to reset
            return
        case .failure(let code):
            throw classify(code, function: "ioctl(TIOCMBIC)")
        case .success:
            modemLinesSupported = true
        }
        system.sleepMilliseconds(Self.resetPulseMilliseconds)
        if case .failure(let code) = system.setModemBits(fd, UInt(TIOCMBIS), dtr) {
            throw classify(code, function: "ioctl(TIOCMBIS)")
        }
        // Bytes queued before the reset belong to the previous run of the sketch.
        _ = system.flush(fd, TCIFLUSH)
    }

    /// Changes the line speed and drops what arrived at the old one, which was decoded at that
    /// rate. The board is not reset.
    public func setBaudRate(_ baudRate: Int) throws(SerialPortError) {
        guard fd >= 0 else { throw .closed(path: path) }
        options.baudRate = baudRate
        try configure()
        _ = system.flush(fd, TCIFLUSH)
    }

    /// Standard rates in the termios B* table (termios(3)); others need termios2.
    static func standardSpeed(_ baudRate: Int) -> speed_t? {
        let table: [Int: Int32] = [
            50: B50, 75: B75, 110: B110, 134: B134, 150: B150, 200: B200, 300: B300, 600: B600,
            1_200: B1200, 1_800: B1800, 2_400: B2400, 4_800: B4800, 9_600: B9600, 19_200: B19200,
            38_400: B38400, 57_600: B57600, 115_200: B115200, 230_400: B230400, 460_800: B460800,
            500_000: B500000, 576_000: B576000, 921_600: B921600, 1_000_000: B1000000,
            1_152_000: B1152000, 1_500_000: B1500000, 2_000_000: B2000000,
        ]
        return table[baudRate].map { speed_t($0) }
    }

    // MARK: - Reading and writing

    /// Reads what has arrived, waiting up to `timeoutMilliseconds` (0: don't wait, -1: forever)
    /// for the first byte. Answers the count read, 0 on timeout.
    /// The corresponding C functions are `poll` and `read`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int) throws(SerialPortError) -> Int {
        guard fd >= 0 else { throw .closed(path: path) }
        guard buffer.count > 0 else { return 0 }
        guard try waitFor(events: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds) else { return 0 }
        switch system.read(fd, buffer) {
        case .success(0):
            // A tty answers end-of-file only after a hangup.
            throw .deviceGone(path: path, errno: nil)
        case .success(let count):
            return count
        case .failure(let code) where code.code == EAGAIN || code.code == EWOULDBLOCK:
            return 0
        case .failure(let code):
            throw classify(code, function: "read")
        }
    }

    /// Waits until the device has bytes to read, without reading them; answers false on timeout.
    /// Used after a reset: the bytes the board sends first (its HELLO) are left for the decoder.
    public func waitForInput(timeoutMilliseconds: Int) throws(SerialPortError) -> Bool {
        guard fd >= 0 else { throw .closed(path: path) }
        return try waitFor(events: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Writes all of `bytes`, waiting for room in the output queue after short writes and EAGAIN.
    /// The corresponding C function is `write`.
    public func write(_ bytes: UnsafeRawBufferPointer, timeoutMilliseconds: Int = SerialPort.defaultWriteTimeoutMilliseconds) throws(SerialPortError) {
        guard fd >= 0 else { throw .closed(path: path) }
        var written = 0
        let deadline = system.monotonicMicroseconds() + Int64(timeoutMilliseconds) * 1_000
        while written < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[written...])
            switch system.write(fd, rest) {
            case .success(let count):
                written += count
                continue
            case .failure(let code) where code.code == EAGAIN || code.code == EWOULDBLOCK:
                break
            case .failure(let code):
                throw classify(code, function: "write")
            }
            let remainingMilliseconds = max(0, Int((deadline - system.monotonicMicroseconds()) / 1_000))
            guard remainingMilliseconds > 0,
                try waitFor(events: Int16(POLLOUT), timeoutMilliseconds: remainingMilliseconds)
            else {
                throw .writeTimedOut(path: path, bytesWritten: written)
            }
        }
    }

    /// Writes all of `bytes`; see `write(_:timeoutMilliseconds:)`.
    public func write(_ bytes: [UInt8], timeoutMilliseconds: Int = SerialPort.defaultWriteTimeoutMilliseconds) throws(SerialPortError) {
        let failure: SerialPortError? = bytes.withUnsafeBytes { raw in
            do throws(SerialPortError) {
                try write(raw, timeoutMilliseconds: timeoutMilliseconds)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Waits until everything written has left the port. Drivers without the ioctl (emulated ttys)
    /// answer ENOTTY, which is taken as done. The corresponding C function is `tcdrain`.
    public func drain() throws(SerialPortError) {
        guard fd >= 0 else { throw .closed(path: path) }
        if case .failure(let code) = system.drain(fd), code.code != ENOTTY, code.code != EINVAL {
            throw classify(code, function: "tcdrain")
        }
    }

    /// Sets or clears DTR; answers false when the driver has no modem lines (ENOTTY).
    /// The corresponding C call is `ioctl(fd, TIOCMBIS or TIOCMBIC, TIOCM_DTR)`.
    @discardableResult
    public func setDTR(_ asserted: Bool) throws(SerialPortError) -> Bool {
        guard fd >= 0 else { throw .closed(path: path) }
        switch system.setModemBits(fd, UInt(asserted ? TIOCMBIS : TIOCMBIC), Int32(TIOCM_DTR)) {
        case .success: return true
        case .failure(let code) where code.code == ENOTTY || code.code == EINVAL: return false
        case .failure(let code): throw classify(code, function: "ioctl(TIOCMBIS)")
        }
    }

    /// Closes the port and releases its lock; safe to call twice. The corresponding C function is `close`.
    public func close() {
        guard fd >= 0 else { return }
        _ = system.close(fd)
        fd = -1
    }

    // MARK: - Errors

    private func waitFor(events: Int16, timeoutMilliseconds: Int) throws(SerialPortError) -> Bool {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        let timeout = Int32(clamping: timeoutMilliseconds < 0 ? -1 : timeoutMilliseconds)
        let result = withUnsafeMutablePointer(to: &descriptor) { pointer in
            system.poll(UnsafeMutableBufferPointer(start: pointer, count: 1), timeout)
        }
        switch result {
        case .failure(let code): throw classify(code, function: "poll")
        case .success(0): return false
        case .success: break
        }
        let returned = descriptor.revents
        if returned & Int16(POLLNVAL) != 0 { throw .closed(path: path) }
        // Data still queued before a hangup is read first; the hangup shows on the next read.
        if returned & events != 0 { return true }
        if returned & Int16(POLLHUP | POLLERR) != 0 { throw .deviceGone(path: path, errno: nil) }
        return false
    }

    private func classify(_ code: Errno, function: String) -> SerialPortError {
        switch code.code {
        case EIO, ENXIO, ENODEV: return .deviceGone(path: path, errno: code)
        default: return .systemCall(path: path, function: function, errno: code)
        }
    }

    private func holders() -> [Int32] {
        guard case .success(let device) = system.deviceNumberOfDescriptor(fd) else { return [] }
        return Self.processesHolding(deviceNumber: device, excludingOwnDescriptor: fd, system: system)
    }

    static func openError(path: String, errno code: Errno, system: SystemCalls) -> SerialPortError {
        switch code.code {
        case ENOENT, ENODEV, ENXIO, ENOTDIR:
            return .noSuchDevice(path: path, errno: code)
        case EACCES, EPERM:
            return .permissionDenied(path: path, group: system.owningGroupName(path), errno: code)
        case EBUSY:
            let holders: [Int32]
            if case .success(let device) = system.deviceNumberOfPath(path) {
                holders = processesHolding(deviceNumber: device, excludingOwnDescriptor: nil, system: system)
            } else {
                holders = []
            }
            return .busy(path: path, holderProcessIDs: holders, errno: code)
        case EIO:
            return .deviceGone(path: path, errno: code)
        default:
            return .systemCall(path: path, function: "open", errno: code)
        }
    }

    /// Processes with the character device open, found through /proc/*/fd (readable for one's
    /// own processes; others' are skipped silently). Costs one stat per open descriptor.
    static func processesHolding(deviceNumber: UInt64, excludingOwnDescriptor: Int32?, system: SystemCalls) -> [Int32] {
        let me = system.processID()
        var found: [Int32] = []
        for entry in system.listDirectory("/proc") ?? [] {
            guard let pid = Int32(entry) else { continue }
            for name in system.listDirectory("/proc/\(entry)/fd") ?? [] {
                if pid == me, let own = excludingOwnDescriptor, name == String(own) { continue }
                if case .success(let device) = system.deviceNumberOfPath("/proc/\(entry)/fd/\(name)"), device == deviceNumber {
                    found.append(pid)
                    break
                }
            }
        }
        return found.sorted()
    }
}
