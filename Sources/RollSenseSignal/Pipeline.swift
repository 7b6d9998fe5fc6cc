// Over 400 lines: the stages live in their own files; what stays is the per-sample path, one
// inlined function whose order of stages is the behaviour the golden sessions pin, and the
// inputs other than samples (gaps, device faults, link changes) that must reach the same state.
import RollSenseWire

/// The whole signal chain: calibrate, reject spikes, smooth, force and pressure, contact, zones,
/// time on area and alerts. Feed it samples, gaps, faults and link changes in device-time order;
/// it returns a `Reading` per sample and emits `SignalEvent`s. Pure and deterministic: no clock,
/// no I/O, no allocation per sample.
///
/// `SessionCore` is its one caller in the product: it routes the decoder's events here.
///
/// ```swift
/// var pipeline = try SignalPipeline(profile: .foamRollerLowerBack, calibration: stored,
///                                   priorDailyMicroseconds: ledgerTotalToday)
/// let reading = pipeline.process(sample) { sink.write($0) }
/// pipeline.disconnect(atDeviceTimeMicroseconds: reading.deviceTimeMicroseconds) { sink.write($0) }
/// pipeline.finish(atDeviceTimeMicroseconds: end) { sink.write($0) }  // closes open events
/// ```
public struct SignalPipeline: Sendable {
    /// The profile it runs.
    public let profile: Profile
    /// The calibration it applies to raw samples.
    public let calibration: Calibration

    // Configuration resolved from the profile.
    private let channelCalibration: ChannelCalibration
    private let pressureModel: PressureModel
    private let contactOnNewtons: Double
    private let contactOffNewtons: Double
    private let maxIntervalMicroseconds: Int64
    private let rezeroEnabled: Bool

    // Stages.
    private var conditioner: SignalConditioner
    private var jumpDetector: JumpDetector
    private var contactSwitch: DelayedSwitch
    private var zoneAlarms: ZoneAlarms
    private var layout: LoadLayout
    private var faults: FaultScope
    private var alerts: AlertEngine
    private var rezero: AutoRezero
    private let sensorRange: SensorRange
    private var stillness: StillnessDetector
    // Whether the hold timer runs, from whichever of rotation or force judged stillness.
    private var holdIsStill = false

    /// Whether the rig can tell a narrow load on the centre line from a wide centred one: it
    /// needs channels at the centre and outside it (docs/HARDWARE.md). Without, no spine rule.
    public var canObserveSpine: Bool { layout.canObserveSpine }

    // State.
    private var lastTime: Int64 = .min
    /// The device's typical sample interval, for the clock jump limit and slow devices.
    private var intervals = SampleIntervalTracker()
    /// A slowDevice condition is open.
    private var slowDeviceOpen = false
    private var maskedChannelCount = 0
    private var channelMask = SIMD4<Double>(repeating: 0)
    private var usedChannelBits: UInt8 = 0
    private var linkDown = false
    private var zeroDriftReported = false
    private var last: Reading
    // Position on the back: a profile with `rotation` and a device with an angle channel, or a
    // profile with `ball` and a device with x/y motion channels.
    private var positionStage: PositionStage

    private var areaTime = AreaTime()

    /// Contact time per side this session (index: `Side.index`).
    public var sessionMicrosecondsBySide: SIMD4<Int64> { areaTime.bySide }
    /// Contact time on the region this session.
    public var sessionMicroseconds: Int64 { areaTime.sessionMicroseconds }
    /// Today's contact time on the region before this session (from the ledger).
    public let priorDailyMicroseconds: Int64

