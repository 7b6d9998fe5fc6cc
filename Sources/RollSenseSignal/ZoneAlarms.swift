/// The pipeline's zones-and-alarms stage: every pressure alarm rule in one place. The zone of the
/// load now (no delay), caution and stop annunciated the ISA-18.2 way (deadband, on-delay,
/// off-delay, latch: one alert per episode whatever the stroke rate), over range, and what a
/// fault changes (docs/SAFETY.md, "Alarm quality" and "Faults and time accounting").
///
/// It works on the pipeline's `Reading`: it sets `zone` and `currentZone` and makes its events
/// from the reading at the moment of each change, as every pipeline event is made.
struct ZoneAlarms: Sendable {
    /// What else the shown zone depends on.
    struct Context {
        /// The link to the device is down.
        var linkDown: Bool
        /// A force channel's fault (or lost samples) leaves the force unknown.
        var forceUnknown: Bool
    }

    /// Whether zones are in kilopascals (else the force's unit).
    let zonesUsePressure: Bool
    /// The top of one channel's range, the limit an over-range event names.
    let overRangeChannelNewtons: Double
    // The zones as alerted (with the profile's delays) and of the load now (without).
    private var alerted: ZoneClassifier
    private var now: ZoneClassifier
    private var caution: Annunciator
    private var stop: Annunciator
    // Raised at once: the true load is unknown and may be rising.
    private var overRange: Annunciator
    private var isOverRangeNow = false
    private var reported: Zone = .none

    /// Makes the stage; `unitsPerProfileUnit` turns the profile's zone values into classifier units.
    init(zones: ZoneProfile, unitsPerProfileUnit scale: Double, overRangeChannelNewtons: Double) {
        func micro(_ seconds: Double) -> Int64 { Int64((seconds * 1_000_000).rounded()) }
        zonesUsePressure = zones.unit == .kilopascals
        self.overRangeChannelNewtons = overRangeChannelNewtons
        alerted = ZoneClassifier(
            target: zones.target * scale, caution: zones.caution * scale, stop: zones.stop * scale,
            deadband: zones.deadband * scale,
            onDelayMicroseconds: micro(zones.onDelaySeconds), offDelayMicroseconds: micro(zones.offDelaySeconds))
        now = ZoneClassifier(
            target: zones.target * scale, caution: zones.caution * scale, stop: zones.stop * scale,
            deadband: zones.deadband * scale, onDelayMicroseconds: 0, offDelayMicroseconds: 0)
        let latch = micro(zones.minimumLatchSeconds)
        caution = Annunciator(onDelayMicroseconds: micro(zones.onDelaySeconds), offDelayMicroseconds: micro(zones.offDelaySeconds),
                              minimumLatchMicroseconds: latch)
        stop = caution
        overRange = Annunciator(onDelayMicroseconds: 0, offDelayMicroseconds: micro(zones.offDelaySeconds), minimumLatchMicroseconds: latch)
    }

    /// Target, caution and stop in classifier units.
    var thresholds: SIMD3<Double> { alerted.thresholds }

    /// The value zones are judged on: pressure or force.
    @inline(__always)
    func zoneValue(forceNewtons: Double, pressureKilopascals: Double) -> Double {
        zonesUsePressure ? pressureKilopascals : forceNewtons
    }

    /// Classifies the load in contact (`value` in classifier units), or forgets it out of contact
    /// (nil); `isOverRange`: a channel is over range now (at least caution).
    @inline(__always)
    mutating func classify(_ value: Double?, isOverRange: Bool, timeMicroseconds t: Int64) {
        isOverRangeNow = isOverRange
        if let value {
            _ = alerted.update(value, timeMicroseconds: t)
            _ = now.update(value, timeMicroseconds: t)
        } else {
            resetClassifiers()
        }
    }

    /// Forgets the zone of the load (contact ended, link lost).
    mutating func resetClassifiers() {
        alerted.reset()
        now.reset()
    }

    /// Feeds the zone value to caution and stop; raises and clears with the deadband, delays and
    /// latch of the profile. With `mayClear` false (the force unknown, `value` a lower bound of
    /// it) they can be raised and not cleared.
    @inline(__always)
    mutating func update(_ value: Double, mayClear: Bool = true, reading: inout Reading, context: Context, at t: Int64,
                         emit: (SignalEvent) -> Void) {
        let thresholds = alerted.thresholds, deadband = alerted.deadband
        let cautionChange = caution.update(raise: value >= thresholds[1], clear: mayClear && value < thresholds[1] - deadband, timeMicroseconds: t)
        let stopChange = stop.update(raise: value >= thresholds[2], clear: mayClear && value < thresholds[2] - deadband, timeMicroseconds: t)
        guard cautionChange != nil || stopChange != nil else { return }
        // Ends before the shown zone changes, starts after it: events nest stop inside caution.
        if stopChange == .cleared { emit(reading.event(.zone, .stop, .end, .zoneStop, at: t, value: value, limit: thresholds[2], zone: .stop)) }
        if cautionChange == .cleared { emit(reading.event(.zone, .caution, .end, .zoneCaution, at: t, value: value, limit: thresholds[1], zone: .caution)) }
        report(reading: &reading, context: context, at: t, emit: emit)
        if cautionChange == .raised { emit(reading.event(.zone, .caution, .start, .zoneCaution, at: t, value: value, limit: thresholds[1], zone: .caution)) }
        if stopChange == .raised { emit(reading.event(.zone, .stop, .start, .zoneStop, at: t, value: value, limit: thresholds[2], zone: .stop)) }
    }

