import Foundation
import RollSenseStore
import RollSenseWire
import Testing

/// A capture of the real firmware's output (run under simavr) decodes to exactly what the raw
/// bytes decode to: the capture keeps the device's bytes as received.
@Suite struct CaptureReplayTests {
    static let firmwareFolder = CaptureFixtureTests.folder + "/../firmware/captures"

    @Test func theFirmwareCaptureHoldsTheFirmwareBytesExactly() throws {
        let stream = readBytes(Self.firmwareFolder + "/massage-ball.bin")
        #expect(stream.count > 100_000)
        let (chunks, reader) = try CaptureFixtureTests.chunks("firmware-massage-ball.rscap")
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
