import Foundation
#if canImport(Glibc)
import Glibc
import RollSenseSystem
#endif

/// Writes a capture file (docs/RECORDING.md): append-only, buffered, and written out and synced to
/// disk at least once a second and on `close()`, so a crash or power loss costs at most the last
/// second; everything before stays readable.
///
/// Thread-safe: a background thread syncs an idle file; calls may come from any thread.
public final class CaptureWriter: @unchecked Sendable {
    /// Longest time received bytes wait in memory or the page cache before `fsync` (issue 6: "at
    /// least once a second").
    public static let syncIntervalMicroseconds: Int64 = 1_000_000
    /// Bytes buffered in memory before a `write(2)`, to keep system calls few at 1 kHz sample rates.
    static let bufferLimitByteCount = 256 * 1024

    /// Where the capture goes.
    public let path: String
    /// The header written at the top of the file.
    public let header: CaptureFileHeader

    private let calls: FileCalls
    private let lock = NSCondition()
    private var fileDescriptor: Int32
    private var buffer: [UInt8] = []
    private var writtenByteCount: Int64 = 0
    private var durableByteCount: Int64 = 0
    private var lastSyncMicroseconds: Int64
    private let startMonotonicMicroseconds: Int64
    private var failure: CaptureWriteError?
    private var isClosed = false
    private var totalChunkBytes: UInt64 = 0
    private var chunkCount: UInt64 = 0
    private var syncThread: Thread?

    /// Creates the file (never overwriting one), writes the header and `metadata`, syncs them, and
    /// starts the once-a-second sync.
    public convenience init(path: String, metadata: CaptureMetadata, startWallClock: Date = Date()) throws(CaptureWriteError) {
        try self.init(path: path, metadata: metadata, startWallClock: startWallClock, calls: .system)
    }

