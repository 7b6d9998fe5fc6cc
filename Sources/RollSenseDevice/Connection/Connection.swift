import Glibc
import RollSenseWire
import Synchronization

/// How a `Connection` opens its port and looks for the board after it went away.
public struct ConnectionOptions: Sendable, Equatable {
    /// How to open the port.
    public var port: SerialPortOptions
    /// After a reset on open, how long to wait for the board's first bytes before reading anyway.
    /// A bridge board restarts in 0.8-3 s (bootloader wait plus setup; pyserial and tio notes).
    public var bootWaitMilliseconds: Int
    /// While disconnected, how often to re-list devices in case a hotplug event was missed or the
    /// node was not yet openable when it arrived.
    public var rescanIntervalMilliseconds: Int

    /// Default options: the protocol's baud rate, reset on open, a 3 s boot wait, rescans every 0.5 s.
    public init(port: SerialPortOptions = SerialPortOptions(), bootWaitMilliseconds: Int = 3_000, rescanIntervalMilliseconds: Int = 500) {
        self.port = port
        self.bootWaitMilliseconds = bootWaitMilliseconds
        self.rescanIntervalMilliseconds = rescanIntervalMilliseconds
    }
}

/// A live serial connection to one board that survives unplugging: it reports `disconnected`,
/// keeps the session, and reopens the same board (matched by USB serial number, else by its
/// by-id path) when it comes back, reporting `reconnected(gapMicroseconds:)`.
///
/// Uses the host's monotonic clock for the gap; the pipeline never sees it as device time.
/// One owner thread reads and closes; `write` may come from another thread while it reads (the
/// open port and the device are swapped under a lock, so a write never meets a closing port).
public final class Connection: ByteSource, @unchecked Sendable {
    private struct Current {
        var port: SerialPort?
        var device: SerialDevice
    }

    private let current: Mutex<Current>

    /// The board as last seen; its path may change after a reconnect (ttyACM0 -> ttyACM1).
    public var device: SerialDevice { current.withLock { $0.device } }
    /// What identifies the board across replugging.
    public let identity: DeviceIdentity
    /// The options in force (a detected baud rate replaces the one opened with).
    public private(set) var options: ConnectionOptions
    /// Whether the board sent bytes within the boot wait after the last open (nil: no wait made).
    public private(set) var boardSpokeAfterOpen: Bool?
    /// While disconnected, why the last attempt to reopen failed (busy, permission denied...).
    public private(set) var lastReconnectError: SerialPortError?

    /// The open port, nil while disconnected.
    private var port: SerialPort? { current.withLock { $0.port } }
    private let monitor: HotplugMonitor?
    private let system: SystemCalls
    // For a board known only by its path (a pty behind `simulate --link`, a node without udev):
    // what the path was when opened, so the same path made anew is seen as the board's return.
    private var openedPathIdentity: String?
    private var disconnectedAtMicroseconds: Int64 = 0
    private var nextRescanMicroseconds: Int64 = 0
    private var closed = false
    /// Bytes read while detecting the baud rate, handed out first by `read`.
    private var pendingBytes: [UInt8] = []

    /// Opens `device` (see `Discovery.select`). Throws when it cannot be opened now.
    public convenience init(device: SerialDevice, options: ConnectionOptions = ConnectionOptions()) throws(SerialPortError) {
        try self.init(device: device, options: options, system: .live)
    }

    init(device: SerialDevice, options: ConnectionOptions, system: SystemCalls) throws(SerialPortError) {
        self.current = Mutex(Current(port: nil, device: device))
        self.identity = device.identity
        self.options = options
        self.system = system
        // Listen before opening so an unplug right after the open is not missed. Without udev
        // (a container without /run/udev) the connection still works, with rescans only.
        self.monitor = try? HotplugMonitor(system: system)
        let port = try open(device)
        current.withLock { $0.port = port }
    }

    /// Whether the port is open now.
    public var isConnected: Bool { port != nil }

    /// The open port's descriptor, -1 while disconnected.
    public var fileDescriptor: Int32 { port?.fileDescriptor ?? -1 }

    private func open(_ device: SerialDevice) throws(SerialPortError) -> SerialPort {
        let port = try SerialPort(path: device.path, options: options.port, system: system)
        openedPathIdentity = system.pathIdentity(device.path)
        boardSpokeAfterOpen = nil
        if options.port.dtrPolicy == .resetBoard, port.modemLinesSupported, device.board?.resetsOnOpen ?? true,
            options.bootWaitMilliseconds > 0
        {
            // Wait for the restarted sketch (its HELLO) rather than sending commands into the
            // bootloader; the bytes stay queued for the decoder.
            do {
                boardSpokeAfterOpen = try port.waitForInput(timeoutMilliseconds: options.bootWaitMilliseconds)
            } catch {
                port.close()
                throw error
            }
        }
        return port
    }

