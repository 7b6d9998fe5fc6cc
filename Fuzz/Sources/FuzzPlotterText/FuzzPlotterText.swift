// libFuzzer target: arbitrary bytes into PlotterTextParser and a text-mode WireDecoder.
// Invariants: no crash; the same samples and counters whatever the chunking; samples have 1 to
// 4 finite values; counters agree with the samples and the bytes fed.
import RollSenseWire

func parse(_ bytes: UnsafeRawBufferPointer, cuts: [Int]) -> ([Sample], PlotterTextCounters) {
    var parser = PlotterTextParser()
    var samples: [Sample] = []
    var start = 0
    for cut in cuts + [bytes.count] where cut >= start {
        parser.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<cut]), hostTimeMicroseconds: 7) { samples.append($0) }
        start = cut
    }
    return (samples, parser.counters)
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlotterText(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: count)
    let (samples, counters) = parse(bytes, cuts: [])
    let (split, splitCounters) = parse(bytes, cuts: [count / 3, 2 * count / 3])
    let (bytewise, bytewiseCounters) = parse(bytes, cuts: Array(0..<count))
    check(samples == split && counters == splitCounters, "split differs")
    check(samples == bytewise && counters == bytewiseCounters, "byte by byte differs")

    check(counters.samples == samples.count, "sample count")
    check(counters.discardedBytes <= count, "discarded more than fed")
    let lineEnds = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    check(counters.samples + counters.malformedLines + counters.oversizeLines <= lineEnds, "more lines than line ends")
    for (index, sample) in samples.enumerated() {
        check(sample.sequence == UInt64(index), "sequence")
        // All fed at host time 7: lines of one read are stamped 1 µs apart, in order.
        check(sample.deviceTimeMicroseconds == 7 + Int64(index), "host time, 1 µs apart")
        check((1...Sample.maxChannelCount).contains(sample.channelCount), "channel count")
        for lane in 0..<4 {
            check(lane < sample.channelCount ? sample.values[lane].isFinite : sample.values[lane] == 0, "value lane \(lane)")
        }
    }

    var decoder = WireDecoder(protocolKind: .text)
    var wireSamples: [Sample] = []
    decoder.feed(bytes, hostTimeMicroseconds: 7) { if case .sample(let sample) = $0 { wireSamples.append(sample) } }
    if !bytes.contains(0) {
        check(wireSamples == samples, "text WireDecoder differs from the parser")
    }
    return 0
}
