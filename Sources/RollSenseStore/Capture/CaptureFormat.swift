/// The constants and byte layout of a capture file, version 1.0 (docs/RECORDING.md).
public enum CaptureFormat {
    /// First 8 bytes of every capture: a high byte, then "RSCAP", then CR LF, as PNG does, so that
    /// a text-mode copy or a 7-bit channel that mangles the file is caught at once.
    public static let magic: [UInt8] = [0x89, 0x52, 0x53, 0x43, 0x41, 0x50, 0x0D, 0x0A]
    /// The major version this program writes and the highest it reads. A reader refuses a file
    /// with a higher major version; a higher minor version only adds record types it may skip.
    public static let majorVersion: UInt8 = 1
    /// The minor version this program writes.
    public static let minorVersion: UInt8 = 0
    /// Bytes in the version 1.0 file header: magic 8, major 1, minor 1, header length 2,
    /// start time 8, CRC-32 4.
    public static let fileHeaderByteCount = 24
    /// Bytes that open every record, so that a reader can find the next record after damage.
    public static let syncMarker: [UInt8] = [0xA5, 0x52, 0x53, 0x00]
    /// Bytes before a record's payload: sync 4, type 1, payload length 4.
    public static let recordHeaderByteCount = 9
    /// Bytes after a record's payload: its CRC-32.
    public static let recordTrailerByteCount = 4
    /// The largest payload a record may carry. Bounds the reader's memory, and lets it reject a
    /// damaged length field at once instead of reading gigabytes looking for a checksum.
    public static let maxPayloadByteCount = 1 << 20
    /// The most received bytes one chunk record carries; the writer splits larger reads.
    public static let maxChunkByteCount = 1 << 16
}

/// The kind of a record, its first byte after the sync marker.
public enum CaptureRecordType: UInt8, Sendable, Equatable {
    /// JSON object describing the session; later ones add to or replace earlier keys.
    case metadata = 0x01
    /// Bytes received from the device, with their host receive time.
    case bytes = 0x02
    /// Something that happened on the host side (disconnect, reconnect, a note).
    case event = 0x03
    /// The writer closed the file cleanly.
    case end = 0x04
}

/// Little-endian integer reading and writing for the capture layout.
enum LittleEndian {
    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        var little = value.littleEndian
        withUnsafeBytes(of: &little) { bytes.append(contentsOf: $0) }
    }

    static func read<T: FixedWidthInteger>(_: T.Type, from bytes: UnsafeRawBufferPointer, at offset: Int) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + MemoryLayout<T>.size)]))
        }
        return T(littleEndian: value)
    }

    static func read<T: FixedWidthInteger>(_ type: T.Type, from bytes: [UInt8], at offset: Int) -> T {
        bytes.withUnsafeBytes { read(type, from: $0, at: offset) }
    }
}

/// The fixed header at the start of a capture file.
public struct CaptureFileHeader: Sendable, Equatable {
    /// Major format version of the file.
    public var majorVersion: UInt8
    /// Minor format version of the file.
    public var minorVersion: UInt8
    /// Wall-clock time the session started, in microseconds since 1970-01-01 00:00 UTC; every
    /// record's host time counts from here on the host's monotonic clock.
    public var startUnixMicroseconds: Int64

    /// Makes a header.
    public init(majorVersion: UInt8 = CaptureFormat.majorVersion, minorVersion: UInt8 = CaptureFormat.minorVersion, startUnixMicroseconds: Int64) {
        self.majorVersion = majorVersion
        self.minorVersion = minorVersion
        self.startUnixMicroseconds = startUnixMicroseconds
    }

    /// The header's bytes as written to the file.
    public func encoded() -> [UInt8] {
        var bytes = CaptureFormat.magic
        bytes.append(majorVersion)
        bytes.append(minorVersion)
        LittleEndian.append(UInt16(CaptureFormat.fileHeaderByteCount), to: &bytes)
        LittleEndian.append(startUnixMicroseconds, to: &bytes)
        LittleEndian.append(CRC32.checksum(bytes), to: &bytes)
        return bytes
    }
}

/// Record framing shared by the writer and the reader.
enum CaptureRecordCodec {
    /// Appends one framed record: sync, type, length, payload, CRC-32 over type, length and payload.
    static func append(type: UInt8, payload: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.append(contentsOf: CaptureFormat.syncMarker)
        let checkedStart = output.count
        output.append(type)
        LittleEndian.append(UInt32(payload.count), to: &output)
        output.append(contentsOf: payload)
        let crc = output.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[checkedStart...])) }
        LittleEndian.append(crc, to: &output)
    }

    static func append(type: UInt8, payload: [UInt8], to output: inout [UInt8]) {
        payload.withUnsafeBytes { append(type: type, payload: $0, to: &output) }
    }
}

extension CRC32 {
    /// The checksum of raw bytes.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
