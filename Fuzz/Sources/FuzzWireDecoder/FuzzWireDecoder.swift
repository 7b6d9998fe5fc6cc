// libFuzzer target: arbitrary bytes into FrameDecoder, WireDecoder and CommandDecoder.
// Invariants: no crash; the same events and counters whatever the chunking; counters agree
// with the events; samples are well-formed and their sequence and time never go back.
import RollSenseWire

/// Decodes `bytes` cut at `cuts` with a fresh FrameDecoder.
func decodeFrames(_ bytes: UnsafeRawBufferPointer, cuts: [Int]) -> ([WireEvent], FrameCounters) {
    var decoder = FrameDecoder()
    var events: [WireEvent] = []
    var start = 0
    for cut in cuts + [bytes.count] where cut >= start {
        decoder.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<cut])) { events.append($0) }
        start = cut
    }
    return (events, decoder.counters)
}

func decodeWire(_ bytes: UnsafeRawBufferPointer, cuts: [Int]) -> ([WireEvent], WireCounters) {
    var decoder = WireDecoder()
    var events: [WireEvent] = []
    var start = 0
    for cut in cuts + [bytes.count] where cut >= start {
        decoder.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<cut]), hostTimeMicroseconds: 42) { events.append($0) }
        start = cut
    }
    return (events, decoder.counters)
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

/// Cut positions derived from the input itself, so a crash reproduces from its file alone.
func cuts(for bytes: UnsafeRawBufferPointer, seed: Int) -> [Int] {
    guard bytes.count > 1 else { return [] }
    var positions: [Int] = []
    var position = 0
    var state = UInt64(truncatingIfNeeded: seed &* 0x9E37_79B9 &+ bytes.count)
    while true {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        position += Int(state >> 59) + 1  // steps of 1 to 32 bytes
        if position >= bytes.count { return positions }
        positions.append(position)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWireDecoder(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: count)

    let (events, counters) = decodeFrames(bytes, cuts: [])
    let (split, splitCounters) = decodeFrames(bytes, cuts: [count / 2])
    let (bytewise, bytewiseCounters) = decodeFrames(bytes, cuts: Array(0..<count))
    let (random, randomCounters) = decodeFrames(bytes, cuts: cuts(for: bytes, seed: 1))
    check(events == split && counters == splitCounters, "split in two differs")
    check(events == bytewise && counters == bytewiseCounters, "byte by byte differs")
    check(events == random && counters == randomCounters, "random chunking differs")

    var frames = 0
    var samplesWithExtras = 0
    var gaps = 0
    var missing = 0
    var lastSample: Sample?
    for event in events {
        switch event {
        case .info, .fault, .reply, .button:
            frames += 1
        case .sample(let sample):
            frames += 1
            check((1...Sample.maxChannelCount).contains(sample.channelCount), "channel count \(sample.channelCount)")
            check(sample.quantity == .rawCounts, "binary samples are raw counts")
            for lane in 0..<4 {
                let value = sample.values[lane]
                check(lane < sample.channelCount ? abs(value) <= 8_388_608 : value == 0, "reading \(value) in lane \(lane)")
            }
            if let last = lastSample {
                check(sample.sequence > last.sequence, "sequence went back")
                // Wraps add 2^32, restarts continue from the last time: never back.
                check(sample.deviceTimeMicroseconds >= last.deviceTimeMicroseconds, "time went back")
            }
            if sample.extras.count > 0 {
                samplesWithExtras += 1
                check(sample.extras.count <= ExtraReadings.maxCount, "extra count \(sample.extras.count)")
                for lane in 0..<4 {
                    let value = sample.extras.values[lane]
                    check(lane < sample.extras.count ? abs(value) <= 8_388_608 : value == 0, "extra \(value) in lane \(lane)")
                }
            }
            lastSample = sample
        case .gap(let missingSamples, _):
            gaps += 1
            missing += missingSamples
            check(missingSamples > 0, "empty gap")
        case .protocolDetected, .textChannels:
            check(false, "FrameDecoder does not detect")
        }
    }
    // A SAMPLE_EXTRA is a frame without an event of its own; at most one goes with each sample.
    check(counters.frames == frames + counters.sampleExtraFrames, "frames \(counters.frames) vs \(frames) events + \(counters.sampleExtraFrames) extra")
    check(samplesWithExtras <= counters.sampleExtraFrames, "samples with extras \(samplesWithExtras) vs \(counters.sampleExtraFrames) extra frames")
    check(counters.sequenceGaps == gaps && counters.missingSamples == missing, "gap counters")
    check(counters.discardedBytes <= count, "discarded more than fed")
    let delimiters = bytes.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    let rejected = counters.crcFailures + counters.oversizeFrames + counters.malformedFrames + counters.unknownFrames
    check(counters.frames + rejected <= delimiters, "more frames than delimiters")

    let (wireEvents, wireCounters) = decodeWire(bytes, cuts: [])
    let (wireRandom, wireRandomCounters) = decodeWire(bytes, cuts: cuts(for: bytes, seed: 2))
    check(wireEvents == wireRandom && wireCounters == wireRandomCounters, "WireDecoder chunking differs")

    var commands = CommandDecoder()
    var commandCount = 0
    commands.feed(bytes) { received in
        commandCount += 1
        // A decoded command must encode back to a frame the decoder reads the same way.
        if let wire = try? received.command.encoded(tag: received.tag) {
            var again = CommandDecoder()
            var echoed: [ReceivedCommand] = []
            again.feed(wire) { echoed.append($0) }
            check(echoed == [received], "command round trip")
        }
    }
    check(commands.counters.frames == commandCount, "command frames")
    return 0
}
