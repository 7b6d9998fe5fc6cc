import Foundation

/// What a capture says about its session: a JSON object whose well-known keys have accessors here.
///
/// A capture may hold several metadata records (the device's HELLO arrives after recording
/// starts); a reader merges them in order, a later key replacing an earlier one.
public struct CaptureMetadata: Sendable, Equatable {
    /// Every key, including ones this program does not know (kept for newer writers).
    public var fields: [String: JSONValue]

    /// Makes metadata from raw fields.
    public init(fields: [String: JSONValue] = [:]) {
        self.fields = fields
    }

    /// Makes metadata from the well-known fields; nil ones are left out.
    public init(
        programVersion: String? = nil,
        startWallClock: Date? = nil,
        timeZoneIdentifier: String? = nil,
        device: JSONValue? = nil,
        calibration: JSONValue? = nil,
        profileName: String? = nil,
        profile: JSONValue? = nil,
        area: String? = nil,
        tool: String? = nil
    ) {
        fields = [:]
        self.programVersion = programVersion
        self.startWallClock = startWallClock
        self.timeZoneIdentifier = timeZoneIdentifier
        self.device = device
        self.calibration = calibration
        self.profileName = profileName
        self.profile = profile
        self.area = area
        self.tool = tool
    }

    /// Version of the program that recorded the file.
    public var programVersion: String? {
        get { fields["programVersion"]?.stringValue }
        set { fields["programVersion"] = newValue.map(JSONValue.string) }
    }

    /// Wall-clock start of the session as ISO 8601 text in UTC, to the millisecond (the file
    /// header holds it to the microsecond).
    public var startWallClock: Date? {
        get { fields["startWallClock"]?.stringValue.flatMap { try? Date($0, strategy: Self.timestampStyle) } }
        set { fields["startWallClock"] = newValue.map { .string($0.formatted(Self.timestampStyle)) } }
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The host's time zone (an IANA identifier such as `Europe/Berlin`), for local days in reports.
    public var timeZoneIdentifier: String? {
        get { fields["timeZone"]?.stringValue }
        set { fields["timeZone"] = newValue.map(JSONValue.string) }
    }

    /// The device as its HELLO described it, in whatever shape the decoder gives it.
    public var device: JSONValue? {
        get { fields["device"] }
        set { fields["device"] = newValue }
    }

    /// The calibration in force when recording.
    public var calibration: JSONValue? {
        get { fields["calibration"] }
        set { fields["calibration"] = newValue }
    }

    /// Name of the safety profile in force.
    public var profileName: String? {
        get { fields["profileName"]?.stringValue }
        set { fields["profileName"] = newValue.map(JSONValue.string) }
    }

    /// The safety profile itself, so a replay uses the same limits even if the file changed since.
    public var profile: JSONValue? {
        get { fields["profile"] }
        set { fields["profile"] = newValue }
    }

    /// Body area being massaged.
    public var area: String? {
        get { fields["area"]?.stringValue }
        set { fields["area"] = newValue.map(JSONValue.string) }
    }

    /// Tool in use (roller, ball, ...).
    public var tool: String? {
        get { fields["tool"]?.stringValue }
        set { fields["tool"] = newValue.map(JSONValue.string) }
    }

    /// The live session's `--duration`: it stopped at this much device time, though bytes after
    /// it were already recorded, so a replay stops there too and gives the same events.
    public var durationLimitSeconds: Double? {
        get {
            switch fields["durationLimitSeconds"] {
            case .number(let value): value
            case .integer(let value): Double(value)
            default: nil
            }
        }
        set { fields["durationLimitSeconds"] = newValue.map(JSONValue.number) }
    }

    /// The user's body mass given to the live session (zones in percent of body weight need it).
    public var bodyMassKilograms: Double? {
        get {
            switch fields["bodyMassKilograms"] {
            case .number(let value): value
            case .integer(let value): Double(value)
            default: nil
            }
        }
        set { fields["bodyMassKilograms"] = newValue.map(JSONValue.number) }
    }

    /// A unique id given to the recording when it was made (a UUID), so the history counts it
    /// once however often it is replayed into it.
    public var recordingID: String? {
        get { fields["recordingId"]?.stringValue }
        set { fields["recordingId"] = newValue.map(JSONValue.string) }
    }

    /// Adds `other`'s keys, replacing ones already present.
    public mutating func merge(_ other: CaptureMetadata) {
        fields.merge(other.fields) { _, new in new }
    }

    /// The UTF-8 JSON object stored in a metadata record.
    func encodedPayload() -> [UInt8] {
        Array(JSONValue.object(fields).jsonText.utf8)
    }

    /// Parses a metadata record's payload; nil when it is not a JSON object.
    init?(payload: UnsafeRawBufferPointer) {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(payload)),
              case .object(let fields) = value else { return nil }
        self.fields = fields
    }
}