    init(path: String, metadata: CaptureMetadata, startWallClock: Date, calls: FileCalls, startsSyncThread: Bool = true) throws(CaptureWriteError) {
        self.path = path
        self.calls = calls
        header = CaptureFileHeader(startUnixMicroseconds: Int64((startWallClock.timeIntervalSince1970 * 1_000_000).rounded()))
        startMonotonicMicroseconds = hostMonotonicMicroseconds()
        lastSyncMicroseconds = startMonotonicMicroseconds
        let fd = calls.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            let code = Errno(errno)
            switch code.code {
            case EEXIST: throw .alreadyExists(path: path)
            case ENOENT: throw .directoryMissing(path: path)
            default: throw .classify(path: path, operation: "open", errno: code, durableByteCount: 0)
            }
        }
        fileDescriptor = fd
        var metadata = metadata
        if metadata.startWallClock == nil { metadata.startWallClock = startWallClock }
        let payload = metadata.encodedPayload()
        guard payload.count <= CaptureFormat.maxPayloadByteCount else {
            // deinit runs for this half-made writer: mark it closed so it does not close the
            // descriptor a second time (by then the number may belong to another file).
            isClosed = true
            _ = calls.close(fd)
            throw .recordTooLarge(byteCount: payload.count)
        }
        buffer = header.encoded()
        CaptureRecordCodec.append(type: CaptureRecordType.metadata.rawValue, payload: payload, to: &buffer)
        lock.lock()
        defer { lock.unlock() }
        try syncLocked()
        syncDirectory()
        if startsSyncThread { startSyncThread() }
    }

    /// A writer released without `close()` still writes out and syncs what it buffered (best
    /// effort); the file then has no end record, as after a crash.
    deinit {
        guard !isClosed else { return }
        if failure == nil { try? syncLocked() }
        _ = calls.close(fileDescriptor)
    }

    /// Microseconds on the host's monotonic clock since this writer opened the file: the host time
    /// to stamp received bytes with.
    public func elapsedMicroseconds() -> Int64 {
        hostMonotonicMicroseconds() - startMonotonicMicroseconds
    }

    /// Appends bytes as received from the device, stamped with `hostTimeMicroseconds` (default:
    /// now). Reads longer than one record may hold are split, each piece with the same time.
    public func append(bytes: some Collection<UInt8>, hostTimeMicroseconds: Int64? = nil) throws(CaptureWriteError) {
        let time = hostTimeMicroseconds ?? elapsedMicroseconds()
        let prefix = CaptureRecordPayload.chunkPayloadPrefix(hostTimeMicroseconds: time)
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        var remaining = bytes[...]
        repeat {
            let piece = remaining.prefix(CaptureFormat.maxChunkByteCount)
            remaining = remaining.dropFirst(piece.count)
            let payload = prefix + piece
            CaptureRecordCodec.append(type: CaptureRecordType.bytes.rawValue, payload: payload, to: &buffer)
            totalChunkBytes += UInt64(piece.count)
            chunkCount += 1
        } while !remaining.isEmpty
        try flushIfDueLocked()
    }

    /// Appends a host-side event.
    public func append(event: CaptureEvent) throws(CaptureWriteError) {
        let payload = CaptureRecordPayload.eventPayload(event)
        try appendRecord(type: .event, payload: payload)
    }

    /// Appends more metadata (for example the device's HELLO once it arrives); readers merge it.
    public func append(metadata: CaptureMetadata) throws(CaptureWriteError) {
        try appendRecord(type: .metadata, payload: metadata.encodedPayload())
    }

    /// Writes out and syncs everything appended so far.
    public func flush() throws(CaptureWriteError) {
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        try syncLocked()
    }

    /// Writes the end record, syncs and closes the file. Further calls throw `closed`.
    public func close() throws(CaptureWriteError) {
        lock.lock()
        defer {
            lock.broadcast()
            lock.unlock()
        }
        try checkOpenLocked()
        let end = CaptureEnd(hostTimeMicroseconds: elapsedMicroseconds(), totalByteCount: totalChunkBytes, chunkCount: chunkCount)
        CaptureRecordCodec.append(type: CaptureRecordType.end.rawValue, payload: CaptureRecordPayload.endPayload(end), to: &buffer)
        let result: Result<Void, CaptureWriteError>
        do throws(CaptureWriteError) {
            try syncLocked()
            result = .success(())
        } catch {
            result = .failure(error)
        }
        isClosed = true
        if calls.close(fileDescriptor) != 0, case .success = result {
            throw .ioFailed(path: path, operation: "close", errno: Errno(errno))
        }
        try result.get()
    }

    /// Bytes known to be on disk (synced).
    public var syncedByteCount: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return durableByteCount
    }

    // MARK: - Internals (called with `lock` held)

    private func appendRecord(type: CaptureRecordType, payload: [UInt8]) throws(CaptureWriteError) {
        guard payload.count <= CaptureFormat.maxPayloadByteCount else { throw .recordTooLarge(byteCount: payload.count) }
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        CaptureRecordCodec.append(type: type.rawValue, payload: payload, to: &buffer)
        try flushIfDueLocked()
    }

    private func checkOpenLocked() throws(CaptureWriteError) {
        if let failure { throw failure }
        if isClosed { throw .closed(path: path) }
    }

    private func flushIfDueLocked() throws(CaptureWriteError) {
        if hostMonotonicMicroseconds() - lastSyncMicroseconds >= Self.syncIntervalMicroseconds {
            try syncLocked()
        } else if buffer.count >= Self.bufferLimitByteCount {
            try writeBufferLocked()
        }
    }

    private func writeBufferLocked() throws(CaptureWriteError) {
        guard !buffer.isEmpty else { return }
        let (written, error) = buffer.withUnsafeBytes { calls.writeAll(fileDescriptor, $0) }
        writtenByteCount += Int64(written)
        if let error {
            // Cut a partly written record off so the file ends on a whole record; best effort,
            // as a reader skips a torn tail anyway.
            if calls.ftruncate(fileDescriptor, off_t(durableByteCount)) == 0, calls.fsync(fileDescriptor) == 0 {
                writtenByteCount = durableByteCount
            }
            buffer.removeAll()
            try fail(.classify(path: path, operation: "write", errno: error, durableByteCount: durableByteCount))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func syncLocked() throws(CaptureWriteError) {
        try writeBufferLocked()
        if calls.fsync(fileDescriptor) != 0 {
            let code = Errno(errno)
            // fsync is unsupported on some special files (EINVAL); their data is as safe as it gets.
            if code.code != EINVAL {
                try fail(.classify(path: path, operation: "fsync", errno: code, durableByteCount: durableByteCount))
            }
        }
        durableByteCount = writtenByteCount
        lastSyncMicroseconds = hostMonotonicMicroseconds()
    }

    private func fail(_ error: CaptureWriteError) throws(CaptureWriteError) {
        failure = error
        lock.broadcast()
        throw error
    }

    /// Makes the new file's directory entry durable too (a synced file nobody can find is lost).
    private func syncDirectory() {
        let directory = Glibc.open(parentDirectory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = Glibc.fsync(directory)
            _ = Glibc.close(directory)
        }
    }

    private func startSyncThread() {
        let thread = Thread { [weak self] in
            while let writer = self, writer.syncWhenIdle() {}
        }
        thread.name = "CaptureWriter sync"
        syncThread = thread
        thread.start()
    }

    /// Waits up to a sync interval, then syncs if due; false once the writer is closed or failed.
    private func syncWhenIdle() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed, failure == nil else { return false }
        let due = lastSyncMicroseconds + Self.syncIntervalMicroseconds
        let waitMicroseconds = max(due - hostMonotonicMicroseconds(), 1_000)
        _ = lock.wait(until: Date(timeIntervalSinceNow: Double(waitMicroseconds) / 1_000_000))
        guard !isClosed, failure == nil else { return false }
        if hostMonotonicMicroseconds() - lastSyncMicroseconds >= Self.syncIntervalMicroseconds,
           !buffer.isEmpty || writtenByteCount != durableByteCount {
            do throws(CaptureWriteError) { try syncLocked() } catch { return false }
        } else if hostMonotonicMicroseconds() - lastSyncMicroseconds >= Self.syncIntervalMicroseconds {
            lastSyncMicroseconds = hostMonotonicMicroseconds()
        }
        return true
    }
}
