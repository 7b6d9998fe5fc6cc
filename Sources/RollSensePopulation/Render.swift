// Turns a session plan into what the board would send: each saddle's HX711 counts (or a text
// sketch's rounded newtons), sample by sample, with the person's breathing and sway, the load
// spread across the back, and the sensor's noise, creep and zero drift.
import Glibc

/// One sample as the board sends it.
public struct RawSample: Sendable, Equatable {
    /// Device time, µs from the session's first sample.
    public var timeMicroseconds: Int64
    /// Four channels: HX711 counts, or newtons for a rounding text sketch (`SessionPlan.valuesAreNewtons`).
    public var values: SIMD4<Double>
}

extension SessionPlan {
    /// Whether `render` gives newtons (a text sketch's rounded units) rather than raw counts.
    public var valuesAreNewtons: Bool { person.board.roundingNewtons != nil }

    /// The true total load at each sample, N, beside the board's values (for checks of the model).
    public func render(trueNewtons: inout [Double]) -> [RawSample] {
        typealias P = PopulationParameters
        let board = person.board
        let step = 1 / board.sampleRateHertz
        let count = Int(durationSeconds * board.sampleRateHertz)
        var out: [RawSample] = []
        out.reserveCapacity(count)
        trueNewtons.removeAll(keepingCapacity: true)
        trueNewtons.reserveCapacity(count)
        var random = PopulationRandom(seed: noiseSeed)
        let weightNewtons = person.bodyMassKilograms * P.gravity
        let saddles = P.saddleMillimetres
        let points = 8
        var pointWeights = [Double](repeating: 0, count: points)
        for k in 0..<points { pointWeights[k] = 1 + tilt * (2 * (Double(k) + 0.5) / Double(points) - 1) }
        let swayKeep = exp(-step / P.tremor.timeConstantSeconds)
        let swayFresh = (1 - swayKeep * swayKeep).squareRoot() * swayFraction
        var sway = 0.0
        var phase = 0.0
        var loadedSeconds = 0.0
        var index = 0
        for n in 0..<count {
            let t = Double(n) * step
            while index < segments.count - 1 && t >= segments[index].endSeconds { index += 1 }
            let segment = segments[index]
            let length = segment.endSeconds - segment.startSeconds
            let u = length > 0 ? min(max((t - segment.startSeconds) / length, 0), 1) : 1
            var share: Double
            switch segment.shape {
            case .off:
                share = 0
            case .ramp(let from, let to):
                share = from + (to - from) * (1 - cos(Double.pi * u)) / 2
            case .line(let from, let to):
                share = from + (to - from) * u
            case .rolling(let mean, let swing, let hertz, let laterHertz, let change, let fadeIn, let fadeOut):
                phase += 2 * Double.pi * (t < change ? hertz : laterHertz) * step
                var envelope = 1.0
                if fadeIn { envelope = min(envelope, t - segment.startSeconds) }
                if fadeOut { envelope = min(envelope, segment.endSeconds - t) }
                share = mean + swing * max(0, min(1, envelope)) * sin(phase)
            case .hold(let level):
                share = level
            }
            sway = swayKeep * sway + swayFresh * random.normal()
            if segment.loaded {
                share *= (1 + driftAmplitude * sin(2 * Double.pi * t / driftPeriodSeconds))
                    * (1 + breathingDepth * sin(2 * Double.pi * breathingHertz * t)) * (1 + sway)
                loadedSeconds += step
            }
            let total = max(0, share) * weightNewtons
            trueNewtons.append(total)

            // The load spread across the back, each part shared by the two nearest saddles.
            var channel = SIMD4<Double>(repeating: 0)
            if total > 0 {
                let centre = segment.lateralFromMillimetres + (segment.lateralToMillimetres - segment.lateralFromMillimetres) * u
                for k in 0..<points {
                    let x = centre + person.contactWidthMillimetres * ((Double(k) + 0.5) / Double(points) - 0.5)
                    let part = total * pointWeights[k] / Double(points)
                    if x <= saddles[0] {
                        channel[0] += part
                    } else if x >= saddles[3] {
                        channel[3] += part
                    } else {
                        var j = 0
                        while x > saddles[j + 1] { j += 1 }
                        let w = (x - saddles[j]) / (saddles[j + 1] - saddles[j])
                        channel[j] += part * (1 - w)
                        channel[j + 1] += part * w
                    }
                }
            }
            let creep = 1 + P.creep.fraction * min(1, loadedSeconds / P.creep.seconds)
            var values = SIMD4<Double>(repeating: 0)
            for c in 0..<4 {
                var counts = board.offsetCounts[c] + board.driftCountsPerSecond[c] * t
                    + channel[c] * creep * board.countsPerNewton[c] + board.noiseCounts * random.normal()
                counts = min(max(counts.rounded(), -8_388_608), 8_388_607)
                if let rounding = board.roundingNewtons {
                    // The sketch tared at power-on and prints its calibrated units, rounded.
                    let newtons = (counts - board.offsetCounts[c]) / board.calibratedCountsPerNewton[c]
                    values[c] = (newtons / rounding).rounded() * rounding
                } else {
                    values[c] = counts
                }
            }
            out.append(RawSample(timeMicroseconds: Int64((t * 1e6).rounded()), values: values))
        }
        return out
    }

    /// What the board sends for this session.
    public func render() -> [RawSample] {
        var ignored: [Double] = []
        return render(trueNewtons: &ignored)
    }
}
