// People and sessions drawn from PopulationParameters: who rolls, how hard, how fast, for how
// long, with which board, and where the planted dangers are. The labels are the plan itself.

/// How a person sets their load (the 2025 ball study's held conditions, or self-chosen [B]).
public enum LoadCondition: String, Sendable, CaseIterable {
    /// Self-chosen, as in Baumgart 2019.
    case selfChosen
    /// Held at 15-25 % of body weight.
    case light
    /// Held at 45-55 % of body weight.
    case firm
}

/// A danger the generator plants, with its own distribution.
public enum DangerKind: String, Sendable, CaseIterable {
    /// The load rises far past ordinary rolling and stays a few seconds.
    case hardLean
    /// A drop onto the roller from off it.
    case fall
    /// A still hold on one spot, minutes long.
    case stayingStill
    /// Rolling on past the day's 5 minutes on the lower back [A].
    case tooLongInADay
}

/// A planted danger: its kind and when it happened, s from the session's first sample.
public struct PlantedDanger: Sendable, Equatable {
    /// What it is.
    public var kind: DangerKind
    /// When the danger begins (the lean's plateau, the fall's start, the hold's start, the moment
    /// the day's time passes 5 minutes), s.
    public var startSeconds: Double
    /// When it ends, s.
    public var endSeconds: Double
}

/// The board a person's rig reports through: the true sensor and what its calibration believes.
public struct Board: Sendable, Equatable {
    /// True HX711 counts per newton on each saddle's channel.
    public var countsPerNewton: SIMD4<Double>
    /// Unloaded reading of each channel, counts.
    public var offsetCounts: SIMD4<Double>
    /// What the person's calibration says each channel's counts per newton are.
    public var calibratedCountsPerNewton: SIMD4<Double>
    /// Zero drift with the rig's warming, counts a second.
    public var driftCountsPerSecond: SIMD4<Double>
    /// HX711 noise, counts rms.
    public var noiseCounts: Double
    /// Nil for a RollSense board sending raw counts; else a text sketch printing newtons in steps of this.
    public var roundingNewtons: Double?
    /// Samples a second.
    public var sampleRateHertz: Double
}

/// One person of the population.
public struct Person: Sendable, Equatable {
    /// Body mass, kg.
    public var bodyMassKilograms: Double
    /// How they set their load.
    public var condition: LoadCondition
    /// Their habitual mean load as a share of body weight (self-chosen only; held conditions draw per set).
    public var meanLoadFraction: Double
    /// Their cadence, strokes a minute.
    public var cadenceStrokesPerMinute: Double
    /// Their lower back's contact width across the roller, mm.
    public var contactWidthMillimetres: Double
    /// Their rig.
    public var board: Board
}

/// What a stretch of a session does with the load.
public enum SegmentShape: Sendable, Equatable {
    /// Off the roller.
    case off
    /// A raised-cosine move between two loads (shares of body weight).
    case ramp(from: Double, to: Double)
    /// A straight-line move between two loads (a fall).
    case line(from: Double, to: Double)
    /// Rolling: mean load and stroke swing (shares of body weight), cadence in Hz, changing to
    /// `laterHertz` at session time `changeSeconds`; the swing fades in/out over a second at the
    /// ends flagged.
    case rolling(mean: Double, swing: Double, hertz: Double, laterHertz: Double, changeSeconds: Double, fadeIn: Bool, fadeOut: Bool)
    /// Still on one spot at this load: breathing and sway only.
    case hold(level: Double)
}

/// A stretch of a session.
public struct Segment: Sendable, Equatable {
    /// Start and end, s from the session's first sample.
    public var startSeconds: Double
    /// End, s.
    public var endSeconds: Double
    /// The load over it.
    public var shape: SegmentShape
    /// Where the back's middle sits on the roller at the start and end, mm.
    public var lateralFromMillimetres: Double
    /// Where it sits at the end, mm.
    public var lateralToMillimetres: Double

    /// Whether the person is on the roller.
    public var loaded: Bool { if case .off = shape { return false } else { return true } }
}

/// A session to render: the person, what they did, and the labels planted in it.
public struct SessionPlan: Sendable {
    /// Who.
    public var person: Person
    /// What they did, in time order, covering the whole session.
    public var segments: [Segment]
    /// The dangers planted (none for an ordinary session).
    public var dangers: [PlantedDanger]
    /// Contact time on the lower back earlier today, s (a ledger would know it).
    public var priorDailySeconds: Double
    /// Load tilt across the back (uneven loading), -1...1.
    public var tilt: Double
    /// Breathing rate (Hz) and depth (share of the load); sway spread (share) and drift of the mean.
    public var breathingHertz: Double, breathingDepth: Double, swayFraction: Double
    /// Slow drift of the load: amplitude (share of the load) and period, s.
    public var driftAmplitude: Double, driftPeriodSeconds: Double
    /// The seed of the sample noise.
    public var noiseSeed: UInt64

