// The population's own seeded generator: SplitMix64 (Steele, Lea and Flood 2014), so a seed gives
// the same people and the same samples on every machine and every run.
import Glibc

/// A seeded random source with the draws the population model needs.
public struct PopulationRandom: Sendable {
    private var state: UInt64

    /// A generator for `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator for item `index` of a stream seeded with `seed` (independent of the others).
    public init(seed: UInt64, index: Int) {
        var mixer = PopulationRandom(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// A uniform integer in `range`.
    public mutating func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A normal draw (Box-Muller).
    public mutating func normal(mean: Double = 0, spread: Double = 1) -> Double {
        let u = max(unit(), 0x1p-60)
        let v = unit()
        return mean + spread * (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A normal draw cut to `range` (redrawn until inside; the ranges used hold most of the mass).
    public mutating func normal(mean: Double, spread: Double, within range: ClosedRange<Double>) -> Double {
        for _ in 0..<64 {
            let x = normal(mean: mean, spread: spread)
            if range.contains(x) { return x }
        }
        return min(max(mean, range.lowerBound), range.upperBound)
    }

    /// Waiting time of a Poisson process with `perMinute` events a minute, s.
    public mutating func waitSeconds(perMinute: Double) -> Double {
        guard perMinute > 0 else { return .infinity }
        return -log(max(unit(), 0x1p-60)) * 60 / perMinute
    }
}