    /// Feeds the over-range alarm what `classify` was told; `channelMaximumNewtons` is the event's value.
    @inline(__always)
    mutating func updateOverRange(channelMaximumNewtons: Double, reading: inout Reading, context: Context,
                                  at t: Int64, emit: (SignalEvent) -> Void) {
        guard let change = overRange.update(raise: isOverRangeNow, clear: !isOverRangeNow, timeMicroseconds: t) else { return }
        report(reading: &reading, context: context, at: t, emit: emit)
        emit(reading.event(.zone, .caution, change == .raised ? .start : .end, .overRange, at: t,
                           value: channelMaximumNewtons, limit: overRangeChannelNewtons))
    }

    /// Contact ended or the session finished: raised alarms clear now.
    mutating func end(reading: Reading, at t: Int64, emit: (SignalEvent) -> Void) {
        let value = zoneValue(forceNewtons: reading.forceNewtons, pressureKilopascals: reading.pressureKilopascals)
        let thresholds = alerted.thresholds
        if stop.reset() { emit(reading.event(.zone, .stop, .end, .zoneStop, at: t, value: value, limit: thresholds[2], zone: .stop)) }
        if caution.reset() { emit(reading.event(.zone, .caution, .end, .zoneCaution, at: t, value: value, limit: thresholds[1], zone: .caution)) }
        if overRange.reset() {
            emit(reading.event(.zone, .caution, .end, .overRange, at: t, value: reading.channelForcesNewtons.lanesMaximum,
                               limit: overRangeChannelNewtons))
        }
    }

    /// Sets the reading's zones and says light and target changes. Caution and stop show while
    /// their alarms are raised (latched); below them the classifier's light or target; over range
    /// is at least caution. While the force is unknown the zone reads fault, unless what is known
    /// of it already raised an alarm: then that alarm shows, the fault beside it. Lost samples
    /// count as unknown here (no zone below caution is shown as fine: a peak may have been among
    /// them), though the alarms judge the samples that came.
    @inline(__always)
    mutating func report(reading: inout Reading, context: Context, at t: Int64, emit: (SignalEvent) -> Void) {
        let alarmed: Zone? = stop.isActive ? .stop : ((caution.isActive || overRange.isActive) ? .caution : nil)
        let zone: Zone
        let current: Zone
        if context.linkDown {
            zone = .fault
            current = .fault
        } else if !reading.contact {
            zone = context.forceUnknown ? .fault : .none
            current = zone
        } else if context.forceUnknown {
            zone = alarmed ?? .fault
            current = zone
        } else {
            zone = alarmed ?? ZoneClassifier.zone(level: min(alerted.level, 1))
            current = ZoneClassifier.zone(level: max(now.level, isOverRangeNow ? 2 : 0))
        }
        reading.zone = zone
        reading.currentZone = current
        guard zone != reported else { return }
        let previous = reported
        reported = zone
        let value = zoneValue(forceNewtons: reading.forceNewtons, pressureKilopascals: reading.pressureKilopascals)
        if let (level, reason) = Self.zoneAlert(previous) {
            emit(reading.event(.zone, level, .end, reason, at: t, value: value, limit: 0, zone: previous))
        }
        if let (level, reason) = Self.zoneAlert(zone) {
            emit(reading.event(.zone, level, .start, reason, at: t, value: value, limit: Self.limit(zone, thresholds: alerted.thresholds), zone: zone))
        }
    }

    private static func limit(_ zone: Zone, thresholds: SIMD3<Double>) -> Double {
        switch zone {
        case .target: return thresholds[0]
        case .caution: return thresholds[1]
        case .stop: return thresholds[2]
        default: return 0
        }
    }

    // Caution and stop alerts come from their annunciators (`update`), not from changes of the
    // shown zone, so a stop inside a caution episode is not a second caution.
    private static func zoneAlert(_ zone: Zone) -> (AlertLevel, EventReason)? {
        switch zone {
        case .light: return (.info, .zoneLight)
        case .target: return (.info, .zoneTarget)
        case .caution, .stop, .none, .fault: return nil
        }
    }
}

extension Reading {
    /// An event at `t` made from this reading (its zone, area, force and pressure); rare, so out of line.
    @inline(never)
    func event(
        _ kind: EventKind, _ level: AlertLevel, _ phase: EventPhase, _ reason: EventReason, at t: Int64,
        value: Double, limit: Double, channel: Int? = nil, zone: Zone? = nil, forceNewtons: Double? = nil
    ) -> SignalEvent {
        SignalEvent(
            deviceTimeMicroseconds: t, kind: kind, level: level, phase: phase, reason: reason,
            zone: zone ?? self.zone, area: area, forceNewtons: forceNewtons ?? self.forceNewtons,
            pressureKilopascals: pressureKilopascals, value: value, limit: limit, channel: channel)
    }
}