    /// Makes a pipeline; throws when the profile is invalid or needs a body mass it was not given.
    public init(
        profile: Profile, calibration: Calibration = .identity,
        bodyMassKilograms: Double? = nil, priorDailyMicroseconds: Int64 = 0
    ) throws(ProfileError) {
        try profile.validate()
        self.profile = profile
        self.calibration = calibration
        self.priorDailyMicroseconds = max(0, priorDailyMicroseconds)

        func micro(_ seconds: Double) -> Int64 { Int64((seconds * 1_000_000).rounded()) }

        channelCalibration = try ChannelCalibration(calibration)

        pressureModel = PressureModel(tool: profile.tool, customAreaSquareCentimetres: profile.customContactAreaSquareCentimetres)
        let zones = profile.zones
        guard let scale = zones.classifierUnitsPerProfileUnit(bodyMassKilograms: bodyMassKilograms) else {
            throw ProfileError(key: "zones.unit", problem: "percentBodyWeight needs the user's body mass in kilograms")
        }
        zoneAlarms = ZoneAlarms(zones: zones, unitsPerProfileUnit: scale, overRangeChannelNewtons: profile.range.overRangeChannelNewtons)

        layout = LoadLayout(spine: profile.spine)

        contactOnNewtons = profile.contact.onNewtons
        contactOffNewtons = profile.contact.offNewtons
        contactSwitch = DelayedSwitch(onDelayMicroseconds: micro(profile.contact.onDelaySeconds),
                                      offDelayMicroseconds: micro(profile.contact.offDelaySeconds))

        conditioner = SignalConditioner(filter: profile.filter)
        jumpDetector = JumpDetector(riseNewtons: profile.jump.riseNewtons, windowMicroseconds: micro(profile.jump.windowSeconds),
                                    refractoryMicroseconds: micro(profile.jump.refractorySeconds))
        faults = FaultScope(
            monitor: FaultMonitor(holdMicroseconds: micro(profile.faults.holdSeconds),
                                  flatLineMicroseconds: micro(profile.faults.flatLineSeconds),
                                  saturationCounts: profile.faults.saturationCounts),
            fullScaleNewtons: channelCalibration.newtons(SIMD4(repeating: profile.faults.saturationCounts)),
            overRangeChannelNewtons: profile.range.overRangeChannelNewtons)
        maxIntervalMicroseconds = micro(profile.faults.maxSampleIntervalSeconds)
        rezeroEnabled = profile.rezero.enabled
        rezero = AutoRezero(windowMicroseconds: micro(profile.rezero.windowSeconds),
                            stillNewtons: profile.rezero.stillNewtons, maxDriftNewtons: profile.rezero.maxDriftNewtons)

        alerts = AlertEngine(limits: profile.limits)
        sensorRange = SensorRange(overRangeCounts: profile.range.overRangeCounts, overRangeChannelNewtons: profile.range.overRangeChannelNewtons)
        stillness = StillnessDetector(windowMicroseconds: micro(profile.stillness.windowSeconds),
                                      forceSpanNewtons: profile.stillness.forceSpanNewtons,
                                      forceSpanFraction: profile.stillness.forceSpanFraction,
                                      centroidSpanMillimetres: profile.stillness.centroidSpanMillimetres)

        positionStage = PositionStage(profile: profile)
        last = Reading(
            deviceTimeMicroseconds: 0, forceNewtons: 0, channelForcesNewtons: .zero, pressureKilopascals: 0,
            centroidMillimetres: nil, zone: .none, contact: false,
            area: Area(region: profile.region, side: .whole), holdMicroseconds: 0,
            dailyMicroseconds: self.priorDailyMicroseconds)
    }

    /// The reading for the last sample processed.
    public var lastReading: Reading { last }

    /// Position along the back so far (time and pressure per band, strokes), when tracked.
    public var position: PositionTracker? { positionStage.tracked }

    /// Takes what a device's HELLO says about its channels: an angle channel turns on position
    /// tracking when the profile has `rotation`, x/y motion channels when it has `ball`.
    public mutating func identify(_ info: DeviceInfo) { positionStage.identify(info) }

    /// The current automatic zero correction per channel, in newtons.
    public var zeroCorrectionNewtons: SIMD4<Double> { rezero.zeroNewtons }

    // MARK: - Samples

