// Wire damage through the real FrameDecoder and SignalPipeline (issue 8, fault injection):
// random corruption, garbage bursts, a mid-frame start, stalls and the 32-bit clock wrap.
// Every damaged stream is built from known samples, so each decoded sample is checked against
// the one the device sent, and every sample whose frame was not touched must come through.
import RollSenseScenario
import RollSenseSignal
import RollSenseWire
import Testing

/// One sample as the device sent it, with where its frame sits in the clean stream.
struct SentSample: Equatable {
    var sequence: UInt16
    var timeMicroseconds: UInt32
    var counts: SIMD4<Int32>
    /// Byte range of its frame, delimiter included.
    var frame: Range<Int>
}

/// A clean 4-channel stream of `count` samples at 1 kHz.
func cleanStream(count: Int, startSequence: UInt16 = 0, startTime: UInt32 = 0) -> ([UInt8], [SentSample]) {
    var bytes: [UInt8] = []
    var sent: [SentSample] = []
    var random = TestRandom(seed: 7)
    for index in 0..<count {
        let counts = SIMD4<Int32>(
            Int32(random.next() % 200_000) - 100_000, Int32(random.next() % 1024),
            Int32(index % 8_000_000), -Int32(index % 1000))
        let sequence = startSequence &+ UInt16(truncatingIfNeeded: index)
        let time = startTime &+ UInt32(truncatingIfNeeded: index * 1000)
        let start = bytes.count
        SampleFrames.append(sequence: sequence, timeMicroseconds: time, counts: counts, channelCount: 4, to: &bytes)
        sent.append(SentSample(sequence: sequence, timeMicroseconds: time, counts: counts, frame: start..<bytes.count))
    }
    return (bytes, sent)
}

/// Deterministic test randomness (an LCG, Knuth's MMIX constants), so a failure reproduces.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 29
    }
}

struct Decoded {
    var samples: [Sample] = []
    var gaps: [(missing: Int, time: Int64)] = []
    var counters = FrameCounters()
}

/// Decodes in 64-byte reads, as a serial port hands them over.
func decode(_ bytes: [UInt8], readByteCount: Int = 64) -> Decoded {
    var decoder = FrameDecoder()
    var result = Decoded()
    var offset = 0
    while offset < bytes.count {
        let end = min(offset + readByteCount, bytes.count)
        decoder.feed(bytes[offset..<end]) { event in
            switch event {
            case .sample(let sample): result.samples.append(sample)
            case .gap(let missing, let time): result.gaps.append((missing, time))
            default: break
            }
        }
        offset = end
    }
    result.counters = decoder.counters
    return result
}

/// Checks decoded samples against the sent ones: each is one that was sent, with its values and
/// time (unwrapped from `timeBase`), in order, never twice; returns the sequences received.
func checkAgainstSent(_ decoded: Decoded, _ sent: [SentSample], timeBase: Int64 = 0) -> Set<UInt16> {
    var bySequence: [UInt16: SentSample] = [:]
    for sample in sent { bySequence[sample.sequence] = sample }
    var received = Set<UInt16>()
    var previous: Sample?
    for sample in decoded.samples {
        let wireSequence = UInt16(truncatingIfNeeded: sample.sequence)
        guard let original = bySequence[wireSequence] else {
            Issue.record("decoded a sample that was never sent: \(sample)")
            continue
        }
        #expect(received.insert(wireSequence).inserted, "sample \(wireSequence) duplicated")
        #expect(sample.values == SIMD4<Double>(original.counts), "values of sample \(wireSequence)")
        #expect(sample.deviceTimeMicroseconds & 0xFFFF_FFFF == Int64(original.timeMicroseconds), "time of sample \(wireSequence)")
        if let previous {
            #expect(sample.sequence > previous.sequence)
            #expect(sample.deviceTimeMicroseconds > previous.deviceTimeMicroseconds)
        }
        previous = sample
    }
    _ = timeBase
    return received
}

@Suite struct WireDamageTests {
    @Test func onePercentRandomCorruptionLosesOnlyDamagedFrames() {
        let (clean, sent) = cleanStream(count: 20_000)
        var damaged = clean
        var hit = [Bool](repeating: false, count: clean.count)
        var random = TestRandom(seed: 42)
        var corrupted = 0
        for index in damaged.indices where random.next() % 100 == 0 {
            damaged[index] ^= UInt8(1 + random.next() % 255)  // always a different byte
            hit[index] = true
            corrupted += 1
        }
        let decoded = decode(damaged)
        let received = checkAgainstSent(decoded, sent)
        // A frame survives when none of its bytes and not the delimiter before it was hit.
        var expectedIntact = 0
        for (index, sample) in sent.enumerated() {
            let before = index == 0 ? false : hit[sample.frame.lowerBound - 1]
            if !before && !sample.frame.contains(where: { hit[$0] }) {
                expectedIntact += 1
                #expect(received.contains(sample.sequence), "intact frame of sample \(sample.sequence) lost")
            }
        }
        #expect(corrupted > 1500)  // ~1% of ~460 kB
        #expect(expectedIntact > 15_000)
        #expect(decoded.counters.crcFailures + decoded.counters.malformedFrames + decoded.counters.oversizeFrames > 0)
        // Every lost sample is accounted for in a gap (the first sample is never lost here or is the start).
        let missing = decoded.gaps.reduce(0) { $0 + $1.missing }
        let span = Int(decoded.samples.last!.sequence - decoded.samples.first!.sequence) + 1
        #expect(decoded.samples.count + missing == span)
    }

