#if canImport(Glibc)
import Glibc
#endif
import RollSenseDevice
import RollSenseStore
import RollSenseSystem

/// How fast a recording is replayed.
public enum ReplaySpeed: Sendable, Equatable, CustomStringConvertible {
    /// `factor` times real time, paced by the recorded host receive times (1 = as recorded).
    case timesRealTime(Double)
    /// As fast as the machine allows: no pacing at all.
    case maximum

    /// Parses `1`, `2.5`, `max`; nil for anything else (zero, negative, not a number).
    public init?(argument: String) {
        if argument.lowercased() == "max" { self = .maximum; return }
        guard let factor = Double(argument), factor.isFinite, factor > 0 else { return nil }
        self = .timesRealTime(factor)
    }

    /// `max` or the factor, as typed.
    public var description: String {
        switch self {
        case .maximum: "max"
        case .timesRealTime(let factor): factor == factor.rounded() ? String(Int(factor)) : String(factor)
        }
    }
}

/// A recording as a `ByteSource` (docs/RECORDING.md, "Replaying"): the received chunks in order,
/// paced by their host receive times, `disconnected`/`reconnected` events mapped to the live
/// source's answers, and `end` at the end of the file. Damage the reader worked around is in
/// `warnings` once the file is done; a read error is thrown from `read`.
public final class CaptureByteSource: ReceiveTimedByteSource {
    /// The reader this source walks; its `metadata` fills in as records are read.
    public let reader: CaptureReader
    /// The pacing.
    public let speed: ReplaySpeed
    /// BYTES payload bytes handed out so far (for a progress display).
    public private(set) var bytesDelivered: Int64 = 0
    /// Approximate file offset reached, in bytes: the sum of records read so far.
    public private(set) var recordBytesRead: Int64 = 0

    /// A record read ahead by `readLeadingMetadata`, handed out first.
    private var readAhead: CaptureRecord?
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var pendingHostTime: Int64 = 0
    private var pendingPainMarks = 0
    private var disconnectedAt: Int64?
    private var firstHostTime: Int64?
    private var startedAtHost: Int64 = 0
    private var finished = false
    private let clock: @Sendable () -> Int64

    /// Replays `reader` at `speed`; `clock` (monotonic microseconds) is for tests of the pacing.
    public init(reader: CaptureReader, speed: ReplaySpeed = .maximum,
                clock: @escaping @Sendable () -> Int64 = { hostMonotonicMicroseconds() }) {
        self.reader = reader
        self.speed = speed
        self.clock = clock
    }

    /// Opens the capture at `path`; the error says why the file cannot be a capture at all.
    public convenience init(path: String, speed: ReplaySpeed = .maximum) throws(CaptureReadError) {
        self.init(reader: try CaptureReader(path: path), speed: speed)
    }

    /// Reads the metadata records that come next (at the head of the file: the session's
    /// profile, area, tool and duration), so `reader.metadata` holds them before the bytes that
    /// follow are replayed.
    public func readLeadingMetadata() throws(CaptureReadError) {
        while readAhead == nil, let record = try reader.nextRecord() {
            if case .metadata = record { continue }
            readAhead = record
        }
    }

    /// Host receive time of the chunk the last `read` came from, as recorded.
    public var lastReadHostTimeMicroseconds: Int64 { pendingHostTime }

    /// What the reader worked around (truncated tail, damaged records, no END record).
    public var warnings: [CaptureWarning] { reader.warnings }

    /// The next chunk's bytes (or the rest of one that did not fit the buffer), a link event, or
    /// `end`; waits for a chunk's time when paced, up to `timeoutMilliseconds`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int) throws -> ByteSourceRead {
        guard !finished else { return .end }
        while pendingOffset >= pending.count {
            let next = readAhead
            readAhead = nil
            guard let record = try next ?? reader.nextRecord() else {
                finished = true
                return .end
            }
            switch record {
            case .chunk(let chunk):
                recordBytesRead += Int64(chunk.bytes.count) + 21
                guard !chunk.bytes.isEmpty else { continue }
                pending = chunk.bytes
                pendingOffset = 0
                pendingHostTime = chunk.hostTimeMicroseconds
                // Metadata written right after these bytes (the calibration chosen on their
                // HELLO) is merged before the decoder sees them.
                try readLeadingMetadata()
            case .event(let event):
                recordBytesRead += Int64(event.note.utf8.count) + 22
                switch event.kind {
                case .disconnected:
                    disconnectedAt = event.hostTimeMicroseconds
                    return .disconnected
                case .reconnected:
                    let gap = event.hostTimeMicroseconds - (disconnectedAt ?? event.hostTimeMicroseconds)
                    disconnectedAt = nil
                    return .reconnected(gapMicroseconds: max(gap, 0))
                case .painMark:
                    // Handed to the runner before the next bytes, so the mark lands on the same
                    // sample as it did live.
                    pendingPainMarks += 1
                    return .timeout
                default:
                    continue
                }
            case .metadata, .end, .unknown:
                continue
            }
        }
        if case .timesRealTime(let factor) = speed, pendingOffset == 0 {
            if firstHostTime == nil {
                firstHostTime = pendingHostTime
                startedAtHost = clock()
            }
            let due = startedAtHost + Int64(Double(pendingHostTime - firstHostTime!) / factor)
            let wait = due - clock()
            if wait > 0 {
                let limit = timeoutMilliseconds < 0 ? wait : min(wait, Int64(timeoutMilliseconds) * 1000)
                if limit > 0 { usleep(UInt32(min(limit, 1_000_000))) }
                if due > clock() { return .timeout }
            }
        }
        let count = min(buffer.count, pending.count - pendingOffset)
        guard count > 0 else { return .timeout }
        pending.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + pendingOffset, byteCount: count)
        }
        pendingOffset += count
        bytesDelivered += Int64(count)
        return .bytes(count: count)
    }

    /// A recording takes no commands: written bytes are dropped.
    public func write(_ bytes: [UInt8]) throws {}

    /// Stops the replay; later reads answer `end`.
    public func close() {
        finished = true
    }
}

/// A source that also carries the person's pain marks (a recording played back).
public protocol PainMarkSource: AnyObject {
    /// Pain marks reached since the last call; resets the count.
    func takePainMarks() -> Int
}

extension CaptureByteSource: PainMarkSource {
    /// Pain marks reached since the last call; resets the count.
    public func takePainMarks() -> Int {
        defer { pendingPainMarks = 0 }
        return pendingPainMarks
    }
}
