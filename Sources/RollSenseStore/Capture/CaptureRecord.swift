/// Bytes received from the device in one read, with the host time they arrived.
public struct CaptureChunk: Sendable, Equatable {
    /// Host monotonic time the bytes arrived, in microseconds since the session started.
    public var hostTimeMicroseconds: Int64
    /// The bytes exactly as received.
    public var bytes: [UInt8]

    /// Makes a chunk.
    public init(hostTimeMicroseconds: Int64, bytes: [UInt8]) {
        self.hostTimeMicroseconds = hostTimeMicroseconds
        self.bytes = bytes
    }
}

/// What kind of host-side event a capture notes.
public enum CaptureEventKind: Sendable, Equatable, Hashable {
    /// The device went away (unplugged, read error).
    case disconnected
    /// The device came back and reading resumed.
    case reconnected
    /// A free-form note (a person's marker, a command sent).
    case note
    /// The person marked pain here (the live view's key); replay marks it at the same point.
    case painMark
    /// A kind written by a newer program; kept so nothing is lost.
    case other(UInt8)

    /// The byte stored in the record.
    public var code: UInt8 {
        switch self {
        case .disconnected: 1
        case .reconnected: 2
        case .note: 3
        case .painMark: 4
        case .other(let code): code
        }
    }

    /// The kind a stored byte stands for.
    public init(code: UInt8) {
        switch code {
        case 1: self = .disconnected
        case 2: self = .reconnected
        case 3: self = .note
        case 4: self = .painMark
        default: self = .other(code)
        }
    }
}

/// Something that happened on the host side during a session.
public struct CaptureEvent: Sendable, Equatable {
    /// Host monotonic time of the event, in microseconds since the session started.
    public var hostTimeMicroseconds: Int64
    /// What happened.
    public var kind: CaptureEventKind
    /// Human-readable detail (for example the error that ended the connection).
    public var note: String

    /// Makes an event.
    public init(hostTimeMicroseconds: Int64, kind: CaptureEventKind, note: String = "") {
        self.hostTimeMicroseconds = hostTimeMicroseconds
        self.kind = kind
        self.note = note
    }
}

/// The totals the writer stores in the end record when it closes the file.
public struct CaptureEnd: Sendable, Equatable {
    /// Host monotonic time of the close, in microseconds since the session started.
    public var hostTimeMicroseconds: Int64
    /// Received bytes written in the whole file.
    public var totalByteCount: UInt64
    /// Chunk records written in the whole file.
    public var chunkCount: UInt64

    /// Makes an end record's contents.
    public init(hostTimeMicroseconds: Int64, totalByteCount: UInt64, chunkCount: UInt64) {
        self.hostTimeMicroseconds = hostTimeMicroseconds
        self.totalByteCount = totalByteCount
        self.chunkCount = chunkCount
    }
}

/// One record read from a capture.
public enum CaptureRecord: Sendable, Equatable {
    /// Session description (merged into `CaptureReader.metadata` as well).
    case metadata(CaptureMetadata)
    /// Received bytes.
    case chunk(CaptureChunk)
    /// A host-side event.
    case event(CaptureEvent)
    /// The clean end of the file.
    case end(CaptureEnd)
    /// A record of a type this program does not know (from a newer minor version), kept as is.
    case unknown(type: UInt8, payload: [UInt8])
}

/// Payload layouts of the fixed-format records (docs/RECORDING.md).
enum CaptureRecordPayload {
    static let hostTimeByteCount = 8

    static func chunkPayloadPrefix(hostTimeMicroseconds: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        LittleEndian.append(hostTimeMicroseconds, to: &bytes)
        return bytes
    }

    static func eventPayload(_ event: CaptureEvent) -> [UInt8] {
        var bytes: [UInt8] = []
        LittleEndian.append(event.hostTimeMicroseconds, to: &bytes)
        bytes.append(event.kind.code)
        bytes.append(contentsOf: event.note.utf8)
        return bytes
    }

    static func endPayload(_ end: CaptureEnd) -> [UInt8] {
        var bytes: [UInt8] = []
        LittleEndian.append(end.hostTimeMicroseconds, to: &bytes)
        LittleEndian.append(end.totalByteCount, to: &bytes)
        LittleEndian.append(end.chunkCount, to: &bytes)
        return bytes
    }

    /// Decodes a record whose CRC checked; nil when its payload does not fit its type's layout.
    static func decode(type: UInt8, payload: UnsafeRawBufferPointer) -> CaptureRecord? {
        guard let known = CaptureRecordType(rawValue: type) else {
            return .unknown(type: type, payload: Array(payload))
        }
        switch known {
        case .metadata:
            return CaptureMetadata(payload: payload).map(CaptureRecord.metadata)
        case .bytes:
            guard payload.count >= hostTimeByteCount else { return nil }
            let time = LittleEndian.read(Int64.self, from: payload, at: 0)
            return .chunk(CaptureChunk(hostTimeMicroseconds: time, bytes: Array(payload[hostTimeByteCount...])))
        case .event:
            guard payload.count >= hostTimeByteCount + 1 else { return nil }
            let time = LittleEndian.read(Int64.self, from: payload, at: 0)
            let kind = CaptureEventKind(code: payload[hostTimeByteCount])
            let note = String(decoding: payload[(hostTimeByteCount + 1)...], as: UTF8.self)
            return .event(CaptureEvent(hostTimeMicroseconds: time, kind: kind, note: note))
        case .end:
            guard payload.count >= hostTimeByteCount + 16 else { return nil }
            return .end(CaptureEnd(
                hostTimeMicroseconds: LittleEndian.read(Int64.self, from: payload, at: 0),
                totalByteCount: LittleEndian.read(UInt64.self, from: payload, at: 8),
                chunkCount: LittleEndian.read(UInt64.self, from: payload, at: 16)
            ))
        }
    }
}
