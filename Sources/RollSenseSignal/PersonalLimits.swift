import RollSenseWire

/// A person's own limits from their pain marks (docs/SAFETY.md, "Pain marks"): the stop limit is
/// `markFraction` of the median of the recent marks, never above the profile's stop and never
/// below `stopFloorFraction` of it nor below a stop the alarms can reach (the floor is reported); caution follows below the stop;
/// target moves only when it would otherwise not stay below caution. A mark can only lower a limit.
public struct PersonalLimits: Sendable, Equatable {
    /// Marks considered: the newest this many that have not expired.
    public static let recentMarkCount = 5
    /// Personal stop = this × median mark force (a margin below the force that hurt; estimate).
    public static let markFraction = 0.8
    /// Personal caution = at most this × personal stop (estimate).
    public static let cautionFraction = 0.85
    /// Marks never take the stop below this fraction of the profile's stop: one stray mark at a
    /// light touch would otherwise put every ordinary set in "stop" (estimate; shown when it holds).
    public static let stopFloorFraction = 0.5
    /// Seconds in a day, for `limits.painMarkExpiryDays`.
    public static let secondsPerDay = 86_400.0

    /// One stored pain mark as the limits see it.
    public struct Mark: Sendable, Equatable {
        /// Smoothed total force at the mark.
        public var forceNewtons: Double
        /// When it was marked, seconds since 1970 (UTC).
        public var unixSeconds: Double

        /// Makes a mark.
        public init(forceNewtons: Double, unixSeconds: Double) {
            self.forceNewtons = forceNewtons
            self.unixSeconds = unixSeconds
        }
    }

    /// The profile with the personal limits applied.
    public private(set) var profile: Profile
    /// Where each zone limit came from.
    public private(set) var origins: LimitOrigins
    /// The marks that counted: unexpired, newest first, at most `recentMarkCount`.
    public let countedMarks: [Mark]
    /// The stop the marks asked for (zone unit) when the floor held the limit above it; else nil.
    public private(set) var stopBelowFloor: Double?

    /// Applies the person's marks (any order) to `base`, whose limits came from `origins`. Marks
    /// older than `limits.painMarkExpiryDays` at `nowUnixSeconds` do not count. Zones in percent
    /// of body weight need the mass; without it the profile is kept.
    public init(profile base: Profile, origins: LimitOrigins, marks: [Mark], nowUnixSeconds: Double, bodyMassKilograms: Double?) {
        let expirySeconds = base.limits.painMarkExpiryDays * Self.secondsPerDay
        let counted = Array(marks.filter { $0.forceNewtons.isFinite && $0.forceNewtons > 0 && nowUnixSeconds - $0.unixSeconds < expirySeconds }
            .sorted { $0.unixSeconds > $1.unixSeconds }.prefix(Self.recentMarkCount))
        countedMarks = counted
        profile = base
        self.origins = origins
        stopBelowFloor = nil
        guard !counted.isEmpty else { return }
        let forces = counted.map(\.forceNewtons).sorted()
        let middle = forces.count / 2
        let median = forces.count % 2 == 1 ? forces[middle] : (forces[middle - 1] + forces[middle]) / 2
        let stopNewtons = Self.markFraction * median
        let asked: Double
        switch base.zones.unit {
        case .newtons: asked = stopNewtons
        case .kilopascals:
            asked = PressureModel(tool: base.tool, customAreaSquareCentimetres: base.customContactAreaSquareCentimetres)
                .pressureKilopascals(forceNewtons: stopNewtons)
        case .percentBodyWeight:
            guard let mass = bodyMassKilograms, mass > 0, mass.isFinite else { return }
            asked = stopNewtons / (mass * standardGravityMetresPerSecondSquared) * 100
        }
        var zones = base.zones
        guard asked < zones.stop else { return }
        // Never below a stop the alarms can reach (twice the contact level), nor above the profile's.
        let reachable = base.stopReachableFloor(bodyMassKilograms: bodyMassKilograms) ?? 0
        let floor = min(base.zones.stop, max(Self.stopFloorFraction * base.zones.stop, reachable))
        let floorApplied = asked < floor
        zones.stop = max(asked, floor)
        zones.caution = min(zones.caution, Self.cautionFraction * zones.stop)
        // Target is the band to work in, not an alarm: it moves only to stay below caution.
        if zones.target >= zones.caution { zones.target = zones.caution / 2 }
        // The deadband must stay inside the narrower zones.
        zones.deadband = min(zones.deadband, 0.3 * (zones.stop - zones.caution), 0.3 * (zones.caution - zones.target))
        var adjusted = base
        adjusted.zones = zones
        profile = adjusted
        stopBelowFloor = floorApplied ? asked : nil
        let marked = LimitOrigin.painMarks(count: counted.count, medianNewtons: median,
                                           datesUnixSeconds: counted.map(\.unixSeconds), floorApplied: floorApplied)
        self.origins = LimitOrigins(
            target: zones.target < base.zones.target ? marked : origins.target,
            caution: zones.caution < base.zones.caution ? marked : origins.caution,
            stop: marked)
    }

    /// Whether the marks lowered any limit.
    public var isLoweredByMarks: Bool {
        if case .painMarks = origins.stop { return true }
        return false
    }
}
