import RollSenseWire

/// One calibration point: a raw reading and the force it stands for.
public struct CalibrationPoint: Codable, Sendable, Equatable {
    /// The raw sensor reading, after the tare offset is removed.
    public var counts: Double
    /// The force applied when the reading was taken.
    public var newtons: Double

    /// Makes a point.
    public init(counts: Double, newtons: Double) {
        self.counts = counts
        self.newtons = newtons
    }
}

/// How one channel's counts (tare removed) map to newtons.
public enum CalibrationCurve: Codable, Sendable, Equatable {
    /// newtons = counts × newtonsPerCount (load cells: linear over their range).
    case linear(newtonsPerCount: Double)
    /// Linear interpolation between points sorted by counts, extrapolated from the end segments
    /// (FSRs, whose response is strongly non-linear).
    case piecewiseLinear(points: [CalibrationPoint])
    /// newtons = coefficient × counts^exponent for counts > 0, else 0 (an FSR's conductance law).
    case powerLaw(coefficient: Double, exponent: Double)
    /// An FSR in a voltage divider (FSR from the supply to the pin, a resistor to ground, a bleed
    /// resistor across the FSR): counts/(full − counts) is the divider resistor times the FSR's
    /// and the bleed's conductance, and an FSR's conductance rises as a power of force, so
    /// newtons = coefficient × (counts/(full − counts) − bleedRatio)^exponent, 0 below the bleed's
    /// share. `bleedRatio` is the divider resistor over the bleed resistor (0 without one). Counts
    /// are the raw reading (offset 0): the unloaded reading is the bleed's, not a tare.
    case fsrDivider(coefficient: Double, exponent: Double, fullScaleCounts: Double, bleedRatio: Double)

    /// The force for `counts` (tare already removed).
    @inline(__always)
    public func newtons(forCounts counts: Double) -> Double {
        switch self {
        case .linear(let newtonsPerCount):
            return counts * newtonsPerCount
        case .piecewiseLinear(let points):
            return CalibrationCurve.interpolate(points, counts)
        case .powerLaw(let coefficient, let exponent):
            return counts > 0 ? coefficient * Elementary.power(counts, exponent) : 0
        case .fsrDivider(let coefficient, let exponent, let fullScaleCounts, let bleedRatio):
            let ratio = CalibrationCurve.fsrConductanceRatio(counts, fullScaleCounts: fullScaleCounts, bleedRatio: bleedRatio)
            return ratio > 0 ? coefficient * Elementary.power(ratio, exponent) : 0
        }
    }

    /// The FSR's own conductance times the divider resistor. A reading at full scale (the FSR
    /// shorted or saturated) is held half a count below it: a large finite force, which the
    /// profile's over-range count reports as "cannot measure higher", never as an invalid sample.
    static func fsrConductanceRatio(_ counts: Double, fullScaleCounts: Double, bleedRatio: Double) -> Double {
        let c = min(counts, fullScaleCounts - 0.5)
        guard c > 0 else { return 0 }
        return c / (fullScaleCounts - c) - bleedRatio
    }

    private static func interpolate(_ points: [CalibrationPoint], _ counts: Double) -> Double {
        guard points.count >= 2 else { return points.first?.newtons ?? 0 }
        // Points are few (a calibration session's worth), so a linear scan is fastest.
        var upper = 1
        while upper < points.count - 1 && points[upper].counts < counts { upper += 1 }
        let a = points[upper - 1]
        let b = points[upper]
        return a.newtons + (counts - a.counts) * (b.newtons - a.newtons) / (b.counts - a.counts)
    }
}

/// What went wrong while calibrating, and what to do about it.
public enum CalibrationError: Error, Sendable, Equatable {
    /// Tare needs samples: collect a still, unloaded stretch first.
    case noSamples
    /// The load on the sensors is above `limitNewtons`: take the load off and tare again.
    case loaded(channel: Int, forceNewtons: Double, limitNewtons: Double)
    /// The readings moved more than `limitNewtons` (peak to peak): keep the roller still.
    case moving(channel: Int, spanNewtons: Double, limitNewtons: Double)
    /// A known-mass calibration needs a positive mass.
    case massNotPositive(kilograms: Double)
    /// The loaded reading equals the unloaded one: check the wiring or use a heavier mass.
    case noResponse(channel: Int)
    /// A fit needs at least `needed` points with distinct counts.
    case tooFewPoints(needed: Int, got: Int)
    /// Piecewise points must rise in counts and in force: re-measure the point at `index`.
    case notMonotonic(index: Int)
    /// A power-law fit needs positive counts and forces: drop the point at `index`.
    case notPositive(index: Int)
    /// The channel index is outside 0..<4.
    case channelOutOfRange(channel: Int)
}

/// Per-channel zero offset and curve from counts to newtons.
public struct Calibration: Codable, Sendable, Equatable {
    /// Raw reading at zero load per channel (the tare).
    public var offsetCounts: [Double]
    /// Curve per channel from tared counts to newtons.
    public var curves: [CalibrationCurve]

    /// Makes a calibration for up to 4 channels; missing channels are linear with scale 0.
    public init(offsetCounts: [Double], curves: [CalibrationCurve]) {
        self.offsetCounts = offsetCounts
        self.curves = curves
    }

