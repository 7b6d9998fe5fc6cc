import Foundation
import RollSenseStore
import RollSenseWire
import Testing

/// A capture of the real firmware's output (run under simavr) decodes to exactly what the raw
/// bytes decode to: the capture keeps the device's bytes as received.
@Suite struct CaptureReplayTests {
    static let firmwareFolder = CaptureFixtureTests.folder + "/../firmware/captures"

    struct Manifest: Decodable {
        struct Firmware: Decodable { var chunkCount: Int; var streamCRC32: UInt32 }
        var firmwareMassageBall: Firmware
    }

    @Test func theFirmwareCaptureHoldsTheFirmwareBytesExactly() throws {
        let stream = readBytes(Self.firmwareFolder + "/massage-ball.bin")
        #expect(stream.count > 100_000)
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: CaptureFixtureTests.folder + "/manifest.json")))
        try #require(
            CRC32.checksum(stream) == manifest.firmwareMassageBall.streamCRC32,
            "Fixtures/firmware/captures/massage-ball.bin changed since the capture was made: run python3 Fixtures/captures/make_captures.py"
        )
        let (chunks, reader) = try CaptureFixtureTests.chunks("firmware-massage-ball.rscap")
        #expect(chunks.count == manifest.firmwareMassageBall.chunkCount)
        #expect(chunks.flatMap(\.bytes) == stream)
        #expect(reader.warnings.isEmpty)
        #expect(chunks.map(\.hostTimeMicroseconds) == chunks.map(\.hostTimeMicroseconds).sorted())
        #expect(reader.end?.totalByteCount == UInt64(stream.count))
    }

    @Test func decodingTheCaptureGivesTheSameEventsAsTheRawBytes() throws {
        let stream = readBytes(Self.firmwareFolder + "/massage-ball.bin")
        var direct = FrameDecoder()
        var directEvents: [WireEvent] = []
        direct.feed(stream) { directEvents.append($0) }

        let reader = try CaptureReader(path: CaptureFixtureTests.folder + "/firmware-massage-ball.rscap")
        var replayed = FrameDecoder()
        var replayedEvents: [WireEvent] = []
        while let chunk = try reader.nextChunk() {
            replayed.feed(chunk.bytes) { replayedEvents.append($0) }
        }
        #expect(replayedEvents == directEvents)
        #expect(replayed.counters == direct.counters)
        let samples = replayedEvents.filter { if case .sample = $0 { true } else { false } }.count
        // Fixtures/README.md: massage-ball has 8 499 samples.
        #expect(samples == 8_499)
    }
}
