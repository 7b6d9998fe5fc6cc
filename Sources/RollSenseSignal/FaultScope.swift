import RollSenseWire

/// The pipeline's fault stage: faults scoped to what they break (docs/SAFETY.md, "Faults and time
/// accounting"). A force channel's fault makes that channel's reading unknown; lost samples say
/// nothing about the samples that came; a rotation or motion sensor's fault (an extra channel,
/// from `Sample.maxChannelCount` on) makes only the position unknown.
struct FaultScope: Sendable {
    private var force: FaultMonitor
    private var position: FaultMonitor
    // Per channel, the least force a channel at positive full scale carries: the force that full
    // scale stands for, or the channel's rated range when that is lower.
    private let saturatedChannelNewtons: SIMD4<Double>
    private let saturationCounts: Double

    /// Makes the stage; `fullScaleNewtons` is what the calibration makes of positive full scale.
    init(monitor: FaultMonitor, fullScaleNewtons: SIMD4<Double>, overRangeChannelNewtons: Double) {
        force = monitor
        position = monitor
        saturationCounts = monitor.saturationCounts
        var saturated = SIMD4<Double>(repeating: 0)
        for i in 0..<Sample.maxChannelCount {
            let top = fullScaleNewtons[i].isFinite ? max(0, fullScaleNewtons[i]) : 0
            saturated[i] = overRangeChannelNewtons > 0 ? min(top, overRangeChannelNewtons) : top
        }
        saturatedChannelNewtons = saturated
    }

    /// Whether any force fault or lost samples are active (no automatic zero then).
    var anyForceActive: Bool { force.anyActive }

    /// Whether a fault leaves the force of the channels in `usedChannelBits` unknown.
    @inline(__always)
    func forceUnknown(usedChannelBits: UInt8) -> Bool { force.unknownChannelBits & usedChannelBits != 0 }

    /// Whether samples are being lost.
    var samplesLost: Bool { force.isActive(.droppedSamples) }

    /// Whether a transition could be due.
    @inline(__always)
    var mayChange: Bool { force.mayChange || position.mayChange }

    /// Checks a raw sample for saturation and a flat line.
    @inline(__always)
    mutating func observe(rawValues: SIMD4<Double>, channelCount: Int, laneMask: SIMD4<Double>, timeMicroseconds t: Int64) {
        force.observe(rawValues: rawValues, channelCount: channelCount, laneMask: laneMask, timeMicroseconds: t)
    }

    /// Records a fault on a channel (nil: the device as a whole), routed by what it breaks.
    mutating func see(_ kind: FaultKind, channel: Int?, value: Double, timeMicroseconds t: Int64) {
        if let channel, channel >= Sample.maxChannelCount {
            position.see(kind, channel: channel, value: value, timeMicroseconds: t)
        } else {
            force.see(kind, channel: channel, value: value, timeMicroseconds: t)
        }
    }

    /// Forgets the flat-line history (after a restart or reconnect the values restart).
    mutating func resetHistory() {
        force.resetHistory()
        position.resetHistory()
    }

    /// Starts and ends faults as of `t`; `report` gets (kind, channel, value, started). Returns
    /// whether a force fault ended (the filters then start over from the first good sample).
    mutating func update(timeMicroseconds t: Int64, endAll: Bool, report: (FaultKind, Int?, Double, Bool) -> Void) -> Bool {
        var forceEnded = false
        force.update(timeMicroseconds: t, endAll: endAll) { kind, channel, value, started in
            forceEnded = forceEnded || !started
            report(kind, channel, value, started)
        }
        position.update(timeMicroseconds: t, endAll: endAll, report: report)
        return forceEnded
    }

    /// The least total force the channels can be carrying while some are faulty: the healthy
    /// ones as read, a channel at positive full scale its range's top, others none.
    func forceLowerBoundNewtons(_ smoothed: SIMD4<Double>, rawValues: SIMD4<Double>?, channelCount: Int) -> Double {
        let unknown = force.unknownChannelBits
        var bound = 0.0
        for c in 0..<channelCount {
            if unknown & (1 << UInt8(c)) == 0 {
                bound += max(0, smoothed[c])
            } else if let raw = rawValues, raw[c] >= saturationCounts {
                bound += saturatedChannelNewtons[c]
            }
        }
        return bound
    }
}
