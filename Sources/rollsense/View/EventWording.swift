import RollSenseWire
import RollSenseSignal

/// The one place events become words for people: the sentence every output writes (JSON lines,
/// the summary, replay, the report and its chart) and the large headline of the live view. The
/// core and the pipeline emit facts with units only.
enum EventWording {
    /// A short sentence for an event; `profile` gives the daily limit a warning is measured against.
    static func sentence(_ event: SignalEvent, profile: Profile) -> String { sentence(EventFacts(event), profile: profile) }

    /// A short sentence for an event.
    static func sentence(_ event: EventFacts, profile: Profile) -> String {
        let ending = event.phase == .end ? " ended" : ""
        if event.isPositionSensor {
            // A lost position leaves the force, its zones and alarms as they are: only the hold
            // timer changes, to the load's steadiness (docs/SAFETY.md, "Faults").
            return event.phase == .end ? "position sensor back: position known again"
                : "position sensor \(positionProblem(event.reason)): position unknown, holds timed by steadiness"
        }
        switch event.reason {
        case .contact: return event.phase == .end ? "contact ended" : "contact"
        case .zoneLight: return "light pressure\(ending)"
        case .zoneTarget: return "target pressure\(ending)"
        case .zoneCaution: return event.phase == .end ? "caution pressure ended" : "pressure high: ease off"
        case .zoneStop: return event.phase == .end ? "stop pressure ended" : "pressure too high: stop or lower the pressure"
        case .holdNotice: return event.phase == .end ? "hold ended" : "held \(Int(event.value)) s on one spot: move on"
        case .holdCaution: return event.phase == .end ? "long hold ended" : "held \(Int(event.value)) s on one spot: move on now"
        case .dailyWarning: return event.phase == .end ? "daily warning closed" : "\(Int(event.value)) s today on \(event.region.spelling), limit \(Int(profile.limits.dailyLimitSeconds)) s"
        case .dailyLimit: return event.phase == .end ? "daily limit closed" : "daily limit of \(Int(event.limit)) s on \(event.region.spelling) reached: stop for today"
        case .dailyLimitReminder: return "past today's limit on \(event.region.spelling): stop for today"
        case .jump: return "sudden force rise of \(Int(event.value)) N"
        case .loadOnSpine: return event.phase == .end ? "load off the spine" : "load on the spine: move to one side"
        case .saturated: return "sensor saturated\(ending)"
        case .flatLine: return "sensor reading frozen\(ending)"
        case .disconnected: return "sensor disconnected\(ending)"
        case .sensorNotReady: return "sensor not ready\(ending)"
        case .droppedSamples: return event.phase == .end ? "samples flowing again" : "\(Int(event.value)) samples lost"
        case .invalidValue: return event.phase == .end ? "sensor values valid again" : "sensor value not a number: sample dropped"
        case .clockJump: return "device clock jumped by \(event.value) s"
        case .slowDevice:
            let rate = event.value >= 1 ? String(Int(event.value.rounded())) : String(Double(Int(event.value * 10)) / 10)
            // The condition also ends with the session, the device still slow: not "fast again".
            if event.phase == .end {
                return event.value >= event.limit ? "device fast enough for live alerts again" : "slow device: session ended"
            }
            return "device sends \(rate) readings/s: too slow for live alerts (needs \(Int(event.limit))/s)"
        case .deviceDisconnected: return event.phase == .end ? "device reconnected" : "device disconnected"
        case .deviceRestarted: return "device restarted"
        case .painMark: return "pain marked at \(Int(event.value.rounded())) N"
        case .zeroDriftBound: return "zero drifted \(event.value) N, bound \(event.limit) N: tare again"
        case .overRange: return event.phase == .end ? "back within the sensor's range" : "over range: the tool cannot measure higher than \(Int(event.limit)) N"
        }
    }

    private static func positionProblem(_ reason: EventReason) -> String {
        switch reason {
        case .saturated: return "overflowed"
        case .disconnected: return "disconnected"
        default: return "not reading"
        }
    }

    /// The daily warning's headline for today's total so far (the live view redraws it as it grows).
    static func dailyWarningHeadline(todaySeconds: Double, profile: Profile) -> String {
        "\(clock(todaySeconds)) of \(clock(profile.limits.dailyLimitSeconds)) today on \(LiveViewState.regionName(profile.region))"
    }

