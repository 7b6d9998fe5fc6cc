/// A pressure zone. Raw values are stable strings for JSON output.
public enum Zone: String, Sendable, Equatable, CaseIterable {
    /// Not in contact: nothing to classify.
    case none
    /// Below the target zone.
    case light
    /// The intended working range.
    case target
    /// Above the intended range: ease off.
    case caution
    /// Far above it: stop or lower the pressure.
    case stop
    /// A sensor or link fault: the pressure is unknown, never "fine".
    case fault
}

/// Which side of the spine the load is on. Raw values are stable strings.
public enum Side: String, Sendable, Equatable, CaseIterable {
    /// No channel layout (one sensor): the whole region.
    case whole
    /// Left of the spine band.
    case left
    /// On the spine band.
    case centre
    /// Right of the spine band.
    case right

    /// Index 0...3 for per-side tables.
    @inline(__always)
    public var index: Int {
        switch self {
        case .whole: return 0
        case .left: return 1
        case .centre: return 2
        case .right: return 3
        }
    }
}

/// A body area: a region and the side of the spine.
public struct Area: Sendable, Equatable {
    /// The body region from the profile.
    public var region: BodyRegion
    /// The side, from the load centroid.
    public var side: Side

    /// Makes an area.
    public init(region: BodyRegion, side: Side) {
        self.region = region
        self.side = side
    }

    /// `lower-back` or `lower-back.left`: a stable name for output and ledgers.
    public var name: String { side == .whole ? region.spelling : "\(region.spelling).\(side.rawValue)" }

    /// A stored area name in today's spelling: `lowerBack.left`, as older ledgers hold it, reads
    /// as `lower-back.left`; a name of no known region is kept as it is.
    public static func respelled(_ stored: String) -> String {
        let dot = stored.firstIndex(of: ".") ?? stored.endIndex
        guard let region = BodyRegion(spelling: String(stored[..<dot])) else { return stored }
        return region.spelling + stored[dot...]
    }
}

/// What an event is about. Raw values are stable strings.
public enum EventKind: String, Sendable, Equatable, CaseIterable {
    /// Contact started or ended.
    case contact
    /// The pressure zone changed.
    case zone
    /// A continuous hold grew long.
    case hold
    /// Today's time on the region neared or passed its limit.
    case daily
    /// A sudden rise of force.
    case jump
    /// The load sits on the spine.
    case spine
    /// A sensor fault or lost samples.
    case fault
    /// The device went away, came back or restarted.
    case link
    /// The automatic zero hit its drift bound.
    case calibration
    /// The person marked pain (the live view's pain key, the live page's button): their own stop signal.
    case pain
}

/// How serious an event is. Raw values are stable strings.
public enum AlertLevel: String, Sendable, Equatable, CaseIterable, Comparable {
    /// For the record.
    case info
    /// Ease off or check.
    case caution
    /// Stop or lower the pressure.
    case stop

    private var rank: Int { self == .info ? 0 : (self == .caution ? 1 : 2) }

    /// Orders info < caution < stop.
    public static func < (lhs: AlertLevel, rhs: AlertLevel) -> Bool { lhs.rank < rhs.rank }
}

/// Whether an event opens a condition, closes it, or stands alone. Raw values are stable strings.
public enum EventPhase: String, Sendable, Equatable, CaseIterable {
    /// A condition began.
    case start
    /// A condition ended.
    case end
    /// A one-off event.
    case instant
}

/// The specific reason for an event. Raw values are stable strings.
public enum EventReason: String, Sendable, Equatable, CaseIterable {
    /// Contact with the body.
    case contact
    /// Zone light.
    case zoneLight
    /// Zone target.
    case zoneTarget
    /// Zone caution.
    case zoneCaution
    /// Zone stop.
    case zoneStop
    /// A hold passed the notice time (move on to the next spot).
    case holdNotice
    /// A hold passed the caution time.
    case holdCaution
    /// Today's time on the region neared its limit.
    case dailyWarning
    /// Today's time on the region reached its limit.
    case dailyLimit
    /// Contact again after the daily limit.
    case dailyLimitReminder
    /// A sudden rise of force.
    case jump
    /// Load on the spine.
    case loadOnSpine
    /// A channel saturated.
    case saturated
    /// A channel's raw value stopped changing.
    case flatLine
    /// The device reports a channel disconnected.
    case disconnected
    /// The device reports a sensor not ready.
    case sensorNotReady
    /// Samples were lost.
    case droppedSamples
    /// A sample held a NaN or infinite value and was dropped.
    case invalidValue
    /// The device clock jumped or went backwards.
    case clockJump
    /// The device sends fewer samples a second than live alerts need.
    case slowDevice
    /// The device is gone.
    case deviceDisconnected
    /// The device restarted (watchdog).
    case deviceRestarted
    /// The automatic zero reached its drift bound.
    case zeroDriftBound
    /// A reading at the top of the sensor's range: the load may be higher than shown.
    case overRange
    /// The person said it hurts more, at this force.
    case painMark
}

