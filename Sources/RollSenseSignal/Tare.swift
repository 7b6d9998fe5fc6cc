import RollSenseWire

/// Collects a stretch of raw samples and, if it was still and unloaded, gives the zero offsets.
///
/// "Loaded" is judged with the current calibration: a tare that would hide a load already on
/// the sensors is refused, as is one taken while the readings move (HX711_ADC waits for a
/// settled signal before taring for the same reason). A first tare, with no calibration to
/// judge the load by, passes `loadedLimitNewtons: .infinity` and relies on the user.
public struct TareEstimator: Sendable {
    /// Calibration in use before this tare; its curves turn count spans into newtons.
    public var calibration: Calibration
    /// Above this force (per channel, with the old offsets) the sensor counts as loaded.
    public var loadedLimitNewtons: Double
    /// Above this peak-to-peak span (per channel) the stretch counts as moving.
    public var movingLimitNewtons: Double

    private var count = 0
    private var channelCount = 0
    private var sum = SIMD4<Double>(repeating: 0)
    private var minimum = SIMD4<Double>(repeating: .infinity)
    private var maximum = SIMD4<Double>(repeating: -.infinity)

    /// Default limits: 5 N load and 2 N span (estimates: a few times an HX711 bar's noise, far
    /// below the 200-430 N of rolling).
    public init(calibration: Calibration, loadedLimitNewtons: Double = 5, movingLimitNewtons: Double = 2) {
        self.calibration = calibration
        self.loadedLimitNewtons = loadedLimitNewtons
        self.movingLimitNewtons = movingLimitNewtons
    }

    /// Samples added so far.
    public var sampleCount: Int { count }

    /// Adds one raw sample to the stretch.
    public mutating func add(_ sample: Sample) {
        count += 1
        channelCount = max(channelCount, sample.channelCount)
        sum += sample.values
        minimum = minimum.lanesMin(sample.values)
        maximum = maximum.lanesMax(sample.values)
    }

    /// The new calibration with offsets set to the stretch's mean, or why it was refused.
    public func result() throws(CalibrationError) -> Calibration {
        guard count > 0 else { throw .noSamples }
        let mean = sum / Double(count)
        var updated = calibration
        for channel in 0..<channelCount {
            let curve = channel < calibration.curves.count ? calibration.curves[channel] : .linear(newtonsPerCount: 0)
            let oldOffset = channel < calibration.offsetCounts.count ? calibration.offsetCounts[channel] : 0
            let load = curve.newtons(forCounts: mean[channel] - oldOffset)
            if abs(load) > loadedLimitNewtons {
                throw .loaded(channel: channel, forceNewtons: load, limitNewtons: loadedLimitNewtons)
            }
            let span = abs(curve.newtons(forCounts: maximum[channel] - oldOffset) - curve.newtons(forCounts: minimum[channel] - oldOffset))
            if span > movingLimitNewtons {
                throw .moving(channel: channel, spanNewtons: span, limitNewtons: movingLimitNewtons)
            }
            while updated.offsetCounts.count <= channel { updated.offsetCounts.append(0) }
            updated.offsetCounts[channel] = mean[channel]
        }
        return updated
    }
}