    /// Below this many samples a second a device is too slow for live alerts: a reading shown is
    /// up to a whole interval old, and a push can rise and pass between two samples (an
    /// estimate, docs/SAFETY.md).
    public static let liveAlertMinimumRateHertz = 5.0
    /// Steps shorter than the fastest supported sample interval (1 kHz) come from one read's burst.
    static let burstStepMicroseconds = SampleIntervalTracker.fastestIntervalMicroseconds
    static let liveAlertMaximumIntervalMicroseconds = Int64(1_000_000 / liveAlertMinimumRateHertz)

    /// Processes one sample; emits the events it causes and returns its reading.
    @inline(__always)
    public mutating func process(_ sample: Sample, emit: (SignalEvent) -> Void) -> Reading {
        let t = sample.deviceTimeMicroseconds
        if linkDown { endLink(at: t, emit: emit) }

        // Calibration (raw counts only), lanes past the channel count forced to zero.
        let count = min(max(sample.channelCount, 1), Sample.maxChannelCount)
        if count != maskedChannelCount {
            maskedChannelCount = count
            channelMask = SIMD4<Double>.laneMask(count: count)
            usedChannelBits = UInt8(truncatingIfNeeded: (1 << count) - 1)
        }
        let lanes = channelMask
        var forces: SIMD4<Double>
        if sample.quantity == .rawCounts {
            faults.observe(rawValues: sample.values, channelCount: count, laneMask: lanes, timeMicroseconds: t)
            forces = channelCalibration.newtons(sample.values)
            forces -= rezero.zeroNewtons
        } else {
            forces = sample.values
        }
        forces *= lanes

        // A NaN or infinite value (or one that overflows in calibration) would stick in every
        // filter: the sample is dropped as a fault instead, and its time goes to the next one.
        guard forces.lanesSum.isFinite else {
            dropInvalid(forces, at: t, emit: emit)
            return last
        }

        // Time step from the device clock; a step backwards or too long for the device's own
        // rate is a clock jump (a sketch printing once a second is slow, not jumping). The same
        // time twice is not: a text sketch's lines that arrived in one read (such as those it
        // printed before the port opened) share their receive time, and add no time.
        var dt: Int64 = 0
        let lastTimeBefore = lastTime
        if lastTime != .min {
            dt = t &- lastTime
            let limit = intervals.jumpLimit(base: maxIntervalMicroseconds)
            intervals.add(dt)
            if dt < 0 || dt > limit {
                emit(event(.fault, .caution, .instant, .clockJump, at: t, value: Double(dt) / 1_000_000,
                           limit: Double(limit) / 1_000_000))
                resetFilters()
                dt = 0
            } else {
                reportRate(at: t, emit: emit)
            }
        }
        lastTime = t
        let dtSeconds = Double(dt) * 1e-6

        // Faults seen so far start or end now.
        emitFaultTransitions(at: t, emit: emit)

        // Automatic zero: only out of contact, with clean data. A load over the contact level
        // is never a zero, even before the contact switch's delay has passed: a slow sketch's
        // next sample comes seconds later, and two loaded samples made a "still" stretch.
        if rezeroEnabled && sample.quantity == .rawCounts {
            if contactSwitch.isOn || faults.anyForceActive || dt == 0 || forces.lanesSum >= contactOnNewtons {
                rezero.breakStretch()
            } else if let wanted = rezero.add(forces, timeMicroseconds: t), !zeroDriftReported {
                zeroDriftReported = true
                let drift = wanted.lanesAbs.lanesMaximum
                emit(event(.calibration, .caution, .instant, .zeroDriftBound, at: t, value: drift, limit: rezero.maxDriftNewtons))
            }
        }

        // Spike rejection, jump detection on the unsmoothed force, then smoothing.
        // Spike rejection over samples seconds apart (a slow sketch) would hold a real change back
        // by whole samples, and a low-pass over them only makes each reading part of the one
        // before (a 1 Hz sketch's first reading after a step 14 % short): a slow device's samples
        // pass unchanged, and the median and smoother start over from each of them. "Slow" is
        // the device's typical rate, not this one step: a 4 Hz sketch on a busy host has lines
        // 190 ms apart now and then, and filtering just those against samples a second old read
        // a steady 60 N as 27 N. One long step of a fast device (a gap) starts them over too.
        let typicalStepMicroseconds = intervals.typicalMicroseconds ?? dt
        if dt > Self.liveAlertMaximumIntervalMicroseconds || typicalStepMicroseconds > Self.liveAlertMaximumIntervalMicroseconds {
            conditioner.reset()
        }
        let medianForces = conditioner.despike(forces)
        let medianTotal = medianForces.lanesSum
        let overRange = sensorRange.isOverRange(rawValues: sample.quantity == .rawCounts ? sample.values : nil,
                                                channelForcesNewtons: medianForces, laneMask: lanes)
        // Samples that arrived in one read (a text sketch's burst, such as the lines it printed
        // before the port opened) share their receive time, or are stamped 1 µs apart by the
        // text parser: they have no rate of rise to judge, and the detector starts over from the
        // newest of them. No device RollSense supports samples faster than 1 kHz.
        if dt < Self.burstStepMicroseconds && lastTimeBefore != .min { jumpDetector.reset() }
        let jumpRise = jumpDetector.update(forceNewtons: medianTotal, timeMicroseconds: t)
        let smoothed = conditioner.smooth(medianForces, dtSeconds: dtSeconds)
        let total = smoothed.lanesSum
        last.deviceTimeMicroseconds = t
        last.channelForcesNewtons = smoothed
        last.forceNewtons = total
        last.pressureKilopascals = pressureModel.pressureKilopascals(forceNewtons: total)

        layout.place(&last)

        // A faulty force channel's reading is garbage (a saturated one reads some 200 kN): no jump
        // from it. A position sensor's fault leaves the force known and the jump alert on.
        let forceUnknown = faults.forceUnknown(usedChannelBits: usedChannelBits)
        if let rise = jumpRise, !forceUnknown {
            emit(event(.jump, .caution, .instant, .jump, at: t, value: rise, limit: jumpDetector.riseNewtons,
                       forceNewtons: medianTotal))
        }

        if positionStage.tracked != nil {
            last.position = positionStage.update(sample, intervalMicroseconds: dt, inContact: contactSwitch.isOn,
                                                 loaded: medianTotal >= contactOffNewtons, pressureKilopascals: last.pressureKilopascals)
        }

        // Time on area: the interval since the last sample belongs to the state at its start.
        if contactSwitch.isOn && dt > 0 {
            areaTime.add(dt, side: last.area.side)
            last.dailyMicroseconds = priorDailyMicroseconds &+ areaTime.sessionMicroseconds
        }

        // Contact.
        if contactSwitch.update(onCondition: total >= contactOnNewtons, offCondition: total < contactOffNewtons,
                                timeMicroseconds: t) {
            if contactSwitch.isOn {
                last.contact = true
                last.holdMicroseconds = 0
                stillness.reset()
                holdIsStill = false
                emit(event(.contact, .info, .start, .contact, at: t, value: total, limit: contactOnNewtons))
                alerts.contactStarted(at: t, dailyMicroseconds: last.dailyMicroseconds) { emit(SignalPipeline.makeEvent(last, $0, at: t)) }
            } else {
                endContact(at: t, emit: emit)
            }
        }

        // Zones and alarms: classified in contact; reported as fault while the force is unknown.
        let zoneContext = self.zoneContext
        zoneAlarms.classify(contactSwitch.isOn ? zoneAlarms.zoneValue(forceNewtons: total, pressureKilopascals: last.pressureKilopascals) : nil,
                            isOverRange: overRange, timeMicroseconds: t)
        if contactSwitch.isOn {
            if forceUnknown {
                // The healthy channels (and a saturated one's full scale) are a lower bound on the
                // force: enough to raise an alarm, never to clear one while the truth is unknown.
                let bound = faults.forceLowerBoundNewtons(smoothed, rawValues: sample.quantity == .rawCounts ? sample.values : nil,
                                                          channelCount: maskedChannelCount)
                zoneAlarms.update(zoneAlarms.zoneValue(forceNewtons: bound, pressureKilopascals: pressureModel.pressureKilopascals(forceNewtons: bound)),
                                  mayClear: false, reading: &last, context: zoneContext, at: t, emit: emit)
            } else {
                zoneAlarms.update(zoneAlarms.zoneValue(forceNewtons: total, pressureKilopascals: last.pressureKilopascals),
                                  reading: &last, context: zoneContext, at: t, emit: emit)
            }
        }
        zoneAlarms.updateOverRange(channelMaximumNewtons: (medianForces * lanes).lanesMaximum, reading: &last, context: zoneContext, at: t, emit: emit)
        zoneAlarms.report(reading: &last, context: zoneContext, at: t, emit: emit)

        // A hold is time still on one spot: strokes make the load swing, a hold is steady.
        // With a known position the roller's own turning tells a hold from rolling; without one
        // (no sensor, or its angle lost) the load's steadiness does. The force detector keeps
        // its window either way, so losing the angle falls back at once.
        if contactSwitch.isOn {
            let forceStill = stillness.update(forceNewtons: total, centroidMillimetres: last.centroidMillimetres, timeMicroseconds: t)
            let since: Int64?
            if let position = last.position, position.millimetres != nil {
                since = positionStage.stillSinceMicroseconds
            } else {
                since = forceStill ? stillness.stillSinceMicroseconds : nil
            }
            if let since {
                last.holdMicroseconds = t - since
                holdIsStill = true
            } else if holdIsStill {
                alerts.holdEnded(holdMicroseconds: last.holdMicroseconds) { emit(SignalPipeline.makeEvent(last, $0, at: t)) }
                last.holdMicroseconds = 0
                holdIsStill = false
            }
        }

        if contactSwitch.isOn {
            alerts.check(holdMicroseconds: last.holdMicroseconds, dailyMicroseconds: last.dailyMicroseconds, at: t) {
                emit(SignalPipeline.makeEvent(last, $0, at: t))
            }
        }

        if layout.updateSpine(last, inContact: contactSwitch.isOn, timeMicroseconds: t) {
            emit(event(.spine, .caution, layout.isOnSpine ? .start : .end, .loadOnSpine, at: t,
                       value: last.centroidMillimetres ?? 0, limit: layout.spineHalfWidthMillimetres))
        }
        return last
    }

