import RollSenseWire

/// The kinds of sensor fault the pipeline tracks as start/end conditions.
public enum FaultKind: Int, Sendable, Equatable, CaseIterable {
    /// A channel at the end of its range.
    case saturated = 0
    /// A channel whose raw value stopped changing.
    case flatLine
    /// A channel the device reports as disconnected.
    case disconnected
    /// A sensor the device reports as not ready.
    case sensorNotReady
    /// Samples lost on the way (a sequence gap or a device report).
    case droppedSamples

    /// The event reason for this fault.
    public var reason: EventReason {
        switch self {
        case .saturated: return .saturated
        case .flatLine: return .flatLine
        case .disconnected: return .disconnected
        case .sensorNotReady: return .sensorNotReady
        case .droppedSamples: return .droppedSamples
        }
    }
}

/// Watches raw samples and device reports for faults. A fault is active from when it is seen
/// until `holdMicroseconds` after it was last seen, so a fault the device repeats once a second
/// reads as one continuous fault, and a flickering one does not chatter.
public struct FaultMonitor: Sendable, Equatable {
    /// How long a fault stays active after it was last seen.
    public let holdMicroseconds: Int64
    /// Unchanged raw value for this long is a flat line.
    public let flatLineMicroseconds: Int64
    /// Raw magnitude at or above this is saturated.
    public let saturationCounts: Double

    private var lastSeen = SIMD8<Int64>(repeating: .min)
    private var channelOfKind = SIMD8<Int64>(repeating: -1)
    private var valueOfKind = SIMD8<Double>(repeating: 0)
    private var active: UInt8 = 0
    private var lastRaw = SIMD4<Double>(repeating: .nan)
    private var lastChange = SIMD4<Int64>(repeating: .min)

    /// Makes a monitor with nothing active.
    public init(holdMicroseconds: Int64, flatLineMicroseconds: Int64, saturationCounts: Double) {
        self.holdMicroseconds = holdMicroseconds
        self.flatLineMicroseconds = flatLineMicroseconds
        self.saturationCounts = saturationCounts
    }

    /// Whether any fault is active.
    public var anyActive: Bool { active != 0 }

    /// Whether `kind` is active.
    public func isActive(_ kind: FaultKind) -> Bool { active & (1 << UInt8(kind.rawValue)) != 0 }

    /// Records that `kind` was seen at `timeMicroseconds`.
    public mutating func see(_ kind: FaultKind, channel: Int?, value: Double, timeMicroseconds: Int64) {
        let i = kind.rawValue
        if lastSeen[i] == .min || !isActive(kind) {
            channelOfKind[i] = Int64(channel ?? -1)
            valueOfKind[i] = value
        }
        lastSeen[i] = timeMicroseconds
    }

    /// Checks a raw sample for saturation and a flat line (lanes past `channelCount` ignored).
    /// Zero readings never count as flat: an unloaded FSR reads exactly 0.
    @inline(__always)
    public mutating func observe(rawValues: SIMD4<Double>, channelCount: Int, timeMicroseconds t: Int64) {
        let lanes = SIMD4<Int64>(0, 1, 2, 3) .< SIMD4<Int64>(repeating: Int64(channelCount))
        let magnitude = pointwiseMax(rawValues, -rawValues)
        let saturated = (magnitude .>= SIMD4(repeating: saturationCounts)) .& lanes
        if any(saturated) {
            let channel = saturated[0] ? 0 : (saturated[1] ? 1 : (saturated[2] ? 2 : 3))
            see(.saturated, channel: channel, value: rawValues[channel], timeMicroseconds: t)
        }
        let changed = (rawValues .!= lastRaw) .| (rawValues .== SIMD4(repeating: 0))
        lastChange.replace(with: SIMD4(repeating: t), where: changed)
        lastRaw = rawValues
        let stuck = ((SIMD4(repeating: t) &- lastChange) .>= SIMD4(repeating: flatLineMicroseconds)) .& lanes
            .& (lastChange .!= SIMD4(repeating: .min))
        if any(stuck) {
            let channel = stuck[0] ? 0 : (stuck[1] ? 1 : (stuck[2] ? 2 : 3))
            see(.flatLine, channel: channel, value: rawValues[channel], timeMicroseconds: t)
        }
    }

    /// Forgets the flat-line history (after a reconnect the values restart).
    public mutating func resetHistory() {
        lastRaw = SIMD4(repeating: .nan)
        lastChange = SIMD4(repeating: .min)
    }

    /// Starts and ends faults as of `timeMicroseconds`; `report` gets (kind, channel, value, started).
    /// With `endAll`, every active fault ends (closing a session).
    @inline(__always)
    public mutating func update(
        timeMicroseconds t: Int64, endAll: Bool = false,
        report: (FaultKind, Int?, Double, Bool) -> Void
    ) {
        let seen = lastSeen .!= SIMD8(repeating: .min)
        guard active != 0 || any(seen) else { return }
        for kind in FaultKind.allCases {
            let i = kind.rawValue
            let bit: UInt8 = 1 << UInt8(i)
            let isOn = !endAll && lastSeen[i] != .min && t - lastSeen[i] < holdMicroseconds
            let wasOn = active & bit != 0
            guard isOn != wasOn else { continue }
            if isOn { active |= bit } else {
                active &= ~bit
                lastSeen[i] = .min
            }
            let channel = channelOfKind[i] >= 0 ? Int(channelOfKind[i]) : nil
            report(kind, channel, valueOfKind[i], isOn)
        }
    }
}
