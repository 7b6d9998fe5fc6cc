// The soak run's accounting check at test size (issue 8): a 2-minute 1 kHz x 4-channel session
// recorded with CaptureWriter, read back with CaptureReader, decoded and processed. Every sample
// comes back once and the pipeline's contact time equals the generator's known time exactly.
// The 8-hour version, with memory, is Tools/bench/70-soak.sh.
import Foundation
import RollSenseScenario
import RollSenseSignal
import RollSenseStore
import RollSenseWire
import Testing

@Suite struct ShortSoakTests {
    @Test func twoMinutesThroughCaptureAndReplayAccountExactly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-soak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("soak.rscap").path

        // Start 60 s before the 32-bit device clock wraps, so the replay crosses it.
        var session = ContactSession(seconds: 120, seed: 11, startTimeMicroseconds: UInt32.max - 60_000_000)
        let writer = try CaptureWriter(path: path, metadata: CaptureMetadata())
        var buffer: [UInt8] = []
        var hostTime: Int64 = 0
        while !session.isFinished {
            buffer.removeAll(keepingCapacity: true)
            // Uneven reads, as a serial port gives them: 1 to 97 samples.
            session.generate(maxSamples: 1 + Int(hostTime / 1000 % 97), into: &buffer)
            hostTime += 10_000
            try writer.append(bytes: buffer, hostTimeMicroseconds: hostTime)
        }
        try writer.close()

        var pipeline = try SignalPipeline(profile: DamagedSessionPipelineTests.profile, calibration: DamagedSessionPipelineTests.calibration)
        var decoder = FrameDecoder()
        var samples = 0
        var lastTime: Int64 = 0
        var previousReading: Reading?
        var readingContact: Int64 = 0
        var contactStarts = 0
        var gaps = 0
        let reader = try CaptureReader(path: path)
        while let chunk = try reader.nextChunk() {
            decoder.feed(chunk.bytes) { event in
                switch event {
                case .sample(let sample):
                    samples += 1
                    #expect(lastTime == 0 || sample.deviceTimeMicroseconds == lastTime + 1000)
                    lastTime = sample.deviceTimeMicroseconds
                    let reading = pipeline.process(sample) { if $0.kind == .contact && $0.phase == .start { contactStarts += 1 } }
                    if let previous = previousReading, previous.contact {
                        readingContact += reading.deviceTimeMicroseconds - previous.deviceTimeMicroseconds
                    }
                    previousReading = reading
                case .gap: gaps += 1
                default: break
                }
            }
        }
        pipeline.finish(atDeviceTimeMicroseconds: lastTime) { _ in }

        #expect(reader.warningCount == 0)
        #expect(reader.end != nil)
        #expect(samples == 120_000)
        #expect(gaps == 0)
        #expect(decoder.counters.crcFailures == 0)
        #expect(lastTime > 1 << 32)
        #expect(session.completedContacts >= 3)
        #expect(contactStarts == session.completedContacts)
        let expected = DamagedSessionPipelineTests.expectedContact(session)
        #expect(pipeline.sessionMicroseconds == expected)
        #expect(readingContact == expected)
    }
}
