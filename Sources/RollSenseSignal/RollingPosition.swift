// Over 400 lines by a few: the rotation profile, the tracker and its band accounting change
// together (a band's width is the profile's, the tracker sums per band).
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

/// How a ball's motion, read by an optical sensor from below in its socket, becomes a position on
/// the back (profile key `ball`; docs/HARDWARE.md "Ball motion sensor", docs/SAFETY.md "Position
/// on the back").
public struct BallProfile: Codable, Sendable, Equatable {
    /// The ball's diameter.
    public var diameterMillimetres: Double
    /// How far the back flattens the ball where it presses: the back moves `1 - 2c/d` times the
    /// surface under the sensor, which faces it across the ball.
    public var compressionMillimetres: Double
    /// The sensor's resolution in counts per inch of surface travel (ADNS-3080: 400 or 1600, as
    /// the firmware's `RS_ADNS3080_CPI`).
    public var sensorCountsPerInch: Double
    /// Side of one square cell of the back's grid, for time and pressure per spot.
    public var cellMillimetres: Double
    /// Moving less than this, from where it settled, for `stillSeconds` is staying on one spot.
    public var stillSpanMillimetres: Double
    /// How long the position must stay within `stillSpanMillimetres` to be still.
    public var stillSeconds: Double
    /// Relative error of the travel (the compression varies with the press): the drift bound
    /// reported is this fraction of the distance from the last anchor.
    public var scaleUncertainty: Double
    /// A pass along the spine shorter than this is not a stroke.
    public var strokeMinimumMillimetres: Double

    /// Makes a ball profile.
    public init(diameterMillimetres: Double, compressionMillimetres: Double, sensorCountsPerInch: Double,
                cellMillimetres: Double, stillSpanMillimetres: Double, stillSeconds: Double,
                scaleUncertainty: Double, strokeMinimumMillimetres: Double) {
        self.diameterMillimetres = diameterMillimetres
        self.compressionMillimetres = compressionMillimetres
        self.sensorCountsPerInch = sensorCountsPerInch
        self.cellMillimetres = cellMillimetres
        self.stillSpanMillimetres = stillSpanMillimetres
        self.stillSeconds = stillSeconds
        self.scaleUncertainty = scaleUncertainty
        self.strokeMinimumMillimetres = strokeMinimumMillimetres
    }

    /// mm of back per sensor count.
    public var millimetresPerCount: Double {
        25.4 / sensorCountsPerInch * (1 - 2 * compressionMillimetres / diameterMillimetres)
    }
}

/// Where the tool is for one sample.
public struct PositionReading: Sendable, Equatable {
    /// Position along the back in mm from where the session's first contact began (positive:
    /// the roller turned forwards); nil out of contact or without a good angle.
    public var millimetres: Double?
    /// The band (`floor(millimetres / bandMillimetres)`) of `millimetres`.
    public var band: Int?
    /// A ball's position across the back in mm from the first contact (positive: the sensor's
    /// x); nil for a roller, out of contact or without a reading.
    public var acrossMillimetres: Double? = nil
    /// The grid column (`floor(acrossMillimetres / cellMillimetres)`) of a ball's position.
    public var column: Int? = nil
    /// Whether this is a ball's 2-D position (across and column are kept), not a roller's.
    public var isTwoDimensional = false
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

/// One cell of a ball's grid on the back: `column` across, `band` along the spine.
public struct PositionCell: Sendable, Hashable, Comparable {
    /// Across the back: `[column, column + 1) * cellMillimetres` from the first contact.
    public var column: Int
    /// Along the back: `[band, band + 1) * cellMillimetres` from the first contact.
    public var band: Int

    /// Makes a cell.
    public init(column: Int, band: Int) {
        self.column = column
        self.band = band
    }

    /// Along the spine first, then across.
    public static func < (a: PositionCell, b: PositionCell) -> Bool {
        (a.band, a.column) < (b.band, b.column)
    }
}

/// Contact time and pressure on one band of the back (or one cell of a ball's grid).
public struct BandTotals: Sendable, Equatable {
    /// The band: it covers `[band, band + 1) * bandMillimetres` from the first contact.
    public var band: Int
    /// The grid column for a ball's cell; 0 for a band.
    public var column: Int = 0
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

/// Where the tool is on the back: a roller's position along it from an absolute angle encoder
/// (AS5600 raw counts), or a ball's 2-D position from an optical motion sensor's x/y counts; time
/// and pressure per band (and per grid cell for the ball), stillness and strokes. One tracker for
/// both: each input becomes a travel in mm, and anchoring, stillness, strokes and the time
/// accounting work on that. Pure and deterministic.
///
/// Time goes to the state at the start of each interval, as the pipeline's time on area does, and
/// every microsecond of contact goes to one band or to `unknownMicroseconds`: the bands and the
/// unknown share always sum to `contactMicroseconds` exactly.
public struct PositionTracker: Sendable {
    /// AS5600 counts a turn (12 bits).
    public static let countsPerTurn: Int32 = 4096