    /// Processes a run of samples in order; returns the last reading (nil for none).
    public mutating func process(_ samples: UnsafeBufferPointer<Sample>, emit: (SignalEvent) -> Void) -> Reading? {
        for sample in samples { _ = process(sample, emit: emit) }
        return samples.isEmpty ? nil : last
    }

    /// Processes an array of samples in order; returns the last reading (nil for none).
    public mutating func process(_ samples: [Sample], emit: (SignalEvent) -> Void) -> Reading? {
        samples.withUnsafeBufferPointer { process($0, emit: emit) }
    }

    // MARK: - Other inputs

    /// A sequence gap reported by the wire decoder: the missing samples are a fault.
    public mutating func process(gap: SampleGap, emit: (SignalEvent) -> Void) {
        faults.see(.droppedSamples, channel: nil, value: Double(gap.missingSamples), timeMicroseconds: gap.deviceTimeMicroseconds)
        faultsChanged(at: gap.deviceTimeMicroseconds, emit: emit)
    }

    /// A FAULT frame from the device. One of a rotation or motion sensor (an extra channel) makes
    /// the position unknown and nothing else: the force zones and the jump alert go on.
    public mutating func process(fault: DeviceFault, emit: (SignalEvent) -> Void) {
        let t = fault.deviceTimeMicroseconds
        let channel = fault.channel == DeviceFault.deviceChannel ? nil : Int(fault.channel)
        let value = Double(fault.value)
        let kind: FaultKind
        switch fault.code {
        case .sensorNotReady, .magnet: kind = .sensorNotReady
        case .saturated: kind = .saturated
        case .disconnected: kind = .disconnected
        case .droppedSamples: kind = .droppedSamples
        case .watchdogReset:
            restart(atDeviceTimeMicroseconds: t, value: value, emit: emit)
            return
        }
        faults.see(kind, channel: channel, value: value, timeMicroseconds: t)
        faultsChanged(at: t, emit: emit)
    }

