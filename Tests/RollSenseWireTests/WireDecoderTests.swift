import Testing
@testable import RollSenseWire

@Suite struct WireDecoderTests {
    static func decode(_ chunks: [[UInt8]], hostTime: Int64 = 5) -> ([WireEvent], WireCounters) {
        var decoder = WireDecoder()
        var events: [WireEvent] = []
        for chunk in chunks {
            decoder.feed(chunk, hostTimeMicroseconds: hostTime) { events.append($0) }
        }
        return (events, decoder.counters)
    }

    /// Checks that every chunking gives the same events and counters; returns them.
    static func decodeInEveryChunking(_ bytes: [UInt8], randomCount: Int = 20) -> ([WireEvent], WireCounters) {
        let reference = decode([bytes])
        for (label, chunks) in Chunking.all(bytes, randomCount: randomCount) {
            let (events, counters) = decode(chunks)
            #expect(events == reference.0, "\(label)")
            #expect(counters == reference.1, "\(label)")
        }
        return reference
    }

    static func samples(_ events: [WireEvent]) -> [Sample] {
        events.compactMap { if case .sample(let sample) = $0 { sample } else { nil } }
    }

    static let s1 = FrameDecoderTests.sample(seq: 1, timeMicroseconds: 1000, [10, 20])
    static let s2 = FrameDecoderTests.sample(seq: 2, timeMicroseconds: 2000, [11, 21])
    static let s3 = FrameDecoderTests.sample(seq: 3, timeMicroseconds: 3000, [12, 22])

    @Test func binaryStreamGivesTheFrameDecodersEvents() {
        for vector in FrameDecoderTests.deviceVectors {
            let (events, counters) = Self.decode([vector.input])
            let (frameEvents, frameCounters) = FrameDecoderTests.decode([vector.input])
            #expect(events.first == .protocolDetected(.binary), "\(vector.name)")
            #expect(Array(events.dropFirst()) == frameEvents, "\(vector.name)")
            #expect(counters.binary == frameCounters, "\(vector.name)")
        }
    }

    @Test func binaryStreamStartingMidFrame() {
        let bytes = Array(Self.s1[7...]) + Self.s2 + Self.s3
        let (events, counters) = Self.decodeInEveryChunking(bytes)
        #expect(events.first == .protocolDetected(.binary))
        #expect(Self.samples(events).map(\.sequence) == [2, 3])
        #expect(counters.binary.frames == 2)
        #expect(counters.binary.malformedFrames + counters.binary.crcFailures == 1)
    }

    @Test func textStreamWithPartialFirstLine() {
        let bytes = Array("_N:1.0\nforce_N:2.0\nforce_N:3.0\nforce_N:4.0\n".utf8)
        let (events, counters) = Self.decodeInEveryChunking(bytes)
        #expect(events.first == .protocolDetected(.text))
        let samples = Self.samples(events)
        #expect(samples.map { $0.values[0] } == [2, 3, 4])
        #expect(samples.allSatisfy { $0.quantity == .newtons })
        #expect(samples.map(\.deviceTimeMicroseconds) == [5, 6, 7], "one read's lines, 1 µs apart")
        #expect(counters.text.discardedBytes == 7)
        #expect(counters.detections == 1)
    }

    @Test func garbageThenFramesIsBinary() {
        let bytes: [UInt8] = [0xF3, 0x99, 0x12] + Self.s1 + Self.s2
        let (events, _) = Self.decodeInEveryChunking(bytes)
        #expect(events.first == .protocolDetected(.binary))
        #expect(Self.samples(events).map(\.sequence) == [2])  // s1 is glued to the garbage
    }

    @Test func followsASwitchToTextAndBackToBinary() {
        let switchReply = DeviceFrame.reply(CommandReply(command: WireFormat.CommandType.setMode, tag: 1, status: .ok)).encoded
        let text = Array("1 2\n3 4\n5 6\n".utf8)
        let bytes = Self.s1 + switchReply + text + Self.s2 + Self.s3
        let (events, counters) = Self.decodeInEveryChunking(bytes)
        let kinds = events.compactMap { if case .protocolDetected(let kind) = $0 { kind } else { nil } }
        #expect(kinds == [.binary, .text, .binary])
        let samples = Self.samples(events)
        #expect(samples.count == 6)
        #expect(samples.filter { (5...7).contains($0.deviceTimeMicroseconds) }.map { [$0.values[0], $0.values[1]] } == [[1, 2], [3, 4], [5, 6]])
        #expect(samples.last?.sequence == 3)
        #expect(counters.binary.frames == 4)
        #expect(counters.binary.discardedBytes == 0)
        #expect(counters.text.samples == 3 && counters.text.discardedBytes == 0)
    }

    @Test func refusedModeSwitchStaysBinary() {
        let refused = DeviceFrame.reply(CommandReply(command: WireFormat.CommandType.setMode, tag: 1, status: .badArgument)).encoded
        let (events, _) = Self.decodeInEveryChunking(Self.s1 + refused + Self.s2)
        #expect(events.filter { if case .protocolDetected = $0 { true } else { false } }.count == 1)
        #expect(Self.samples(events).count == 2)
    }

    @Test func givenProtocolSkipsDetection() {
        var decoder = WireDecoder(protocolKind: .text)
        var events: [WireEvent] = []
        decoder.feed(Array("partial\n1\n".utf8), hostTimeMicroseconds: 9) { events.append($0) }
        #expect(events == [.sample(Sample(sequence: 0, deviceTimeMicroseconds: 9, channelCount: 1, values: SIMD4(1, 0, 0, 0)))])
    }

    @Test func textSamplesCarryTheHostTimeOfTheirChunk() {
        var decoder = WireDecoder()
        var times: [Int64] = []
        decoder.feed(Array("x\n1\n".utf8), hostTimeMicroseconds: 100) { if case .sample(let s) = $0 { times.append(s.deviceTimeMicroseconds) } }
        decoder.feed(Array("2\n3".utf8), hostTimeMicroseconds: 200) { if case .sample(let s) = $0 { times.append(s.deviceTimeMicroseconds) } }
        decoder.feed(Array("\n".utf8), hostTimeMicroseconds: 300) { if case .sample(let s) = $0 { times.append(s.deviceTimeMicroseconds) } }
        #expect(times == [100, 200, 300])
    }
}
