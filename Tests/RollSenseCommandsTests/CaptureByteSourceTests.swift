import Foundation
import RollSenseDevice
import RollSenseKit
import RollSenseStore
import Synchronization
import Testing
import RollSenseTestSupport

@Suite("CaptureByteSource")
struct CaptureByteSourceTests {
    static func writeCapture(_ path: String, records: (CaptureWriter) throws -> Void) throws {
        let writer = try CaptureWriter(path: path, metadata: CaptureMetadata(programVersion: "test"), startWallClock: Date(timeIntervalSince1970: 0))
        try records(writer)
        try writer.close()
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("capture-source-\(UUID().uuidString).rscap").path
    }

    /// Reads everything, in buffers of `bufferCount` bytes, as a list of answers with the bytes joined.
    static func readAll(_ source: CaptureByteSource, bufferCount: Int) throws -> (bytes: [UInt8], answers: [ByteSourceRead]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferCount, alignment: 1)
        defer { buffer.deallocate() }
        var bytes: [UInt8] = [], answers: [ByteSourceRead] = []
        while true {
            let answer = try source.read(into: buffer, timeoutMilliseconds: 0)
            answers.append(answer)
            if case .bytes(let count) = answer { bytes += buffer[0..<count] }
            if answer == .end { break }
            if answers.count > 200_000 { break }
        }
        return (bytes, answers)
    }

    @Test(arguments: [1, 7, 4096])
    func chunksComeInOrderWhateverTheBuffer(bufferCount: Int) throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let chunks: [[UInt8]] = [Array(0..<200), [], Array(repeating: 0xAB, count: 70_000), [1, 2, 3]]
        try Self.writeCapture(path) { writer in
            for (index, chunk) in chunks.enumerated() {
                try writer.append(bytes: chunk, hostTimeMicroseconds: Int64(index) * 1000)
            }
        }
        let source = try CaptureByteSource(path: path)
        let (bytes, answers) = try Self.readAll(source, bufferCount: bufferCount)
        #expect(bytes == chunks.flatMap { $0 })
        #expect(answers.last == .end)
        #expect(!answers.contains(.timeout))
        #expect(try source.read(into: UnsafeMutableRawBufferPointer(start: nil, count: 0), timeoutMilliseconds: 0) == .end)
        #expect(source.warnings.isEmpty)
    }

    @Test func linkEventsBecomeDisconnectedAndReconnectedWithTheGap() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.writeCapture(path) { writer in
            try writer.append(bytes: [UInt8]([1, 2]), hostTimeMicroseconds: 100)
            try writer.append(event: CaptureEvent(hostTimeMicroseconds: 1_000, kind: .disconnected, note: "unplugged"))
            try writer.append(event: CaptureEvent(hostTimeMicroseconds: 2_500_000, kind: .reconnected))
            try writer.append(event: CaptureEvent(hostTimeMicroseconds: 2_500_001, kind: .note, note: "marker"))
            try writer.append(bytes: [UInt8]([3]), hostTimeMicroseconds: 2_600_000)
        }
        let (bytes, answers) = try Self.readAll(try CaptureByteSource(path: path), bufferCount: 64)
        #expect(bytes == [1, 2, 3])
        #expect(answers == [.bytes(count: 2), .disconnected, .reconnected(gapMicroseconds: 2_499_000), .bytes(count: 1), .end])
    }

    @Test func pacedByHostTimesAtTheGivenSpeed() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.writeCapture(path) { writer in
            try writer.append(bytes: [UInt8]([1]), hostTimeMicroseconds: 5_000_000)
            try writer.append(bytes: [UInt8]([2]), hostTimeMicroseconds: 7_000_000)
        }
        let now = Atomic<Int64>(1_000_000_000)
        let source = CaptureByteSource(reader: try CaptureReader(path: path), speed: .timesRealTime(4), clock: { now.load(ordering: .relaxed) })
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { buffer.deallocate() }
        #expect(try source.read(into: buffer, timeoutMilliseconds: 0) == .bytes(count: 1))
        // The second chunk came 2 s later: due 0.5 s later at 4x.
        #expect(try source.read(into: buffer, timeoutMilliseconds: 0) == .timeout)
        now.store(1_000_499_000, ordering: .relaxed)
        #expect(try source.read(into: buffer, timeoutMilliseconds: 0) == .timeout)
        now.store(1_000_500_000, ordering: .relaxed)
        #expect(try source.read(into: buffer, timeoutMilliseconds: 0) == .bytes(count: 1))
        #expect(try source.read(into: buffer, timeoutMilliseconds: 0) == .end)
    }

    @Test func speedArguments() {
        #expect(ReplaySpeed(argument: "max") == .maximum)
        #expect(ReplaySpeed(argument: "1") == .timesRealTime(1))
        #expect(ReplaySpeed(argument: "2.5") == .timesRealTime(2.5))
        #expect(ReplaySpeed(argument: "0") == nil)
        #expect(ReplaySpeed(argument: "-3") == nil)
        #expect(ReplaySpeed(argument: "fast") == nil)
        #expect(ReplaySpeed(argument: "nan") == nil)
    }

    @Test func truncatedFileWarnsAndKeepsWhatItHas() throws {
        let source = try CaptureByteSource(path: BuiltRollSense.fixture("session-truncated.rscap"))
        let (bytes, answers) = try Self.readAll(source, bufferCount: 4096)
        #expect(!bytes.isEmpty)
        #expect(answers.last == .end)
        #expect(source.warnings.contains { if case .truncatedTail = $0 { true } else { false } })
        #expect(source.warnings.contains(.missingEndRecord))
    }
}
