/// How a roller's rotation becomes a position along the back (profile key `rotation`;
/// docs/HARDWARE.md "Rotation sensor", docs/SAFETY.md "Position on the back").
public struct RotationProfile: Codable, Sendable, Equatable {
    /// The roller's radius: turning by θ moves the contact r·θ along the back.
    public var rollerRadiusMillimetres: Double
    /// Width of one band of the back, for time and pressure per spot.
    public var bandMillimetres: Double
    /// Moving less than this, peak to peak, for `stillSeconds` is staying on one spot.
    public var stillSpanMillimetres: Double
    /// How long the position must stay within `stillSpanMillimetres` to be still.
    public var stillSeconds: Double
    /// Relative error of the radius (foam compressed under the body): the drift bound reported is
    /// this fraction of the distance from the last anchor.
    public var radiusUncertainty: Double
    /// A pass shorter than this is not a stroke (breathing, noise).
    public var strokeMinimumMillimetres: Double

    /// Makes a rotation profile.
    public init(rollerRadiusMillimetres: Double, bandMillimetres: Double, stillSpanMillimetres: Double,
                stillSeconds: Double, radiusUncertainty: Double, strokeMinimumMillimetres: Double) {
        self.rollerRadiusMillimetres = rollerRadiusMillimetres
        self.bandMillimetres = bandMillimetres
        self.stillSpanMillimetres = stillSpanMillimetres
        self.stillSeconds = stillSeconds
        self.radiusUncertainty = radiusUncertainty
        self.strokeMinimumMillimetres = strokeMinimumMillimetres
    }
}

/// Where the tool is for one sample.
public struct PositionReading: Sendable, Equatable {
    /// Position along the back in mm from where the session's first contact began (positive:
    /// the roller turned forwards); nil out of contact or without a good angle.
    public var millimetres: Double?
    /// The band (`floor(millimetres / bandMillimetres)`) of `millimetres`.
    public var band: Int?
    /// Whether the tool has stayed on one spot for the profile's `stillSeconds`.
    public var isStill: Bool
    /// How far `millimetres` may be from the truth because of the radius (`radiusUncertainty` of
    /// the distance from the last anchor) and the sensor (two counts); slipping adds to it unseen.
    public var driftBoundMillimetres: Double
    /// Times the position was re-anchored: the tool lifted and put back, or the angle lost and
    /// found again. After one, positions continue from the last known one, but the true place the
    /// tool came back to is unknown (docs/SAFETY.md).
    public var reanchors: Int
    /// Completed strokes (passes of at least `strokeMinimumMillimetres` in one direction).
    public var strokes: Int

    /// Makes a reading.
    public init(millimetres: Double?, band: Int?, isStill: Bool, driftBoundMillimetres: Double, reanchors: Int, strokes: Int) {
        self.millimetres = millimetres
        self.band = band
        self.isStill = isStill
        self.driftBoundMillimetres = driftBoundMillimetres
        self.reanchors = reanchors
        self.strokes = strokes
    }

    /// No position yet.
    public static let unknown = PositionReading(millimetres: nil, band: nil, isStill: false, driftBoundMillimetres: 0,
                                                reanchors: 0, strokes: 0)
}

/// Contact time and pressure on one band of the back.
public struct BandTotals: Sendable, Equatable {
    /// The band: it covers `[band, band + 1) * bandMillimetres` from the first contact.
    public var band: Int
    /// Contact time spent on it.
    public var contactMicroseconds: Int64
    /// Pressure integrated over that time (kPa × µs), for the mean.
    public var pressureIntegral: Double
    /// Highest pressure read on it.
    public var peakKilopascals: Double

    /// Mean pressure while on the band.
    public var meanKilopascals: Double {
        contactMicroseconds > 0 ? pressureIntegral / Double(contactMicroseconds) : 0
    }
}

