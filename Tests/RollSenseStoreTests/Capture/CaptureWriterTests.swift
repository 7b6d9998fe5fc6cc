import Foundation
@testable import RollSenseStore
import Testing
#if canImport(Glibc)
import Glibc
import RollSenseSystem
#endif

/// Chunk `index` as store-test-tool writes it (Sources/store-test-tool/main.swift).
func toolChunk(_ index: Int) -> [UInt8] {
    patternBytes(index: index, count: 1 + (index * 37) % 300)
}

/// Checks that a capture written by store-test-tool holds chunks 0, 1, 2... each intact; returns
/// how many, and the reader's warnings.
func checkToolCapture(_ path: String) throws -> (chunkCount: Int, warnings: [CaptureWarning]) {
    let reader = try CaptureReader(path: path)
    var count = 0
    while let chunk = try reader.nextChunk() {
        #expect(chunk.hostTimeMicroseconds == Int64(count))
        #expect(chunk.bytes == toolChunk(count), "chunk \(count)")
        count += 1
    }
    #expect(reader.metadata.programVersion == "store-test-tool")
    return (count, reader.warnings)
}

@Suite struct CaptureWriterTests {
    // MARK: - Crashes and full disks, in a child process

    @Test(arguments: 1...3)
    func killNineMidWriteKeepsEverythingSynced(run: Int) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("killed-\(run).rscap")
        let child = try StoreTestTool.launch(["capture-forever", path])
        var synced = 0
        // Let it write for a while (at least 10 syncs), then kill it wherever it is.
        _ = child.readLines { line in
            if line.hasPrefix("synced "), let count = Int(line.dropFirst(7)) { synced = count }
            return synced >= 50 * (5 + run * 5)
        }
        child.kill(signal: SIGKILL)
        let result = try child.wait()
        #expect(result.status == SIGKILL || child.process.terminationReason == .uncaughtSignal)
        #expect(synced > 0, "child said: \(result.output)")