    /// Session length, s.
    public var durationSeconds: Double { segments.last?.endSeconds ?? 0 }
    /// Time on the roller, s: the ordinary rolling an ordinary session contributes.
    public var loadedSeconds: Double { segments.reduce(0) { $0 + ($1.loaded ? $1.endSeconds - $1.startSeconds : 0) } }
}

/// The population: people and sessions drawn from a seed, each independent of the others.
public struct Population: Sendable {
    /// The seed every person and session derives from.
    public let seed: UInt64

    /// A population for `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// Person `index`.
    public func person(_ index: Int) -> Person {
        var random = PopulationRandom(seed: seed, index: 2 * index)
        return Population.drawPerson(&random)
    }

    /// Session `index`: person `index` rolling ordinarily, or with one planted danger of `danger`.
    public func session(_ index: Int, danger: DangerKind?) -> SessionPlan {
        let person = self.person(index)
        var random = PopulationRandom(seed: seed, index: 2 * index + 1)
        var builder = PlanBuilder(person: person, random: random)
        builder.build(danger: danger)
        random = builder.random
        return SessionPlan(
            person: person, segments: builder.segments, dangers: builder.dangers, priorDailySeconds: builder.priorDailySeconds,
            tilt: random.uniform(-PopulationParameters.tiltLimit...PopulationParameters.tiltLimit),
            breathingHertz: random.uniform(PopulationParameters.breathing.perMinute) / 60,
            breathingDepth: random.uniform(PopulationParameters.breathing.depthFraction),
            swayFraction: random.uniform(PopulationParameters.tremor.fraction),
            driftAmplitude: random.uniform(PopulationParameters.meanDrift.amplitudeFraction),
            driftPeriodSeconds: random.uniform(PopulationParameters.meanDrift.periodSeconds),
            noiseSeed: random.next())
    }

    static func drawPerson(_ random: inout PopulationRandom) -> Person {
        typealias P = PopulationParameters
        let mass = random.normal(mean: P.bodyMassKilograms.mean, spread: P.bodyMassKilograms.spread, within: P.bodyMassRangeKilograms)
        let pick = random.unit()
        let condition: LoadCondition = pick < P.conditionShares.light ? .light
            : (pick < P.conditionShares.light + P.conditionShares.firm ? .firm : .selfChosen)
        let mean = random.normal(mean: P.selfChosenLoadFraction.mean, spread: P.selfChosenLoadFraction.spread, within: P.selfChosenLoadRange)
        let cadence = random.normal(mean: P.cadenceStrokesPerMinute.mean, spread: P.cadenceStrokesPerMinute.spread,
                                    within: P.cadenceRangeStrokesPerMinute)
        let width = random.uniform(P.contactWidthMillimetres)
        return Person(bodyMassKilograms: mass, condition: condition, meanLoadFraction: mean,
                      cadenceStrokesPerMinute: cadence, contactWidthMillimetres: width, board: drawBoard(&random))
    }

    static func drawBoard(_ random: inout PopulationRandom) -> Board {
        typealias P = PopulationParameters
        // Full scale of the HX711's input: ±0.5 AVDD / gain over ±2^23 counts [H].
        let countsPerVolt = 8_388_608 / (0.5 * P.analogSupplyVolts / P.gain)
        let ratedNewtons = P.cell.ratedKilograms * P.gravity
        var scale = SIMD4<Double>(repeating: 0), offset = scale, calibrated = scale, drift = scale
        let kelvinPerSecond = random.uniform(P.zeroTemperatureDrift.kelvinPerMinute) / 60
        for c in 0..<4 {
            let fullScaleCounts = random.uniform(P.cell.outputVoltsPerVolt) * P.analogSupplyVolts * countsPerVolt
            scale[c] = fullScaleCounts / ratedNewtons
            offset[c] = random.uniform(-1...1) * P.zeroBalanceVoltsPerVolt * P.analogSupplyVolts * countsPerVolt
            calibrated[c] = scale[c] * (1 + random.normal(mean: 0, spread: P.calibrationErrorFraction))
            drift[c] = random.uniform(-1...1) * P.zeroTemperatureDrift.fractionPerKelvin * fullScaleCounts * kelvinPerSecond
        }
        let sketch = random.chance(P.roundingSketch.share)
        return Board(countsPerNewton: scale, offsetCounts: offset, calibratedCountsPerNewton: calibrated,
                     driftCountsPerSecond: drift, noiseCounts: P.hx711NoiseVolts * countsPerVolt,
                     roundingNewtons: sketch ? P.roundingSketch.stepKilograms * P.gravity : nil,
                     sampleRateHertz: sketch ? P.roundingSketch.rateHertz : P.sampleRateHertz)
    }
}
