// Every distribution the population model draws from, each with its source or marked as an
// estimate (docs/POPULATION.md has the same table). Written from the literature, blind to the
// alarm thresholds: this target imports nothing of RollSense and reads no profile
// (PopulationIsolationTests checks its sources).

/// The population's distribution parameters: sources in the comments and in docs/POPULATION.md.
public enum PopulationParameters {
    // MARK: People

    /// Body mass of adult users, kg (mean, spread): **estimate** (no rolling study drew from the public).
    public static let bodyMassKilograms = (mean: 78.0, spread: 14.0)
    /// Body masses the rig is built for, kg: **estimate** (a 50 kg cell per saddle, docs/HARDWARE.md).
    public static let bodyMassRangeKilograms = 45.0...140.0
    /// A person's own mean rolling load as a share of body weight: Baumgart 2019 [B] means of
    /// 32-34 %; spread from its highest individual means of 51-55 %: the largest of 20 draws lies
    /// about 1.87 spreads above the mean, so (53 - 33) / 1.87 = 0.107.
    public static let selfChosenLoadFraction = (mean: 0.33, spread: 0.107)
    /// Self-chosen means are cut to this range: top [B] (55 %), floor **estimate** (clearly on the tool).
    public static let selfChosenLoadRange = 0.10...0.55
    /// The 2025 ball study's light condition (held at 15-25 % of body weight on purpose) [Ba].
    public static let lightConditionRange = 0.15...0.25
    /// The 2025 ball study's firm condition (held at 45-55 % of body weight on purpose) [Ba].
    public static let firmConditionRange = 0.45...0.55
    /// Shares of people rolling light, firm and self-chosen: **estimate** (both held conditions
    /// are over-represented on purpose, the firm one being where false alarms would come from).
    public static let conditionShares = (light: 0.2, firm: 0.25)
    /// Contact width of a lower back across the roller, mm: **estimate**.
    public static let contactWidthMillimetres = 240.0...360.0

    // MARK: Strokes and sets

    /// Self-chosen cadence, strokes (full cycles) a minute: Sezik 2024 [S], 33 ± 10.
    public static let cadenceStrokesPerMinute = (mean: 33.0, spread: 10.0)
    /// Cadences are cut to this range: 15 is the low end of the literature's span [S]; 60 **estimate**.
    public static let cadenceRangeStrokesPerMinute = 15.0...60.0
    /// Chance that a set changes cadence midway, and by what factor: **estimate**.
    public static let cadenceChange = (probability: 0.5, factor: 0.7...1.4)
    /// Load swing over a stroke as a share of the set's mean load, self-chosen rolling: **estimate**.
    public static let strokeSwingFraction = 0.08...0.25
    /// Load swing over a stroke in a held condition, share of body weight: half the held
    /// 10-point band [Ba] at most.
    public static let heldSwingBodyWeightFraction = 0.02...0.05
    /// Set length, s: Behm 2020 [Be], 30-120 s.
    public static let setSeconds = 30.0...120.0
    /// Sets a session: Behm 2020 [Be], 1-3.
    public static let setsPerSession = 1...3
    /// Rest off the roller between sets, s: **estimate**.
    public static let restSeconds = 15.0...60.0
    /// Time to lower the back onto the roller, s: **estimate**.
    public static let lowerSeconds = 1.0...3.0
    /// Time to lift off the roller, s: **estimate**.
    public static let liftSeconds = 0.5...1.5
    /// Lifts (off and re-placed, often at another spot) a minute of rolling, and their time off, s: **estimate**.
    public static let lifts = (perMinute: 0.5, offSeconds: 0.5...3.0)
    /// Left/right shifts a minute of rolling and how long one takes, s: **estimate**.
    public static let shifts = (perMinute: 1.0, seconds: 1.0...3.0)
    /// Where the back's middle sits on the roller, mm from its centre (spread, limit): **estimate**.
    public static let lateralOffsetMillimetres = (spread: 40.0, limit: 100.0)
    /// Uneven loading: the load's linear tilt across the back (0 even, 1 all on one edge): **estimate**.
    public static let tiltLimit = 0.35
    /// Slips a minute of rolling, the load lost and the times to lose and regain it: **estimate**.
    public static let slips = (perMinute: 0.3, lostFraction: 0.10...0.30, dropSeconds: 0.2...0.4, recoverSeconds: 0.3...0.8)
    /// Slow drift of the load: amplitude (share of the load) and period, s: **estimate**.
    public static let meanDrift = (amplitudeFraction: 0.0...0.10, periodSeconds: 60.0...200.0)
    /// Breathing: breaths a minute (adult resting rate) and the load's swing with it: **estimate**.
    public static let breathing = (perMinute: 12.0...20.0, depthFraction: 0.01...0.04)
    /// Irregular body motion: spread as a share of the load, and its time constant, s: **estimate**.
    public static let tremor = (fraction: 0.01...0.03, timeConstantSeconds: 0.3)

