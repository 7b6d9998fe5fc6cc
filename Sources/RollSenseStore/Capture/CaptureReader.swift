#if canImport(Glibc)
import Glibc
import RollSenseSystem
#endif

/// Reads a capture file as a stream of records, in memory bounded by the largest record
/// (docs/RECORDING.md), whatever the file's length.
///
/// A file cut short reads up to its last complete record; damaged records are skipped by finding
/// the next sync marker. Both are reported in `warnings`, never thrown.
public final class CaptureReader {
    /// Bytes asked of the file per `read(2)` (at least; more when free room allows).
    static let defaultReadBlockByteCount = 64 * 1024
    /// Warnings kept in `warnings`; more are only counted, so a badly damaged file stays in flat memory.
    public static let maxKeptWarningCount = 256

    /// The file read.
    public let path: String
    /// The file's header.
    public let header: CaptureFileHeader
    /// All metadata records read so far, merged in order.
    public private(set) var metadata = CaptureMetadata()
    /// Problems worked around so far (the first `maxKeptWarningCount`).
    public private(set) var warnings: [CaptureWarning] = []
    /// Problems worked around so far, including ones not kept in `warnings`.
    public private(set) var warningCount = 0
    /// The end record, once read: the file was closed cleanly.
    public private(set) var end: CaptureEnd?

    private var fileDescriptor: Int32
    /// Read-ahead storage; bytes `position..<bufferEnd` are read from the file and not yet consumed.
    private var buffer: [UInt8]
    private var bufferEnd = 0
    /// Index in `buffer` of the next unread byte.
    private var position = 0
    /// File offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    private var atEndOfFile = false
    private var finished = false
    /// File offset where unreadable bytes began, while skipping them.
    private var damageStart: Int64?

    private let readBlockByteCount: Int

    /// Opens `path` and checks its header.
    public convenience init(path: String) throws(CaptureReadError) {
        try self.init(path: path, readBlockByteCount: Self.defaultReadBlockByteCount)
    }

    /// Tests pass tiny blocks so records straddle reads at every offset.
    init(path: String, readBlockByteCount: Int) throws(CaptureReadError) {
        self.path = path
        self.readBlockByteCount = max(readBlockByteCount, 1)
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .unreadable(path: path, errno: Errno(errno)) }
        fileDescriptor = fd
        do throws(CaptureReadError) {
            header = try Self.readHeader(fd: fd, path: path)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        bufferOffset = Int64(CaptureFormat.fileHeaderByteCount)
        buffer = [UInt8](repeating: 0, count: readBlockByteCount * 2)
    }

    deinit {
        _ = Glibc.close(fileDescriptor)
    }

    /// The next record, or nil at the end of the file. Metadata records are merged into `metadata`
    /// as well as returned.
    public func nextRecord() throws(CaptureReadError) -> CaptureRecord? {
        while !finished {
            let recordOffset = bufferOffset + Int64(position)
            guard try ensureAvailable(CaptureFormat.recordHeaderByteCount) else {
                finishAtEndOfFile()
                return nil
            }
            guard hasSyncMarker(at: position) else {
                try skipToNextSyncCandidate()
                continue
            }
            let type = buffer[position + 4]
            let payloadCount = Int(LittleEndian.read(UInt32.self, from: buffer, at: position + 5))
            guard payloadCount <= CaptureFormat.maxPayloadByteCount else {
                markDamage(at: recordOffset)
                position += 1
                continue
            }
            let recordCount = CaptureFormat.recordHeaderByteCount + payloadCount + CaptureFormat.recordTrailerByteCount
            guard try ensureAvailable(recordCount) else {
                // Either the real end of a cut file, or a damaged length pointing past it: look
                // for a later good record before deciding which.
                markDamage(at: recordOffset)
                position += 1
                continue
            }
            let storedCRC = LittleEndian.read(UInt32.self, from: buffer, at: position + recordCount - CaptureFormat.recordTrailerByteCount)
            let record: CaptureRecord?? = buffer.withUnsafeBytes { raw in
                let checked = UnsafeRawBufferPointer(rebasing: raw[(position + 4)..<(position + recordCount - CaptureFormat.recordTrailerByteCount)])
                guard CRC32.checksum(checked) == storedCRC else { return nil }
                let payload = UnsafeRawBufferPointer(rebasing: raw[(position + CaptureFormat.recordHeaderByteCount)..<(position + CaptureFormat.recordHeaderByteCount + payloadCount)])
                return .some(CaptureRecordPayload.decode(type: type, payload: payload))
            }
            guard let decoded = record else {
                markDamage(at: recordOffset)
                position += 1
                continue
            }
            closeDamage(at: recordOffset)
            position += recordCount
            guard let decoded else {
                warn(.malformedRecord(offset: recordOffset, type: type))
                continue
            }
            switch decoded {
            case .metadata(let more):
                metadata.merge(more)
            case .end(let endRecord):
                end = endRecord
                finished = true
                try reportDataAfterEnd()
            case .unknown(let unknownType, _):
                warn(.unknownRecordType(offset: recordOffset, type: unknownType))
            case .chunk, .event:
                break
            }
            return decoded
        }
        return nil
    }

