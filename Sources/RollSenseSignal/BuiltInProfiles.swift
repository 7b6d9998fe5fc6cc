// The defaults, as data: Profiles/*.json hold exactly these values (a test checks it), and
// docs/SAFETY.md gives the source of every number or marks it as an estimate.

extension Profile {
    /// Every built-in profile, by name.
    public static let builtIn: [Profile] = [.foamRollerLowerBack, .massageBallLowerBack]

    /// The built-in profile with `name`, if any.
    public static func builtIn(named name: String) -> Profile? {
        builtIn.first { $0.name == name }
    }

    /// A foam roller under the lower back, four load cells along the roller (HX711).
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
            unit: .kilopascals,
            target: 10, caution: 44, stop: 52,  // 33 kPa foam / 52 kPa rigid roller: Curran et al. 2008; caution between them (estimate)
            deadband: 2, onDelaySeconds: 0.5, offDelaySeconds: 1),
        jump: JumpProfile(riseNewtons: 150, windowSeconds: 0.2, refractorySeconds: 2),
        spine: SpineProfile(
            channelPositionsMillimetres: [-150, -50, 50, 150], halfWidthMillimetres: 25,
            onDelaySeconds: 1, offDelaySeconds: 1),
        limits: TimeLimitProfile(
            dailyLimitSeconds: 300,  // source article: at most 5 minutes a day on the lower back
            dailyWarningSeconds: 240, holdNoticeSeconds: 0, holdCautionSeconds: 60, reminderIntervalSeconds: 30),
        faults: FaultProfile(
            flatLineSeconds: 2, saturationCounts: 8_388_607,  // HX711 24-bit full scale 0x7FFFFF
            holdSeconds: 2, maxSampleIntervalSeconds: 0.5),
        rezero: RezeroProfile(enabled: true, windowSeconds: 2, stillNewtons: 1, maxDriftNewtons: 10),
        // Used only with a rotation sensor (docs/HARDWARE.md); every value is an estimate
        // (docs/SAFETY.md, "Position on the back"): a 15 cm roller, 2 cm bands.
        rotation: RotationProfile(
            rollerRadiusMillimetres: 75, bandMillimetres: 20, stillSpanMillimetres: 10, stillSeconds: 0.5,
            radiusUncertainty: 0.02, strokeMinimumMillimetres: 30)
    )

    /// A tennis ball between the lower back and a wall or floor, one FSR under it.
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
            target: 10, caution: 40, stop: 80,  // 80 N: the ITF tennis-ball deflection load
            deadband: 2, onDelaySeconds: 0.5, offDelaySeconds: 1),
        jump: JumpProfile(riseNewtons: 40, windowSeconds: 0.2, refractorySeconds: 2),
        spine: SpineProfile(channelPositionsMillimetres: [], halfWidthMillimetres: 0, onDelaySeconds: 1, offDelaySeconds: 1),
        limits: TimeLimitProfile(
            dailyLimitSeconds: 300, dailyWarningSeconds: 240,
            holdNoticeSeconds: 5,  // source article: trigger-point presses about 5 s each
            holdCautionSeconds: 60, reminderIntervalSeconds: 30),
        faults: FaultProfile(
            flatLineSeconds: 10, saturationCounts: 1023,  // 10-bit ADC full scale
            holdSeconds: 2, maxSampleIntervalSeconds: 0.5),
        rezero: RezeroProfile(enabled: false, windowSeconds: 2, stillNewtons: 1, maxDriftNewtons: 10)
    )
}
