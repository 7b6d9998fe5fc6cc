import RollSenseWire

/// The unit zone thresholds are written in.
public enum ThresholdUnit: String, Codable, Sendable, CaseIterable {
    /// Total force in newtons.
    case newtons
    /// Mean contact pressure in kilopascals (force over the tool's contact area).
    case kilopascals
    /// Total force as a percentage of the user's body weight (needs the body mass).
    case percentBodyWeight
}

/// The smoothing filter after the median.
public enum SmootherKind: String, Codable, Sendable, CaseIterable {
    /// The 1-euro filter (Casiez, Roussel, Vogel, CHI 2012): adaptive cutoff.
    case oneEuro
    /// An exponential moving average with a time constant.
    case exponentialMovingAverage
    /// No smoothing beyond the median.
    case none
}

/// Spike rejection and smoothing settings.
public struct FilterProfile: Codable, Sendable, Equatable {
    /// Running median length: 1 (off), 3 or 5 samples.
    public var medianLength: Int
    /// The smoother after the median.
    public var smoother: SmootherKind
    /// 1-euro minimum cutoff in hertz.
    public var minCutoffHertz: Double
    /// 1-euro speed coefficient (cutoff rises by beta per newton per second of change).
    public var beta: Double
    /// 1-euro cutoff for the derivative, in hertz.
    public var derivativeCutoffHertz: Double
    /// Time constant of the exponential moving average, in seconds.
    public var emaTimeConstantSeconds: Double
}

/// Contact detection: on above `onNewtons` for `onDelaySeconds`, off below `offNewtons` for
/// `offDelaySeconds`.
public struct ContactProfile: Codable, Sendable, Equatable {
    /// Total force that starts contact.
    public var onNewtons: Double
    /// Total force below which contact ends; lower than `onNewtons`.
    public var offNewtons: Double
    /// How long the force must stay above `onNewtons`.
    public var onDelaySeconds: Double
    /// How long the force must stay below `offNewtons`.
    public var offDelaySeconds: Double
}

/// Zone thresholds (the lower edge of target, caution and stop) with a deadband and delays.
public struct ZoneProfile: Codable, Sendable, Equatable {
    /// Unit of `target`, `caution`, `stop` and `deadband`.
    public var unit: ThresholdUnit
    /// Lower edge of the target zone (below it: light).
    public var target: Double
    /// Lower edge of the caution zone.
    public var caution: Double
    /// Lower edge of the stop zone.
    public var stop: Double
    /// A zone is left only below its lower edge minus this (ISA-18.2 deadband).
    public var deadband: Double
    /// How long a higher zone must hold before it is entered.
    public var onDelaySeconds: Double
    /// How long a lower zone must hold before the higher one is left.
    public var offDelaySeconds: Double
    /// A caution or stop alert stays raised at least this long (ISA-18.2 latching).
    public var minimumLatchSeconds: Double
}

extension SpineProfile {
    /// 1 for the channels nearest the middle of the layout (the centre saddles), else 0.
    public var centreChannelMask: SIMD4<Double> {
        var mask = SIMD4<Double>(repeating: 0)
        guard let innermost = channelPositionsMillimetres.map(abs).min() else { return mask }
        for (i, x) in channelPositionsMillimetres.enumerated() where i < 4 && abs(x) <= innermost + 1 { mask[i] = 1 }
        return mask
    }

    /// Whether the layout can tell a narrow load on the centre line from a wide centred one: it
    /// needs channels at the centre and outside it (docs/HARDWARE.md).
    public var canObserveCentreLoad: Bool {
        channelPositionsMillimetres.count >= 3 && Int(centreChannelMask.sum()) < channelPositionsMillimetres.count
    }
}

/// Sudden rise of force (a fall onto the roller).
public struct JumpProfile: Codable, Sendable, Equatable {
    /// Rise that counts as a jump.
    public var riseNewtons: Double
    /// The rise must happen within this time.
    public var windowSeconds: Double
    /// At most one jump event per this interval.
    public var refractorySeconds: Double
}