    /// Width of a band along the back (a ball's grid cell side).
    public let bandMillimetres: Double
    /// Whether it tracks a ball in 2-D (grid cells kept) rather than a roller along the back.
    public let isTwoDimensional: Bool
    private let millimetresPerCount: Double
    private let stillSpanMillimetres: Double
    private let stillMicroseconds: Int64
    private let uncertainty: Double
    private let strokeMinimumMillimetres: Double

    // Angle unwrapping (roller).
    private var lastRaw: Int32 = -1
    private var unwrappedCounts: Int64 = 0
    // Summed motion counts (ball): x across, y along.
    private var motionCounts = SIMD2<Int64>(0, 0)
    // Anchoring: position = anchorPosition + (travel - anchorTravel), (across, along) in mm.
    private var started = false
    private var needsAnchor = true
    private var anchorTravel = SIMD2<Double>(0, 0)
    private var anchorPosition = SIMD2<Double>(0, 0)
    private var lastKnown = SIMD2<Double>(0, 0)
    // Stillness: the position stays within half the span of `stillCentre` since `stillSince`;
    // while still the reported position is the mean since then (the resting place).
    private var stillCentre: SIMD2<Double>? = nil
    private var stillSince: Int64 = 0
    private var stillSum = SIMD2<Double>(0, 0)
    private var stillCount = 0
    // Strokes: the extreme of the pass under way and its direction (0: none yet).
    private var passExtreme = Double.nan
    private var passDirection = 0.0

    private var previous = PositionReading.unknown
    private var previousPressure = 0.0

    /// Per band, keyed by band number.
    public private(set) var bands: [Int: BandTotals] = [:]
    /// Per grid cell of a ball's 2-D position; empty for a roller.
    public private(set) var cells: [PositionCell: BandTotals] = [:]
    /// Contact time while the position was unknown (no good angle).
    public private(set) var unknownMicroseconds: Int64 = 0
    /// All contact time seen.
    public private(set) var contactMicroseconds: Int64 = 0
    /// Contact time spent moving (not still), the base of the cadence.
    public private(set) var movingMicroseconds: Int64 = 0

    /// A tracker for a roller with `profile`.
    public init(profile: RotationProfile) {
        bandMillimetres = profile.bandMillimetres
        isTwoDimensional = false
        millimetresPerCount = 2 * Double.pi * profile.rollerRadiusMillimetres / Double(Self.countsPerTurn)
        stillSpanMillimetres = profile.stillSpanMillimetres
        stillMicroseconds = Int64((profile.stillSeconds * 1_000_000).rounded())
        uncertainty = profile.radiusUncertainty
        strokeMinimumMillimetres = profile.strokeMinimumMillimetres
    }

    /// A tracker for a ball with `ball`.
    public init(ball: BallProfile) {
        bandMillimetres = ball.cellMillimetres
        isTwoDimensional = true
        millimetresPerCount = ball.millimetresPerCount
        stillSpanMillimetres = ball.stillSpanMillimetres
        stillMicroseconds = Int64((ball.stillSeconds * 1_000_000).rounded())
        uncertainty = ball.scaleUncertainty
        strokeMinimumMillimetres = ball.strokeMinimumMillimetres
        previous.isTwoDimensional = true
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
    /// A ball's grid cells, along the spine first, then across.
    public var cellsInOrder: [BandTotals] {
        cells.values.sorted { PositionCell(column: $0.column, band: $0.band) < PositionCell(column: $1.column, band: $1.band) }
    }

    /// Takes one sample of a roller: `dt` since the previous one (0 for the first or after a
    /// clock jump), the angle (nil: none this sample), whether the tool is in contact (the
    /// pipeline's contact state over the interval, as for time on area), whether it bears load
    /// right now (the unsmoothed force above the contact-off level: contact's off-delay would let
    /// a lifted roller's spin count) and the pressure.
    public mutating func update(timeMicroseconds t: Int64, intervalMicroseconds dt: Int64, angleCounts: Int32?,
                                inContact: Bool, loaded: Bool = true, pressureKilopascals: Double) -> PositionReading {
        account(intervalMicroseconds: dt, inContact: inContact, pressureKilopascals: pressureKilopascals)
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
            lastRaw = -1
        }
        let travel = angle == nil ? nil : SIMD2<Double>(0, Double(unwrappedCounts) * millimetresPerCount)
        return advance(timeMicroseconds: t, travel: travel, inContact: inContact, loaded: loaded)
    }

