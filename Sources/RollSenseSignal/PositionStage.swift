import RollSenseWire

/// The pipeline's position stage: where the tool is along the back, from a rotation sensor's angle
/// (a profile with `rotation`) or a ball's x/y motion (a profile with `ball`), once the device's
/// HELLO says it has those channels.
struct PositionStage: Sendable {
    private var tracker: PositionTracker?
    private enum Source: Sendable { case angle(Int), motion(x: Int, y: Int) }
    private var source: Source?

    /// Makes the stage for a profile; it tracks nothing until `identify` finds the channels.
    init(profile: Profile) {
        tracker = profile.ball.map(PositionTracker.init(ball:)) ?? profile.rotation.map(PositionTracker.init(profile:))
    }

    /// The tracker, once a device with the channels it needs was identified.
    var tracked: PositionTracker? { source == nil ? nil : tracker }

    /// Takes what a device's HELLO says about its channels.
    mutating func identify(_ info: DeviceInfo) {
        if tracker?.isTwoDimensional == true {
            source = info.motionChannels.map { .motion(x: $0.x, y: $0.y) }
        } else {
            source = info.rotationChannel.map { .angle($0) }
        }
    }

    /// When the tool was last still on one spot, while the position is known.
    var stillSinceMicroseconds: Int64? { tracker?.stillSinceMicroseconds }

    /// Feeds a sample's extra channels; nil without tracking. Its time per band, like time on
    /// area, belongs to the state at the interval's start.
    @inline(__always)
    mutating func update(_ sample: Sample, intervalMicroseconds dt: Int64, inContact: Bool, loaded: Bool,
                         pressureKilopascals: Double) -> PositionReading? {
        switch source {
        case .angle(let channel):
            return tracker?.update(timeMicroseconds: sample.deviceTimeMicroseconds, intervalMicroseconds: dt,
                                   angleCounts: sample.extras.reading(channel), inContact: inContact, loaded: loaded,
                                   pressureKilopascals: pressureKilopascals)
        case .motion(let x, let y):
            let counts = sample.extras.motionCounts(x).flatMap { dx in sample.extras.motionCounts(y).map { SIMD2(dx, $0) } }
            return tracker?.update(timeMicroseconds: sample.deviceTimeMicroseconds, intervalMicroseconds: dt, motionCounts: counts,
                                   inContact: inContact, loaded: loaded, pressureKilopascals: pressureKilopascals)
        case nil:
            return nil
        }
    }
}