/// Spine warning: load centred on the roller, between the left and right channels.
public struct SpineProfile: Codable, Sendable, Equatable {
    /// Position of each channel along the roller in millimetres from its centre (negative:
    /// left). Empty, or one channel: no centroid and no spine warning.
    public var channelPositionsMillimetres: [Double]
    /// Half width of the centre band that counts as "on the spine".
    public var halfWidthMillimetres: Double
    /// Share of the load the channels inside `centreChannelsMillimetres` must carry for the
    /// load to count as concentrated on the centre line (the rig must have channels outside too).
    public var centreShare: Double
    /// How long the load must sit in the band before the warning.
    public var onDelaySeconds: Double
    /// How long it must be out of the band before the warning ends.
    public var offDelaySeconds: Double
}

/// Time limits per area and for holds.
public struct TimeLimitProfile: Codable, Sendable, Equatable {
    /// Contact time per day on this region at which to stop.
    public var dailyLimitSeconds: Double
    /// Contact time per day at which to warn that the limit is near.
    public var dailyWarningSeconds: Double
    /// Continuous contact after which an info notice says to move on (0: none).
    public var holdNoticeSeconds: Double
    /// Continuous contact after which a caution says to move on.
    public var holdCautionSeconds: Double
    /// Least time between two reminders of the same alert.
    public var reminderIntervalSeconds: Double
    /// A pain mark older than this many days no longer lowers a limit (an estimate: pain
    /// thresholds change as tissue recovers; docs/SAFETY.md). Files without it get the default.
    public var painMarkExpiryDays: Double = TimeLimitProfile.defaultPainMarkExpiryDays
}

/// Sensor fault detection.
public struct FaultProfile: Codable, Sendable, Equatable {
    /// A channel whose raw value does not change at all for this long is flat-lined.
    public var flatLineSeconds: Double
    /// Raw counts at or beyond ±this are saturated (HX711: 24-bit, 8 388 607).
    public var saturationCounts: Double
    /// A device-reported fault stays active this long after its last report (the firmware
    /// repeats a lasting fault at most once a second, docs/PROTOCOL.md).
    public var holdSeconds: Double
    /// Samples further apart than this are a clock jump: the time between is not counted.
    public var maxSampleIntervalSeconds: Double
}

/// Automatic re-zero while out of contact and still.
public struct RezeroProfile: Codable, Sendable, Equatable {
    /// Whether to re-zero at all.
    public var enabled: Bool
    /// Length of the still stretch that is averaged.
    public var windowSeconds: Double
    /// Largest peak-to-peak span per channel that counts as still.
    public var stillNewtons: Double
    /// How far the zero may drift in total from the calibration before it is reported.
    public var maxDriftNewtons: Double
}

/// Telling a hold on one spot from rolling (`StillnessDetector`).
public struct StillnessProfile: Codable, Sendable, Equatable {
    /// The load must be steady this long to be still; longer than the slowest stroke.
    public var windowSeconds: Double
    /// Fixed part of the force span a still load may show (noise, breathing).
    public var forceSpanNewtons: Double
    /// Part of the allowed force span proportional to the mean force.
    public var forceSpanFraction: Double
    /// Span of the load centroid a still load may show.
    public var centroidSpanMillimetres: Double
}

/// The range the rig measures honestly (`SensorRange`).
public struct RangeProfile: Codable, Sendable, Equatable {
    /// Raw magnitude on any channel from which a reading is over range (0: not checked).
    public var overRangeCounts: Double
    /// Force on any one channel from which a reading is over range (0: not checked).
    public var overRangeChannelNewtons: Double
}

