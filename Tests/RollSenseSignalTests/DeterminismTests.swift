import PropertyBased
import RollSenseWire
import Testing
@testable import RollSenseSignal

@Suite struct DeterminismTests {
    /// Random forces (held for random stretches) through both built-in profiles: two runs give
    /// the same events and readings bit for bit, and so does any split into chunks.
    @Test(arguments: Profile.builtIn)
    func randomSessionsAreDeterministicAndChunkFree(profile: Profile) async {
        await propertyCheck(
            count: 25, input: Gen.double(in: -5...400).array(of: 1...60), Gen.int(in: 1...500)
        ) { levels, chunk in
            var samples: [Sample] = []
            var t: Int64 = 0
            for (i, level) in levels.enumerated() {
                for k in 0..<(40 + (i * 37) % 300) {
                    let wobble = Double((k * 7919) % 13) * 0.3
                    samples.append(Sample(sequence: UInt64(samples.count), deviceTimeMicroseconds: t, channelCount: 4,
                                          values: SIMD4(level / 4 + wobble, level / 4, level / 8, level / 2 - wobble)))
                    t += 12_500
                }
            }
            func run(chunked: Bool) -> ([SignalEvent], Reading?) {
                var pipeline = try! SignalPipeline(profile: profile, priorDailyMicroseconds: 250_000_000)
                var events: [SignalEvent] = []
                var last: Reading?
                if chunked {
                    var start = 0
                    while start < samples.count {
                        let end = min(samples.count, start + chunk)
                        last = pipeline.process(Array(samples[start..<end])) { events.append($0) }
                        start = end
                    }
                } else {
                    for s in samples { last = pipeline.process(s) { events.append($0) } }
                }
                pipeline.finish(atDeviceTimeMicroseconds: t) { events.append($0) }
                return (events, last)
            }
            let a = run(chunked: false)
            let b = run(chunked: false)
            let c = run(chunked: true)
            #expect(a.0 == b.0 && a.1 == b.1)
            #expect(a.0 == c.0 && a.1 == c.1)
            #expect(a.0.map(\.forceNewtons.bitPattern) == c.0.map(\.forceNewtons.bitPattern))
        }
    }
}
