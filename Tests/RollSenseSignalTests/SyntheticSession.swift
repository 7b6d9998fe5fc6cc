import RollSenseSignal
import RollSenseWire

/// A deterministic synthetic session: piecewise-linear channel forces sampled at 80 Hz, turned
/// into raw HX711-like counts through a known calibration, with seeded noise, plus the gaps and
/// device faults a real link has. The same inputs give the same samples, bit for bit.
struct SyntheticSession {
    /// One input to the pipeline, in device-time order.
    enum Input: Equatable {
        case sample(Sample)
        case gap(SampleGap)
        case fault(DeviceFault)
    }

    /// A stretch of the session: forces ramp linearly from the previous segment's end.
    struct Segment {
        var seconds: Double
        var forcesNewtons: SIMD4<Double>
        var step = false
    }

    static let periodMicroseconds: Int64 = 12_500  // 80 samples/s
    static let calibration = Calibration(
        offsetCounts: [8000, -3000, 500, 12_000],
        curves: [.linear(newtonsPerCount: 0.01), .linear(newtonsPerCount: 0.0102),
                 .linear(newtonsPerCount: 0.0098), .linear(newtonsPerCount: 0.01)])

    var inputs: [Input] = []
    var endMicroseconds: Int64 = 0

    /// Builds the session from segments; `spikes` add a one-sample force to a channel, `gaps`
    /// drop samples, `faults` insert device FAULT frames (all at device times in microseconds).
    init(segments: [Segment], noiseNewtons: Double = 0.3, seed: UInt64 = 1,
         spikes: [(Int64, Int, Double)] = [], gaps: [(Int64, Int)] = [], faults: [DeviceFault] = []) {
        var noise = TestNoise(seed: seed)
        var previous = SIMD4<Double>(repeating: 0)
        var t: Int64 = 0
        var sequence: UInt64 = 0
        var pendingFaults = faults
        var skip = 0
        for segment in segments {
            let start = t
            let length = Int64(segment.seconds * 1_000_000)
            while t < start + length {
                let fraction = segment.step ? 1 : Double(t - start) / Double(length)
                var forces = previous + (segment.forcesNewtons - previous) * fraction
                for (at, channel, extra) in spikes where at == t { forces[channel] += extra }
                while let fault = pendingFaults.first, fault.deviceTimeMicroseconds <= t {
                    inputs.append(.fault(fault))
                    pendingFaults.removeFirst()
                }
                if let gap = gaps.first(where: { $0.0 == t }) { skip = gap.1 }
                if skip > 0 {
                    skip -= 1
                    if skip == 0 {
                        let missing = gaps.first { $0.0 <= t && t < $0.0 + Int64($0.1) * Self.periodMicroseconds }!.1
                        inputs.append(.gap(SampleGap(missingSamples: missing, deviceTimeMicroseconds: t + Self.periodMicroseconds)))
                    }
                } else {
                    var counts = SIMD4<Double>(repeating: 0)
                    for c in 0..<4 {
                        guard case .linear(let scale) = Self.calibration.curves[c] else { continue }
                        let newtons = forces[c] + noise.next(amplitude: noiseNewtons)
                        counts[c] = (Self.calibration.offsetCounts[c] + newtons / scale).rounded()
                    }
                    inputs.append(.sample(Sample(sequence: sequence, deviceTimeMicroseconds: t, channelCount: 4, values: counts)))
                }
                sequence += 1
                t += Self.periodMicroseconds
            }
            previous = segment.forcesNewtons
        }
        endMicroseconds = t
    }

    /// The session the golden test pins down (docs in GoldenSessionTests).
    static let golden = SyntheticSession(
        segments: [
            Segment(seconds: 2, forcesNewtons: .zero),
            Segment(seconds: 1, forcesNewtons: SIMD4(0, 0, 100, 100)),  // onto the right side, 200 N
            Segment(seconds: 7, forcesNewtons: SIMD4(0, 0, 100, 100)),
            Segment(seconds: 1, forcesNewtons: SIMD4(0, 0, 160, 160)),  // 320 N = 47 kPa: caution
            Segment(seconds: 9, forcesNewtons: SIMD4(0, 0, 160, 160)),
            Segment(seconds: 1, forcesNewtons: SIMD4(0, 0, 100, 100)),  // back to target
            Segment(seconds: 1, forcesNewtons: SIMD4(0, 100, 100, 0)),  // onto the spine
            Segment(seconds: 3, forcesNewtons: SIMD4(0, 100, 100, 0)),
            Segment(seconds: 1, forcesNewtons: .zero),                  // off the roller
            Segment(seconds: 4, forcesNewtons: .zero),
            Segment(seconds: 2, forcesNewtons: SIMD4(150, 150, 50, 50), step: true),  // a fall: 400 N, left
            Segment(seconds: 3, forcesNewtons: .zero, step: true),
        ],
        spikes: [(5_000_000, 2, 500)],
        gaps: [(8_000_000, 3)])

    /// Feeds every input to `pipeline` one by one and returns the events, finish included.
    func run(_ pipeline: inout SignalPipeline) -> [SignalEvent] {
        var events: [SignalEvent] = []
        for input in inputs {
            switch input {
            case .sample(let s): _ = pipeline.process(s) { events.append($0) }
            case .gap(let g): pipeline.process(gap: g) { events.append($0) }
            case .fault(let f): pipeline.process(fault: f) { events.append($0) }
            }
        }
        pipeline.finish(atDeviceTimeMicroseconds: endMicroseconds) { events.append($0) }
        return events
    }
}

extension SignalEvent {
    /// `12.3375 zone caution start zoneCaution`: the golden-file form of an event.
    var line: String {
        let seconds = Double(deviceTimeMicroseconds) / 1_000_000
        return "\(seconds) \(kind.rawValue) \(level.rawValue) \(phase.rawValue) \(reason.rawValue) \(area.name)"
    }
}
