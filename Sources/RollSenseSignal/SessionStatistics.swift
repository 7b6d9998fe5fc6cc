/// What a session amounted to, aggregated one reading and one event at a time in constant memory
/// (alerts aside, which are capped): the one set of figures behind the live summary, the history
/// ledger, `replay` and `report`. Built from every reading, not only the throttled ones, so a
/// replay of a recording gives the same figures as the live session did.
public struct SessionStatistics: Sendable {
    /// One alert: a caution or stop event's start, or an instant one.
    public struct Alert: Sendable, Equatable {
        /// Makes an alert record.
        public init(sessionSeconds: Double, event: SignalEvent) {
            self.sessionSeconds = sessionSeconds
            self.event = event
        }

        /// Seconds of device time since the session started.
        public var sessionSeconds: Double
        /// The event that raised it (sinks word it).
        public var event: SignalEvent
        /// What it was about (`EventKind` raw value).
        public var kind: String { event.kind.rawValue }
        /// `caution` or `stop`.
        public var level: String { event.level.rawValue }
    }

    /// Alerts kept in `alerts`; later ones are only counted (a runaway file cannot grow memory).
    public static let maximumKeptAlertCount = 10_000

    /// Readings added (every sample processed).
    public private(set) var sampleCount = 0
    /// Device time from the first to the last sample, in seconds.
    public private(set) var durationSeconds: Double = 0
    /// Contact time this session, in seconds: the pipeline's own count (the one the day's total
    /// grows by), so gaps and clock jumps are never contact.
    public private(set) var contactSeconds: Double = 0
    /// Contact time per area name (`lowerBack.left`, ...), in seconds.
    public private(set) var contactSecondsByArea: [String: Double] = [:]
    /// Highest smoothed total force in contact, in newtons.
    public private(set) var peakForceNewtons: Double = 0
    /// Highest mean contact pressure in contact, in kilopascals.
    public private(set) var peakPressureKilopascals: Double = 0
    /// Time in each zone while in contact (`Zone` raw value), in seconds; sums to `contactSeconds`.
    public private(set) var secondsByZone: [String: Double] = [:]
    /// Caution and stop alerts, in order (at most `maximumKeptAlertCount`).
    public private(set) var alerts: [Alert] = []
    /// Every alert, kept or not.
    public private(set) var alertCount = 0
    /// The person's pain marks, in order (`painMark` events; at most `maximumKeptAlertCount`).
    public private(set) var painMarks: [Alert] = []
    /// Holds that reached a hold limit, each counted once however many limits it passed.
    public private(set) var holdCount = 0
    /// The longest continuous hold on one spot, in seconds.
    public private(set) var longestHoldSeconds: Double = 0
    /// Today's contact time on the region at the end, including earlier sessions, in seconds.
    public private(set) var dailySeconds: Double = 0
    /// The region's daily limit from the profile, in seconds (set by `finish`).
    public private(set) var dailyLimitSeconds: Double = 0
    /// The region the session was on (set by `finish`).
    public private(set) var region: String = ""
    /// Host time the board was gone (unplugged) during the session, in seconds, and how often.
    public private(set) var boardGoneSeconds: Double = 0
    /// How many times the board went away.
    public private(set) var boardGoneCount = 0
    /// Contact stretches as (start, end) in device seconds since the session started.
    public private(set) var contactIntervals: [(startSeconds: Double, endSeconds: Double)] = []

    /// Contact time and peak pressure on one band of the back (rotation sensor).
    public struct PositionBand: Sendable, Equatable {
        /// Contact time on the band, in seconds.
        public var seconds: Double = 0
        /// Highest pressure read on it, in kilopascals.
        public var peakKilopascals: Double = 0
    }
    /// Width of a band, from the profile's `rotation` (set by `finish`; the readings carry band numbers).
    public var bandMillimetres: Double = 20
    /// Per band of the back, keyed by band number; empty without a rotation sensor. With the
    /// unknown share below they sum to `contactSeconds`.
    public private(set) var positionBands: [Int: PositionBand] = [:]
    /// Per grid cell of a ball's 2-D position (its side is `bandMillimetres`); empty for a
    /// roller. With the unknown share they also sum to `contactSeconds`.
    public private(set) var positionCells: [PositionCell: PositionBand] = [:]
    /// Contact time while the position was unknown (lifting, the angle lost), in seconds.
    public private(set) var positionUnknownSeconds: Double = 0
    /// Re-anchors at the last reading (lifted and put back, angle lost and found).
    public private(set) var positionReanchors = 0
    /// Strokes counted by the position tracker at the last reading.
    public private(set) var strokes = 0