    // MARK: - ByteSource

    /// Reads bytes; answers `disconnected` once when the board goes away, `timeout` while it is
    /// away, and `reconnected` when it is back. A reconnect to a board that resets on open may
    /// take up to `bootWaitMilliseconds` beyond the timeout (waiting for it to talk).
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int) throws -> ByteSourceRead {
        if closed { return .end }
        if !pendingBytes.isEmpty, buffer.count > 0 {
            let count = min(buffer.count, pendingBytes.count)
            pendingBytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            pendingBytes.removeFirst(count)
            return .bytes(count: count)
        }
        if let port {
            return readConnected(port, into: buffer, timeoutMilliseconds: timeoutMilliseconds)
        }
        return waitForReturn(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Writes a command; throws `deviceGone` while disconnected (the caller retries after `reconnected`).
    public func write(_ bytes: [UInt8]) throws {
        try current.withLock { (current) throws(SerialPortError) in
            guard let port = current.port else { throw .deviceGone(path: current.device.path, errno: nil) }
            try port.write(bytes)
        }
    }

    /// Finds the line rate the device sends at (docs/PROTOCOL.md, "Baud rate detection"): listens
    /// at each of `rates` in turn, never writing, and stops at the first whose bytes are frames or
    /// text lines; rates whose bytes are garbled are not tried again. A rate whose bytes are text
    /// so far is listened to longer (a sketch may print once every few seconds). The bytes read
    /// at the chosen rate are kept for `read`. With no decision within the budget: the rate whose
    /// bytes were text so far, else the protocol's rate (verdict nil when nothing came at all,
    /// `.garbled` when every rate was).
    public func detectBaudRate(
        rates: [Int] = BaudRateSearch.candidateRates,
        listenMilliseconds: Int = BaudRateSearch.listenMilliseconds,
        budgetMilliseconds: Int = BaudRateSearch.budgetMilliseconds
    ) throws(SerialPortError) -> BaudRateSearch.Outcome {
        guard let port else { throw .deviceGone(path: device.path, errno: nil) }
        let start = system.monotonicMicroseconds()
        let deadline = start + Int64(budgetMilliseconds) * 1_000
        var verdicts: [Int: LineRateCheck.Verdict?] = [:]
        var buffer = [UInt8](repeating: 0, count: 4_096)
        var textSoFarRate: Int?
        func choose(_ rate: Int, _ verdict: LineRateCheck.Verdict?, _ bytes: [UInt8]) throws(SerialPortError) -> BaudRateSearch.Outcome {
            if port.options.baudRate != rate { try port.setBaudRate(rate) }
            options.port.baudRate = rate
            pendingBytes = bytes
            return BaudRateSearch.Outcome(baudRate: rate, verdict: verdict, bytes: bytes)
        }
        search: while system.monotonicMicroseconds() < deadline {
            let remaining = BaudRateSearch.remaining(rates, after: verdicts)
            if remaining.isEmpty { break }
            for rate in remaining {
                // The first rate keeps what already arrived at it (a board's boot HELLO).
                if port.options.baudRate != rate { try port.setBaudRate(rate) }
                var check = LineRateCheck()
                var bytes: [UInt8] = []
                let rateStart = system.monotonicMicroseconds()
                var listenUntil = min(deadline, rateStart + Int64(listenMilliseconds) * 1_000)
                while true {
                    let now = system.monotonicMicroseconds()
                    if now >= listenUntil { break }
                    let waitMilliseconds = Int(max(1, (listenUntil - now) / 1_000))
                    let count: Int
                    do {
                        count = try buffer.withUnsafeMutableBytes { try port.read(into: $0, timeoutMilliseconds: waitMilliseconds) }
                    } catch let error as SerialPortError {
                        throw error
                    } catch {
                        throw .deviceGone(path: device.path, errno: nil)
                    }
                    guard count > 0 else { continue }
                    bytes += buffer[0..<count]
                    let verdict = buffer.withUnsafeBytes { check.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                    switch verdict {
                    case .frames?, .text?: return try choose(rate, verdict, bytes)
                    case .garbled?: listenUntil = now
                    case .textSoFar?, nil:
                        listenUntil = min(deadline, max(listenUntil, rateStart + Int64(BaudRateSearch.slowTextMilliseconds) * 1_000))
                    }
                }
                verdicts[rate] = check.verdict
                if check.verdict == .textSoFar { textSoFarRate = rate }
                if system.monotonicMicroseconds() >= deadline { break search }
            }
        }
        if let textSoFarRate { return try choose(textSoFarRate, .textSoFar, []) }
        let everyRateGarbled = rates.allSatisfy { verdicts[$0] == .some(.garbled) }
        return try choose(SerialPortOptions.protocolBaudRate, everyRateGarbled ? .garbled : nil, [])
    }

    /// Closes the port and stops watching for the board.
    public func close() {
        closed = true
        replacePort(with: nil)
    }

    // MARK: - Connected

    private func readConnected(_ port: SerialPort, into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int) -> ByteSourceRead {
        let deadline = system.monotonicMicroseconds() + Int64(max(0, timeoutMilliseconds)) * 1_000
        while true {
            var descriptors = [pollfd(fd: port.fileDescriptor, events: Int16(POLLIN), revents: 0)]
            if let monitor { descriptors.append(pollfd(fd: monitor.fileDescriptor, events: Int16(POLLIN), revents: 0)) }
            let remaining = timeoutMilliseconds < 0 ? -1 : max(0, (deadline - system.monotonicMicroseconds()) / 1_000)
            let ready = descriptors.withUnsafeMutableBufferPointer { system.poll($0, Int32(clamping: remaining)) }
            guard case .success(let count) = ready, count > 0 else { return .timeout }
            if descriptors.count > 1, descriptors[1].revents != 0 {
                // An emulated tty is not hung up on removal, and a real one may report the
                // removal before the hangup: the udev event alone ends the connection.
                while let event = monitor?.pendingEvent() {
                    if event.action == .remove, event.device.path == device.path {
                        return markDisconnected()
                    }
                }
            }
            if descriptors[0].revents != 0 {
                do {
                    let count = try port.read(into: buffer, timeoutMilliseconds: 0)
                    if count > 0 { return .bytes(count: count) }
                } catch {
                    // deviceGone on unplug; any other failure of an open port also ends this
                    // connection, and the board is looked for again.
                    return markDisconnected()
                }
            }
            // Another device's event, or a wakeup without data: wait out the rest of the timeout.
            if remaining == 0 { return .timeout }
        }
    }

    /// Closes the old port (after any write in progress) and puts `port` in its place.
    private func replacePort(with port: SerialPort?, device: SerialDevice? = nil) {
        current.withLock { current in
            current.port?.close()
            current.port = port
            if let device { current.device = device }
        }
    }

    private func markDisconnected() -> ByteSourceRead {
        replacePort(with: nil)
        disconnectedAtMicroseconds = system.monotonicMicroseconds()
        nextRescanMicroseconds = disconnectedAtMicroseconds + Int64(options.rescanIntervalMilliseconds) * 1_000
        lastReconnectError = nil
        return .disconnected
    }

    // MARK: - Disconnected

    private func waitForReturn(timeoutMilliseconds: Int) -> ByteSourceRead {
        let start = system.monotonicMicroseconds()
        let deadline = timeoutMilliseconds < 0 ? Int64.max : start + Int64(timeoutMilliseconds) * 1_000
        while true {
            var candidate: SerialDevice?
            while let event = monitor?.pendingEvent() {
                if event.action == .add, identity.matches(event.device) { candidate = event.device }
            }
            let now = system.monotonicMicroseconds()
            if candidate == nil, now >= nextRescanMicroseconds {
                nextRescanMicroseconds = now + Int64(options.rescanIntervalMilliseconds) * 1_000
                candidate = (try? Discovery.serialDevices())?.first(where: identity.matches) ?? returnedByPath()
            }
            if let candidate, let reconnected = reopen(candidate) { return reconnected }
            let now2 = system.monotonicMicroseconds()
            if now2 >= deadline { return .timeout }
            let wait = min(deadline, nextRescanMicroseconds) - now2
            let waitMilliseconds = Int32(clamping: max(1, (wait + 999) / 1_000))
            if let monitor {
                var descriptor = pollfd(fd: monitor.fileDescriptor, events: Int16(POLLIN), revents: 0)
                _ = withUnsafeMutablePointer(to: &descriptor) { pointer in
                    system.poll(UnsafeMutableBufferPointer(start: pointer, count: 1), waitMilliseconds)
                }
            } else {
                system.sleepMilliseconds(Int(waitMilliseconds))
            }
        }
    }

    /// A board udev does not list, known by its path, is back when that path leads to a device
    /// again and was made anew (`simulate --link` restarted: a new link, maybe to the same pty
    /// number). A bare /dev/pts/N is never reopened: any new terminal may get that number.
    private func returnedByPath() -> SerialDevice? {
        guard case .path(let path) = identity, !path.hasPrefix("/dev/pts/"),
            let now = system.pathIdentity(path), now != openedPathIdentity
        else { return nil }
        return SerialDevice(path: path)
    }

    private func reopen(_ candidate: SerialDevice) -> ByteSourceRead? {
        do {
            replacePort(with: try open(candidate), device: candidate)
        } catch {
            // Busy or not yet permitted right after the add: the next rescan tries again.
            lastReconnectError = error
            return nil
        }
        lastReconnectError = nil
        return .reconnected(gapMicroseconds: system.monotonicMicroseconds() - disconnectedAtMicroseconds)
    }
}
