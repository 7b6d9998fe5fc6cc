import RollSenseSignal

/// A session's figures, aggregated one reading and one event at a time in constant memory
/// (alerts aside, which are few): what `rollsense report` prints.
public struct SessionReport: Sendable {
    /// An alert: a caution or stop event's start (or an instant one).
    public struct Alert: Sendable, Equatable {
        /// Seconds since the session's first sample.
        public var sessionSeconds: Double
        /// The event kind (`zone`, `hold`, `jump`, ...).
        public var kind: String
        /// `caution` or `stop`.
        public var level: String
        /// The event's message for people.
        public var message: String
    }

    /// Steps between readings longer than this are a gap (disconnect, dropped link), not time
    /// spent in a zone: the same rule as the live session's statistics.
    public static let maximumStepMicroseconds: Int64 = 1_000_000
    /// Alerts kept in `alerts`; later ones are only counted (a runaway file cannot grow memory).
    public static let maximumKeptAlertCount = 10_000

    /// Readings added.
    public private(set) var sampleCount = 0
    /// Device time from the first to the last reading.
    public private(set) var durationSeconds: Double = 0
    /// Time in contact.
    public private(set) var contactSeconds: Double = 0
    /// Time in contact per area name (`lowerBack.left`).
    public private(set) var contactSecondsByArea: [String: Double] = [:]
    /// Highest force while in contact.
    public private(set) var peakForceNewtons: Double = 0
    /// Highest pressure while in contact.
    public private(set) var peakPressureKilopascals: Double = 0
    /// Time in each zone while in contact, by zone name.
    public private(set) var secondsByZone: [String: Double] = [:]
    /// Holds the pipeline reported (hold events that started).
    public private(set) var holdCount = 0
    /// The longest continuous hold on one spot.
    public private(set) var longestHoldSeconds: Double = 0
    /// Caution and stop alerts, in order (at most `maximumKeptAlertCount`).
    public private(set) var alerts: [Alert] = []
    /// Every alert, kept or not.
    public private(set) var alertCount = 0

    /// Contact time and peak pressure on one band of the back (rotation sensor).
    public struct PositionBand: Sendable, Equatable {
        /// Contact time on the band.
        public var seconds: Double = 0
        /// Highest pressure read on it.
        public var peakKilopascals: Double = 0
    }
    /// Width of a band, from the profile's `rotation` (for labels; the readings carry band numbers).
    public var bandMillimetres: Double = 20
    /// Per band of the back, keyed by band number; empty without a rotation sensor.
    public private(set) var positionBands: [Int: PositionBand] = [:]
    /// Contact time while the position was unknown (lifting, the angle lost).
    public private(set) var positionUnknownSeconds: Double = 0
    /// Re-anchors (lifted and put back, angle lost and found) and strokes, at the last reading.
    public private(set) var positionReanchors = 0
    /// Strokes counted by the position tracker.
    public private(set) var strokes = 0

    private var forceTimeIntegral: Double = 0
    private var pressureTimeIntegral: Double = 0
    private var firstTime: Int64?
    private var previous: Reading?

    /// An empty report.
    public init() {}

    /// Time-weighted mean force while in contact.
    public var meanForceNewtons: Double { contactSeconds > 0 ? forceTimeIntegral / contactSeconds : 0 }
    /// Time-weighted mean pressure while in contact.
    public var meanPressureKilopascals: Double { contactSeconds > 0 ? pressureTimeIntegral / contactSeconds : 0 }

    /// Adds the next reading (every sample, in order): the step since the previous reading counts
    /// with the previous reading's state.
    public mutating func add(_ reading: Reading) {
        sampleCount += 1
        let t = reading.deviceTimeMicroseconds
        if firstTime == nil { firstTime = t }
        if let previous, previous.contact {
            let step = t - previous.deviceTimeMicroseconds
            if step > 0 && step <= Self.maximumStepMicroseconds {
                let dt = Double(step) * 1e-6
                contactSeconds += dt
                contactSecondsByArea[previous.area.name, default: 0] += dt
                secondsByZone[previous.zone.rawValue, default: 0] += dt
                forceTimeIntegral += previous.forceNewtons * dt
                pressureTimeIntegral += previous.pressureKilopascals * dt
                if let position = previous.position {
                    if let band = position.band {
                        positionBands[band, default: PositionBand()].seconds += dt
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
            }
        }
        if reading.contact {
            peakForceNewtons = max(peakForceNewtons, reading.forceNewtons)
            peakPressureKilopascals = max(peakPressureKilopascals, reading.pressureKilopascals)
        }
        longestHoldSeconds = max(longestHoldSeconds, Double(reading.holdMicroseconds) * 1e-6)
        durationSeconds = Double(t - (firstTime ?? t)) * 1e-6
        previous = reading
    }

    /// Adds an event; `sessionSeconds` is its time since the session's first sample.
    public mutating func add(_ event: SignalEvent, sessionSeconds: Double) {
        if event.kind == .hold && event.phase == .start { holdCount += 1 }
        guard event.level != .info, event.phase != .end, event.kind != .link else { return }
        alertCount += 1
        if alerts.count < Self.maximumKeptAlertCount {
            alerts.append(Alert(sessionSeconds: sessionSeconds, kind: event.kind.rawValue, level: event.level.rawValue, message: event.message))
        }
    }
}