    /// The device restarted (a watchdog FAULT, or a HELLO in the middle of a stream): its
    /// filters start over with the next sample; contact and time on area carry on.
    public mutating func restart(atDeviceTimeMicroseconds t: Int64, value: Double = 0, emit: (SignalEvent) -> Void) {
        emit(event(.link, .caution, .instant, .deviceRestarted, at: t, value: value, limit: 0))
        resetFilters()
        faults.resetHistory()
    }

    /// The device went away (unplugged, port error): contact and zone end, the zone reads fault.
    public mutating func disconnect(atDeviceTimeMicroseconds t: Int64, emit: (SignalEvent) -> Void) {
        guard !linkDown else { return }
        linkDown = true
        emit(event(.link, .caution, .start, .deviceDisconnected, at: t, value: 0, limit: 0))
        if contactSwitch.isOn { endContact(at: t, emit: emit) }
        zoneAlarms.end(reading: last, at: t, emit: emit)
        contactSwitch.reset()
        zoneAlarms.resetClassifiers()
        endSpine(at: t, emit: emit)
        zoneAlarms.report(reading: &last, context: zoneContext, at: t, emit: emit)
    }

    /// Closes every open condition (contact, zone, holds, spine, faults, daily, link) at `t`.
    public mutating func finish(atDeviceTimeMicroseconds t: Int64, emit: (SignalEvent) -> Void) {
        if contactSwitch.isOn { endContact(at: t, emit: emit) }
        zoneAlarms.end(reading: last, at: t, emit: emit)
        contactSwitch.reset()
        zoneAlarms.resetClassifiers()
        endSpine(at: t, emit: emit)
        emitFaultTransitions(at: t, endAll: true, emit: emit)
        if slowDeviceOpen {
            slowDeviceOpen = false
            emit(event(.fault, .caution, .end, .slowDevice, at: t, value: intervals.typicalMicroseconds.map { 1_000_000 / Double($0) } ?? 0,
                       limit: Self.liveAlertMinimumRateHertz))
        }
        if linkDown {
            linkDown = false
            emit(event(.link, .caution, .end, .deviceDisconnected, at: t, value: 0, limit: 0))
        }
        zoneAlarms.report(reading: &last, context: zoneContext, at: t, emit: emit)
        alerts.finish(dailyMicroseconds: last.dailyMicroseconds) { emit(SignalPipeline.makeEvent(last, $0, at: t)) }
    }

