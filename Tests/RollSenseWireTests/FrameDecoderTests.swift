import PropertyBased
import Testing
import RollSenseTestSupport
@testable import RollSenseWire

@Suite struct FrameDecoderTests {
    /// Decodes `chunks` with a fresh decoder; returns its events and counters.
    static func decode(_ chunks: [[UInt8]]) -> ([WireEvent], FrameCounters) {
        var decoder = FrameDecoder()
        var events: [WireEvent] = []
        for chunk in chunks {
            decoder.feed(chunk) { events.append($0) }
        }
        return (events, decoder.counters)
    }

    /// A decoder event as the vectors write it: type and wire body. A SAMPLE's `t_us` bytes are
    /// zeroed (here and in `withoutSampleTime`): after a restart the unwrapped time no longer
    /// truncates to the wire's, and the vectors' `time` lines check it instead.
    static func wireFrame(_ event: WireEvent) -> [ProtocolVector.Frame] {
        switch event {
        case .info(let info): [ProtocolVector.Frame(type: 0x01, body: DeviceFrame.hello(info).body)]
        case .sample(let sample):
            // A sample with extra channels came as a SAMPLE_EXTRA and then its SAMPLE.
            (sample.extras.count > 0
                ? [ProtocolVector.Frame(type: 0x05, body: DeviceFrame.sampleExtra(
                    sequence: UInt16(truncatingIfNeeded: sample.sequence), readings: sample.extras).body)]
                : [])
                + [withoutSampleTime(ProtocolVector.Frame(type: 0x02, body: DeviceFrame.sample(sample).body))]
        case .fault(let fault): [ProtocolVector.Frame(type: 0x03, body: DeviceFrame.fault(fault).body)]
        case .reply(let reply): [ProtocolVector.Frame(type: 0x04, body: reply.body)]
        case .button(let press): [ProtocolVector.Frame(type: 0x06, body: DeviceFrame.button(press).body)]
        case .gap, .protocolDetected, .textChannels: []
        }
    }

    static func withoutSampleTime(_ frame: ProtocolVector.Frame) -> ProtocolVector.Frame {
        guard frame.type == 0x02 else { return frame }
        var frame = frame
        frame.body.replaceSubrange(2..<6, with: [0, 0, 0, 0])
        return frame
    }

    static let deviceVectors = ProtocolVector.all.filter { !$0.isCommandCase && !$0.input.isEmpty }

    @Test func vectorsFileHasTheCases() {
        #expect(ProtocolVector.all.count >= 27)
        #expect(ProtocolVector.all.contains { $0.name == "button pain" && $0.frames.contains { $0.type == 0x06 } })
        #expect(Self.deviceVectors.count >= 20)
    }

    @Test(arguments: deviceVectors)
    func vectorDecodesAsTheReferenceInEveryChunking(_ vector: ProtocolVector) {
        let (reference, referenceCounters) = Self.decode([vector.input])
        #expect(reference.flatMap(Self.wireFrame) == vector.frames.map(Self.withoutSampleTime))
        let times = reference.compactMap { event -> Int64? in
            if case .sample(let sample) = event { return sample.deviceTimeMicroseconds }
            return nil
        }
        #expect(times == vector.times)
        #expect(referenceCounters.referenceNames == vector.counters)
        for (label, chunks) in Chunking.all(vector.input) {
            let (events, counters) = Self.decode(chunks)
            #expect(events == reference, "\(label)")
            #expect(counters == referenceCounters, "\(label)")
        }
    }

    @Test func gapEventPrecedesTheSampleAfterTheGap() {
        let vector = ProtocolVector.all.first { $0.name == "sequence gap" }!
        let (events, _) = Self.decode([vector.input])
        #expect(events.count == 3)
        #expect(events[1] == .gap(missingSamples: 3, atDeviceTimeMicroseconds: 41000))
        guard case .sample(let after) = events[2] else {
            Issue.record("expected a sample after the gap")
            return
        }
        #expect(after.sequence == 5)
    }

    static func sample(seq: UInt16, timeMicroseconds: UInt32, _ readings: [Int32] = [1]) -> [UInt8] {
        var values = SIMD4<Double>()
        for (channel, reading) in readings.enumerated() { values[channel] = Double(reading) }
        return DeviceFrame.sample(Sample(
            sequence: UInt64(seq), deviceTimeMicroseconds: Int64(timeMicroseconds),
            channelCount: readings.count, values: values
        )).encoded
    }

