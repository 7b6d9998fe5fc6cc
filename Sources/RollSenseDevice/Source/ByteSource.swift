/// What one `ByteSource.read` produced.
public enum ByteSourceRead: Sendable, Equatable {
    /// `count` bytes (at least one) were stored at the start of the buffer.
    case bytes(count: Int)
    /// Nothing arrived within the timeout; read again.
    case timeout
    /// The source is finished (a recording ended, or the source was closed); reads keep answering this.
    case end
    /// The live device went away. A reconnecting source keeps going: read again to learn when it
    /// is back; a plain port answers `end` from then on.
    case disconnected
    /// The device is back after a gap of `gapMicroseconds` (host monotonic clock) since it went
    /// away; bytes from before and after the gap are not contiguous.
    case reconnected(gapMicroseconds: Int64)
}

/// A stream of bytes from a device: the live serial port now, a recording later. Live and replay
/// run the same decoder and pipeline on it.
///
/// Synchronous on purpose: the command line reads it on a thread of its own. A source has one
/// owner; `write` may be called from another thread while the owner reads.
public protocol ByteSource: AnyObject {
    /// Reads available bytes into `buffer`, waiting up to `timeoutMilliseconds` for the first one
    /// (0: don't wait, negative: wait indefinitely).
    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int) throws -> ByteSourceRead
    /// Sends bytes (a command frame) to the device, whole.
    func write(_ bytes: [UInt8]) throws
    /// Releases the device; later reads answer `end`.
    func close()
}

/// A plain serial port as a source: no reconnection, so after `disconnected` it answers `end`.
public final class SerialPortByteSource: ByteSource, @unchecked Sendable {
    /// The port read from.
    public let port: SerialPort
    private var finished = false

    /// Reads from `port`, which the source now owns and closes.
    public init(port: SerialPort) {
        self.port = port
    }

    /// Reads from the port; a device that went away answers `disconnected` once, then `end`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int) throws -> ByteSourceRead {
        guard !finished, port.isOpen else { return .end }
        do {
            let count = try port.read(into: buffer, timeoutMilliseconds: timeoutMilliseconds)
            return count > 0 ? .bytes(count: count) : .timeout
        } catch .deviceGone {
            finished = true
            port.close()
            return .disconnected
        }
    }

    /// Writes the bytes whole.
    public func write(_ bytes: [UInt8]) throws {
        try port.write(bytes)
    }

    /// Closes the port.
    public func close() {
        finished = true
        port.close()
    }
}

/// A source that knows when its bytes first reached a host (a recording): Serial Plotter text
/// carries no device clock, so its samples are stamped with this time, and a replay then gives
/// the same times as the live session did.
public protocol ReceiveTimedByteSource: ByteSource {
    /// Host receive time, in microseconds since the session started, of the bytes the last
    /// `read` returned.
    var lastReadHostTimeMicroseconds: Int64 { get }
}