    /// Takes one sample of a ball: as for a roller, with the sensor's x/y counts since the last
    /// sample (nil: no reading, the sensor failed and the counts in between are lost).
    public mutating func update(timeMicroseconds t: Int64, intervalMicroseconds dt: Int64, motionCounts counts: SIMD2<Int32>?,
                                inContact: Bool, loaded: Bool = true, pressureKilopascals: Double) -> PositionReading {
        account(intervalMicroseconds: dt, inContact: inContact, pressureKilopascals: pressureKilopascals)
        if let counts { motionCounts &+= SIMD2<Int64>(truncatingIfNeeded: counts) }
        let travel = counts == nil ? nil : SIMD2<Double>(motionCounts) * millimetresPerCount
        return advance(timeMicroseconds: t, travel: travel, inContact: inContact, loaded: loaded)
    }

    /// The interval belongs to the state at its start: contact as the pipeline has it, and the
    /// band (cell) and pressure of the previous sample.
    private mutating func account(intervalMicroseconds dt: Int64, inContact: Bool, pressureKilopascals: Double) {
        if inContact && dt > 0 {
            contactMicroseconds &+= dt
            if !previous.isStill { movingMicroseconds &+= dt }
            if let band = previous.band {
                bands[band, default: BandTotals(band: band, contactMicroseconds: 0, pressureIntegral: 0, peakKilopascals: 0)]
                    .add(microseconds: dt, pressureKilopascals: previousPressure)
                if isTwoDimensional, let column = previous.column {
                    cells[PositionCell(column: column, band: band),
                          default: BandTotals(band: band, column: column, contactMicroseconds: 0, pressureIntegral: 0, peakKilopascals: 0)]
                        .add(microseconds: dt, pressureKilopascals: previousPressure)
                }
            } else {
                unknownMicroseconds &+= dt
            }
        }
        previousPressure = pressureKilopascals
    }

    /// The position from the travel (nil: no reading this sample).
    private mutating func advance(timeMicroseconds t: Int64, travel: SIMD2<Double>?, inContact: Bool, loaded: Bool) -> PositionReading {
        var reading = previous
        // Without a reading the travel in between is unknown: anchor again when it is back.
        if travel == nil { needsAnchor = true }
        guard inContact, loaded, let travel else {
            if !(inContact && loaded) && started { needsAnchor = true }  // lifted: it may come back anywhere
            reading.millimetres = nil
            reading.band = nil
            reading.acrossMillimetres = nil
            reading.column = nil
            reading.isStill = false
            resetStillness()
            if !(inContact && loaded) { passDirection = 0; passExtreme = .nan }
            previous = reading
            return reading
        }

        if !started {
            started = true
            anchorTravel = travel
            anchorPosition = .zero
        } else if needsAnchor {
            anchorTravel = travel
            anchorPosition = lastKnown
            reading.reanchors += 1
        }
        needsAnchor = false
        let raw = anchorPosition + (travel - anchorTravel)

        // Stillness, and the resting position averaged while still.
        if stillCentre.map({ Self.length(raw - $0) > stillSpanMillimetres / 2 }) ?? true {
            stillCentre = raw
            stillSince = t
            stillSum = .zero
            stillCount = 0
        }
        stillSum += raw
        stillCount += 1
        reading.isStill = t - stillSince >= stillMicroseconds
        let position = reading.isStill ? stillSum / Double(stillCount) : raw

        countStroke(raw.y, into: &reading)
        lastKnown = position
        reading.millimetres = position.y
        reading.band = Int((position.y / bandMillimetres).rounded(.down))
        if isTwoDimensional {
            reading.acrossMillimetres = position.x
            reading.column = Int((position.x / bandMillimetres).rounded(.down))
        }
        reading.driftBoundMillimetres = uncertainty * Self.length(position - anchorPosition) + 2 * millimetresPerCount
        previous = reading
        return reading
    }

    private static func length(_ v: SIMD2<Double>) -> Double { (v * v).sum().squareRoot() }

    private mutating func resetStillness() {
        stillCentre = nil
        stillSum = .zero
        stillCount = 0
    }

    /// A stroke ends where the direction turns after a pass of at least the minimum.
    private mutating func countStroke(_ millimetres: Double, into reading: inout PositionReading) {
        let minimum = strokeMinimumMillimetres
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
