import RollSenseSignal

/// How urgent a cue is; a cue interrupts a playing one only when it ranks higher.
public enum CuePriority: Int, Sendable, Comparable, CaseIterable {
    /// Encouragement and routine guidance ("Good pressure", "Done").
    case info = 0
    /// Ease off, move on, time nearly up.
    case caution = 1
    /// The sensor or link failed: the pressure is unknown.
    case fault = 2
    /// Stop or lower the pressure now: interrupts everything.
    case stop = 3

    /// Orders info < caution < fault < stop.
    public static func < (lhs: CuePriority, rhs: CuePriority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One thing the tool can say. A closed set, so every phrase of a session can be synthesised
/// before it starts and speaking never waits for the synthesiser.
public enum CuePhrase: Hashable, Sendable, CustomStringConvertible {
    /// Pressure entered the stop zone.
    case stop
    /// Pressure entered the caution zone.
    case easeOff
    /// Pressure entered the target zone.
    case goodPressure
    /// The load sits on the spine.
    case moveOffSpine
    /// A sudden rise of force.
    case gently
    /// A roller stayed on one spot too long.
    case moveOn
    /// A ball press began: hold still for the profile's notice time.
    case stayStill(seconds: Int)
    /// A ball press reached its notice time.
    case pressDone
    /// Today's time on the region is nearly used up.
    case timeLeft(minutes: Int)
    /// Today's time on the region is used up.
    case timeUp(BodyRegion)
    /// A sensor or the whole device is gone.
    case sensorUnplugged
    /// A sensor misbehaves (saturated, frozen, not ready, not a number).
    case checkSensor
    /// The device came back after a disconnection.
    case sensorBack

    /// The words espeak-ng reads. Digits are read as numbers by every espeak-ng voice. One
    /// clause each: a full stop pauses ~0.35 s and a comma ~0.2 s at 175 words/min, which would
    /// sound like two cues next to the planner's 0.25 s gap; word gaps are under 0.05 s.
    public var text: String {
        switch self {
        case .stop: return "Stop pressing now."
        case .easeOff: return "Ease off."
        case .goodPressure: return "Good pressure."
        case .moveOffSpine: return "Move off the spine."
        case .gently: return "Gently."
        case .moveOn: return "Move on to the next spot."
        case .stayStill(let seconds): return "Stay still here for \(seconds) seconds."
        case .pressDone: return "Done."
        case .timeLeft(let minutes):
            if minutes <= 0 { return "Less than a minute left today." }
            return minutes == 1 ? "One minute left today." : "\(minutes) minutes left today."
        case .timeUp(let region): return "Time's up for the \(Self.spokenName(region)) today."
        case .sensorUnplugged: return "Sensor unplugged."
        case .checkSensor: return "Check the sensor."
        case .sensorBack: return "Sensor back."
        }
    }

    /// The phrase as text, for logs and JSON.
    public var description: String { text }

    /// Region names as a person says them.
    public static func spokenName(_ region: BodyRegion) -> String {
        switch region {
        case .lowerBack: return "lower back"
        case .upperBack: return "upper back"
        case .glutes: return "glutes"
        case .thigh: return "thigh"
        case .calf: return "calf"
        }
    }
}
