import RollSenseWire

/// The pipeline's calibrate stage: raw counts to newtons per channel, from a stored `Calibration`.
/// Linear curves (load cells) in one vector step; other curves (an FSR's) lane by lane.
struct ChannelCalibration: Sendable {
    private let isLinear: Bool
    private let offsetCounts: SIMD4<Double>
    private let newtonsPerCount: SIMD4<Double>
    private let curves: [CalibrationCurve]

    /// Makes the stage; throws when an offset or a linear scale is not a finite number.
    init(_ calibration: Calibration) throws(ProfileError) {
        var offsets = SIMD4<Double>(repeating: 0)
        var scales = SIMD4<Double>(repeating: 0)
        var allLinear = true
        for i in 0..<Sample.maxChannelCount {
            if i < calibration.offsetCounts.count { offsets[i] = calibration.offsetCounts[i] }
            if i < calibration.curves.count {
                if case .linear(let s) = calibration.curves[i] { scales[i] = s } else { allLinear = false }
            }
        }
        guard offsets.isFinite, scales.isFinite else {
            throw ProfileError(key: "calibration", problem: "offsets and scales must be finite numbers")
        }
        isLinear = allLinear
        offsetCounts = offsets
        newtonsPerCount = scales
        curves = calibration.curves
    }

    /// Newtons per channel for raw counts per channel.
    @inline(__always)
    func newtons(_ raw: SIMD4<Double>) -> SIMD4<Double> {
        isLinear ? (raw - offsetCounts) * newtonsPerCount : Self.curved(raw, offsetCounts: offsetCounts, curves: curves)
    }

    // Static and out of line: the rare path stays out of the per-sample code.
    @inline(never)
    private static func curved(_ raw: SIMD4<Double>, offsetCounts: SIMD4<Double>, curves: [CalibrationCurve]) -> SIMD4<Double> {
        var out = SIMD4<Double>(repeating: 0)
        for i in 0..<min(curves.count, Sample.maxChannelCount) {
            out[i] = curves[i].newtons(forCounts: raw[i] - offsetCounts[i])
        }
        return out
    }
}
