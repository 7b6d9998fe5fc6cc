/// A small deterministic noise source for tests (a 64-bit LCG, Knuth's MMIX constants).
struct TestNoise {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// Uniform in [-amplitude, amplitude].
    mutating func next(amplitude: Double) -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let unit = Double(state >> 11) / Double(1 << 53)
        return (unit * 2 - 1) * amplitude
    }
}