    // MARK: - Helpers

    private mutating func resetFilters() {
        conditioner.reset()
        jumpDetector.reset()
        rezero.breakStretch()
    }

    private mutating func endLink(at t: Int64, emit: (SignalEvent) -> Void) {
        linkDown = false
        emit(event(.link, .caution, .end, .deviceDisconnected, at: t, value: 0, limit: 0))
        resetFilters()
        faults.resetHistory()
        lastTime = .min
        intervals.reset()
    }

    /// Opens or closes the slowDevice condition when the device's rate crosses
    /// `liveAlertMinimumRateHertz`.
    @inline(__always)
    private mutating func reportRate(at t: Int64, emit: (SignalEvent) -> Void) {
        guard let typical = intervals.typicalMicroseconds else { return }
        let slow = typical > Self.liveAlertMaximumIntervalMicroseconds
        guard slow != slowDeviceOpen else { return }
        slowDeviceOpen = slow
        emit(event(.fault, .caution, slow ? .start : .end, .slowDevice, at: t, value: 1_000_000 / Double(typical),
                   limit: Self.liveAlertMinimumRateHertz))
    }

    @inline(never)
    private mutating func dropInvalid(_ forces: SIMD4<Double>, at t: Int64, emit: (SignalEvent) -> Void) {
        var channel = 0
        while channel < 3 && forces[channel].isFinite { channel += 1 }
        // The value stays 0: NaN or infinity would not survive JSON output.
        faults.see(.invalidValue, channel: channel, value: 0, timeMicroseconds: t)
        last.deviceTimeMicroseconds = t
        faultsChanged(at: t, emit: emit)
    }