    @Test func garbageBurstsCostAtMostTheFrameAfterEach() {
        let (clean, sent) = cleanStream(count: 5_000)
        var damaged: [UInt8] = []
        var random = TestRandom(seed: 3)
        var afterBurst = Set<UInt16>()
        var bursts = 0
        for sample in sent {
            if sample.sequence % 97 == 50 {
                // 10 to 500 bytes of line noise with no zero byte (a zero would end the garbage
                // as a frame of its own, which then fails its CRC: also fine, but not this case).
                for _ in 0..<(10 + Int(random.next() % 491)) { damaged.append(UInt8(1 + random.next() % 255)) }
                afterBurst.insert(sample.sequence)
                bursts += 1
            }
            damaged.append(contentsOf: clean[sample.frame])
        }
        let decoded = decode(damaged)
        let received = checkAgainstSent(decoded, sent)
        for sample in sent where !afterBurst.contains(sample.sequence) {
            #expect(received.contains(sample.sequence), "sample \(sample.sequence) lost away from any burst")
        }
        #expect(received.count >= sent.count - bursts)
        #expect(decoded.counters.discardedBytes > 0 || decoded.counters.crcFailures + decoded.counters.oversizeFrames > 0)
    }

    @Test(arguments: [1, 5, 11, 22])
    func startingMidFrameLosesOnlyThatFrame(cut: Int) {
        let (clean, sent) = cleanStream(count: 1000)
        let decoded = decode(Array(clean[cut...]))
        let received = checkAgainstSent(decoded, sent)
        #expect(!received.contains(sent[0].sequence))
        #expect(received == Set(sent.dropFirst().map(\.sequence)))
        #expect(decoded.gaps.isEmpty)
    }

    @Test func clockAndSequenceWrapGiveMonotonicCorrectTimes() {
        // Start 0.5 s before the 32-bit microsecond counter wraps (every 71.6 min) and 200 samples
        // before the 16-bit sequence wraps.
        let start = UInt32.max - 499_999
        let (clean, sent) = cleanStream(count: 2000, startSequence: 65_336, startTime: start)
        let decoded = decode(clean)
        _ = checkAgainstSent(decoded, sent)
        #expect(decoded.samples.count == 2000)
        #expect(decoded.gaps.isEmpty)
        for (index, sample) in decoded.samples.enumerated() {
            #expect(sample.deviceTimeMicroseconds == Int64(start) + Int64(index) * 1000)
            #expect(sample.sequence == 65_336 + UInt64(index))
        }
        #expect(decoded.samples.last!.deviceTimeMicroseconds > 1 << 32)
    }

    @Test func stallWithDroppedSamplesIsOneGapWithTheRightTime() {
        // The link stalls 5 s; the device kept sampling and dropped 5000 samples meanwhile.
        let (before, sentBefore) = cleanStream(count: 1000)
        let (after, sentAfter) = cleanStream(count: 1000, startSequence: 6000, startTime: 6_000_000)
        let decoded = decode(before + after)
        let received = checkAgainstSent(decoded, sentBefore + sentAfter)
        #expect(received.count == 2000)
        #expect(decoded.gaps.count == 1)
        #expect(decoded.gaps.first?.missing == 5000)
        #expect(decoded.gaps.first?.time == 6_000_000)
        #expect(decoded.counters.missingSamples == 5000)
    }
}

@Suite struct DamagedSessionPipelineTests {
    static let profile: Profile = {
        var profile = Profile.massageBallLowerBack
        // Median 1 and no smoother: contact switches exactly at the delays, so time is exact.
        profile.filter.medianLength = 1
        profile.filter.smoother = .none
        return profile
    }()
    static let calibration = Calibration(
        offsetCounts: [0, 0, 0, 0],
        curves: Array(repeating: .linear(newtonsPerCount: ContactSession.newtonsPerCount), count: 4))