/// Everything the pipeline needs to know about a tool on a body region: data a user can edit.
public struct Profile: Codable, Sendable, Equatable {
    /// Short identifier, e.g. `foam-roller-lower-back`.
    public var name: String
    /// The tool.
    public var tool: Tool
    /// Fixed contact area for `tool: custom`, in cm² (ignored otherwise).
    public var customContactAreaSquareCentimetres: Double
    /// The body region.
    public var region: BodyRegion
    /// Spike rejection and smoothing.
    public var filter: FilterProfile
    /// Contact detection.
    public var contact: ContactProfile
    /// Zones.
    public var zones: ZoneProfile
    /// Jump detection.
    public var jump: JumpProfile
    /// Spine warning and channel layout.
    public var spine: SpineProfile
    /// Time limits.
    public var limits: TimeLimitProfile
    /// Fault detection.
    public var faults: FaultProfile
    /// Automatic re-zero.
    public var rezero: RezeroProfile
    /// Stillness detection for hold timers.
    public var stillness: StillnessProfile
    /// The measurable range of the rig.
    public var range: RangeProfile
    /// Position along the back from a rotation sensor; nil: none (force-only stillness).
    public var rotation: RotationProfile? = nil
    /// A ball's 2-D position on the back from an optical motion sensor; nil: none. Taken over
    /// `rotation` when both are given.
    public var ball: BallProfile? = nil
}

/// A profile value that cannot work, naming its key (`zones.caution`) and the problem.
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted key path of the offending value.
    public var key: String
    /// What is wrong with it.
    public var problem: String

    /// Makes an error.
    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    /// `key: problem`, ready to show to the user who edits the file.
    public var description: String { "\(key): \(problem)" }
}

extension Profile {
    /// Largest seconds any delay, window or interval may have: an hour.
    public static let maximumDelaySeconds = 3_600.0
    /// Largest daily time: a day.
    public static let maximumDailySeconds = 86_400.0
    /// Largest force, pressure or percentage a threshold may have (far above any roller's load;
    /// it keeps every derived number, such as microseconds in an Int64, in range).
    public static let maximumThreshold = 100_000.0
    /// Largest filter frequency in hertz (above any sample rate the board has).
    public static let maximumHertz = 1_000.0
    /// Largest channel position or band width in millimetres.
    public static let maximumMillimetres = 10_000.0

