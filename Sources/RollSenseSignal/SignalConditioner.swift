/// The pipeline's de-spike-and-smooth stage: a running median rejects single-sample spikes, then
/// the profile's smoother (1-euro, moving average or none) lowers the noise (docs/SAFETY.md,
/// "Default profiles").
struct SignalConditioner: Sendable {
    private let smoother: SmootherKind
    private var median: MedianFilter
    private var oneEuro: OneEuroFilter
    private var average: ExponentialMovingAverage

    /// Makes the stage from the profile's filter settings.
    init(filter: FilterProfile) {
        smoother = filter.smoother
        median = MedianFilter(length: filter.medianLength)
        oneEuro = OneEuroFilter(minCutoffHertz: filter.minCutoffHertz, beta: filter.beta,
                                derivativeCutoffHertz: filter.derivativeCutoffHertz)
        average = ExponentialMovingAverage(timeConstantSeconds: filter.emaTimeConstantSeconds)
    }

    /// Starts over from the next sample (a gap, a slow device's next sample, a fault's end).
    mutating func reset() {
        median.reset()
        oneEuro.reset()
        average.reset()
    }

    /// The sample with spikes rejected, per channel.
    @inline(__always)
    mutating func despike(_ forces: SIMD4<Double>) -> SIMD4<Double> { median.update(forces) }

    /// The de-spiked sample smoothed, `dtSeconds` after the one before.
    @inline(__always)
    mutating func smooth(_ despiked: SIMD4<Double>, dtSeconds: Double) -> SIMD4<Double> {
        switch smoother {
        case .oneEuro: return oneEuro.update(despiked, dtSeconds: dtSeconds)
        case .exponentialMovingAverage: return average.update(despiked, dtSeconds: dtSeconds)
        case .none: return despiked
        }
    }
}
