import RollSenseWire

/// What a session runs with.
public struct SessionConfiguration: Sendable {
    /// The default display rate: 15 readings per second of device time (the live view redraws at
    /// 10-20 per second; faster is not readable, slower looks sluggish).
    public static let defaultReadingIntervalMicroseconds: Int64 = 66_667

    /// The safety profile the pipeline runs.
    public var profile: Profile
    /// The user's body mass, for profiles with zones in percent of body weight.
    public var bodyMassKilograms: Double?
    /// Today's contact time on the region before this session (from the history ledger).
    public var priorDailyMicroseconds: Int64
    /// Readings go to the sink at most once per this much device time.
    public var readingIntervalMicroseconds: Int64
    /// Stop after this much device time since the first sample (nil: until stopped or ended).
    public var maximumDurationSeconds: Double?
    /// Whether to send GET_INFO and START (live: yes; replaying a recording: no).
    public var sendsCommands: Bool
    /// Give up when a live device sends nothing decodable for this long (nil: never).
    public var silenceTimeoutSeconds: Double?
    /// The calibration for a device, given its HELLO (nil when it never said who it is).
    public var calibration: @Sendable (DeviceInfo?) -> Calibration

    /// Makes a configuration; the defaults suit a live session.
    public init(
        profile: Profile,
        bodyMassKilograms: Double? = nil,
        priorDailyMicroseconds: Int64 = 0,
        readingIntervalMicroseconds: Int64 = SessionConfiguration.defaultReadingIntervalMicroseconds,
        maximumDurationSeconds: Double? = nil,
        sendsCommands: Bool = true,
        silenceTimeoutSeconds: Double? = 10,
        calibration: @escaping @Sendable (DeviceInfo?) -> Calibration = { _ in .identity }
    ) {
        self.profile = profile
        self.bodyMassKilograms = bodyMassKilograms
        self.priorDailyMicroseconds = priorDailyMicroseconds
        self.readingIntervalMicroseconds = readingIntervalMicroseconds
        self.maximumDurationSeconds = maximumDurationSeconds
        self.sendsCommands = sendsCommands
        self.silenceTimeoutSeconds = silenceTimeoutSeconds
        self.calibration = calibration
    }
}

/// The state of the link to the device, as a session sees it.
public enum LinkState: Sendable, Equatable {
    /// Bytes flow.
    case connected
    /// The device went away; a reconnecting source is waiting for it.
    case disconnected
    /// The device is back after `gapMicroseconds` of host time.
    case reconnected(gapMicroseconds: Int64)
}