    // MARK: Dangers (labels come from these plants, not from RollSense)

    /// Hard lean: the load rises to this share of body weight, well past the heaviest
    /// individual means of [B] (55 %): **estimate**. Ramp and plateau times, s: **estimate**.
    public static let hardLean = (level: 0.70...1.00, rampSeconds: 0.3...1.5, plateauSeconds: 2.0...8.0)
    /// Fall onto the roller from off it: peak share of body weight, time to reach it, and time
    /// to settle to the set's load, s: **estimate**.
    public static let fall = (peak: 0.6...1.0, riseSeconds: 0.05...0.2, settleSeconds: 0.5...1.5)
    /// Staying on one spot: a still hold longer than the longest set of [Be] (120 s): **estimate**.
    public static let stillSeconds = 120.0...300.0
    /// Too long in a day: the source article's 5 minutes a day on the lower back [A].
    public static let dailySeconds = 300.0
    /// Earlier contact today before the session, and how far past the day's time it goes, s: **estimate**.
    public static let daily = (priorSeconds: 0.0...240.0, overrunSeconds: 30.0...120.0)
    /// Ordinary sessions stay this far under the day's time (lowering and lifting count too): **estimate**.
    public static let ordinaryDailyMarginSeconds = 20.0

    // MARK: Sensor

    /// HX711 output rate with RATE high, samples/s [H].
    public static let sampleRateHertz = 80.0
    /// HX711 input noise at gain 128 and 80 samples/s, volts rms [H].
    public static let hx711NoiseVolts = 90e-9
    /// HX711 analog supply (excitation), volts: **estimate** (a common breakout's regulator).
    public static let analogSupplyVolts = 4.3
    /// HX711 channel A gain [H]; full scale is ±0.5 × AVDD / gain [H].
    public static let gain = 128.0
    /// Saddle load cells: rated load (kg) of the reference rig (docs/HARDWARE.md) and output,
    /// volts per volt at the rated load (a hobby cell's sheet, 1.0 ± 0.1 mV/V: **estimate**).
    public static let cell = (ratedKilograms: 50.0, outputVoltsPerVolt: 0.0009...0.0011)
    /// Zero balance of an unloaded cell, volts per volt: **estimate** (hobby cell sheets: ±0.1 mV/V).
    public static let zeroBalanceVoltsPerVolt = 0.0001
    /// Creep under load: share of the load gained over 30 min: **estimate** (hobby cell sheets: 0.03 %).
    public static let creep = (fraction: 0.0003, seconds: 1800.0)
    /// Zero drift with temperature, share of full scale a kelvin, and warming over a session,
    /// K a minute: **estimate** (hobby cell sheets: 0.05 % FS / 10 K).
    public static let zeroTemperatureDrift = (fractionPerKelvin: 0.00005, kelvinPerMinute: -0.5...1.0)
    /// A person's calibration of the scale misses by this spread: **estimate** (a known weight).
    public static let calibrationErrorFraction = 0.01
    /// Share of boards that are text sketches printing each channel in kg to 0.1 kg at 10 Hz
    /// (bogde/HX711's `get_units(1)` example): **estimate**.
    public static let roundingSketch = (share: 0.2, stepKilograms: 0.1, rateHertz: 10.0)
    /// Standard gravity, m/s², for kilograms to newtons.
    public static let gravity = 9.80665
    /// Saddle positions of the reference roller rig, mm from the roller's centre (the hardware,
    /// docs/HARDWARE.md; not a threshold).
    public static let saddleMillimetres: [Double] = [-150, -50, 50, 150]
}
