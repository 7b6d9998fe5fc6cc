// Lays out one session's stretches: sets of rolling with their lifts, shifts and slips, rests
// between them, and the danger planted in a danger session.

struct PlanBuilder {
    typealias P = PopulationParameters
    let person: Person
    var random: PopulationRandom
    var segments: [Segment] = []
    var dangers: [PlantedDanger] = []
    var priorDailySeconds = 0.0
    private var time = 0.0
    private var lateral = 0.0
    // Load (share of body weight) the last stretch ended at.
    private var level = 0.0

    init(person: Person, random: PopulationRandom) {
        self.person = person
        self.random = random
    }

    mutating func build(danger: DangerKind?) {
        lateral = drawLateral()
        // Getting down to the roller: a few seconds of an unloaded rig.
        append(.off, seconds: random.uniform(2...5))
        switch danger {
        case nil: ordinary()
        case .hardLean: plantHardLean()
        case .fall: plantFall()
        case .stayingStill: plantStill()
        case .tooLongInADay: plantDaily()
        }
        append(.off, seconds: random.uniform(2...5))
    }

    // MARK: - Sessions

    private mutating func ordinary() {
        let count = random.integer(P.setsPerSession)
        var lengths = (0..<count).map { _ in random.uniform(P.setSeconds) }
        // An ordinary session stays within the day's time [A]: sets are shortened to fit.
        let budget = P.dailySeconds - P.ordinaryDailyMarginSeconds - Double(count) * (P.lowerSeconds.upperBound + P.liftSeconds.upperBound)
        let total = lengths.reduce(0, +)
        if total > budget { lengths = lengths.map { $0 * budget / total } }
        for (i, seconds) in lengths.enumerated() {
            if i > 0 { append(.off, seconds: random.uniform(P.restSeconds)) }
            set(seconds: seconds)
        }
    }

    private mutating func plantHardLean() {
        let (mean, swing) = drawSetLoad()
        lower(to: mean)
        roll(seconds: random.uniform(10...40), mean: mean, swing: swing)
        let lean = random.uniform(P.hardLean.level)
        let ramp = random.uniform(P.hardLean.rampSeconds)
        append(.ramp(from: mean, to: lean), seconds: ramp)
        let start = time
        // A lean is pressed, not rolled: a little swing as the person holds it.
        append(.rolling(mean: lean, swing: 0.02, hertz: cadenceHertz, laterHertz: cadenceHertz, changeSeconds: .infinity,
                        fadeIn: true, fadeOut: true), seconds: random.uniform(P.hardLean.plateauSeconds))
        dangers.append(PlantedDanger(kind: .hardLean, startSeconds: start, endSeconds: time))
        append(.ramp(from: lean, to: mean), seconds: ramp)
        roll(seconds: random.uniform(10...30), mean: mean, swing: swing)
        lift()
    }

    private mutating func plantFall() {
        let (mean, swing) = drawSetLoad()
        let peak = random.uniform(P.fall.peak)
        let start = time
        append(.line(from: 0, to: peak), seconds: random.uniform(P.fall.riseSeconds))
        dangers.append(PlantedDanger(kind: .fall, startSeconds: start, endSeconds: time))
        append(.ramp(from: peak, to: mean), seconds: random.uniform(P.fall.settleSeconds))
        roll(seconds: random.uniform(20...60), mean: mean, swing: swing)
        lift()
    }

    private mutating func plantStill() {
        let (mean, swing) = drawSetLoad()
        lower(to: mean)
        roll(seconds: random.uniform(10...30), mean: mean, swing: swing)
        let start = time
        append(.hold(level: mean), seconds: random.uniform(P.stillSeconds))
        dangers.append(PlantedDanger(kind: .stayingStill, startSeconds: start, endSeconds: time))
        roll(seconds: random.uniform(5...15), mean: mean, swing: swing)
        lift()
    }

    private mutating func plantDaily() {
        priorDailySeconds = random.uniform(P.daily.priorSeconds)
        let wanted = P.dailySeconds - priorDailySeconds + random.uniform(P.daily.overrunSeconds)
        var contact = 0.0
        var first = true
        while contact < wanted {
            if !first { append(.off, seconds: random.uniform(P.restSeconds)) }
            first = false
            let before = loadedSoFar
            set(seconds: min(random.uniform(P.setSeconds), max(wanted - contact, P.setSeconds.lowerBound)))
            contact += loadedSoFar - before
        }
        // The label starts when the day's contact passes 5 minutes: found on the laid-out stretches.
        var total = priorDailySeconds
        for segment in segments where segment.loaded {
            let length = segment.endSeconds - segment.startSeconds
            if total + length >= P.dailySeconds {
                dangers.append(PlantedDanger(kind: .tooLongInADay, startSeconds: segment.startSeconds + (P.dailySeconds - total),
                                             endSeconds: time))
                break
            }
            total += length
        }
    }