    /// Large plain words for an event, or nil for events that are not alerts.
    static func headline(for event: EventFacts, profile: Profile) -> (String, ZoneStyle)? {
        let region = LiveViewState.regionName(event.region)
        if event.isPositionSensor {
            return ("Position unknown: holds timed by steadiness", .fault)
        }
        switch event.reason {
        case .zoneStop: return ("Ease off: over the stop level", .stop)
        case .zoneCaution: return ("Ease off a little: above the caution level", .caution)
        case .holdCaution: return ("Move on: \(Int(event.limit)) s on one spot", .caution)
        case .holdNotice: return ("Move on: \(Int(event.limit)) s on one spot", .light)
        case .dailyWarning: return (dailyWarningHeadline(todaySeconds: event.value, profile: profile), .caution)
        case .dailyLimit, .dailyLimitReminder: return ("Daily limit for \(region) reached", .stop)
        case .loadOnSpine: return ("Move off the spine: load on the centre line", .caution)
        case .jump: return ("Careful: sudden push of \(Int(event.value)) N", .caution)
        case .saturated, .flatLine, .disconnected, .sensorNotReady, .droppedSamples, .clockJump, .deviceRestarted, .invalidValue:
            return ("Sensor problem: \(sentence(event, profile: profile))", .fault)
        case .zeroDriftBound: return ("Zero drifted: lift off and run rollsense calibrate", .fault)
        case .slowDevice: return event.phase == .end ? nil : ("Slow device: \(sentence(event, profile: profile))", .fault)
        case .overRange: return ("Over range: cannot measure higher. Ease off", .caution)
        // The confirmation where the person looks: the force the mark stored (docs/SAFETY.md).
        case .painMark: return ("Pain noted at \(Int(event.value.rounded())) N: ease off or stop", .stop)
        case .contact, .zoneLight, .zoneTarget, .deviceDisconnected: return nil
        }
    }
}

extension EventWording {
    /// The longest shortest form: the one-line view at 20 columns leaves this much beside
    /// today's time once it reaches ten minutes (`10:08/5:00`).
    static let shortestFormCharacters = 9

    /// Shorter forms of an alert's headline, longest first, the last at most
    /// `shortestFormCharacters`: whole words a narrow terminal can show (never `EASE OFF: OVER THE S`).
    static func shortHeadlines(for event: EventFacts) -> [String] {
        switch event.reason {
        case .zoneStop: return ["Ease off: stop level", "Ease off"]
        case .zoneCaution: return ["Ease off a little", "Ease off"]
        case .holdCaution, .holdNotice: return ["Move on: \(Int(event.limit)) s", "Move on"]
        case .dailyWarning: return ["Near daily limit", "Near max"]
        case .dailyLimit, .dailyLimitReminder: return ["Daily limit reached", "Stop now"]
        case .loadOnSpine: return ["Move off the spine", "Off spine"]
        case .jump: return ["Sudden push \(Int(event.value)) N", "Careful"]
        case .saturated, .flatLine, .disconnected, .sensorNotReady, .droppedSamples, .clockJump, .deviceRestarted, .invalidValue:
            return ["Sensor problem", "Sensor"]
        case .zeroDriftBound: return ["Zero drifted: calibrate", "Re-zero"]
        case .slowDevice: return ["Slow device", "Too slow"]
        case .overRange: return ["Over range: ease off", "Max force"]
        case .painMark: return ["Pain marked: ease off", "Pain mark"]
        case .contact, .zoneLight, .zoneTarget, .deviceDisconnected: return []
        }
    }

    /// The daily warning's shorter forms for today's total so far.
    static func dailyWarningShortHeadlines(todaySeconds: Double, profile: Profile) -> [String] {
        ["\(clock(todaySeconds)) of \(clock(profile.limits.dailyLimitSeconds)) today", "Near max"]
    }
}

/// What the words need from a `SignalEvent` (a plain value the tests can make).
struct EventFacts {
    var kind: EventKind
    var level: AlertLevel
    var phase: EventPhase
    var reason: EventReason
    var region: BodyRegion
    var value: Double
    var limit: Double
    /// The channel a fault is on; nil for the device as a whole and for other events.
    var channel: Int?

    /// Whether this is a fault of the rotation or motion sensor (an extra channel), not a force one.
    var isPositionSensor: Bool { kind == .fault && (channel ?? 0) >= Sample.maxChannelCount }

    init(kind: EventKind, level: AlertLevel, phase: EventPhase, reason: EventReason, region: BodyRegion = .lowerBack,
         value: Double = 0, limit: Double = 0, channel: Int? = nil) {
        self.channel = channel
        self.kind = kind
        self.level = level
        self.phase = phase
        self.reason = reason
        self.region = region
        self.value = value
        self.limit = limit
    }

    init(_ event: SignalEvent) {
        self.init(kind: event.kind, level: event.level, phase: event.phase, reason: event.reason, region: event.area.region,
                  value: event.value, limit: event.limit, channel: event.channel)
    }
}

/// What a text sketch's values became, in words for the view's header and the JSON line.
enum SourceWording {
    /// The longest phrase first, then shorter ones for narrow terminals:
    /// `reading "Weight" (kg) from a text sketch at 57600 baud`, then without "from a text
    /// sketch", then the labels and unit alone.
    static func phrases(_ channels: TextChannels, baudRate: Int?) -> [String] {
        let rate = baudRate.map { " at \($0) baud" } ?? ""
        return ["reading \(channels.summary) from a text sketch\(rate)", "reading \(channels.summary)\(rate)", channels.summary]
    }
}