    /// Counts are newtons already (offset 0, scale 1): for synthetic devices and tests.
    public static let identity = Calibration(
        offsetCounts: [0, 0, 0, 0],
        curves: Array(repeating: .linear(newtonsPerCount: 1), count: Sample.maxChannelCount)
    )

    /// Scale from one known mass: `loadedCounts` read with `massKilograms` resting on the
    /// channel, `zeroCounts` with nothing on it (HX711_ADC's known-mass procedure).
    public static func linearScale(
        channel: Int, zeroCounts: Double, loadedCounts: Double, massKilograms: Double
    ) throws(CalibrationError) -> CalibrationCurve {
        guard massKilograms > 0 else { throw .massNotPositive(kilograms: massKilograms) }
        let span = loadedCounts - zeroCounts
        guard span != 0 else { throw .noResponse(channel: channel) }
        return .linear(newtonsPerCount: massKilograms * standardGravityMetresPerSecondSquared / span)
    }

    /// Least-squares line through several (counts, newtons) points: the offset in counts where
    /// the line crosses zero force, and its slope.
    public static func linearFit(
        channel: Int, points: [CalibrationPoint]
    ) throws(CalibrationError) -> (offsetCounts: Double, curve: CalibrationCurve) {
        guard points.count >= 2 else { throw .tooFewPoints(needed: 2, got: points.count) }
        let line = try leastSquaresLine(points)
        guard line.slope != 0 else { throw .noResponse(channel: channel) }
        let offset = line.meanCounts - line.meanNewtons / line.slope
        return (offset, .linear(newtonsPerCount: line.slope))
    }

    /// A piecewise-linear curve through the points, checked to rise in both counts and force.
    public static func piecewiseFit(points: [CalibrationPoint]) throws(CalibrationError) -> CalibrationCurve {
        guard points.count >= 2 else { throw .tooFewPoints(needed: 2, got: points.count) }
        let sorted = points.sorted { $0.counts < $1.counts }
        for i in 1..<sorted.count
        where sorted[i].counts <= sorted[i - 1].counts || sorted[i].newtons < sorted[i - 1].newtons {
            throw .notMonotonic(index: i)
        }
        return .piecewiseLinear(points: sorted)
    }

    /// Power law newtons = a × counts^b fitted by least squares in log-log space.
    public static func powerLawFit(points: [CalibrationPoint]) throws(CalibrationError) -> CalibrationCurve {
        guard points.count >= 2 else { throw .tooFewPoints(needed: 2, got: points.count) }
        for (i, p) in points.enumerated() where p.counts <= 0 || p.newtons <= 0 {
            throw .notPositive(index: i)
        }
        let logPoints = points.map {
            CalibrationPoint(
                counts: Elementary.naturalLogarithm($0.counts), newtons: Elementary.naturalLogarithm($0.newtons))
        }
        let line = try leastSquaresLine(logPoints)
        let coefficient = Elementary.exponential(line.meanNewtons - line.slope * line.meanCounts)
        return .powerLaw(coefficient: coefficient, exponent: line.slope)
    }

    /// The FSR divider curve through two or three known forces (`.fsrDivider`), fitted by least
    /// squares in log-log space of force against the FSR's conductance ratio. `fullScaleCounts`
    /// is the ADC's top (1023 on a 10-bit AVR), `bleedRatio` the divider over the bleed resistor
    /// (10 kOhm / 470 kOhm on the reference FSR ball, Hardware/rigs/fsr-ball.json).
    public static func fsrDividerFit(
        points: [CalibrationPoint], fullScaleCounts: Double, bleedRatio: Double
    ) throws(CalibrationError) -> CalibrationCurve {
        guard points.count >= 2 else { throw .tooFewPoints(needed: 2, got: points.count) }
        var logPoints: [CalibrationPoint] = []
        for (i, p) in points.enumerated() {
            let ratio = CalibrationCurve.fsrConductanceRatio(p.counts, fullScaleCounts: fullScaleCounts, bleedRatio: bleedRatio)
            guard ratio > 0, p.newtons > 0, p.counts < fullScaleCounts else { throw .notPositive(index: i) }
            logPoints.append(CalibrationPoint(counts: Elementary.naturalLogarithm(ratio), newtons: Elementary.naturalLogarithm(p.newtons)))
        }
        let line = try leastSquaresLine(logPoints)
        guard line.slope > 0 else { throw .notMonotonic(index: 1) }
        let coefficient = Elementary.exponential(line.meanNewtons - line.slope * line.meanCounts)
        return .fsrDivider(coefficient: coefficient, exponent: line.slope, fullScaleCounts: fullScaleCounts, bleedRatio: bleedRatio)
    }

    /// Ordinary least squares of newtons on counts: the slope and the means it passes through.
    /// Both the linear and the log-log power-law fit use it; all counts equal leaves no line.
    private static func leastSquaresLine(
        _ points: [CalibrationPoint]
    ) throws(CalibrationError) -> (slope: Double, meanCounts: Double, meanNewtons: Double) {
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.counts } / n
        let meanY = points.reduce(0) { $0 + $1.newtons } / n
        var sxx = 0.0
        var sxy = 0.0
        for p in points {
            sxx += (p.counts - meanX) * (p.counts - meanX)
            sxy += (p.counts - meanX) * (p.newtons - meanY)
        }
        guard sxx > 0 else { throw .tooFewPoints(needed: 2, got: 1) }
        return (sxy / sxx, meanX, meanY)
    }
}