/// An alert or state change, with the device time and the values that caused it.
///
/// A plain value of fixed size: emitting one allocates nothing. Facts only: the words for people
/// are the sinks' (`EventWording` in the rollsense command).
public struct SignalEvent: Sendable, Equatable {
    /// Device time of the event in microseconds.
    public var deviceTimeMicroseconds: Int64
    /// What it is about.
    public var kind: EventKind
    /// How serious.
    public var level: AlertLevel
    /// Start, end or one-off.
    public var phase: EventPhase
    /// The specific reason.
    public var reason: EventReason
    /// The zone at the time.
    public var zone: Zone
    /// The area at the time.
    public var area: Area
    /// Smoothed total force at the time.
    public var forceNewtons: Double
    /// Mean contact pressure at the time.
    public var pressureKilopascals: Double
    /// The value that caused the event (its unit depends on the reason; see `valueUnit`).
    public var value: Double
    /// The limit it was compared with, in the same unit, or 0.
    public var limit: Double
    /// The channel concerned, or nil for the whole device.
    public var channel: Int?

    /// The unit of `value` and `limit`.
    public var valueUnit: String {
        switch reason {
        case .holdNotice, .holdCaution, .dailyWarning, .dailyLimit, .dailyLimitReminder, .clockJump, .deviceDisconnected:
            return "s"
        case .jump, .zeroDriftBound, .contact, .overRange, .painMark: return "N"
        case .droppedSamples: return "samples"
        case .slowDevice: return "Hz"
        case .saturated, .flatLine, .disconnected, .sensorNotReady, .deviceRestarted, .invalidValue: return "raw"
        case .loadOnSpine: return "mm"
        case .zoneLight, .zoneTarget, .zoneCaution, .zoneStop: return "zone unit"
        }
    }
}

/// The pipeline's answer for one sample.
public struct Reading: Sendable, Equatable {
    /// Device time of the sample.
    public var deviceTimeMicroseconds: Int64
    /// Smoothed total force.
    public var forceNewtons: Double
    /// Smoothed force per channel.
    public var channelForcesNewtons: SIMD4<Double>
    /// Mean contact pressure.
    public var pressureKilopascals: Double
    /// Load centroid along the roller in mm from its centre, or nil without a layout or load.
    public var centroidMillimetres: Double?
    /// Pressure zone as alerted (`fault` during a fault, `none` out of contact): caution and
    /// stop stay while their alarms are latched or waiting out their off-delay.
    public var zone: Zone
    /// Whether the tool is in contact.
    public var contact: Bool
    /// Area of the load.
    public var area: Area
    /// Current continuous hold.
    public var holdMicroseconds: Int64
    /// Today's contact time on the region, including the prior total.
    public var dailyMicroseconds: Int64
    /// Where the tool is along the back; nil for a rig without a rotation sensor or a profile
    /// without `rotation`.
    public var position: PositionReading? = nil
    /// The zone of the load now (deadband, no delay or latch; over range is at least caution;
    /// `fault` and `none` as in `zone`): what a display shows, with `zone` beside it while an
    /// alert outlasts the load that raised it.
    public var currentZone: Zone = .none
}

/// Samples the wire decoder found missing (a sequence gap): its
/// `WireEvent.gap(missingSamples:atDeviceTimeMicroseconds:)` maps field for field.
public struct SampleGap: Sendable, Equatable {
    /// How many samples were skipped.
    public var missingSamples: Int
    /// Device time at which the gap was noticed (the first sample after it).
    public var deviceTimeMicroseconds: Int64

    /// Makes a gap record.
    public init(missingSamples: Int, deviceTimeMicroseconds: Int64) {
        self.missingSamples = missingSamples
        self.deviceTimeMicroseconds = deviceTimeMicroseconds
    }
}