    static func samples(_ events: [WireEvent]) -> [Sample] {
        events.compactMap { if case .sample(let sample) = $0 { sample } else { nil } }
    }

    static let hello = DeviceFrame.hello(DeviceInfo(
        firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), board: .uno, deviceID: 7,
        sampleRateHz: 100, isStreaming: true, sensorKinds: [.hx711LoadCell]
    )).encoded

    @Test func clockUnwrapsOverManyWraps() {
        // 2^32 µs = 71.6 min; step 30 min so every third sample crosses a wrap.
        let step: UInt64 = 30 * 60 * 1_000_000
        var bytes: [UInt8] = []
        for index in 0..<10 {
            let time = UInt64(index) * step + 12_345
            bytes += Self.sample(seq: UInt16(index), timeMicroseconds: UInt32(truncatingIfNeeded: time))
        }
        let samples = Self.samples(Self.decode([bytes]).0)
        #expect(samples.map(\.deviceTimeMicroseconds) == (0..<10).map { Int64(UInt64($0) * step + 12_345) })
        #expect(samples.map(\.sequence) == (0..<10).map { UInt64($0) })
    }

    @Test func sequenceUnwrapsPast65536() {
        var bytes: [UInt8] = []
        for index in 65_530..<65_545 {
            bytes += Self.sample(seq: UInt16(truncatingIfNeeded: index), timeMicroseconds: UInt32(index))
        }
        let (events, counters) = Self.decode([bytes])
        #expect(Self.samples(events).map(\.sequence) == (65_530..<65_545).map { UInt64($0) })
        #expect(counters.sequenceGaps == 0)
    }

    @Test func restartAfterHelloKeepsTimeAndSequenceMonotonic() {
        let bytes = Self.sample(seq: 900, timeMicroseconds: 5_000_000) + Self.hello
            + Self.sample(seq: 0, timeMicroseconds: 1000) + Self.sample(seq: 1, timeMicroseconds: 11_000)
        let (events, counters) = Self.decode([bytes])
        let samples = Self.samples(events)
        #expect(samples.map(\.deviceTimeMicroseconds) == [5_000_000, 5_000_000, 5_010_000])
        #expect(samples.map(\.sequence) == [900, 65_536, 65_537])
        #expect(counters.sequenceGaps == 0)
    }

    @Test func helloWithoutRestartDoesNotMoveTheClock() {
        let bytes = Self.sample(seq: 1, timeMicroseconds: 1000) + Self.hello + Self.sample(seq: 2, timeMicroseconds: 2000)
        let samples = Self.samples(Self.decode([bytes]).0)
        #expect(samples.map(\.deviceTimeMicroseconds) == [1000, 2000])
        #expect(samples.map(\.sequence) == [1, 2])
    }

    @Test func faultTimeFollowsTheSampleClockAcrossAWrap() {
        let fault = DeviceFrame.fault(DeviceFault(deviceTimeMicroseconds: 0x200, code: .saturated, channel: 0, value: 9)).encoded
        let bytes = Self.sample(seq: 1, timeMicroseconds: 0xFFFF_FF00) + Self.sample(seq: 2, timeMicroseconds: 0x100) + fault
        let events = Self.decode([bytes]).0
        #expect(events.last == .fault(DeviceFault(deviceTimeMicroseconds: (1 << 32) + 0x200, code: .saturated, channel: 0, value: 9)))
        // Before the wrap is seen, a fault just after it is already placed after it.
        let early = Self.decode([Self.sample(seq: 1, timeMicroseconds: 0xFFFF_FF00) + fault]).0
        #expect(early.last == .fault(DeviceFault(deviceTimeMicroseconds: (1 << 32) + 0x200, code: .saturated, channel: 0, value: 9)))
    }

    @Test func faultWithUnknownCodeIsCountedAsUnknown() {
        let body: [UInt8] = [0, 0, 0, 0, 99, 0, 0, 0, 0, 0]
        let (events, counters) = Self.decode([WireFormat.frame(type: 0x03, body: body)])
        #expect(events.isEmpty)
        #expect(counters.unknownFrames == 1)
        #expect(counters.discardedBytes > 0)
    }

    @Test func duplicateSequenceCountsAsAFullWrapGap() {
        // Tools/wire_reference.py: missing = (seq - last - 1) mod 2^16.
        let bytes = Self.sample(seq: 5, timeMicroseconds: 10) + Self.sample(seq: 5, timeMicroseconds: 20)
        let (events, counters) = Self.decode([bytes])
        #expect(counters.missingSamples == 65_535)
        #expect(Self.samples(events).map(\.sequence) == [5, 5 + 65_536])
    }

    @Test func bodyLengthLimitsAreEnforced() {
        // 5 channels do not fit a Sample; 0 channels is no sample at all.
        let five = WireFormat.frame(type: 0x02, body: [UInt8](repeating: 1, count: 6 + 15))
        let zero = WireFormat.frame(type: 0x02, body: [UInt8](repeating: 1, count: 6))
        let shortFault = WireFormat.frame(type: 0x03, body: [UInt8](repeating: 1, count: 9))
        let shortReply = WireFormat.frame(type: 0x04, body: [1, 2])
        let shortHello = WireFormat.frame(type: 0x01, body: [UInt8](repeating: 0, count: 12))
        let helloMissingKinds = WireFormat.frame(type: 0x01, body: [UInt8](repeating: 0, count: 12) + [3, 1, 1])
        let (events, counters) = Self.decode([five + zero + shortFault + shortReply + shortHello + helloMissingKinds])
        #expect(events.isEmpty)
        #expect(counters.malformedFrames == 6)
        #expect(counters.frames == 0)
    }

    @Test func extraTrailingFieldsAreIgnored() {
        // docs/PROTOCOL.md: receivers ignore bytes after the fields they know (HELLO, FAULT, REPLY).
        let fault = DeviceFrame.fault(DeviceFault(deviceTimeMicroseconds: 5, code: .disconnected, channel: 1, value: 2)).body
        let (events, counters) = Self.decode([WireFormat.frame(type: 0x03, body: fault + [0xAA, 0xBB])])
        #expect(events == [.fault(DeviceFault(deviceTimeMicroseconds: 5, code: .disconnected, channel: 1, value: 2))])
        #expect(counters.frames == 1)
    }

    @Test func payloadOfExactlyTheLimitDecodesAndOneMoreIsOversize() {
        let fits = WireFormat.frame(type: 0x04, body: [0x81, 1, 0] + [UInt8](repeating: 7, count: WireFormat.maxBodyCount - 3))
        let tooLong = WireFormat.frame(type: 0x04, body: [0x81, 1, 0] + [UInt8](repeating: 7, count: WireFormat.maxBodyCount - 2))
        let (events, counters) = Self.decode([fits + tooLong])
        #expect(events.count == 1)
        #expect(counters.oversizeFrames == 1)
        #expect(counters.discardedBytes == tooLong.count - 1)
    }
}


