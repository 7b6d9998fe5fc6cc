/// The pipeline's layout stage: where the load sits across the roller (its centroid and side of
/// the spine) from the channels' positions, and the load-on-spine rule (docs/HARDWARE.md,
/// docs/SAFETY.md "What RollSense can know").
struct LoadLayout: Sendable {
    private let positionsMillimetres: SIMD4<Double>
    private let channelCount: Int
    /// Half the width of the centre band, in mm from the roller's middle.
    let spineHalfWidthMillimetres: Double
    // Channels nearest the middle of the roller, and the share of the load they must carry.
    private let centreLanes: SIMD4<Double>
    private let centreShare: Double
    private var spineSwitch: DelayedSwitch
    /// Whether the rig can tell a narrow load on the centre line from a wide centred one: it
    /// needs channels at the centre and outside it. Without, no spine rule.
    let canObserveSpine: Bool

    /// Makes the stage from the profile's spine settings.
    init(spine: SpineProfile) {
        func micro(_ seconds: Double) -> Int64 { Int64((seconds * 1_000_000).rounded()) }
        var positions = SIMD4<Double>(repeating: 0)
        for (i, x) in spine.channelPositionsMillimetres.prefix(4).enumerated() { positions[i] = x }
        positionsMillimetres = positions
        channelCount = spine.channelPositionsMillimetres.count
        spineHalfWidthMillimetres = spine.halfWidthMillimetres
        spineSwitch = DelayedSwitch(onDelayMicroseconds: micro(spine.onDelaySeconds), offDelayMicroseconds: micro(spine.offDelaySeconds))
        centreLanes = spine.centreChannelMask
        canObserveSpine = spine.canObserveCentreLoad
        centreShare = spine.centreShare
    }

    /// Whether the load-on-spine warning is on.
    var isOnSpine: Bool { spineSwitch.isOn }

    /// Sets the reading's centroid and side from its channel forces (no centroid without a
    /// layout of two or more channels, or without load).
    @inline(__always)
    func place(_ reading: inout Reading) {
        let forces = reading.channelForcesNewtons
        guard channelCount >= 2 && reading.forceNewtons > 0 else {
            reading.centroidMillimetres = nil
            return
        }
        let positive = forces.lanesMax(.zero)
        let weight = positive.lanesSum
        guard weight > 0 else {
            reading.centroidMillimetres = nil
            return
        }
        let centroid = (positive * positionsMillimetres).lanesSum / weight
        reading.centroidMillimetres = centroid
        reading.area.side = centroid < -spineHalfWidthMillimetres ? .left : (centroid > spineHalfWidthMillimetres ? .right : .centre)
    }

    /// Feeds the spine rule: a narrow load on the centre line, seen as the centre channels
    /// carrying most of it with the centroid in the centre band; a wide centred load (a back
    /// across the roller) is the standard position, not a warning. True when the warning changed.
    @inline(__always)
    mutating func updateSpine(_ reading: Reading, inContact: Bool, timeMicroseconds t: Int64) -> Bool {
        guard canObserveSpine else { return false }
        let positive = reading.channelForcesNewtons.lanesMax(.zero)
        let weight = positive.lanesSum
        let concentrated = weight > 0 && (positive * centreLanes).lanesSum >= centreShare * weight
        let onSpine = inContact && concentrated && reading.area.side == .centre && reading.centroidMillimetres != nil
        return spineSwitch.update(onCondition: onSpine, offCondition: !onSpine, timeMicroseconds: t)
    }

    /// Turns the warning off at once; true when it was on.
    mutating func endSpine() -> Bool {
        guard spineSwitch.isOn else { return false }
        spineSwitch.reset()
        return true
    }
}

/// Contact time this session, in total and per side of the spine. The interval since the last
/// sample belongs to the state at its start.
struct AreaTime: Sendable {
    // Per-side totals as separate fields: writing one lane of a SIMD4<Int64> went through the
    // stack and stalled store forwarding on every sample.
    private var wholeMicroseconds: Int64 = 0
    private var leftMicroseconds: Int64 = 0
    private var centreMicroseconds: Int64 = 0
    private var rightMicroseconds: Int64 = 0
    /// Contact time on the region this session.
    private(set) var sessionMicroseconds: Int64 = 0

    /// Contact time per side (index: `Side.index`).
    var bySide: SIMD4<Int64> { SIMD4(wholeMicroseconds, leftMicroseconds, centreMicroseconds, rightMicroseconds) }

    /// Adds `dt` of contact on `side`.
    @inline(__always)
    mutating func add(_ dt: Int64, side: Side) {
        // dt is positive and bounded by the clock-jump limit: these sums cannot overflow in any
        // session (2^63 µs is 292 000 years), so wrapping adds skip the checks.
        sessionMicroseconds &+= dt
        switch side {
        case .whole: wholeMicroseconds &+= dt
        case .left: leftMicroseconds &+= dt
        case .centre: centreMicroseconds &+= dt
        case .right: rightMicroseconds &+= dt
        }
    }
}
