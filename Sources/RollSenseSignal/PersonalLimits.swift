import RollSenseWire

/// Where a zone limit came from, for `rollsense limits` and the live view.
public enum LimitSource: Sendable, Equatable {
    /// The profile's default (docs/SAFETY.md).
    case profile
    /// The person's recent pain marks: how many, and their median force.
    case painMarks(count: Int, medianNewtons: Double)
}

/// A person's own limits from their pain marks (docs/SAFETY.md, "Pain marks"): the stop limit is
/// `markFraction` of the median of the recent marks, never above the profile's stop; caution
/// follows below it. A mark can only lower a limit.
public struct PersonalLimits: Sendable, Equatable {
    /// Marks considered: the newest this many.
    public static let recentMarkCount = 5
    /// Personal stop = this × median mark force (a margin below the force that hurt; estimate).
    public static let markFraction = 0.8
    /// Personal caution = at most this × personal stop (estimate).
    public static let cautionFraction = 0.85

    /// The profile with the personal limits applied.
    public let profile: Profile
    /// Where the limits came from.
    public let source: LimitSource

    /// Applies the newest marks' forces (newest first; only the first `recentMarkCount` count) to
    /// `profile`. Zones in percent of body weight need the mass; without it the profile is kept.
    public init(profile base: Profile, recentMarkForcesNewtons: [Double], bodyMassKilograms: Double?) {
        let marks = Array(recentMarkForcesNewtons.prefix(Self.recentMarkCount)).filter { $0.isFinite && $0 > 0 }.sorted()
        guard !marks.isEmpty else {
            profile = base
            source = .profile
            return
        }
        let median = marks.count % 2 == 1 ? marks[marks.count / 2] : (marks[marks.count / 2 - 1] + marks[marks.count / 2]) / 2
        let stopNewtons = Self.markFraction * median
        // The stop limit in the profile's zone unit.
        let stopInUnit: Double
        switch base.zones.unit {
        case .newtons: stopInUnit = stopNewtons
        case .kilopascals:
            stopInUnit = PressureModel(tool: base.tool, customAreaSquareCentimetres: base.customContactAreaSquareCentimetres)
                .pressureKilopascals(forceNewtons: stopNewtons)
        case .percentBodyWeight:
            guard let mass = bodyMassKilograms, mass > 0, mass.isFinite else {
                profile = base
                source = .profile
                return
            }
            stopInUnit = stopNewtons / (mass * standardGravityMetresPerSecondSquared) * 100
        }
        var zones = base.zones
        guard stopInUnit < zones.stop else {
            profile = base
            source = .profile
            return
        }
        zones.stop = stopInUnit
        zones.caution = min(zones.caution, Self.cautionFraction * zones.stop)
        zones.target = min(zones.target, zones.caution / 2)
        // The deadband must stay inside the narrower zones.
        zones.deadband = min(zones.deadband, 0.3 * (zones.stop - zones.caution), 0.3 * (zones.caution - zones.target))
        var adjusted = base
        adjusted.zones = zones
        profile = adjusted
        source = .painMarks(count: marks.count, medianNewtons: median)
    }
}