/// The roller's position along the back from an absolute angle encoder (AS5600 raw counts),
/// time and pressure per band, stillness and strokes. Pure and deterministic.
///
/// Time goes to the state at the start of each interval, as the pipeline's time on area does, and
/// every microsecond of contact goes to one band or to `unknownMicroseconds`: the bands and the
/// unknown share always sum to `contactMicroseconds` exactly.
public struct PositionTracker: Sendable {
    /// AS5600 counts a turn (12 bits).
    public static let countsPerTurn: Int32 = 4096

    /// The geometry it uses.
    public let profile: RotationProfile
    private let millimetresPerCount: Double
    private let stillMicroseconds: Int64

    // Angle unwrapping.
    private var lastRaw: Int32 = -1
    private var unwrappedCounts: Int64 = 0
    // Anchoring: position = anchorPosition + (angle mm - anchorAngle).
    private var started = false
    private var needsAnchor = true
    private var anchorAngleMillimetres = 0.0
    private var anchorPositionMillimetres = 0.0
    private var lastKnownMillimetres = 0.0
    // Stillness: the position stays within half the span of `stillCentre` since `stillSince`;
    // while still the reported position is the mean since then (the resting angle).
    private var stillCentre = Double.nan
    private var stillSince: Int64 = 0
    private var stillSum = 0.0
    private var stillCount = 0
    // Strokes: the extreme of the pass under way and its direction (0: none yet).
    private var passExtreme = Double.nan
    private var passDirection = 0.0

    private var previous = PositionReading.unknown
    private var previousPressure = 0.0

    /// Per band, keyed by band number.
    public private(set) var bands: [Int: BandTotals] = [:]
    /// Contact time while the position was unknown (no good angle).
    public private(set) var unknownMicroseconds: Int64 = 0
    /// All contact time seen.
    public private(set) var contactMicroseconds: Int64 = 0
    /// Contact time spent moving (not still), the base of the cadence.
    public private(set) var movingMicroseconds: Int64 = 0

    /// A tracker for `profile`.
    public init(profile: RotationProfile) {
        self.profile = profile
        millimetresPerCount = 2 * Double.pi * profile.rollerRadiusMillimetres / Double(Self.countsPerTurn)
        stillMicroseconds = Int64((profile.stillSeconds * 1_000_000).rounded())
    }

    /// The last reading.
    public var lastReading: PositionReading { previous }
    /// Device time since which the position has stayed on one spot (nil while moving or unknown).
    public var stillSinceMicroseconds: Int64? { previous.isStill ? stillSince : nil }

    /// Strokes a minute while moving in contact, nil before a stroke.
    public var strokesPerMinute: Double? {
        guard previous.strokes > 0, movingMicroseconds > 0 else { return nil }
        return Double(previous.strokes) / (Double(movingMicroseconds) / 60_000_000)
    }

    /// Bands in order along the back.
    public var bandsInOrder: [BandTotals] { bands.values.sorted { $0.band < $1.band } }