    private var contactStart: Double?
    private var holdCounted = false
    private var forceTimeIntegral: Double = 0
    private var pressureTimeIntegral: Double = 0
    private var firstTime: Int64?
    private var previous: Reading?

    /// Empty statistics.
    public init() {}

    /// Time-weighted mean force while in contact, in newtons.
    public var meanForceNewtons: Double { contactSeconds > 0 ? forceTimeIntegral / contactSeconds : 0 }
    /// Time-weighted mean pressure while in contact, in kilopascals.
    public var meanPressureKilopascals: Double { contactSeconds > 0 ? pressureTimeIntegral / contactSeconds : 0 }

    /// Adds the next reading (every sample, in order): the contact time the pipeline counted since
    /// the previous reading belongs to the previous reading's area, zone and force.
    public mutating func add(_ reading: Reading) {
        sampleCount += 1
        let t = reading.deviceTimeMicroseconds
        if firstTime == nil { firstTime = t }
        if let previous, previous.contact {
            let step = reading.dailyMicroseconds - previous.dailyMicroseconds
            if step > 0 {
                let dt = Double(step) * 1e-6
                contactSeconds += dt
                contactSecondsByArea[previous.area.name, default: 0] += dt
                // The load's zone, not an alert outlasting it (latch, off-delay): time in stop is
                // time over the stop level.
                secondsByZone[previous.currentZone.rawValue, default: 0] += dt
                forceTimeIntegral += previous.forceNewtons * dt
                pressureTimeIntegral += previous.pressureKilopascals * dt
                if let position = previous.position {
                    if let band = position.band {
                        positionBands[band, default: PositionBand()].seconds += dt
                        if let column = position.column {
                            positionCells[PositionCell(column: column, band: band), default: PositionBand()].seconds += dt
                        }
                    } else {
                        positionUnknownSeconds += dt
                    }
                }
            }
        }
        if let position = reading.position {
            positionReanchors = position.reanchors
            strokes = position.strokes
            if reading.contact, let band = position.band {
                positionBands[band, default: PositionBand()].peakKilopascals =
                    max(positionBands[band]?.peakKilopascals ?? 0, reading.pressureKilopascals)
                if let column = position.column {
                    let cell = PositionCell(column: column, band: band)
                    positionCells[cell, default: PositionBand()].peakKilopascals =
                        max(positionCells[cell]?.peakKilopascals ?? 0, reading.pressureKilopascals)
                }
            }
        }
        if reading.contact {
            peakForceNewtons = max(peakForceNewtons, reading.forceNewtons)
            peakPressureKilopascals = max(peakPressureKilopascals, reading.pressureKilopascals)
        }
        longestHoldSeconds = max(longestHoldSeconds, Double(reading.holdMicroseconds) * 1e-6)
        durationSeconds = Double(t - (firstTime ?? t)) * 1e-6
        dailySeconds = Double(reading.dailyMicroseconds) * 1e-6
        previous = reading
    }

    /// Adds an event; `sessionSeconds` is its time since the session's first sample.
    public mutating func add(_ event: SignalEvent, sessionSeconds: Double) {
        if event.kind == .contact {
            if event.phase == .start {
                contactStart = sessionSeconds
                holdCounted = false
            }
            if event.phase == .end, let start = contactStart {
                contactIntervals.append((start, sessionSeconds))
                contactStart = nil
            }
        }
        // A hold that passes its notice and then its caution is one hold.
        if event.kind == .hold && event.phase == .start && !holdCounted {
            holdCounted = true
            holdCount += 1
        }
        if event.reason == .painMark && painMarks.count < Self.maximumKeptAlertCount {
            painMarks.append(Alert(sessionSeconds: sessionSeconds, event: event))
        }
        guard event.level != .info, event.phase != .end, event.kind != .link else { return }
        alertCount += 1
        if alerts.count < Self.maximumKeptAlertCount {
            alerts.append(Alert(sessionSeconds: sessionSeconds, event: event))
        }
    }

    /// Takes the region, the day's total and its limit from the pipeline at the end.
    /// The board was gone for `seconds` of host time (back, or the session ended without it).
    mutating func addBoardGone(seconds: Double) {
        boardGoneSeconds += max(seconds, 0)
        boardGoneCount += 1
    }

    public mutating func finish(pipeline: SignalPipeline) {
        region = pipeline.profile.region.rawValue
        dailySeconds = Double(pipeline.priorDailyMicroseconds + pipeline.sessionMicroseconds) * 1e-6
        dailyLimitSeconds = pipeline.profile.limits.dailyLimitSeconds
        if let tracker = pipeline.position { bandMillimetres = tracker.bandMillimetres }
    }
}