    private var loadedSoFar: Double { segments.reduce(0) { $0 + ($1.loaded ? $1.endSeconds - $1.startSeconds : 0) } }

    // MARK: - Sets

    private var cadenceHertz: Double { person.cadenceStrokesPerMinute / 60 }

    /// The set's mean load and stroke swing, shares of body weight.
    private mutating func drawSetLoad() -> (mean: Double, swing: Double) {
        switch person.condition {
        case .light: return (random.uniform(P.lightConditionRange), random.uniform(P.heldSwingBodyWeightFraction))
        case .firm: return (random.uniform(P.firmConditionRange), random.uniform(P.heldSwingBodyWeightFraction))
        case .selfChosen:
            // Set to set a person's mean wanders a little around their own (estimate, 0.03).
            let mean = min(max(person.meanLoadFraction + random.normal(mean: 0, spread: 0.03), P.selfChosenLoadRange.lowerBound),
                           P.selfChosenLoadRange.upperBound)
            return (mean, mean * random.uniform(P.strokeSwingFraction))
        }
    }

    private mutating func set(seconds: Double) {
        let (mean, swing) = drawSetLoad()
        lower(to: mean)
        roll(seconds: seconds, mean: mean, swing: swing)
        lift()
    }

    private mutating func lower(to mean: Double) {
        append(.ramp(from: 0, to: mean), seconds: random.uniform(P.lowerSeconds))
    }

    private mutating func lift() {
        append(.ramp(from: level, to: 0), seconds: random.uniform(P.liftSeconds))
    }

    /// Rolling for `seconds`, broken by lifts (re-placed elsewhere), left/right shifts and slips.
    private mutating func roll(seconds: Double, mean: Double, swing: Double) {
        let end = time + seconds
        let hertz = cadenceHertz
        let changes = random.chance(P.cadenceChange.probability)
        let laterHertz = changes ? min(max(hertz * random.uniform(P.cadenceChange.factor), P.cadenceRangeStrokesPerMinute.lowerBound / 60),
                                       P.cadenceRangeStrokesPerMinute.upperBound / 60) : hertz
        let changeSeconds = changes ? time + random.uniform(0.2...0.8) * seconds : .infinity
        func rolling(_ fadeIn: Bool, _ fadeOut: Bool) -> SegmentShape {
            .rolling(mean: mean, swing: swing, hertz: hertz, laterHertz: laterHertz, changeSeconds: changeSeconds, fadeIn: fadeIn, fadeOut: fadeOut)
        }
        let rate = P.lifts.perMinute + P.shifts.perMinute + P.slips.perMinute
        var fadeIn = true
        while time < end {
            let next = time + random.waitSeconds(perMinute: rate)
            // An event needs room for itself and a stroke after it.
            guard next + 6 < end else {
                append(rolling(fadeIn, true), seconds: end - time)
                break
            }
            let pick = random.unit() * rate
            if pick < P.lifts.perMinute {
                append(rolling(fadeIn, true), seconds: next - time)
                append(.ramp(from: mean, to: 0), seconds: random.uniform(P.liftSeconds))
                append(.off, seconds: random.uniform(P.lifts.offSeconds))
                lateral = drawLateral()
                append(.ramp(from: 0, to: mean), seconds: random.uniform(P.lowerSeconds))
                fadeIn = true
            } else if pick < P.lifts.perMinute + P.shifts.perMinute {
                append(rolling(fadeIn, false), seconds: next - time)
                let target = drawLateral()
                append(rolling(false, false), seconds: random.uniform(P.shifts.seconds), toLateral: target)
                fadeIn = false
            } else {
                append(rolling(fadeIn, true), seconds: next - time)
                let low = mean * (1 - random.uniform(P.slips.lostFraction))
                append(.ramp(from: mean, to: low), seconds: random.uniform(P.slips.dropSeconds))
                append(.ramp(from: low, to: mean), seconds: random.uniform(P.slips.recoverSeconds))
                fadeIn = true
            }
        }
        level = mean
    }

    private mutating func drawLateral() -> Double {
        let limit = P.lateralOffsetMillimetres.limit
        return random.normal(mean: 0, spread: P.lateralOffsetMillimetres.spread, within: -limit...limit)
    }

    private mutating func append(_ shape: SegmentShape, seconds: Double, toLateral: Double? = nil) {
        guard seconds > 0 else { return }
        let to = toLateral ?? lateral
        segments.append(Segment(startSeconds: time, endSeconds: time + seconds, shape: shape,
                                lateralFromMillimetres: lateral, lateralToMillimetres: to))
        time += seconds
        lateral = to
        switch shape {
        case .off: level = 0
        case .ramp(_, let to), .line(_, let to): level = to
        case .rolling(let mean, _, _, _, _, _, _): level = mean
        case .hold(let l): level = l
        }
    }
}
