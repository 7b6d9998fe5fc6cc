/// What a session amounted to: built from every reading and event, not only the throttled ones,
/// so a replay of a recording gives the same figures as the live session did.
public struct SessionStatistics: Sendable {
    /// One alert that started during the session.
    public struct Alert: Sendable, Equatable {
        /// Makes an alert record.
        public init(sessionSeconds: Double, kind: String, level: String, message: String) {
            self.sessionSeconds = sessionSeconds
            self.kind = kind
            self.level = level
            self.message = message
        }

        /// Seconds of device time since the session started.
        public var sessionSeconds: Double
        /// What it was about (`EventKind` raw value).
        public var kind: String
        /// `caution` or `stop`.
        public var level: String
        /// The event's sentence.
        public var message: String
    }

    /// Device time from the first to the last sample, in seconds.
    public var durationSeconds: Double = 0
    /// Samples processed.
    public var sampleCount = 0
    /// Contact time this session, in seconds.
    public var contactSeconds: Double = 0
    /// Contact time per area name (`lowerBack.left`, ...), in seconds.
    public var contactSecondsByArea: [String: Double] = [:]
    /// Highest smoothed total force, in newtons.
    public var peakForceNewtons: Double = 0
    /// Mean force while in contact, in newtons.
    public var meanForceNewtons: Double = 0
    /// Highest mean contact pressure, in kilopascals.
    public var peakPressureKilopascals: Double = 0
    /// Mean pressure while in contact, in kilopascals.
    public var meanPressureKilopascals: Double = 0
    /// Time in each zone while in contact (`Zone` raw value), in seconds.
    public var secondsByZone: [String: Double] = [:]
    /// Alerts (caution or stop events that started or happened), in order.
    public var alerts: [Alert] = []
    /// Today's contact time on the region at the end, including earlier sessions, in seconds.
    public var dailySeconds: Double = 0
    /// The region's daily limit from the profile, in seconds.
    public var dailyLimitSeconds: Double = 0
    /// The area (region) the session was on.
    public var region: String = ""
    /// Contact stretches as (start, end) in device seconds since the session started.
    public var contactIntervals: [(startSeconds: Double, endSeconds: Double)] = []
    /// Holds that reached a hold limit.
    public var holdCount = 0
    private var contactStart: Double?

    private var forceTimeIntegral: Double = 0
    private var pressureTimeIntegral: Double = 0
    private var lastReading: Reading?
    private var firstTime: Int64?

    /// Empty statistics.
    public init() {}

    /// Adds one reading (every sample, in order).
    public mutating func add(_ reading: Reading) {
        sampleCount += 1
        let t = reading.deviceTimeMicroseconds
        if firstTime == nil { firstTime = t }
        if let previous = lastReading, previous.contact {
            let dt = Double(max(0, t - previous.deviceTimeMicroseconds)) * 1e-6
            // Intervals longer than a second are gaps (a disconnect), not contact.
            if dt <= 1 {
                forceTimeIntegral += previous.forceNewtons * dt
                pressureTimeIntegral += previous.pressureKilopascals * dt
                secondsByZone[previous.zone.rawValue, default: 0] += dt
            }
        }
        if reading.contact {
            peakForceNewtons = max(peakForceNewtons, reading.forceNewtons)
            peakPressureKilopascals = max(peakPressureKilopascals, reading.pressureKilopascals)
        }
        durationSeconds = Double(t - (firstTime ?? t)) * 1e-6
        dailySeconds = Double(reading.dailyMicroseconds) * 1e-6
        lastReading = reading
    }

    /// Adds one event.
    public mutating func add(_ event: SignalEvent, sessionSeconds: Double) {
        if event.kind == .contact {
            if event.phase == .start { contactStart = sessionSeconds }
            if event.phase == .end, let start = contactStart {
                contactIntervals.append((start, sessionSeconds))
                contactStart = nil
            }
        }
        if event.kind == .hold && event.phase == .start { holdCount += 1 }
        guard event.level != .info, event.phase != .end, event.kind != .link else { return }
        alerts.append(Alert(sessionSeconds: sessionSeconds, kind: event.kind.rawValue, level: event.level.rawValue, message: event.message))
    }

    /// Takes the contact totals from the pipeline at the end.
    public mutating func finish(pipeline: SignalPipeline) {
        contactSeconds = Double(pipeline.sessionMicroseconds) * 1e-6
        let bySide = pipeline.sessionMicrosecondsBySide
        region = pipeline.profile.region.rawValue
        contactSecondsByArea = [:]
        for side in Side.allCases where bySide[side.index] > 0 {
            contactSecondsByArea[Area(region: pipeline.profile.region, side: side).name] = Double(bySide[side.index]) * 1e-6
        }
        let zoneSeconds = secondsByZone.values.reduce(0, +)
        meanForceNewtons = zoneSeconds > 0 ? forceTimeIntegral / zoneSeconds : 0
        meanPressureKilopascals = zoneSeconds > 0 ? pressureTimeIntegral / zoneSeconds : 0
        dailySeconds = Double(pipeline.priorDailyMicroseconds + pipeline.sessionMicroseconds) * 1e-6
        dailyLimitSeconds = pipeline.profile.limits.dailyLimitSeconds
    }
}