@Suite struct FrameDecoderPropertyTests {
    /// Good SAMPLE frames with some bytes overwritten: whatever the damage, every chunking gives
    /// the same events, counters match the events, and time and sequence never go back.
    @Test func corruptedStreamsDecodeTheSameInAnyChunking() async {
        await propertyCheck(
            count: 150,
            input: Gen.int(in: 1...40), Gen<UInt8>.uint8().array(of: 0...12), Gen.int(in: 0...Int.max)
        ) { frameCount, damage, seed in
            var bytes: [UInt8] = []
            for index in 0..<frameCount {
                bytes += FrameDecoderTests.sample(seq: UInt16(index * 3 % 7 + index), timeMicroseconds: UInt32(index * 10_000), [Int32(index), -1])
            }
            var generator = SplitMix64(state: UInt64(seed))
            for value in damage {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = value
            }
            let (events, counters) = FrameDecoderTests.decode([bytes])
            let samples = FrameDecoderTests.samples(events)
            #expect(counters.frames == samples.count)
            #expect(zip(samples, samples.dropFirst()).allSatisfy {
                $0.sequence < $1.sequence && $0.deviceTimeMicroseconds <= $1.deviceTimeMicroseconds
            })
            // One damaged byte loses at most two frames (a damaged delimiter glues two together).
            #expect(frameCount - counters.frames <= 2 * damage.count)
            for (label, chunks) in Chunking.all(bytes, randomCount: 3, seed: UInt64(seed)).suffix(4) {
                let (chunkedEvents, chunkedCounters) = FrameDecoderTests.decode(chunks)
                #expect(chunkedEvents == events, "\(label)")
                #expect(chunkedCounters == counters, "\(label)")
            }
        }
    }
}