    /// The next chunk of received bytes, skipping other records (metadata still merges into
    /// `metadata`); nil at the end. The replay source for the decoder.
    public func nextChunk() throws(CaptureReadError) -> CaptureChunk? {
        while let record = try nextRecord() {
            if case .chunk(let chunk) = record { return chunk }
        }
        return nil
    }

    // MARK: - Header

    private static func readHeader(fd: Int32, path: String) throws(CaptureReadError) -> CaptureFileHeader {
        var bytes = [UInt8](repeating: 0, count: CaptureFormat.fileHeaderByteCount)
        var count = 0
        while count < bytes.count {
            let result = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, errno: Errno(errno))
            }
            if result == 0 { break }
            count += result
        }
        if count == 0 { throw .emptyFile(path: path) }
        let magicCount = min(count, CaptureFormat.magic.count)
        guard bytes[0..<magicCount].elementsEqual(CaptureFormat.magic[0..<magicCount]) else { throw .notACapture(path: path) }
        guard count >= CaptureFormat.magic.count + 2 else { throw .truncatedHeader(path: path, byteCount: count) }
        let major = bytes[8], minor = bytes[9]
        // Checked before the length and CRC: a newer major version may lay its header out differently.
        guard major <= CaptureFormat.majorVersion else { throw .newerVersion(path: path, major: major, minor: minor) }
        guard count == CaptureFormat.fileHeaderByteCount else { throw .truncatedHeader(path: path, byteCount: count) }
        let headerCount = Int(LittleEndian.read(UInt16.self, from: bytes, at: 10))
        let storedCRC = LittleEndian.read(UInt32.self, from: bytes, at: 20)
        guard major == CaptureFormat.majorVersion, headerCount == CaptureFormat.fileHeaderByteCount,
              CRC32.checksum(bytes[0..<20]) == storedCRC else { throw .damagedHeader(path: path) }
        return CaptureFileHeader(majorVersion: major, minorVersion: minor, startUnixMicroseconds: LittleEndian.read(Int64.self, from: bytes, at: 12))
    }

    // MARK: - Buffer

    /// Makes `count` bytes from `position` available; false when the file ends first. Moves the
    /// unread bytes to the front and reads into the fixed storage behind them, growing it only for
    /// a record larger than it (at most `CaptureFormat.maxPayloadByteCount` and change).
    private func ensureAvailable(_ count: Int) throws(CaptureReadError) -> Bool {
        while bufferEnd - position < count {
            if atEndOfFile { return false }
            if position > 0 {
                let unread = bufferEnd - position
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + position, byteCount: unread)
                }
                bufferOffset += Int64(position)
                bufferEnd = unread
                position = 0
            }
            if buffer.count - bufferEnd < readBlockByteCount / 2 || buffer.count < count {
                buffer.append(contentsOf: [UInt8](repeating: 0, count: max(readBlockByteCount, count - buffer.count)))
            }
            var result = 0
            repeat {
                result = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress! + bufferEnd, $0.count - bufferEnd) }
            } while result < 0 && errno == EINTR
            if result < 0 { throw .unreadable(path: path, errno: Errno(errno)) }
            if result == 0 { atEndOfFile = true }
            bufferEnd += result
        }
        return true
    }

    private func hasSyncMarker(at index: Int) -> Bool {
        let marker = CaptureFormat.syncMarker
        return buffer[index] == marker[0] && buffer[index + 1] == marker[1]
            && buffer[index + 2] == marker[2] && buffer[index + 3] == marker[3]
    }

    /// Skips bytes up to the next place a sync marker may start.
    private func skipToNextSyncCandidate() throws(CaptureReadError) {
        markDamage(at: bufferOffset + Int64(position))
        position += 1
        let first = CaptureFormat.syncMarker[0]
        while true {
            if let index = buffer[position..<bufferEnd].firstIndex(of: first) {
                position = index
                return
            }
            position = bufferEnd
            guard try ensureAvailable(1) else { return }
        }
    }

    // MARK: - Damage accounting

    private func markDamage(at offset: Int64) {
        if damageStart == nil { damageStart = offset }
    }

    private func closeDamage(at offset: Int64) {
        guard let start = damageStart else { return }
        warn(.skippedDamagedBytes(offset: start, byteCount: offset - start))
        damageStart = nil
    }

    private func finishAtEndOfFile() {
        finished = true
        let fileEnd = bufferOffset + Int64(bufferEnd)
        if let start = damageStart {
            warn(.truncatedTail(offset: start, byteCount: fileEnd - start))
            damageStart = nil
        } else if bufferEnd > position {
            let start = bufferOffset + Int64(position)
            warn(.truncatedTail(offset: start, byteCount: fileEnd - start))
        }
        if end == nil { warn(.missingEndRecord) }
        releaseBuffer()
    }

    private func releaseBuffer() {
        buffer = []
        position = 0
        bufferEnd = 0
    }

    private func reportDataAfterEnd() throws(CaptureReadError) {
        let start = bufferOffset + Int64(position)
        var extra = Int64(bufferEnd - position)
        position = bufferEnd
        while try ensureAvailable(1) {
            extra += Int64(bufferEnd - position)
            position = bufferEnd
        }
        if extra > 0 { warn(.dataAfterEnd(offset: start, byteCount: extra)) }
        releaseBuffer()
    }

    private func warn(_ warning: CaptureWarning) {
        warningCount += 1
        if warnings.count < Self.maxKeptWarningCount { warnings.append(warning) }
    }
}
