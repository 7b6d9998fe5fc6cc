import RollSenseWire

/// The highest stop limit a profile may have, in the zone unit and in newtons, with why
/// (docs/SAFETY.md, "Limit bounds").
public struct StopCeiling: Sendable, Equatable {
    /// The ceiling in the profile's zone unit (`zones.unit`).
    public var value: Double
    /// The same ceiling as a total force, nil when it cannot be turned into one (percent of
    /// body weight without a body mass).
    public var newtons: Double?
    /// Why this is the ceiling, in words for an error message ("100 % of body weight").
    public var reason: String
}

/// Where a zone limit's value came from (shown beside every limit: docs/SAFETY.md).
public enum LimitOrigin: Sendable, Equatable, Codable {
    /// A built-in profile, by name.
    case builtIn(profile: String)
    /// A profile file, by path.
    case profileFile(path: String)
    /// The config file's `profileOverrides`, by the config file's path.
    case config(path: String)
    /// The profile a recording carries, whose own origin it did not keep (older recordings).
    case recording(path: String)
    /// The person's pain marks: how many counted, their median force, their dates (Unix
    /// seconds, newest first), and whether the floor held the limit up.
    case painMarks(count: Int, medianNewtons: Double, datesUnixSeconds: [Double], floorApplied: Bool)
}

/// The origin of each of the three zone limits.
public struct LimitOrigins: Sendable, Equatable, Codable {
    /// Where `zones.target` came from.
    public var target: LimitOrigin
    /// Where `zones.caution` came from.
    public var caution: LimitOrigin
    /// Where `zones.stop` came from.
    public var stop: LimitOrigin

    /// Origins per limit.
    public init(target: LimitOrigin, caution: LimitOrigin, stop: LimitOrigin) {
        self.target = target
        self.caution = caution
        self.stop = stop
    }

    /// All three from one place (a built-in profile or a profile file).
    public init(all origin: LimitOrigin) {
        self.init(target: origin, caution: origin, stop: origin)
    }
}

extension ZoneProfile {
    /// The body mass `percentBodyWeight` zones assume when none is given (the commands say so
    /// on stderr and record it; docs/SAFETY.md).
    public static let assumedBodyMassKilograms = 75.0

    /// How many classifier units (newtons, or kilopascals for `kilopascals` zones) one profile
    /// unit is: the mass's weight in percent for `percentBodyWeight` (`assumedBodyMassKilograms`
    /// when nil), else 1. Nil when a given mass is not a positive number.
    public func classifierUnitsPerProfileUnit(bodyMassKilograms: Double?) -> Double? {
        switch unit {
        case .newtons, .kilopascals: return 1
        case .percentBodyWeight:
            let mass = bodyMassKilograms ?? Self.assumedBodyMassKilograms
            guard mass.isFinite, mass > 0 else { return nil }
            return mass * standardGravityMetresPerSecondSquared / 100
        }
    }
}

extension Profile {
    /// A ball's stop never exceeds this total force: about what lying on one ball on the floor
    /// puts through it for a heavy adult (a third of 90 kg); an estimate (docs/SAFETY.md).
    public static let ballStopCeilingNewtons = 300.0
    /// A stop in kPa never exceeds this mean pressure: above the pressure pain thresholds
    /// reported for the lumbar muscles (a few hundred kPa under a 1 cm² algometer); an estimate.
    public static let stopCeilingKilopascals = 1_000.0
    /// The heaviest body mass RollSense accepts; a roller's stop in newtons without a body mass
    /// is bounded by its weight.
    public static let heaviestBodyMassKilograms = 300.0

    /// The rig's measuring range as a total force: channels × `range.overRangeChannelNewtons`
    /// (one channel when the layout lists none), nil when the profile sets no range.
    public var rigRangeNewtons: Double? {
        guard range.overRangeChannelNewtons > 0 else { return nil }
        return Double(max(1, spine.channelPositionsMillimetres.count)) * range.overRangeChannelNewtons
    }

    /// The highest stop limit that makes physical sense for this profile: a roller (or a
    /// custom tool) cannot press harder than the whole body weight, a ball has an absolute
    /// ceiling, and no tool can stop above what the rig measures. Validation and every command
    /// that shows limits use this one bound.
    public func stopCeiling(bodyMassKilograms: Double?) -> StopCeiling {
        let mass = bodyMassKilograms.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        let isBall = tool == .tennisBall || tool == .lacrosseBall
        var forces: [(newtons: Double, reason: String)] = []
        if isBall {
            forces.append((Self.ballStopCeilingNewtons, "a ball's ceiling of \(Self.wholeText(Self.ballStopCeilingNewtons)) N"))
        } else if let mass {
            forces.append((mass * standardGravityMetresPerSecondSquared, "a roller carries at most the whole body weight (\(Self.wholeText(mass)) kg)"))
        } else if zones.unit != .percentBodyWeight {
            forces.append((Self.heaviestBodyMassKilograms * standardGravityMetresPerSecondSquared,
                           "the weight of the heaviest body RollSense accepts (\(Self.wholeText(Self.heaviestBodyMassKilograms)) kg)"))
        }
        if let rig = rigRangeNewtons {
            forces.append((rig, "the rig's measuring range (\(max(1, spine.channelPositionsMillimetres.count)) x range.overRangeChannelNewtons \(Self.wholeText(range.overRangeChannelNewtons)) N)"))
        }
        let force = forces.min { $0.newtons < $1.newtons }
        switch zones.unit {
        case .newtons:
            // Every branch above adds at least one force for newton zones.
            let bound = force ?? (Self.maximumThreshold, "the largest threshold")
            return StopCeiling(value: bound.newtons, newtons: bound.newtons, reason: bound.reason)
        case .percentBodyWeight:
            guard let mass, let force else {
                return StopCeiling(value: 100, newtons: mass.map { $0 * standardGravityMetresPerSecondSquared }, reason: "a tool carries at most the whole body weight")
            }
            let percent = force.newtons / (mass * standardGravityMetresPerSecondSquared) * 100
            if percent >= 100 {
                return StopCeiling(value: 100, newtons: mass * standardGravityMetresPerSecondSquared, reason: "a tool carries at most the whole body weight")
            }
            return StopCeiling(value: percent, newtons: force.newtons, reason: force.reason)
        case .kilopascals:
            let model = PressureModel(tool: tool, customAreaSquareCentimetres: customContactAreaSquareCentimetres)
            if let force {
                let pressure = model.pressureKilopascals(forceNewtons: force.newtons)
                if pressure < Self.stopCeilingKilopascals {
                    return StopCeiling(value: pressure, newtons: force.newtons, reason: force.reason + ", as estimated pressure")
                }
            }
            return StopCeiling(value: Self.stopCeilingKilopascals, newtons: nil,
                               reason: "the pressure ceiling of \(Self.wholeText(Self.stopCeilingKilopascals)) kPa")
        }
    }

