import Foundation
import RollSenseStore
import RollSenseSystem
import Testing
import RollSenseTestSupport

@Suite struct CaptureReaderTests {
    // MARK: - Round trip

    @Test func roundTripGivesBackEveryRecordExactly() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("round.rscap")
        try SmallCapture.write(to: path)

        let (records, warnings, reader) = try readAll(path)
        #expect(warnings.isEmpty)
        #expect(reader.header.startUnixMicroseconds == 1_795_000_000_250_000)
        #expect(reader.header.majorVersion == 1)
        guard case .metadata(let first) = records.first else {
            Issue.record("first record is not metadata: \(String(describing: records.first))")
            return
        }
        #expect(first.profileName == "gentle")
        #expect(first.startWallClock == SmallCapture.start)
        #expect(Array(records.dropFirst().dropLast()) == SmallCapture.body())
        guard case .end(let end) = records.last else {
            Issue.record("no end record")
            return
        }
        #expect(end.chunkCount == UInt64(SmallCapture.chunkSizes.count))
        #expect(end.totalByteCount == UInt64(SmallCapture.chunkSizes.reduce(0, +)))
        // Later metadata replaces earlier keys and keeps the rest.
        #expect(reader.metadata.device == .object(["board": .integer(5), "firmware": .string("1.2.3")]))
        #expect(reader.metadata.area == "lower-back-left")
        #expect(reader.metadata.calibration == SmallCapture.metadata.calibration)
        #expect(reader.end == end)
    }

    @Test func nextChunkYieldsOnlyReceivedBytesInOrder() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("chunks.rscap")
        try SmallCapture.write(to: path)
        let reader = try CaptureReader(path: path)
        var chunks: [CaptureChunk] = []
        while let chunk = try reader.nextChunk() { chunks.append(chunk) }
        let expected = SmallCapture.body().compactMap { record -> CaptureChunk? in
            if case .chunk(let chunk) = record { return chunk }
            return nil
        }
        #expect(chunks == expected)
        #expect(try reader.nextChunk() == nil)
        #expect(reader.warnings.isEmpty)
    }

    @Test func aReadLargerThanOneRecordIsSplitAndRejoins() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("large.rscap")
        let big = patternBytes(index: 9, count: CaptureFormat.maxChunkByteCount * 2 + 17)
        let writer = try CaptureWriter(path: path, metadata: CaptureMetadata())
        try writer.append(bytes: big, hostTimeMicroseconds: 42)
        try writer.close()
        let reader = try CaptureReader(path: path)
        var joined: [UInt8] = []
        var count = 0
        while let chunk = try reader.nextChunk() {
            #expect(chunk.hostTimeMicroseconds == 42)
            joined += chunk.bytes
            count += 1
        }
        #expect(count == 3)
        #expect(joined == big)
    }

    // MARK: - Truncation

    @Test func everyTruncationPointReadsTheCompletePrefix() throws {
        let directory = TemporaryDirectory()
        let full = directory.file("full.rscap")
        try SmallCapture.write(to: full)
        let bytes = readBytes(full)
        let boundaries = recordBoundaries(bytes)
        #expect(boundaries.last == bytes.count)
        let allRecords = try readAll(full).records

        let cutPath = directory.file("cut.rscap")
        for length in 0...bytes.count {
            try? FileManager.default.removeItem(atPath: cutPath)
            writeBytes(Array(bytes[..<length]), to: cutPath)
            if length == 0 {
                #expect(throws: CaptureReadError.emptyFile(path: cutPath)) { try CaptureReader(path: cutPath) }
                continue
            }
            if length < CaptureFormat.fileHeaderByteCount {
                #expect(throws: CaptureReadError.truncatedHeader(path: cutPath, byteCount: length)) { try CaptureReader(path: cutPath) }
                continue
            }
            let completeCount = boundaries.lastIndex { $0 <= length }!
            let lastBoundary = boundaries[completeCount]
            var expectedWarnings: [CaptureWarning] = []
            if lastBoundary < length {
                expectedWarnings.append(.truncatedTail(offset: Int64(lastBoundary), byteCount: Int64(length - lastBoundary)))
            }
            if length < bytes.count { expectedWarnings.append(.missingEndRecord) }
            for blockSize in readBlockSizes {
                let (records, warnings, _) = try readAll(cutPath, readBlockByteCount: blockSize)
                #expect(records == Array(allRecords.prefix(completeCount)), "cut at \(length), blocks of \(blockSize)")
                #expect(warnings == expectedWarnings, "cut at \(length), blocks of \(blockSize)")
            }
        }
    }

    // MARK: - Damage

    @Test func aFlippedByteAnywhereInAMiddleRecordSkipsJustThatRecord() throws {
        let directory = TemporaryDirectory()
        let full = directory.file("full.rscap")
        try SmallCapture.write(to: full)
        let bytes = readBytes(full)
        let boundaries = recordBoundaries(bytes)
        let allRecords = try readAll(full).records
        // Record 4 is the first event: records before and after it must survive.
        let damaged = 4
        let start = boundaries[damaged], end = boundaries[damaged + 1]
        let path = directory.file("damaged.rscap")
        for offset in start..<end {
            var copy = bytes
            copy[offset] ^= 0xFF
            try? FileManager.default.removeItem(atPath: path)
            writeBytes(copy, to: path)
            var expected = allRecords
            expected.remove(at: damaged)
            for blockSize in readBlockSizes {
                let (records, warnings, reader) = try readAll(path, readBlockByteCount: blockSize)
                #expect(records == expected, "byte \(offset) flipped, blocks of \(blockSize)")
                #expect(warnings == [.skippedDamagedBytes(offset: Int64(start), byteCount: Int64(end - start))], "byte \(offset) flipped, blocks of \(blockSize)")
                #expect(reader.end != nil)
            }
        }
    }

    @Test func randomDamageNeverFailsAndNeverInventsRecords() throws {
        let directory = TemporaryDirectory()
        let full = directory.file("full.rscap")
        try SmallCapture.write(to: full)
        let bytes = readBytes(full)
        let allRecords = try readAll(full).records
        var random = SplitMix64(state: 2026_11_26)
        let path = directory.file("random.rscap")
        // ROLLSENSE_DAMAGE_ROUNDS runs more rounds for a deeper check by hand.
        let rounds = ProcessInfo.processInfo.environment["ROLLSENSE_DAMAGE_ROUNDS"].flatMap(Int.init) ?? 300
        for round in 0..<rounds {
            var copy = bytes
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let offset = Int.random(in: CaptureFormat.fileHeaderByteCount..<copy.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: copy[offset] = UInt8.random(in: 0...255, using: &random)
                case 1: copy.remove(at: offset)
                default: copy.insert(contentsOf: CaptureFormat.syncMarker, at: offset)
                }
            }
            if Bool.random(using: &random) { copy.removeLast(Int.random(in: 0..<40, using: &random)) }
            try? FileManager.default.removeItem(atPath: path)
            writeBytes(copy, to: path)
            let blockSize = readBlockSizes.randomElement(using: &random)!
            let (records, _, _) = try readAll(path, readBlockByteCount: blockSize)
            // Whatever survives is a subsequence of what was written, in order.
            var remaining = allRecords[...]
            for record in records {
                guard let index = remaining.firstIndex(of: record) else {
                    Issue.record("round \(round): record not in the original, or out of order: \(record)")
                    break
                }
                remaining = remaining[(index + 1)...]
            }
        }
    }

    @Test func garbageInsertedBetweenRecordsIsSkippedAndReported() throws {
        let directory = TemporaryDirectory()
        let full = directory.file("full.rscap")
        try SmallCapture.write(to: full)
        var bytes = readBytes(full)
        let boundaries = recordBoundaries(bytes)
        // Garbage that even contains a sync marker with a plausible length.
        let garbage: [UInt8] = [0x01, 0xA5, 0x52, 0x53, 0x00, 0x02, 0x05, 0, 0, 0, 0xA5, 0xEE] + CaptureFormat.syncMarker
        bytes.insert(contentsOf: garbage, at: boundaries[3])
        let path = directory.file("garbage-inside.rscap")
        writeBytes(bytes, to: path)
        let (records, warnings, _) = try readAll(path)
        #expect(records == (try readAll(full).records))
        #expect(warnings == [.skippedDamagedBytes(offset: Int64(boundaries[3]), byteCount: Int64(garbage.count))])
    }

    @Test func aDamagedLengthPointingPastTheEndIsDamageNotATruncatedFile() throws {
        let directory = TemporaryDirectory()
        let full = directory.file("full.rscap")
        try SmallCapture.write(to: full)
        var bytes = readBytes(full)
        let boundaries = recordBoundaries(bytes)
        let allRecords = try readAll(full).records
        // A length of 1 MiB, the most allowed: past the end of this small file.
        bytes[boundaries[2] + 7] = 0x10
        let path = directory.file("long-length.rscap")
        writeBytes(bytes, to: path)
        let (records, warnings, _) = try readAll(path)
        var expected = allRecords
        expected.remove(at: 2)
        #expect(records == expected)
        #expect(warnings == [.skippedDamagedBytes(offset: Int64(boundaries[2]), byteCount: Int64(boundaries[3] - boundaries[2]))])
    }

    @Test func bytesAfterTheEndRecordAreReported() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("after-end.rscap")
        try SmallCapture.write(to: path)
        let size = readBytes(path).count
        writeBytes(readBytes(path) + [1, 2, 3], to: path)
        let (_, warnings, reader) = try readAll(path)
        #expect(warnings == [.dataAfterEnd(offset: Int64(size), byteCount: 3)])
        #expect(reader.end != nil)
    }

    // MARK: - Not a capture

    @Test func garbageFileIsNotACapture() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("garbage.bin")
        writeBytes(patternBytes(index: 1, count: 4096), to: path)
        #expect(throws: CaptureReadError.notACapture(path: path)) { try CaptureReader(path: path) }
        let text = directory.file("notes.txt")
        writeBytes(Array("force_N:12.5 force_N:13.0\n".utf8), to: text)
        #expect(throws: CaptureReadError.notACapture(path: text)) { try CaptureReader(path: text) }
    }

    @Test func emptyFileIsAClearError() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("empty.rscap")
        writeBytes([], to: path)
        #expect(throws: CaptureReadError.emptyFile(path: path)) { try CaptureReader(path: path) }
        #expect(CaptureReadError.emptyFile(path: path).description.contains("empty"))
    }

    @Test func missingFileIsUnreadable() {
        let path = "/nonexistent-rollsense-dir/x.rscap"
        #expect(throws: CaptureReadError.unreadable(path: path, errno: Errno(ENOENT))) { try CaptureReader(path: path) }
    }

    @Test func newerMajorVersionIsRefusedWithItsNumber() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("v2.rscap")
        // A version 2 header may differ in layout after the version bytes; only those are read.
        writeBytes(CaptureFormat.magic + [2, 0, 40, 0] + [UInt8](repeating: 0xEE, count: 60), to: path)
        #expect(throws: CaptureReadError.newerVersion(path: path, major: 2, minor: 0)) { try CaptureReader(path: path) }
        #expect(CaptureReadError.newerVersion(path: path, major: 2, minor: 0).description.contains("update rollsense"))
    }

    @Test func newerMinorVersionReadsAndSkipsUnknownRecords() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("v1-9.rscap")
        var bytes = CaptureFileHeader(majorVersion: 1, minorVersion: 9, startUnixMicroseconds: 5).encoded()
        bytes += record(type: 0x42, payload: [9, 9])
        bytes += record(type: CaptureRecordType.bytes.rawValue, payload: [7, 0, 0, 0, 0, 0, 0, 0, 0xAB])
        writeBytes(bytes, to: path)
        let (records, warnings, reader) = try readAll(path)
        #expect(reader.header.minorVersion == 9)
        #expect(records == [.unknown(type: 0x42, payload: [9, 9]), .chunk(CaptureChunk(hostTimeMicroseconds: 7, bytes: [0xAB]))])
        #expect(warnings == [.unknownRecordType(offset: 24, type: 0x42), .missingEndRecord])
    }

    @Test func damagedHeaderIsAClearError() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("bad-header.rscap")
        try SmallCapture.write(to: path)
        var bytes = readBytes(path)
        bytes[14] ^= 0x01
        writeBytes(bytes, to: path)
        #expect(throws: CaptureReadError.damagedHeader(path: path)) { try CaptureReader(path: path) }
    }

    @Test func aRecordWithAGoodChecksumButWrongLayoutIsReportedMalformed() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("malformed.rscap")
        var bytes = CaptureFileHeader(startUnixMicroseconds: 0).encoded()
        bytes += record(type: CaptureRecordType.bytes.rawValue, payload: [1, 2, 3])
        bytes += record(type: CaptureRecordType.metadata.rawValue, payload: Array("not json".utf8))
        writeBytes(bytes, to: path)
        let (records, warnings, _) = try readAll(path)
        #expect(records.isEmpty)
        #expect(warnings == [.malformedRecord(offset: 24, type: 2), .malformedRecord(offset: 40, type: 1), .missingEndRecord])
    }

    /// Frames a record by hand, following docs/RECORDING.md rather than the writer's code.
    private func record(type: UInt8, payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        let checked = [type, UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)] + payload
        let crc = CRC32.checksum(checked)
        return CaptureFormat.syncMarker + checked + [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)]
    }
}
