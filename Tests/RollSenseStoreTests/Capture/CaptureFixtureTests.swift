import Foundation
import RollSenseStore
import Testing

/// Reads the captures made by Fixtures/captures/make_captures.py, a second implementation of
/// docs/RECORDING.md written in Python.
@Suite struct CaptureFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/captures").path

    struct Manifest: Decodable {
        struct Truncated: Decodable { var chunkCount: Int; var tailOffset: Int64; var tailByteCount: Int64 }
        struct Damaged: Decodable { var missingChunk: Int; var skippedOffset: Int64; var skippedByteCount: Int64 }
        var chunkCount: Int
        var streamByteCount: Int
        var truncated: Truncated
        var damaged: Damaged
    }

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json")))
    }

    static func chunks(_ name: String) throws -> (chunks: [CaptureChunk], reader: CaptureReader) {
        let reader = try CaptureReader(path: folder + "/" + name)
        var chunks: [CaptureChunk] = []
        while let chunk = try reader.nextChunk() { chunks.append(chunk) }
        return (chunks, reader)
    }

    @Test func theCleanSessionGivesBackTheDeviceStreamExactly() throws {
        let manifest = try Self.manifest()
        let stream = readBytes(Self.folder + "/session.stream.bin")
        #expect(stream.count == manifest.streamByteCount)
        let (chunks, reader) = try Self.chunks("session-clean.rscap")
        #expect(chunks.count == manifest.chunkCount)
        #expect(chunks.flatMap(\.bytes) == stream)
        let expectedTimes: [Int64] = (0..<manifest.chunkCount).map { index -> Int64 in Int64(index) * 9_000 + 250 }
        #expect(chunks.map(\.hostTimeMicroseconds) == expectedTimes)
        #expect(reader.warnings.isEmpty)
        #expect(reader.end?.totalByteCount == UInt64(stream.count))
        #expect(reader.header.startUnixMicroseconds == 1_795_680_000_000_000)
        #expect(reader.metadata.startWallClock == Date(timeIntervalSince1970: 1_795_680_000))
        #expect(reader.metadata.area == "lower-back-left")
        let profile: JSONValue = .object(["dailyLimitSeconds": .integer(300), "maxForceNewtons": .integer(250)])
        #expect(reader.metadata.profile == profile)
        #expect(reader.metadata.device?.jsonText == #"{"board":5,"deviceID":195939070,"sensors":["hx711","fsr"]}"#)
    }

    @Test func theCleanSessionHasItsDisconnectEvents() throws {
        let reader = try CaptureReader(path: Self.folder + "/session-clean.rscap")
        var events: [CaptureEvent] = []
        while let record = try reader.nextRecord() {
            if case .event(let event) = record { events.append(event) }
        }
        #expect(events == [
            CaptureEvent(hostTimeMicroseconds: 90_251, kind: .disconnected, note: "read: Input/output error"),
            CaptureEvent(hostTimeMicroseconds: 90_252, kind: .reconnected),
        ])
    }

    @Test func theTruncatedSessionReadsItsPrefixWithAWarning() throws {
        let manifest = try Self.manifest()
        let stream = readBytes(Self.folder + "/session.stream.bin")
        let (chunks, reader) = try Self.chunks("session-truncated.rscap")
        #expect(chunks.count == manifest.truncated.chunkCount)
        let bytes = chunks.flatMap(\.bytes)
        #expect(bytes == Array(stream.prefix(bytes.count)))
        #expect(reader.warnings == [
            .truncatedTail(offset: manifest.truncated.tailOffset, byteCount: manifest.truncated.tailByteCount),
            .missingEndRecord,
        ])
    }

    @Test func theDamagedSessionLosesOnlyTheDamagedChunk() throws {
        let manifest = try Self.manifest()
        let (clean, _) = try Self.chunks("session-clean.rscap")
        let (chunks, reader) = try Self.chunks("session-damaged.rscap")
        var expected = clean
        expected.remove(at: manifest.damaged.missingChunk)
        #expect(chunks == expected)
        #expect(reader.warnings == [.skippedDamagedBytes(offset: manifest.damaged.skippedOffset, byteCount: manifest.damaged.skippedByteCount)])
        #expect(reader.end != nil)
    }

    @Test func theRefusedFixturesGiveTheirErrors() {
        let folder = Self.folder
        #expect(throws: CaptureReadError.emptyFile(path: folder + "/empty.rscap")) { try CaptureReader(path: folder + "/empty.rscap") }
        #expect(throws: CaptureReadError.notACapture(path: folder + "/not-a-capture.txt")) { try CaptureReader(path: folder + "/not-a-capture.txt") }
        #expect(throws: CaptureReadError.newerVersion(path: folder + "/newer-major.rscap", major: 2, minor: 1)) {
            try CaptureReader(path: folder + "/newer-major.rscap")
        }
    }

    @Test func theSwiftWriterMatchesThePythonGeneratorByteForByte() throws {
        // Rewrites session-clean.rscap's records with CaptureWriter and compares everything but
        // the END record's host time, which the writer takes from its clock.
        let original = readBytes(Self.folder + "/session-clean.rscap")
        let reader = try CaptureReader(path: Self.folder + "/session-clean.rscap")
        let directory = TemporaryDirectory()
        let path = directory.file("rewritten.rscap")
        guard case .metadata(let metadata) = try reader.nextRecord() else {
            Issue.record("no metadata first")
            return
        }
        let writer = try CaptureWriter(path: path, metadata: metadata, startWallClock: Date(timeIntervalSince1970: 1_795_680_000))
        while let record = try reader.nextRecord() {
            switch record {
            case .chunk(let chunk): try writer.append(bytes: chunk.bytes, hostTimeMicroseconds: chunk.hostTimeMicroseconds)
            case .event(let event): try writer.append(event: event)
            default: break
            }
        }
        try writer.close()
        let rewritten = readBytes(path)
        // The metadata JSON differs in spacing (Python's separators), so compare from the first BYTES record.
        let originalBoundaries = recordBoundaries(original), rewrittenBoundaries = recordBoundaries(rewritten)
        #expect(Array(original[..<CaptureFormat.fileHeaderByteCount]) == Array(rewritten[..<CaptureFormat.fileHeaderByteCount]))
        let originalBody = Array(original[originalBoundaries[1]..<originalBoundaries[originalBoundaries.count - 2]])
        let rewrittenBody = Array(rewritten[rewrittenBoundaries[1]..<rewrittenBoundaries[rewrittenBoundaries.count - 2]])
        #expect(originalBody == rewrittenBody)
    }
}