        let (count, warnings) = try checkToolCapture(path)
        #expect(count >= synced)
        #expect(warnings.last == .missingEndRecord)
        for warning in warnings.dropLast() {
            guard case .truncatedTail = warning else {
                Issue.record("unexpected warning after kill -9: \(warning)")
                continue
            }
        }
    }

    @Test func aFileSizeLimitStopsWithDiskFullAndKeepsWhatWasWritten() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("limited.rscap")
        let limit = 64 * 1024
        let child = try StoreTestTool.launch(["capture-fill", path, "\(limit)"])
        let result = try child.wait()
        #expect(result.status == 3, "child said: \(result.output)")
        #expect(result.output.contains("error: diskFull"), "child said: \(result.output)")
        #expect(result.output.contains("are safe and readable"))
        let synced = child.lines.compactMap { $0.hasPrefix("synced ") ? Int($0.dropFirst(7)) : nil }.last ?? 0
        #expect(synced > 0)
        let (count, warnings) = try checkToolCapture(path)
        #expect(count >= synced)
        // The writer cut its torn last record off, so the file ends on a whole record.
        #expect(warnings == [.missingEndRecord])
        #expect(readBytes(path).count <= limit)
    }

    @Test func aReadOnlyDirectoryIsAClearError() throws {
        let directory = TemporaryDirectory()
        let path = directory.readOnlySubdirectory() + "/x.rscap"
        let child = try StoreTestTool.launch(["capture-open", path, "--drop-privileges"])
        let result = try child.wait()
        #expect(result.status == 3, "child said: \(result.output)")
        #expect(result.output.contains("error: notWritable"), "child said: \(result.output)")
        #expect(result.output.contains("Permission denied"), "child said: \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    // MARK: - Errors forced through the system call layer

    @Test func noSpaceWhileWritingIsDiskFullAndTheFileStaysReadable() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("enospc.rscap")
        let budget = ByteBudget(bytes: 5_000)
        var calls = FileCalls.system
        calls.write = { fd, bytes in
            let allowed = budget.take(bytes.count)
            if allowed == 0 {
                errno = ENOSPC
                return -1
            }
            return Glibc.write(fd, bytes.baseAddress, allowed)
        }
        let writer = try CaptureWriter(path: path, metadata: CaptureMetadata(programVersion: "store-test-tool"), startWallClock: Date(), calls: calls, startsSyncThread: false)
        var written = 0
        var failure: CaptureWriteError?
        while failure == nil && written < 1_000 {
            do throws(CaptureWriteError) {
                try writer.append(bytes: toolChunk(written), hostTimeMicroseconds: Int64(written))
                try writer.flush()
                written += 1
            } catch {
                failure = error
            }
        }
        guard case .diskFull(_, let code, let durable) = failure else {
            Issue.record("expected diskFull, got \(String(describing: failure))")
            return
        }
        #expect(code == Errno(ENOSPC))
        #expect(durable == Int64(readBytes(path).count))
        // Sticky: the writer refuses further work with the same error.
        #expect(throws: failure!) { try writer.append(bytes: [1], hostTimeMicroseconds: 0) }
        #expect(throws: failure!) { try writer.close() }
        let (count, warnings) = try checkToolCapture(path)
        #expect(count == written)
        #expect(warnings == [.missingEndRecord])
    }

    @Test func otherErrnosMapToTheirErrors() throws {
        let directory = TemporaryDirectory()
        var readOnlyFileSystem = FileCalls.system
        readOnlyFileSystem.open = { _, _, _ in
            errno = EROFS
            return -1
        }
        let path = directory.file("erofs.rscap")
        #expect(throws: CaptureWriteError.notWritable(path: path, errno: Errno(EROFS))) {
            try CaptureWriter(path: path, metadata: CaptureMetadata(), startWallClock: Date(), calls: readOnlyFileSystem, startsSyncThread: false)
        }
        #expect(CaptureWriteError.notWritable(path: path, errno: Errno(EROFS)).description.contains("Read-only file system"))

        let failSync = ByteBudget(bytes: 1)
        var failingDisk = FileCalls.system
        failingDisk.fsync = { fd in
            // The first sync (the header at open) succeeds, later ones fail as a dying disk would.
            if failSync.take(1) == 1 { return Glibc.fsync(fd) }
            errno = EIO
            return -1
        }
        let eioPath = directory.file("eio.rscap")
        let writer = try CaptureWriter(path: eioPath, metadata: CaptureMetadata(), startWallClock: Date(), calls: failingDisk, startsSyncThread: false)
        try writer.append(bytes: [1, 2, 3], hostTimeMicroseconds: 0)
        #expect(throws: CaptureWriteError.ioFailed(path: eioPath, operation: "fsync", errno: Errno(EIO))) { try writer.flush() }
        #expect(throws: CaptureWriteError.ioFailed(path: eioPath, operation: "fsync", errno: Errno(EIO))) { try writer.close() }
    }

    // MARK: - Opening

    @Test func anExistingFileIsNeverOverwritten() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("keep.rscap")
        writeBytes([1, 2, 3], to: path)
        #expect(throws: CaptureWriteError.alreadyExists(path: path)) { try CaptureWriter(path: path, metadata: CaptureMetadata()) }
        #expect(readBytes(path) == [1, 2, 3])
    }

    @Test func aMissingDirectoryIsAClearError() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("no/such/dir/x.rscap")
        #expect(throws: CaptureWriteError.directoryMissing(path: path)) { try CaptureWriter(path: path, metadata: CaptureMetadata()) }
        #expect(CaptureWriteError.directoryMissing(path: path).description.contains("does not exist"))
    }

    // MARK: - Durability while running

    @Test func anIdleWriterSyncsOnItsOwn() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("idle.rscap")
        let writer = try CaptureWriter(path: path, metadata: CaptureMetadata())
        let afterOpen = writer.syncedByteCount
        #expect(afterOpen == Int64(readBytes(path).count))
        try writer.append(bytes: [0x42], hostTimeMicroseconds: 1)
        // No flush and no further call: the background sync must write it (within a second;
        // the generous wait here only keeps a busy machine from failing the test).
        let deadline = Date() + 20
        while writer.syncedByteCount == afterOpen && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(writer.syncedByteCount > afterOpen)
        let reader = try CaptureReader(path: path)
        #expect(try reader.nextChunk() == CaptureChunk(hostTimeMicroseconds: 1, bytes: [0x42]))
        try writer.close()
    }

    @Test func aFlushedCaptureIsReadableWhileStillRecording() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("live.rscap")
        let writer = try CaptureWriter(path: path, metadata: CaptureMetadata(area: "glutes"))
        try writer.append(bytes: [1, 2], hostTimeMicroseconds: 10)
        try writer.append(event: CaptureEvent(hostTimeMicroseconds: 11, kind: .note, note: "marker"))
        try writer.flush()
        let (records, warnings, reader) = try readAll(path)
        #expect(records.count == 3)
        #expect(warnings == [.missingEndRecord])
        #expect(reader.metadata.area == "glutes")
        try writer.close()
        #expect(throws: CaptureWriteError.closed(path: path)) { try writer.append(bytes: [3]) }
        #expect(try readAll(path).warnings.isEmpty)
    }

    @Test func hostTimesDefaultToTheMonotonicClockSinceOpening() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("clock.rscap")
        let writer = try CaptureWriter(path: path, metadata: CaptureMetadata())
        try writer.append(bytes: [1])
        try writer.append(bytes: [2])
        try writer.close()
        let reader = try CaptureReader(path: path)
        let first = try #require(try reader.nextChunk()), second = try #require(try reader.nextChunk())
        #expect(first.hostTimeMicroseconds >= 0)
        #expect(second.hostTimeMicroseconds >= first.hostTimeMicroseconds)
    }

    @Test func oversizedMetadataIsRefused() throws {
        let directory = TemporaryDirectory()
        let writer = try CaptureWriter(path: directory.file("big.rscap"), metadata: CaptureMetadata())
        let huge = CaptureMetadata(fields: ["blob": .string(String(repeating: "x", count: CaptureFormat.maxPayloadByteCount))])
        #expect(throws: CaptureWriteError.self) { try writer.append(metadata: huge) }
        try writer.close()
    }
}

/// Bytes a fake disk still has room for.
final class ByteBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    init(bytes: Int) { remaining = bytes }
    /// Takes up to `count` bytes of room; how many were granted.
    func take(_ count: Int) -> Int {
        lock.withLock {
            let granted = min(count, remaining)
            remaining -= granted
            return granted
        }
    }
}

@Suite struct CaptureWriterReleaseTests {
    @Test func aWriterReleasedWithoutCloseKeepsWhatItBuffered() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("released.rscap")
        do {
            let writer = try CaptureWriter(path: path, metadata: CaptureMetadata(), startWallClock: Date(), calls: .system, startsSyncThread: false)
            try writer.append(bytes: [9, 8, 7], hostTimeMicroseconds: 3)
        }
        let (records, warnings, _) = try readAll(path)
        #expect(records.last == .chunk(CaptureChunk(hostTimeMicroseconds: 3, bytes: [9, 8, 7])))
        #expect(warnings == [.missingEndRecord])
    }
}