    /// Checks every value; throws the first problem found, naming its key. Every number has a
    /// range, so a typo such as `1e13` is an error naming its key, never an overflow later; the
    /// stop limit is at most `stopCeiling(bodyMassKilograms:)`.
    public func validate(bodyMassKilograms: Double? = nil) throws(ProfileError) {
        func check(_ ok: Bool, _ key: String, _ problem: @autoclosure () -> String) throws(ProfileError) {
            if !ok { throw ProfileError(key: key, problem: problem()) }
        }
        func finiteNonNegative(_ value: Double, _ key: String, maximum: Double) throws(ProfileError) {
            try check(value.isFinite && value >= 0 && value <= maximum, key, "must be a number from 0 to \(Self.text(maximum)) (got \(value))")
        }
        func finitePositive(_ value: Double, _ key: String, maximum: Double) throws(ProfileError) {
            try check(value.isFinite && value > 0 && value <= maximum, key, "must be a number above 0 and at most \(Self.text(maximum)) (got \(value))")
        }
        let delay = Self.maximumDelaySeconds, daily = Self.maximumDailySeconds, threshold = Self.maximumThreshold
        try check(!name.isEmpty, "name", "must not be empty")
        if tool == .custom {
            try finitePositive(customContactAreaSquareCentimetres, "customContactAreaSquareCentimetres", maximum: 10_000)
        } else {
            try finiteNonNegative(customContactAreaSquareCentimetres, "customContactAreaSquareCentimetres", maximum: 10_000)
        }
        try check([1, 3, 5].contains(filter.medianLength), "filter.medianLength", "must be 1, 3 or 5 (got \(filter.medianLength))")
        try finitePositive(filter.minCutoffHertz, "filter.minCutoffHertz", maximum: Self.maximumHertz)
        try finiteNonNegative(filter.beta, "filter.beta", maximum: Self.maximumHertz)
        try finitePositive(filter.derivativeCutoffHertz, "filter.derivativeCutoffHertz", maximum: Self.maximumHertz)
        try finitePositive(filter.emaTimeConstantSeconds, "filter.emaTimeConstantSeconds", maximum: delay)

        try finitePositive(contact.onNewtons, "contact.onNewtons", maximum: threshold)
        try finiteNonNegative(contact.offNewtons, "contact.offNewtons", maximum: threshold)
        try check(contact.offNewtons < contact.onNewtons, "contact.offNewtons",
                  "must be below contact.onNewtons (\(contact.offNewtons) >= \(contact.onNewtons))")
        try finiteNonNegative(contact.onDelaySeconds, "contact.onDelaySeconds", maximum: delay)
        try finiteNonNegative(contact.offDelaySeconds, "contact.offDelaySeconds", maximum: delay)

        try finitePositive(zones.target, "zones.target", maximum: threshold)
        try finitePositive(zones.caution, "zones.caution", maximum: threshold)
        try finitePositive(zones.stop, "zones.stop", maximum: threshold)
        try check(zones.caution.isFinite && zones.caution > zones.target, "zones.caution",
                  "must be above zones.target (\(zones.caution) <= \(zones.target))")
        try check(zones.stop.isFinite && zones.stop > zones.caution, "zones.stop",
                  "must be above zones.caution (\(zones.stop) <= \(zones.caution))")
        try validateStopCeiling(bodyMassKilograms: bodyMassKilograms)
        try finiteNonNegative(zones.deadband, "zones.deadband", maximum: threshold)
        try check(zones.deadband < zones.caution - zones.target && zones.deadband < zones.stop - zones.caution,
                  "zones.deadband", "must be smaller than the gap between two zone thresholds")
        try finiteNonNegative(zones.onDelaySeconds, "zones.onDelaySeconds", maximum: delay)
        try finiteNonNegative(zones.offDelaySeconds, "zones.offDelaySeconds", maximum: delay)
        try finiteNonNegative(zones.minimumLatchSeconds, "zones.minimumLatchSeconds", maximum: delay)

        try finitePositive(jump.riseNewtons, "jump.riseNewtons", maximum: threshold)
        try finitePositive(jump.windowSeconds, "jump.windowSeconds", maximum: delay)
        try finiteNonNegative(jump.refractorySeconds, "jump.refractorySeconds", maximum: delay)

        try check(spine.channelPositionsMillimetres.count <= 4, "spine.channelPositionsMillimetres",
                  "must list at most 4 channels (got \(spine.channelPositionsMillimetres.count))")
        for (i, x) in spine.channelPositionsMillimetres.enumerated() {
            try check(x.isFinite && abs(x) <= Self.maximumMillimetres, "spine.channelPositionsMillimetres[\(i)]",
                      "must be a number from -\(Self.text(Self.maximumMillimetres)) to \(Self.text(Self.maximumMillimetres)) (got \(x))")
        }
        try finiteNonNegative(spine.halfWidthMillimetres, "spine.halfWidthMillimetres", maximum: Self.maximumMillimetres)
        try check(spine.centreShare.isFinite && spine.centreShare > 0.5 && spine.centreShare <= 1, "spine.centreShare",
                  "must be above 0.5 and at most 1 (got \(spine.centreShare))")
        try finiteNonNegative(spine.onDelaySeconds, "spine.onDelaySeconds", maximum: delay)
        try finiteNonNegative(spine.offDelaySeconds, "spine.offDelaySeconds", maximum: delay)

        try finitePositive(limits.dailyLimitSeconds, "limits.dailyLimitSeconds", maximum: daily)
        try finitePositive(limits.dailyWarningSeconds, "limits.dailyWarningSeconds", maximum: daily)
        try check(limits.dailyWarningSeconds < limits.dailyLimitSeconds, "limits.dailyWarningSeconds",
                  "must be below limits.dailyLimitSeconds (\(limits.dailyWarningSeconds) >= \(limits.dailyLimitSeconds))")
        try finiteNonNegative(limits.holdNoticeSeconds, "limits.holdNoticeSeconds", maximum: daily)
        try finitePositive(limits.holdCautionSeconds, "limits.holdCautionSeconds", maximum: daily)
        try check(limits.holdNoticeSeconds < limits.holdCautionSeconds, "limits.holdNoticeSeconds",
                  "must be below limits.holdCautionSeconds (\(limits.holdNoticeSeconds) >= \(limits.holdCautionSeconds))")
        try finiteNonNegative(limits.reminderIntervalSeconds, "limits.reminderIntervalSeconds", maximum: daily)
        try finitePositive(limits.painMarkExpiryDays, "limits.painMarkExpiryDays", maximum: TimeLimitProfile.maximumPainMarkExpiryDays)

        try finitePositive(faults.flatLineSeconds, "faults.flatLineSeconds", maximum: delay)
        try finitePositive(faults.saturationCounts, "faults.saturationCounts", maximum: 2_147_483_647)
        try finitePositive(faults.holdSeconds, "faults.holdSeconds", maximum: delay)
        try finitePositive(faults.maxSampleIntervalSeconds, "faults.maxSampleIntervalSeconds", maximum: delay)

        try finitePositive(stillness.windowSeconds, "stillness.windowSeconds", maximum: delay)
        try finiteNonNegative(stillness.forceSpanNewtons, "stillness.forceSpanNewtons", maximum: threshold)
        try finiteNonNegative(stillness.forceSpanFraction, "stillness.forceSpanFraction", maximum: 10)
        try finiteNonNegative(stillness.centroidSpanMillimetres, "stillness.centroidSpanMillimetres", maximum: Self.maximumMillimetres)
        try finiteNonNegative(range.overRangeCounts, "range.overRangeCounts", maximum: 16_777_216)
        try finiteNonNegative(range.overRangeChannelNewtons, "range.overRangeChannelNewtons", maximum: threshold)

        try finitePositive(rezero.windowSeconds, "rezero.windowSeconds", maximum: delay)
        try finitePositive(rezero.stillNewtons, "rezero.stillNewtons", maximum: threshold)
        try finiteNonNegative(rezero.maxDriftNewtons, "rezero.maxDriftNewtons", maximum: threshold)
        if let rotation {
            try finitePositive(rotation.rollerRadiusMillimetres, "rotation.rollerRadiusMillimetres", maximum: Self.maximumMillimetres)
            try finitePositive(rotation.bandMillimetres, "rotation.bandMillimetres", maximum: Self.maximumMillimetres)
            try finitePositive(rotation.stillSpanMillimetres, "rotation.stillSpanMillimetres", maximum: Self.maximumMillimetres)
            try finitePositive(rotation.stillSeconds, "rotation.stillSeconds", maximum: delay)
            try finiteNonNegative(rotation.radiusUncertainty, "rotation.radiusUncertainty", maximum: 1)
            try finitePositive(rotation.strokeMinimumMillimetres, "rotation.strokeMinimumMillimetres", maximum: Self.maximumMillimetres)
        }
        if let ball {
            try finitePositive(ball.diameterMillimetres, "ball.diameterMillimetres", maximum: Self.maximumMillimetres)
            try finiteNonNegative(ball.compressionMillimetres, "ball.compressionMillimetres", maximum: ball.diameterMillimetres / 4)
            try finitePositive(ball.sensorCountsPerInch, "ball.sensorCountsPerInch", maximum: 100_000)
            try finitePositive(ball.cellMillimetres, "ball.cellMillimetres", maximum: Self.maximumMillimetres)
            try finitePositive(ball.stillSpanMillimetres, "ball.stillSpanMillimetres", maximum: Self.maximumMillimetres)
            try finitePositive(ball.stillSeconds, "ball.stillSeconds", maximum: delay)
            try finiteNonNegative(ball.scaleUncertainty, "ball.scaleUncertainty", maximum: 1)
            try finitePositive(ball.strokeMinimumMillimetres, "ball.strokeMinimumMillimetres", maximum: Self.maximumMillimetres)
        }
    }

    private static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