    /// Takes one sample: `dt` since the previous one (0 for the first or after a clock jump),
    /// the angle (nil: none this sample), whether the tool is in contact (the pipeline's contact
    /// state over the interval, as for time on area), whether it bears load right now (the
    /// unsmoothed force above the contact-off level: contact's off-delay would let a lifted
    /// roller's spin count) and the pressure.
    public mutating func update(timeMicroseconds t: Int64, intervalMicroseconds dt: Int64, angleCounts: Int32?,
                                inContact: Bool, loaded: Bool = true, pressureKilopascals: Double) -> PositionReading {
        // The interval belongs to the state at its start: contact as the pipeline has it, and the
        // band and pressure of the previous sample.
        if inContact && dt > 0 {
            contactMicroseconds &+= dt
            if !previous.isStill { movingMicroseconds &+= dt }
            if let band = previous.band {
                bands[band, default: BandTotals(band: band, contactMicroseconds: 0, pressureIntegral: 0, peakKilopascals: 0)]
                    .add(microseconds: dt, pressureKilopascals: previousPressure)
            } else {
                unknownMicroseconds &+= dt
            }
        }
        previousPressure = pressureKilopascals

        var reading = previous
        let angle = angleCounts.flatMap { (0..<Self.countsPerTurn).contains($0) ? $0 : nil }
        if let raw = angle {
            if lastRaw >= 0 {
                // The shorter way round: right while the roller turns less than half a turn a
                // sample (about 24 cm of back in 10 ms on a 15 cm roller).
                var delta = raw - lastRaw
                if delta > Self.countsPerTurn / 2 { delta -= Self.countsPerTurn }
                if delta < -Self.countsPerTurn / 2 { delta += Self.countsPerTurn }
                unwrappedCounts += Int64(delta)
            } else {
                unwrappedCounts = Int64(raw)
            }
            lastRaw = raw
        } else {
            // Without an angle the turns in between are unknown: anchor again when it is back.
            lastRaw = -1
            needsAnchor = true
        }

        guard inContact, loaded, angle != nil else {
            if !(inContact && loaded) && started { needsAnchor = true }  // lifted: it may come back anywhere
            reading.millimetres = nil
            reading.band = nil
            reading.isStill = false
            resetStillness()
            if !(inContact && loaded) { passDirection = 0; passExtreme = .nan }
            previous = reading
            return reading
        }

        let angleMillimetres = Double(unwrappedCounts) * millimetresPerCount
        if !started {
            started = true
            anchorAngleMillimetres = angleMillimetres
            anchorPositionMillimetres = 0
        } else if needsAnchor {
            anchorAngleMillimetres = angleMillimetres
            anchorPositionMillimetres = lastKnownMillimetres
            reading.reanchors += 1
        }
        needsAnchor = false
        let raw = anchorPositionMillimetres + (angleMillimetres - anchorAngleMillimetres)

        // Stillness, and the resting position averaged while still.
        if stillCentre.isNaN || abs(raw - stillCentre) > profile.stillSpanMillimetres / 2 {
            stillCentre = raw
            stillSince = t
            stillSum = 0
            stillCount = 0
        }
        stillSum += raw
        stillCount += 1
        reading.isStill = t - stillSince >= stillMicroseconds
        let position = reading.isStill ? stillSum / Double(stillCount) : raw

        countStroke(raw, into: &reading)
        lastKnownMillimetres = position
        reading.millimetres = position
        reading.band = Int((position / profile.bandMillimetres).rounded(.down))
        reading.driftBoundMillimetres = profile.radiusUncertainty * abs(position - anchorPositionMillimetres)
            + 2 * millimetresPerCount
        previous = reading
        return reading
    }

    private mutating func resetStillness() {
        stillCentre = .nan
        stillSum = 0
        stillCount = 0
    }

    /// A stroke ends where the direction turns after a pass of at least the minimum.
    private mutating func countStroke(_ millimetres: Double, into reading: inout PositionReading) {
        let minimum = profile.strokeMinimumMillimetres
        if passExtreme.isNaN {
            passExtreme = millimetres
            return
        }
        if passDirection == 0 {
            if abs(millimetres - passExtreme) >= minimum {
                passDirection = millimetres > passExtreme ? 1 : -1
                passExtreme = millimetres
            }
            return
        }
        if (millimetres - passExtreme) * passDirection > 0 {
            passExtreme = millimetres
        } else if abs(millimetres - passExtreme) >= minimum {
            reading.strokes += 1
            passDirection = -passDirection
            passExtreme = millimetres
        }
    }
}

extension BandTotals {
    mutating func add(microseconds dt: Int64, pressureKilopascals: Double) {
        contactMicroseconds &+= dt
        pressureIntegral += pressureKilopascals * Double(dt)
        peakKilopascals = max(peakKilopascals, pressureKilopascals)
    }
}
