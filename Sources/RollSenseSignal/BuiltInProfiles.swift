// The defaults, as data: Profiles/*.json hold exactly these values (a test checks it), and
// docs/SAFETY.md gives the source of every number or marks it as an estimate.

extension Profile {
    /// Every built-in profile, by name.
    public static let builtIn: [Profile] = [.foamRollerLowerBack, .massageBallLowerBack, .massageBallFSR]

    /// The built-in profile with `name`, if any.
    public static func builtIn(named name: String) -> Profile? {
        builtIn.first { $0.name == name }
    }

    /// A foam roller under the lower back, four 500 kg load cells along the roller (HX711).
    public static let foamRollerLowerBack = Profile(
        name: "foam-roller-lower-back",
        tool: .foamRoller,
        customContactAreaSquareCentimetres: 0,
        region: .lowerBack,
        filter: FilterProfile(
            medianLength: 5, smoother: .oneEuro,
            minCutoffHertz: 1, beta: 0, derivativeCutoffHertz: 1,  // Casiez et al. 2012 defaults
            emaTimeConstantSeconds: 0.2),
        contact: ContactProfile(onNewtons: 20, offNewtons: 10, onDelaySeconds: 0.2, offDelaySeconds: 0.5),
        zones: ZoneProfile(
            // Ordinary rolling averages 32-34 % of body weight, the highest individual means
            // 51-55 % (Baumgart et al. 2019): caution just below those, stop a hard lean (estimate).
            unit: .percentBodyWeight,
            target: 10, caution: 50, stop: 65,
            // Off-delay longer than the slowest stroke (2.6 s, Sezik et al. 2024): one alert per episode.
            deadband: 3, onDelaySeconds: 0.5, offDelaySeconds: 5, minimumLatchSeconds: 5),
        jump: JumpProfile(riseNewtons: 150, windowSeconds: 0.2, refractorySeconds: 2),
        spine: SpineProfile(
            channelPositionsMillimetres: [-150, -50, 50, 150], halfWidthMillimetres: 25, centreShare: 0.85,
            onDelaySeconds: 1, offDelaySeconds: 1),
        limits: TimeLimitProfile(
            dailyLimitSeconds: 300,  // source article: at most 5 minutes a day on the lower back
            dailyWarningSeconds: 240, holdNoticeSeconds: 0,
            holdCautionSeconds: 90,  // still hold: 90 s compression at the pain threshold (Hou et al. 2002)
            reminderIntervalSeconds: 30),
        faults: FaultProfile(
            flatLineSeconds: 2, saturationCounts: 8_388_607,  // HX711 24-bit full scale 0x7FFFFF
            holdSeconds: 2, maxSampleIntervalSeconds: 0.5),
        rezero: RezeroProfile(enabled: true, windowSeconds: 2, stillNewtons: 1, maxDriftNewtons: 10),
        // Longer than the slowest stroke (2.6 s at 23 strokes/min).
        stillness: StillnessProfile(windowSeconds: 4, forceSpanNewtons: 6, forceSpanFraction: 0.15, centroidSpanMillimetres: 20),
        // 95 % of the HX711 full scale; 90 % of a 500 kg saddle cell (Hardware/rigs/roller.json):
        // the heaviest accepted person's whole weight (300 kg, 2942 N) on one saddle is in range.
        range: RangeProfile(overRangeCounts: 7_969_177, overRangeChannelNewtons: 4413),
        // Used only with a rotation sensor (docs/HARDWARE.md); every value is an estimate
        // (docs/SAFETY.md, "Position on the back"): a 15 cm roller, 2 cm bands.
        rotation: RotationProfile(
            rollerRadiusMillimetres: 75, bandMillimetres: 20, stillSpanMillimetres: 10, stillSeconds: 0.5,
            radiusUncertainty: 0.02, strokeMinimumMillimetres: 30)
    )

