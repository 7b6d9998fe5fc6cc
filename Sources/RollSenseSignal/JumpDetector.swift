/// Detects a sudden rise of force, such as falling onto the roller: the force rises by at least
/// `riseNewtons` above its minimum of the last one to two windows.
///
/// The minimum is kept in two fixed buckets of one window each, so memory is constant whatever
/// the sample rate; the rise is therefore caught within `window` to `2 × window`.
public struct JumpDetector: Sendable, Equatable {
    /// Rise that counts as a jump.
    public let riseNewtons: Double
    /// Bucket length.
    public let windowMicroseconds: Int64
    /// Least time between two reported jumps.
    public let refractoryMicroseconds: Int64
    private var bucketStartMicroseconds: Int64 = .min
    private var currentMinimum = Double.infinity
    private var previousMinimum = Double.infinity
    private var lastJumpMicroseconds: Int64 = .min

    /// Makes a detector.
    public init(riseNewtons: Double, windowMicroseconds: Int64, refractoryMicroseconds: Int64) {
        self.riseNewtons = riseNewtons
        self.windowMicroseconds = max(1, windowMicroseconds)
        self.refractoryMicroseconds = refractoryMicroseconds
    }

    /// Forgets the history.
    public mutating func reset() {
        bucketStartMicroseconds = .min
        currentMinimum = .infinity
        previousMinimum = .infinity
    }

    /// Feeds a force; returns the rise in newtons when it is a jump, else nil.
    @inline(__always)
    public mutating func update(forceNewtons: Double, timeMicroseconds: Int64) -> Double? {
        if bucketStartMicroseconds == .min || timeMicroseconds - bucketStartMicroseconds >= windowMicroseconds {
            let adjacent = bucketStartMicroseconds != .min && timeMicroseconds - bucketStartMicroseconds < 2 * windowMicroseconds
            previousMinimum = adjacent ? currentMinimum : .infinity
            currentMinimum = .infinity
            bucketStartMicroseconds = timeMicroseconds
        }
        let baseline = min(currentMinimum, previousMinimum)
        currentMinimum = min(currentMinimum, forceNewtons)
        let rise = forceNewtons - baseline
        guard rise >= riseNewtons else { return nil }
        if lastJumpMicroseconds != .min && timeMicroseconds - lastJumpMicroseconds < refractoryMicroseconds {
            return nil
        }
        lastJumpMicroseconds = timeMicroseconds
        return rise
    }
}