    private mutating func faultsChanged(at t: Int64, emit: (SignalEvent) -> Void) {
        emitFaultTransitions(at: t, emit: emit)
        zoneAlarms.report(reading: &last, context: zoneContext, at: t, emit: emit)
    }

    private mutating func endContact(at t: Int64, emit: (SignalEvent) -> Void) {
        alerts.holdEnded(holdMicroseconds: last.holdMicroseconds) { emit(SignalPipeline.makeEvent(last, $0, at: t)) }
        zoneAlarms.end(reading: last, at: t, emit: emit)
        stillness.reset()
        holdIsStill = false
        last.contact = false
        zoneAlarms.resetClassifiers()
        // No load, no load on the spine: the warning ends with the contact.
        endSpine(at: t, emit: emit)
        zoneAlarms.report(reading: &last, context: zoneContext, at: t, emit: emit)
        emit(event(.contact, .info, .end, .contact, at: t, value: last.forceNewtons, limit: contactOffNewtons))
        last.holdMicroseconds = 0
    }

    /// What the shown zone depends on besides the load: the link and whether the force is known.
    private var zoneContext: ZoneAlarms.Context {
        ZoneAlarms.Context(linkDown: linkDown, forceUnknown: faults.forceUnknown(usedChannelBits: usedChannelBits) || faults.samplesLost)
    }

    /// The person pressed the pain key: an event with the force and pressure now, at the last
    /// sample's time (docs/SAFETY.md, "Pain marks").
    public mutating func markPain(emit: (SignalEvent) -> Void) {
        emit(event(.pain, .info, .instant, .painMark, at: last.deviceTimeMicroseconds, value: last.forceNewtons, limit: 0))
    }

    /// Ends the load-on-spine warning if it is on.
    private mutating func endSpine(at t: Int64, emit: (SignalEvent) -> Void) {
        guard layout.endSpine() else { return }
        emit(event(.spine, .caution, .end, .loadOnSpine, at: t, value: last.centroidMillimetres ?? 0, limit: layout.spineHalfWidthMillimetres))
    }

    @inline(__always)
    private mutating func emitFaultTransitions(at t: Int64, endAll: Bool = false, emit: (SignalEvent) -> Void) {
        guard faults.mayChange else { return }
        emitAllFaultTransitions(at: t, endAll: endAll, emit: emit)
    }

    @inline(never)
    private mutating func emitAllFaultTransitions(at t: Int64, endAll: Bool, emit: (SignalEvent) -> Void) {
        let base = last
        let forceEnded = faults.update(timeMicroseconds: t, endAll: endAll) { kind, channel, value, started in
            emit(base.event(.fault, .caution, started ? .start : .end, kind.reason, at: t, value: value, limit: 0, channel: channel))
        }
        // The filters still hold the faulty readings (a saturated channel decays through the
        // smoother for seconds): start them over from the first good sample.
        if forceEnded && !endAll { resetFilters() }
    }

    // Events are rare: kept out of line so the per-sample path stays small.
    @inline(never)
    private mutating func event(
        _ kind: EventKind, _ level: AlertLevel, _ phase: EventPhase, _ reason: EventReason, at t: Int64,
        value: Double, limit: Double, channel: Int? = nil, zone: Zone? = nil, forceNewtons: Double? = nil
    ) -> SignalEvent {
        last.event(kind, level, phase, reason, at: t, value: value, limit: limit, channel: channel, zone: zone, forceNewtons: forceNewtons)
    }

    @inline(never)
    private static func makeEvent(_ reading: Reading, _ alert: AlertTransition, at t: Int64) -> SignalEvent {
        reading.event(alert.kind, alert.level, alert.phase, alert.reason, at: t, value: alert.valueSeconds, limit: alert.limitSeconds)
    }
}