    /// A tennis ball between the lower back and a wall, on one 200 kg load cell (HX711).
    public static let massageBallLowerBack = Profile(
        name: "massage-ball-lower-back",
        tool: .tennisBall,
        customContactAreaSquareCentimetres: 0,
        region: .lowerBack,
        filter: FilterProfile(
            medianLength: 5, smoother: .oneEuro,
            minCutoffHertz: 1, beta: 0, derivativeCutoffHertz: 1,
            emaTimeConstantSeconds: 0.2),
        contact: ContactProfile(onNewtons: 3, offNewtons: 1.5, onDelaySeconds: 0.2, offDelaySeconds: 0.5),
        zones: ZoneProfile(
            unit: .newtons,
            target: 10, caution: 50, stop: 80,  // 80 N: the ITF test load as a reference force (estimate)
            deadband: 3, onDelaySeconds: 0.5, offDelaySeconds: 5, minimumLatchSeconds: 5),
        // Well above a deliberate quick press (100 N in 0.5 s rises 40 N per 0.2 s).
        jump: JumpProfile(riseNewtons: 80, windowSeconds: 0.2, refractorySeconds: 2),
        spine: SpineProfile(channelPositionsMillimetres: [], halfWidthMillimetres: 0, centreShare: 0.85, onDelaySeconds: 1, offDelaySeconds: 1),
        limits: TimeLimitProfile(
            dailyLimitSeconds: 300, dailyWarningSeconds: 240,
            holdNoticeSeconds: 4,  // source article: presses of about 5 s; still 4 s counts one
            holdCautionSeconds: 90, reminderIntervalSeconds: 30),
        faults: FaultProfile(
            flatLineSeconds: 2, saturationCounts: 8_388_607,  // HX711 24-bit full scale 0x7FFFFF
            holdSeconds: 2, maxSampleIntervalSeconds: 0.5),
        rezero: RezeroProfile(enabled: true, windowSeconds: 2, stillNewtons: 1, maxDriftNewtons: 10),
        // Shorter than a 5 s press, so a press is a still hold.
        stillness: StillnessProfile(windowSeconds: 2, forceSpanNewtons: 3, forceSpanFraction: 0.15, centroidSpanMillimetres: 20),
        // 90 % of the 200 kg cell under the ball (Hardware/rigs/ball.json): it survives a
        // 300 kg person's whole weight (its 150 % safe overload).
        range: RangeProfile(overRangeCounts: 7_969_177, overRangeChannelNewtons: 1765),
        // Used only with the ball motion sensor (docs/HARDWARE.md); estimates (docs/SAFETY.md,
        // "Position on the back"): a 67 mm tennis ball (ITF: 6.54-6.86 cm) flattened about 3 mm
        // where the back presses (ITF: 5.6-7.4 mm under 80 N across the whole ball), the
        // ADNS-3080 at 400 counts per inch, 2 cm cells.
        ball: BallProfile(
            diameterMillimetres: 67, compressionMillimetres: 3, sensorCountsPerInch: 400, cellMillimetres: 20,
            stillSpanMillimetres: 10, stillSeconds: 0.5, scaleUncertainty: 0.05, strokeMinimumMillimetres: 30)
    )

    /// A ball in a cup on one Interlink FSR 402 against a wall (Hardware/rigs/fsr-ball.json):
    /// contact and light presses, up to about 20 N; a harder lean is over range.
    public static let massageBallFSR = Profile(
        name: "massage-ball-fsr",
        tool: .tennisBall,
        customContactAreaSquareCentimetres: 0,
        region: .lowerBack,
        filter: FilterProfile(
            medianLength: 5, smoother: .oneEuro,
            minCutoffHertz: 1, beta: 0, derivativeCutoffHertz: 1,
            emaTimeConstantSeconds: 0.2),
        // The FSR 402 reads from about 0.2 N (Interlink datasheet); contact a little above that.
        contact: ContactProfile(onNewtons: 0.5, offNewtons: 0.3, onDelaySeconds: 0.2, offDelaySeconds: 0.5),
        zones: ZoneProfile(
            // Inside the sensor's 0.2-20 N (estimate): the ball profile's own zones (10/50/80 N)
            // are past what an FSR measures, so these are for light presses only.
            unit: .newtons,
            target: 2, caution: 8, stop: 15,
            deadband: 1, onDelaySeconds: 0.5, offDelaySeconds: 5, minimumLatchSeconds: 5),
        jump: JumpProfile(riseNewtons: 10, windowSeconds: 0.2, refractorySeconds: 2),
        spine: SpineProfile(channelPositionsMillimetres: [], halfWidthMillimetres: 0, centreShare: 0.85, onDelaySeconds: 1, offDelaySeconds: 1),
        limits: TimeLimitProfile(
            dailyLimitSeconds: 300, dailyWarningSeconds: 240,
            holdNoticeSeconds: 4, holdCautionSeconds: 90, reminderIntervalSeconds: 30),
        faults: FaultProfile(
            // An unloaded FSR with its bleed resistor holds one ADC value for long: 30 s
            // (estimate) before a steady reading is a frozen one. 1023: the 10-bit ADC's top.
            flatLineSeconds: 30, saturationCounts: 1023,
            holdSeconds: 2, maxSampleIntervalSeconds: 0.5),
        // No stable zero to re-zero to (the datasheet's hysteresis and drift).
        rezero: RezeroProfile(enabled: false, windowSeconds: 2, stillNewtons: 1, maxDriftNewtons: 10),
        stillness: StillnessProfile(windowSeconds: 2, forceSpanNewtons: 0.5, forceSpanFraction: 0.15, centroidSpanMillimetres: 20),
        // Over range from 20 N (the rig file's top of the sensor's range), and from 851 counts,
        // the nominal divider reading at 20 N (10 kOhm divider, 470 kOhm bleed, the FSR's
        // nominal curve in Firmware/sim/make-scenarios.py): a saturated FSR reads about the same
        // at 120 N and 600 N (926 counts), so the count limit says "cannot measure higher"
        // whatever the calibration makes of it.
        range: RangeProfile(overRangeCounts: 851, overRangeChannelNewtons: 20)
    )
}