    /// A stop limit must be at least this many times the contact level: the alarms judge only a
    /// load in contact, so a stop at or under it could never be raised, and one just above it
    /// would leave no room for the deadband (estimate; docs/SAFETY.md, "Limit bounds").
    public static let stopContactMultiple = 2.0

    /// The lowest stop limit (zone unit) the alarms can reach: `stopContactMultiple` times the
    /// contact level; nil for percent of body weight without a body mass.
    public func stopReachableFloor(bodyMassKilograms: Double?) -> Double? {
        let newtons = Self.stopContactMultiple * contact.onNewtons
        switch zones.unit {
        case .newtons: return newtons
        case .kilopascals:
            return PressureModel(tool: tool, customAreaSquareCentimetres: customContactAreaSquareCentimetres).pressureKilopascals(forceNewtons: newtons)
        case .percentBodyWeight:
            guard let mass = bodyMassKilograms, mass.isFinite, mass > 0 else { return nil }
            return newtons / (mass * standardGravityMetresPerSecondSquared) * 100
        }
    }

    /// Throws when `zones.stop` is above `stopCeiling(bodyMassKilograms:)` or below
    /// `stopReachableFloor(bodyMassKilograms:)`, naming `zones.stop`.
    func validateStopCeiling(bodyMassKilograms: Double?) throws(ProfileError) {
        if let floor = stopReachableFloor(bodyMassKilograms: bodyMassKilograms), zones.stop < floor * (1 - 1e-9) {
            let unit = zones.unit == .newtons ? "N" : zones.unit == .kilopascals ? "kPa" : "% body weight"
            throw ProfileError(key: "zones.stop", problem: "must be at least \(Self.oneDecimal(floor)) \(unit): \(Self.wholeText(Self.stopContactMultiple)) x contact.onNewtons (\(Self.oneDecimal(contact.onNewtons)) N), or the alarm could never be raised (got \(Self.oneDecimal(zones.stop)))")
        }
        let ceiling = stopCeiling(bodyMassKilograms: bodyMassKilograms)
        // A hair of tolerance: a ceiling computed from a mass may round below a value typed as it.
        guard zones.stop <= ceiling.value * (1 + 1e-9) else {
            let unit = zones.unit == .newtons ? "N" : zones.unit == .kilopascals ? "kPa" : "% body weight"
            throw ProfileError(key: "zones.stop", problem: "must be at most \(Self.oneDecimal(ceiling.value)) \(unit): \(ceiling.reason) (got \(Self.oneDecimal(zones.stop)))")
        }
    }

    private static func wholeText(_ value: Double) -> String {
        value.isFinite && abs(value) < 1e15 ? String(Int64(value.rounded())) : String(value)
    }

    private static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return String(value) }
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int64(tenths / 10)) : String(tenths / 10)
    }
}

extension TimeLimitProfile {
    /// Days a pain mark counts when the profile does not say: two weeks, an estimate.
    public static let defaultPainMarkExpiryDays = 14.0
    /// The longest a mark may be set to count: a year.
    public static let maximumPainMarkExpiryDays = 366.0

    private enum DecodingKeys: String, CodingKey {
        case dailyLimitSeconds, dailyWarningSeconds, holdNoticeSeconds, holdCautionSeconds, reminderIntervalSeconds, painMarkExpiryDays
    }

    /// Decodes a profile's `limits`; `painMarkExpiryDays` may be missing (profile files and
    /// recordings from before it existed), then the default applies.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DecodingKeys.self)
        dailyLimitSeconds = try container.decode(Double.self, forKey: .dailyLimitSeconds)
        dailyWarningSeconds = try container.decode(Double.self, forKey: .dailyWarningSeconds)
        holdNoticeSeconds = try container.decode(Double.self, forKey: .holdNoticeSeconds)
        holdCautionSeconds = try container.decode(Double.self, forKey: .holdCautionSeconds)
        reminderIntervalSeconds = try container.decode(Double.self, forKey: .reminderIntervalSeconds)
        painMarkExpiryDays = try container.decodeIfPresent(Double.self, forKey: .painMarkExpiryDays) ?? Self.defaultPainMarkExpiryDays
    }
}
