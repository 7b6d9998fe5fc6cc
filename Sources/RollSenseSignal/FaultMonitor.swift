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
    /// A sample with a NaN or infinite value, dropped.
    case invalidValue

    /// The event reason for this fault.
    public var reason: EventReason {
        switch self {
        case .saturated: return .saturated
        case .flatLine: return .flatLine
        case .disconnected: return .disconnected
        case .sensorNotReady: return .sensorNotReady
        case .droppedSamples: return .droppedSamples
        case .invalidValue: return .invalidValue
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

    static let kindCount = 6
    /// Samples between two flat-line checks.
    public static let flatLineStride = 8
    private var flatLineCountdown = 1
    private var lastSeen = SIMD8<Int64>(repeating: .min)
    private var channelOfKind = SIMD8<Int64>(repeating: -1)
    // Channels (bit per channel, 0-7) each kind was seen on while it lasts; a device-wide report
    // sets every bit. A fault's event names its first channel; what it makes unknown is all of them.
    private var channelBitsOfKind = SIMD8<UInt8>(repeating: 0)
    private var valueOfKind = SIMD8<Double>(repeating: 0)
    private var active: UInt8 = 0
    private var seen: UInt8 = 0
    private var lastRaw = SIMD4<Double>(repeating: .nan)
    private var lastChange0: Int64 = 0
    private var lastChange1: Int64 = 0
    private var lastChange2: Int64 = 0
    private var lastChange3: Int64 = 0

    /// Makes a monitor with nothing active.
    public init(holdMicroseconds: Int64, flatLineMicroseconds: Int64, saturationCounts: Double) {
        self.holdMicroseconds = holdMicroseconds
        self.flatLineMicroseconds = flatLineMicroseconds
        self.saturationCounts = saturationCounts
    }

    /// Whether any fault is active.
    public var anyActive: Bool { active != 0 }

    /// Channels (bit per channel) whose readings an active fault makes unknown. Lost samples say
    /// nothing about the readings that did arrive, so they mark no channel.
    @inline(__always)
    public var unknownChannelBits: UInt8 {
        guard active != 0 else { return 0 }
        var bits: UInt8 = 0
        for i in 0..<FaultMonitor.kindCount where i != FaultKind.droppedSamples.rawValue && active & (1 << UInt8(i)) != 0 {
            bits |= channelBitsOfKind[i]
        }
        return bits
    }

    /// Whether a fault of `kind` is active.
    public func isActive(_ kind: FaultKind) -> Bool { active & (1 << UInt8(kind.rawValue)) != 0 }

    /// Channels (bit per channel) an active saturation fault covers.
    public var saturatedChannelBits: UInt8 {
        active & (1 << UInt8(FaultKind.saturated.rawValue)) != 0 ? channelBitsOfKind[FaultKind.saturated.rawValue] : 0
    }

    /// Whether `update` could start or end anything (something was seen or is active).
    @inline(__always)
    public var mayChange: Bool { (active | seen) != 0 }

    /// Records that `kind` was seen at `timeMicroseconds`.
    public mutating func see(_ kind: FaultKind, channel: Int?, value: Double, timeMicroseconds: Int64) {
        let i = kind.rawValue
        let bit: UInt8 = 1 << UInt8(i)
        if seen & bit == 0 {
            channelOfKind[i] = Int64(channel ?? -1)
            valueOfKind[i] = value
        }
        seen |= bit
        lastSeen[i] = timeMicroseconds
        if let channel, (0..<8).contains(channel) {
            channelBitsOfKind[i] |= 1 << UInt8(channel)
        } else {
            channelBitsOfKind[i] = 0xFF
        }
    }

    /// Checks a raw sample for saturation and a flat line (lanes past `channelCount` ignored).
    /// Zero readings never count as flat: an unloaded FSR reads exactly 0.
    public mutating func observe(rawValues: SIMD4<Double>, channelCount: Int, timeMicroseconds t: Int64) {
        observe(rawValues: rawValues, channelCount: channelCount,
                laneMask: SIMD4<Double>.laneMask(count: channelCount), timeMicroseconds: t)
    }

    /// `observe` with the lane mask (1 for lanes in use, 0 after) already at hand.
    @inline(__always)
    public mutating func observe(rawValues: SIMD4<Double>, channelCount: Int, laneMask: SIMD4<Double>,
                                 timeMicroseconds t: Int64) {
        // Saturation: one vector test in the common case (nothing near full scale).
        if (rawValues * laneMask).lanesAbs.lanesMaximum >= saturationCounts {
            noteSaturation(rawValues, channelCount: channelCount, timeMicroseconds: t)
        }
        // Flat line: every `flatLineStride`-th sample (see `checkFlatLine`).
        flatLineCountdown &-= 1
        if flatLineCountdown <= 0 {
            flatLineCountdown = FaultMonitor.flatLineStride
            checkFlatLine(rawValues, channelCount: channelCount, timeMicroseconds: t)
        }
    }

    @inline(never)
    private mutating func noteSaturation(_ rawValues: SIMD4<Double>, channelCount: Int, timeMicroseconds t: Int64) {
        // Infinite and NaN readings are not a sensor at full scale: the pipeline drops them.
        for c in 0..<min(channelCount, 4) where rawValues[c].isFinite && abs(rawValues[c]) >= saturationCounts {
            see(.saturated, channel: c, value: rawValues[c], timeMicroseconds: t)
            return
        }
    }

    // A lane whose value equals the one at the previous check (and is not zero) is checked
    // against the time of its last change. A live 24-bit reading never lands on the same value
    // check after check for seconds; a frozen one always does. Scalar fields per lane: lane
    // stores into a SIMD4<Int64> stall store forwarding.
    @inline(never)
    private mutating func checkFlatLine(_ rawValues: SIMD4<Double>, channelCount: Int, timeMicroseconds t: Int64) {
        let previous = lastRaw
        lastRaw = rawValues
        var stuckChannel = -1
        if rawValues[0] != previous[0] || rawValues[0] == 0 { lastChange0 = t }
        else if t - lastChange0 >= flatLineMicroseconds && mayFlatLine(0, rawValues[0]) { stuckChannel = 0 }
        if channelCount > 1 {
            if rawValues[1] != previous[1] || rawValues[1] == 0 { lastChange1 = t }
            else if t - lastChange1 >= flatLineMicroseconds && stuckChannel < 0 && mayFlatLine(1, rawValues[1]) { stuckChannel = 1 }
        }
        if channelCount > 2 {
            if rawValues[2] != previous[2] || rawValues[2] == 0 { lastChange2 = t }
            else if t - lastChange2 >= flatLineMicroseconds && stuckChannel < 0 && mayFlatLine(2, rawValues[2]) { stuckChannel = 2 }
        }
        if channelCount > 3 {
            if rawValues[3] != previous[3] || rawValues[3] == 0 { lastChange3 = t }
            else if t - lastChange3 >= flatLineMicroseconds && stuckChannel < 0 && mayFlatLine(3, rawValues[3]) { stuckChannel = 3 }
        }
        if stuckChannel >= 0 {
            see(.flatLine, channel: stuckChannel, value: rawValues[stuckChannel], timeMicroseconds: t)
        }
    }

    // Whether an unchanging reading is a fault of its own: one that sits at full scale is
    // saturated, and one the device already says is stale (a not-ready or disconnected sensor
    // repeats its last value) is that fault; neither is a second, flat-line one.
    private func mayFlatLine(_ channel: Int, _ raw: Double) -> Bool {
        abs(raw) < saturationCounts && !isReported(.sensorNotReady, channel: channel) && !isReported(.disconnected, channel: channel)
    }

    private func isReported(_ kind: FaultKind, channel: Int) -> Bool {
        let i = kind.rawValue
        return (seen | active) & (1 << UInt8(i)) != 0 && channelOfKind[i] == Int64(channel)
    }

    /// Forgets the flat-line history (after a reconnect the values restart).
    public mutating func resetHistory() {
        lastRaw = SIMD4(repeating: .nan)
        flatLineCountdown = 1
    }

    /// Starts and ends faults as of `timeMicroseconds`; `report` gets (kind, channel, value, started).
    /// With `endAll`, every active fault ends (closing a session).
    @inline(__always)
    public mutating func update(
        timeMicroseconds t: Int64, endAll: Bool = false,
        report: (FaultKind, Int?, Double, Bool) -> Void
    ) {
        guard mayChange else { return }
        // Indices, not `allCases`: that builds an array on every call.
        for i in 0..<FaultMonitor.kindCount {
            guard let kind = FaultKind(rawValue: i) else { continue }
            let bit: UInt8 = 1 << UInt8(i)
            let isOn = !endAll && seen & bit != 0 && t - lastSeen[i] < holdMicroseconds
            let wasOn = active & bit != 0
            if !isOn { seen &= ~bit; channelBitsOfKind[i] = 0 }
            guard isOn != wasOn else { continue }
            if isOn { active |= bit } else { active &= ~bit }
            let channel = channelOfKind[i] >= 0 ? Int(channelOfKind[i]) : nil
            report(kind, channel, valueOfKind[i], isOn)
        }
    }
}
