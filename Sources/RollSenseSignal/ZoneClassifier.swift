/// Classifies a value into light / target / caution / stop with a deadband and delays: a higher
/// zone is entered at its threshold after `onDelay`; a zone is left only below its threshold
/// minus the deadband, after `offDelay`.
public struct ZoneClassifier: Sendable, Equatable {
    /// Lower edges of target, caution and stop, in the value's unit.
    public let thresholds: SIMD3<Double>
    /// How far below a threshold the value must fall to leave the zone above it.
    public let deadband: Double
    /// Delay before a higher zone is entered.
    public let onDelayMicroseconds: Int64
    /// Delay before a lower zone is entered.
    public let offDelayMicroseconds: Int64
    private let lowThresholds: SIMD3<Double>
    /// Current level: 0 light, 1 target, 2 caution, 3 stop.
    public private(set) var level = 0 {
        didSet { updateBand() }
    }
    // The band [stayLow, stayHigh) in which the current level neither rises nor falls.
    private var stayLow = -Double.infinity
    private var stayHigh = 0.0
    private var pendingLevel = 0
    private var pendingSinceMicroseconds: Int64 = .min

    /// Makes a classifier at level 0 (light).
    public init(target: Double, caution: Double, stop: Double, deadband: Double,
                onDelayMicroseconds: Int64, offDelayMicroseconds: Int64) {
        thresholds = SIMD3(target, caution, stop)
        self.deadband = deadband
        lowThresholds = SIMD3(target - deadband, caution - deadband, stop - deadband)
        self.onDelayMicroseconds = onDelayMicroseconds
        self.offDelayMicroseconds = offDelayMicroseconds
        updateBand()
    }

    private mutating func updateBand() {
        stayLow = level == 0 ? -.infinity : lowThresholds[level - 1]
        stayHigh = level == 3 ? .infinity : thresholds[level]
    }

    /// Back to light with nothing pending.
    public mutating func reset() {
        level = 0
        pendingLevel = 0
        pendingSinceMicroseconds = .min
    }

    /// The zone for a level.
    public static func zone(level: Int) -> Zone {
        switch level {
        case 0: return .light
        case 1: return .target
        case 2: return .caution
        default: return .stop
        }
    }

    /// Feeds one value; returns true when the level changed at `timeMicroseconds`.
    @inline(__always)
    public mutating func update(_ value: Double, timeMicroseconds: Int64) -> Bool {
        // Fast path: inside the current zone's band with nothing pending, nothing can change.
        if pendingSinceMicroseconds == .min && value >= stayLow && value < stayHigh { return false }
        // Level reached going up (value at or above a threshold) and level kept going down
        // (value above threshold minus deadband); nothing between them moves the zone.
        let up = (value >= thresholds[0] ? 1 : 0) + (value >= thresholds[1] ? 1 : 0) + (value >= thresholds[2] ? 1 : 0)
        let down = (value >= lowThresholds[0] ? 1 : 0) + (value >= lowThresholds[1] ? 1 : 0)
            + (value >= lowThresholds[2] ? 1 : 0)
        let candidate = up > level ? up : (down < level ? down : level)
        guard candidate != level else {
            pendingSinceMicroseconds = .min
            return false
        }
        // A pending move keeps its start time while it goes the same way.
        if pendingSinceMicroseconds == .min || (pendingLevel > level) != (candidate > level) {
            pendingSinceMicroseconds = timeMicroseconds
        }
        pendingLevel = candidate
        let delay = candidate > level ? onDelayMicroseconds : offDelayMicroseconds
        guard timeMicroseconds - pendingSinceMicroseconds >= delay else { return false }
        level = candidate
        pendingSinceMicroseconds = .min
        return true
    }
}
