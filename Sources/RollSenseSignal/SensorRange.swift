import RollSenseWire

/// The range a rig can measure honestly. A reading near the top of it (an FSR near its maximum,
/// an HX711 near saturation, a load near the cells' rated capacity) is "over range": the true
/// load may be anything higher, so it is never shown as a fine value (docs/SAFETY.md).
public struct SensorRange: Sendable, Equatable {
    /// Raw magnitude per channel at or above which a reading is over range (0: not checked).
    public let overRangeCounts: Double
    /// Force on any one channel at or above which it is over range, such as 90 % of a load
    /// cell's rated capacity (0: not checked).
    public let overRangeChannelNewtons: Double

    /// Makes a range.
    public init(overRangeCounts: Double, overRangeChannelNewtons: Double) {
        self.overRangeCounts = overRangeCounts
        self.overRangeChannelNewtons = overRangeChannelNewtons
    }

    /// Whether a sample is over range: any used channel's raw magnitude (nil for samples that
    /// arrived in newtons) or force.
    @inline(__always)
    public func isOverRange(rawValues: SIMD4<Double>?, channelForcesNewtons: SIMD4<Double>, laneMask: SIMD4<Double>) -> Bool {
        if overRangeChannelNewtons > 0 && (channelForcesNewtons * laneMask).lanesMaximum >= overRangeChannelNewtons { return true }
        guard overRangeCounts > 0, let raw = rawValues else { return false }
        return (raw * laneMask).lanesAbs.lanesMaximum >= overRangeCounts
    }
}

extension Profile {
    /// The heaviest body mass whose whole weight on one channel the rig still measures (below
    /// `range.overRangeChannelNewtons`), in kg; nil when the range is not stated or the zones are
    /// not a share of body weight (the reference roller's design rule, Hardware/rigs/roller.json).
    public var heaviestServedBodyMassKilograms: Double? {
        guard zones.unit == .percentBodyWeight, range.overRangeChannelNewtons > 0 else { return nil }
        return range.overRangeChannelNewtons / standardGravityMetresPerSecondSquared
    }

    /// Whether the rig's range tops out at or below the stop level for `bodyMassKilograms`, so a
    /// load past the stop could read "over range" rather than a force (a rig too small for its zones).
    public func stopIsBeyondRange(bodyMassKilograms: Double?) -> Bool {
        guard range.overRangeChannelNewtons > 0 else { return false }
        switch zones.unit {
        case .newtons: return zones.stop >= range.overRangeChannelNewtons
        case .percentBodyWeight:
            guard let bodyMassKilograms else { return false }
            return zones.stop / 100 * bodyMassKilograms * standardGravityMetresPerSecondSquared >= range.overRangeChannelNewtons
        default: return false
        }
    }
}