    static func run(_ bytes: [UInt8]) throws -> (pipeline: SignalPipeline, events: [SignalEvent], lastTime: Int64) {
        var pipeline = try SignalPipeline(profile: profile, calibration: calibration)
        var events: [SignalEvent] = []
        var decoder = FrameDecoder()
        var lastTime: Int64 = 0
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 4096, bytes.count)
            decoder.feed(bytes[offset..<end]) { event in
                switch event {
                case .sample(let sample):
                    lastTime = sample.deviceTimeMicroseconds
                    _ = pipeline.process(sample) { events.append($0) }
                case .gap(let missing, let time):
                    pipeline.process(gap: SampleGap(missingSamples: missing, deviceTimeMicroseconds: time)) { events.append($0) }
                case .fault(let fault):
                    pipeline.process(fault: fault) { events.append($0) }
                default: break
                }
            }
            offset = end
        }
        pipeline.finish(atDeviceTimeMicroseconds: lastTime) { events.append($0) }
        return (pipeline, events, lastTime)
    }

    static func expectedContact(_ session: ContactSession) -> Int64 {
        let delays = Int64(((profile.contact.offDelaySeconds - profile.contact.onDelaySeconds) * 1_000_000).rounded())
        return session.contactMicroseconds + Int64(session.completedContacts) * delays
    }

    @Test func contactTimeIsExactAcrossTheClockWrap() throws {
        var session = ContactSession(seconds: 120, seed: 5, startSequence: 60_000, startTimeMicroseconds: UInt32.max - 30_000_000)
        var bytes: [UInt8] = []
        session.generate(maxSamples: .max, into: &bytes)
        let (pipeline, events, _) = try Self.run(bytes)
        #expect(session.completedContacts >= 2)
        #expect(pipeline.sessionMicroseconds == Self.expectedContact(session))
        #expect(!events.contains { $0.reason == .clockJump })
        #expect(events.filter { $0.kind == .contact && $0.phase == .start }.count == session.completedContacts)
    }

    @Test func onePercentCorruptionIsDroppedSampleFaultsNeverATargetOrAClockJump() throws {
        var session = ContactSession(seconds: 60, seed: 13)
        var bytes: [UInt8] = []
        session.generate(maxSamples: .max, into: &bytes)
        var random = TestRandom(seed: 99)
        for index in bytes.indices where random.next() % 100 == 0 {
            bytes[index] ^= UInt8(1 + random.next() % 255)
        }
        let (pipeline, events, lastTime) = try Self.run(bytes)
        // Lost frames are a few milliseconds apart at most: gaps, never a clock jump.
        #expect(!events.contains { $0.reason == .clockJump })
        #expect(events.contains { $0.reason == .droppedSamples && $0.phase == .start })
        #expect(lastTime >= 59_990_000)
        // Contact time never exceeds what was there (it may stop counting during faults).
        #expect(pipeline.sessionMicroseconds <= Self.expectedContact(session))
        var faultStart: Int64?
        for event in events {
            if event.kind == .fault && event.reason == .droppedSamples {
                faultStart = event.phase == .start ? event.deviceTimeMicroseconds : nil
                continue
            }
            if let start = faultStart, event.deviceTimeMicroseconds > start {
                #expect(event.zone != .target, "target zone during a fault: \(event)")
            }
        }
    }

    @Test func droppedSamplesAreAFaultAndNeverATargetDuringIt() throws {
        var session = ContactSession(seconds: 60, seed: 9)
        var bytes: [UInt8] = []
        session.generate(maxSamples: .max, into: &bytes)
        // Cut 3 s out of the middle of the stream at frame boundaries: the device dropped them.
        let frameCount = bytes.split(separator: 0, omittingEmptySubsequences: true).count
        #expect(frameCount == 60_000)
        var frames = bytes.split(separator: 0, omittingEmptySubsequences: true).map { Array($0) + [0] }
        frames.removeSubrange(30_000..<33_000)
        let (_, events, _) = try Self.run(frames.flatMap { $0 })
        let faults = events.filter { $0.kind == .fault }
        #expect(faults.contains { $0.reason == .droppedSamples && $0.phase == .start && $0.deviceTimeMicroseconds == 33_000_000 })
        // The target zone ends when the fault starts (the fault event itself still carries the
        // zone it interrupts) and is never reported again while the fault is open.
        var faultStart: Int64?
        for event in events {
            if event.kind == .fault && event.reason == .droppedSamples {
                faultStart = event.phase == .start ? event.deviceTimeMicroseconds : nil
                continue
            }
            guard let start = faultStart else { continue }
            #expect(!(event.reason == .zoneTarget && event.phase == .start), "target starts during a fault: \(event)")
            if event.deviceTimeMicroseconds > start {
                #expect(event.zone != .target, "target zone during a fault: \(event)")
            }
        }
        #expect(events.contains { $0.reason == .zoneTarget && $0.phase == .end && $0.deviceTimeMicroseconds == 33_000_000 })
    }
}
