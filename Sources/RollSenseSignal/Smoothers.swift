/// The scalar form of `smoothingFactor` for one cutoff shared by every lane.
@inline(__always)
func smoothingFactor(cutoffHertz: Double, dtSeconds: Double) -> Double {
    let r = 2 * Double.pi * dtSeconds * cutoffHertz
    return r / (r + 1)
}

/// Converts a cutoff frequency and a time step to an exponential-smoothing factor:
/// alpha = 1 / (1 + tau / dt), tau = 1 / (2π fc) (Casiez et al. 2012, eq. for the low-pass).
@inline(__always)
func smoothingFactor(cutoffHertz: SIMD4<Double>, dtSeconds: Double) -> SIMD4<Double> {
    let r = (2 * Double.pi * dtSeconds) * cutoffHertz
    return r / (r + 1)
}

/// The 1-euro filter (Casiez, Roussel, Vogel, CHI 2012) on every channel: a low-pass whose
/// cutoff rises with speed, cutoff = minCutoff + beta × |dx/dt|, so a still load is steady and a
/// fast change is followed with little lag. Time steps come from the device clock.
public struct OneEuroFilter: Sendable, Equatable {
    /// Minimum cutoff in hertz (the paper's default: 1 Hz).
    public var minCutoffHertz: Double
    /// Speed coefficient (the paper's default: 0).
    public var beta: Double
    /// Cutoff of the derivative's low-pass in hertz (the paper's default: 1 Hz).
    public var derivativeCutoffHertz: Double
    private var estimate = SIMD4<Double>(repeating: 0)
    private var derivative = SIMD4<Double>(repeating: 0)
    private var primed = false
    // Factors for the last time step: the device clock ticks evenly, so they are almost always
    // reused, and the divisions (on the sample-to-sample dependency chain) drop out.
    private var cachedStepSeconds = -1.0
    private var cachedInverseStep = 0.0
    private var cachedDerivativeAlpha = 0.0
    private var cachedMinimumAlpha = 0.0

    /// Makes a filter with the paper's parameters.
    public init(minCutoffHertz: Double = 1, beta: Double = 0, derivativeCutoffHertz: Double = 1) {
        self.minCutoffHertz = minCutoffHertz
        self.beta = beta
        self.derivativeCutoffHertz = derivativeCutoffHertz
    }

    /// Forgets the state: the next sample passes unchanged.
    public mutating func reset() { primed = false }

    /// Filters `x` taken `dtSeconds` after the previous sample (ignored for the first).
    @inline(__always)
    public mutating func update(_ x: SIMD4<Double>, dtSeconds: Double) -> SIMD4<Double> {
        guard primed, dtSeconds > 0 else {
            if !primed {
                estimate = x
                derivative = .zero
                primed = true
            }
            return estimate
        }
        if dtSeconds != cachedStepSeconds {
            cachedStepSeconds = dtSeconds
            cachedInverseStep = 1 / dtSeconds
            cachedDerivativeAlpha = smoothingFactor(cutoffHertz: derivativeCutoffHertz, dtSeconds: dtSeconds)
            cachedMinimumAlpha = smoothingFactor(cutoffHertz: minCutoffHertz, dtSeconds: dtSeconds)
        }
        if beta == 0 {
            // cutoff = minCutoff exactly: the same factor for every lane, and the derivative
            // (which only feeds beta × |dx|) is not needed.
            estimate += cachedMinimumAlpha * (x - estimate)
        } else {
            let rawDerivative = (x - estimate) * cachedInverseStep
            derivative += cachedDerivativeAlpha * (rawDerivative - derivative)
            let cutoff = minCutoffHertz + beta * derivative.lanesAbs
            estimate += smoothingFactor(cutoffHertz: cutoff, dtSeconds: dtSeconds) * (x - estimate)
        }
        return estimate
    }
}

/// Exponential moving average with a time constant, using the device's time steps.
public struct ExponentialMovingAverage: Sendable, Equatable {
    /// Time constant in seconds (63 % of a step after this long).
    public var timeConstantSeconds: Double
    private var estimate = SIMD4<Double>(repeating: 0)
    private var primed = false
    private var cachedStepSeconds = -1.0
    private var cachedAlpha = 0.0

    /// Makes an average.
    public init(timeConstantSeconds: Double) {
        self.timeConstantSeconds = timeConstantSeconds
    }

    /// Forgets the state: the next sample passes unchanged.
    public mutating func reset() { primed = false }

    /// Averages `x` taken `dtSeconds` after the previous sample.
    @inline(__always)
    public mutating func update(_ x: SIMD4<Double>, dtSeconds: Double) -> SIMD4<Double> {
        guard primed else {
            estimate = x
            primed = true
            return estimate
        }
        guard dtSeconds > 0 else { return estimate }
        if dtSeconds != cachedStepSeconds {
            cachedStepSeconds = dtSeconds
            cachedAlpha = dtSeconds / (timeConstantSeconds + dtSeconds)
        }
        estimate += cachedAlpha * (x - estimate)
        return estimate
    }
}
