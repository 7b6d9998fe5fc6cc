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
    /// A pain mark was stored at this force (rounded to `painNotedStepNewtons`): the spoken
    /// confirmation, "Pain noted at 170 newtons".
    case painNoted(newtons: Int)

    /// The spoken force of a pain mark is rounded to this many newtons (so its words can be made
    /// before the session from a few parts).
    public static let painNotedStepNewtons = 10
    /// The spoken force of a pain mark at most (higher is said as this).
    public static let painNotedMaximumNewtons = 9_990

    /// The pain confirmation for a force: rounded to the step, at least one step.
    public static func painNoted(forceNewtons: Double) -> CuePhrase {
        let step = Double(painNotedStepNewtons)
        let rounded = forceNewtons.isFinite ? (forceNewtons / step).rounded() * step : step
        return .painNoted(newtons: Int(min(Double(painNotedMaximumNewtons), max(step, rounded))))
    }

    /// Words a pain confirmation is joined from; every one is synthesised before a session.
    public static let painNotedVocabulary: [String] = ["Pain noted at", "newtons."]
        + (1...9).map { "\(numberWords[$0]) thousand" } + (1...9).map { "\(numberWords[$0]) hundred" }
        + ["ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    private static let numberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

    /// The parts a phrase is joined from (nil: synthesised whole from `text`). Only the pain
    /// confirmation, whose number is known only when the person presses.
    public var spokenParts: [String]? {
        guard case .painNoted(let newtons) = self else { return nil }
        let tens = ["ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
        var parts = ["Pain noted at"]
        if newtons / 1000 > 0 { parts.append("\(Self.numberWords[newtons / 1000]) thousand") }
        if newtons / 100 % 10 > 0 { parts.append("\(Self.numberWords[newtons / 100 % 10]) hundred") }
        if newtons / 10 % 10 > 0 { parts.append(tens[newtons / 10 % 10 - 1]) }
        return parts + ["newtons."]
    }

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
        case .painNoted(let newtons): return "Pain noted at \(newtons) newtons."
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
