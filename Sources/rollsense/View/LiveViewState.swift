import RollSenseKit
import RollSenseSignal
import RollSenseWire

/// Turns the session's readings and events into what the live view shows: the latest values,
/// recent pressures, the alert to show and whether one just started. Pure state, no terminal.
struct LiveViewState {
    /// Device seconds an instant alert (a jump) stays on screen.
    static let instantAlertSeconds = 3.0
    /// Device seconds "Board back after m:ss" stays on screen after a replug.
    static let backNoteSeconds = 5.0
    /// Seconds of history in the sparkline at the reading rate (15/s).
    static let historyCount = 300

    let profile: Profile
    let title: String
    /// Profile zone units to gauge units (newtons or kilopascals): converts percent of body weight.
    private let gaugeUnitsPerZoneUnit: Double
    private(set) var reading: Reading?
    private(set) var sessionSeconds = 0.0
    private(set) var recent: [Double] = []
    private(set) var linkStatus: String?
    private(set) var bandSeconds: [Int: Double] = [:]
    private(set) var cellSeconds: [PositionCell: Double] = [:]
    /// Session seconds of the last reading when the signal was lost (board gone or silent); nil
    /// while readings are current. The view then shows no pressure or zone as current.
    private(set) var signalLostAtSessionSeconds: Double?
    /// Host seconds the board has been unplugged so far (nil while it is there): the clock and
    /// NO SIGNAL count on, as --duration does, rather than freezing at the last reading.
    private(set) var goneSeconds: Double?
    /// How long the board was gone, from its return until the restart its HELLO reports: that
    /// restart is the replug, not a sensor problem.
    private var backAfterSeconds: Double?
    /// Open alerts by reason, with when they started (device seconds) and their words.
    private var open: [EventReason: (since: Double, text: String, style: ZoneStyle, short: [String])] = [:]
    private var instant: (until: Double, text: String, style: ZoneStyle, short: [String])?
    /// Set when an alert starts; the display rings and flashes, then clears it.
    var alertStarted = false
    /// Shown above the last line while the session runs (no sound device).
    var soundNote: String?
    /// The stop limit and its origin (`LimitText.headline`), under the title.
    var limitsLine: String?
    /// The last pain mark's confirmation, kept for the rest of the session.
    private(set) var painNote: String?
    /// The line rate the device is read at, when known (named with a text sketch's channels).
    var baudRate: Int?
    /// What a text sketch's values became, longest wording first (empty for a RollSense board).
    private(set) var sourcePhrases: [String] = []

    /// `bodyMassKilograms` places percent-of-body-weight zones on the force gauge, as the pipeline does.
    init(profile: Profile, title: String, bodyMassKilograms: Double? = nil) {
        self.profile = profile
        self.title = title
        // Without a mass the pipeline refuses to start, so the view is never shown with this 1.
        gaugeUnitsPerZoneUnit = profile.zones.classifierUnitsPerProfileUnit(bodyMassKilograms: bodyMassKilograms) ?? 1
        linkStatus = "waiting for the board"
    }

    /// The gauge shows pressure for kPa zones and force otherwise.
    var gaugeInKilopascals: Bool { profile.zones.unit == .kilopascals }

    /// A text sketch's values became the channels: the header names them.
    mutating func nameChannels(_ channels: TextChannels) {
        sourcePhrases = SourceWording.phrases(channels, baudRate: baudRate)
    }

    mutating func identify(_ info: DeviceInfo) {
        if linkStatus == "waiting for the board" { linkStatus = nil }
    }

    /// Moves the view's clock (device seconds since the session started).
    mutating func advance(to sessionSeconds: Double) {
        self.sessionSeconds = sessionSeconds
    }

    mutating func read(_ reading: Reading, sessionSeconds: Double) {
        // Time per spot from the shown readings: each step goes to the band the tool was on at
        // its start (the report and the ledger count every sample; this is the view's picture).
        if let previous = self.reading, previous.contact, let band = previous.position?.band,
           sessionSeconds > self.sessionSeconds, sessionSeconds - self.sessionSeconds <= 1 {
            bandSeconds[band, default: 0] += sessionSeconds - self.sessionSeconds
            if let column = previous.position?.column {
                cellSeconds[PositionCell(column: column, band: band), default: 0] += sessionSeconds - self.sessionSeconds
            }
        }
        self.reading = reading
        self.sessionSeconds = sessionSeconds
        linkStatus = nil
        signalLostAtSessionSeconds = nil
        recent.append(gaugeInKilopascals ? reading.pressureKilopascals : reading.forceNewtons)
        if recent.count > Self.historyCount { recent.removeFirst(recent.count - Self.historyCount) }
    }

    mutating func link(_ state: LinkState) {
        switch state {
        case .disconnected:
            signalLostAtSessionSeconds = signalLostAtSessionSeconds ?? sessionSeconds
            goneSeconds = goneSeconds ?? 0
            linkStatus = goneStatus
        case .reconnected(let gapMicroseconds):
            signalLostAtSessionSeconds = signalLostAtSessionSeconds ?? sessionSeconds
            backAfterSeconds = Double(gapMicroseconds) * 1e-6
            linkStatus = "board back after \(clock(backAfterSeconds!)), waiting for data"
            // The device clock goes on from where it was, not from the host time it was gone.
            goneSeconds = nil
        case .connected: linkStatus = nil
        }
    }

    /// The board has been unplugged for `hostSeconds`: the status and the clock count it.
    mutating func gone(forHostSeconds hostSeconds: Double) {
        guard goneSeconds != nil else { return }
        goneSeconds = hostSeconds
        linkStatus = goneStatus
    }

    private var goneStatus: String {
        "NO SIGNAL since \(clock(signalLostAtSessionSeconds ?? sessionSeconds)), gone \(clock(goneSeconds ?? 0)): board disconnected, waiting for it"
    }

    /// No reading came for `hostSeconds` while connected (the board stopped streaming): the last
    /// values are no longer current.
    mutating func silent(forHostSeconds hostSeconds: Double) {
        guard reading != nil else { return }
        signalLostAtSessionSeconds = signalLostAtSessionSeconds ?? sessionSeconds
        if linkStatus == nil || linkStatus!.hasPrefix("NO SIGNAL since") && linkStatus!.contains("no data") {
            linkStatus = "NO SIGNAL since \(clock(signalLostAtSessionSeconds!)): no data from the board for \(Int(hostSeconds)) s"
        }
    }

    /// Whether the values on screen are old (the signal is lost).
    var isStale: Bool { signalLostAtSessionSeconds != nil }

    mutating func handle(_ event: SignalEvent, sessionSeconds: Double) {
        handle(EventFacts(event), sessionSeconds: sessionSeconds)
    }

    mutating func handle(_ event: EventFacts, sessionSeconds: Double) {
        if event.reason == .deviceRestarted, let back = backAfterSeconds {
            // The HELLO of a board plugged back in: a normal event, said as one.
            backAfterSeconds = nil
            instant = (sessionSeconds + Self.backNoteSeconds, "Board back after \(clock(back))", .light, ["Board back", "Back \(clock(back))"])
            return
        }
        if event.reason == .painMark {
            painNote = "Pain noted at \(Int(event.value.rounded())) N (\(clock(sessionSeconds))). Not meant? rollsense limits --marks"
        }
        guard let (text, style) = EventWording.headline(for: event, profile: profile) else { return }
        let short = EventWording.shortHeadlines(for: event)
        switch event.phase {
        case .start:
            open[event.reason] = (sessionSeconds, text, style, short)
            alertStarted = alertStarted || style == .caution || style == .stop
        case .end:
            open[event.reason] = nil
            // A zone end closes the other pressure alerts too: the zone moved.
            if event.kind == .zone { open[.zoneCaution] = nil; open[.zoneStop] = nil }
        case .instant:
            instant = (sessionSeconds + Self.instantAlertSeconds, text, style, short)
            alertStarted = alertStarted || style == .caution || style == .stop
        }
    }

    /// The alert to show: the most serious open one, the newest among equals.
    var alert: (text: String, style: ZoneStyle)? { alertWithShortForms.map { ($0.text, $0.style) } }

    /// The alert to show with its shorter forms, longest first (for a narrow terminal).
    var alertWithShortForms: (text: String, style: ZoneStyle, short: [String])? {
        var candidates = open.map { reason, alert in
            // The daily warning counts on with today's total, as the status line does.
            guard reason == .dailyWarning, let reading else { return (since: alert.since, text: alert.text, style: alert.style, short: alert.short) }
            let today = Double(reading.dailyMicroseconds) * 1e-6
            return (since: alert.since, text: EventWording.dailyWarningHeadline(todaySeconds: today, profile: profile),
                    style: alert.style, short: EventWording.dailyWarningShortHeadlines(todaySeconds: today, profile: profile))
        }
        if let instant, instant.until > sessionSeconds {
            candidates.append((since: instant.until, text: instant.text, style: instant.style, short: instant.short))
        }
        func rank(_ style: ZoneStyle) -> Int { style == .stop ? 3 : (style == .fault ? 2 : (style == .caution ? 1 : 0)) }
        return candidates.max { (rank($0.style), $0.since) < (rank($1.style), $1.since) }.map { ($0.text, $0.style, $0.short) }
    }

    /// The newest open fault when the banner shows another, more serious alert.
    var faultBeside: String? {
        guard let top = alert, top.style != .fault else { return nil }
        return open.values.filter { $0.style == .fault }.max { $0.since < $1.since }?.text
    }

    /// `lower-back` as "lower back".
    static func regionName(_ region: BodyRegion) -> String {
        String(region.spelling.map { $0 == "-" ? " " : $0 })
    }

    /// The model for one redraw.
    func model(flash: Bool) -> LiveViewModel {
        let zones = profile.zones
        let scale = gaugeUnitsPerZoneUnit
        let stop = zones.stop * scale
        let bands = [
            LiveViewModel.Band(fromGaugeValue: 0, style: .light),
            LiveViewModel.Band(fromGaugeValue: zones.target * scale, style: .target),
            LiveViewModel.Band(fromGaugeValue: zones.caution * scale, style: .caution),
            LiveViewModel.Band(fromGaugeValue: stop, style: .stop),
        ]
        // The zone of the load now; an alert that outlasts it (latch, off-delay) goes beside it.
        let zone = reading?.currentZone ?? .none
        let alerted = reading?.zone ?? .none
        let inContact = reading?.contact ?? false
        let stale = isStale
        let value = gaugeInKilopascals ? (reading?.pressureKilopascals ?? 0) : (reading?.forceNewtons ?? 0)
        var model = LiveViewModel(
            title: title,
            forceNewtons: reading?.forceNewtons ?? 0,
            pressureKilopascals: reading?.pressureKilopascals ?? 0,
            gaugeValue: value,
            gaugeUnit: gaugeInKilopascals ? "kPa" : "N",
            zone: ZoneStyle(rawValue: zone.rawValue) ?? .none,
            zoneLabel: zone == .none ? "no contact" : zone.rawValue,
            bands: bands,
            gaugeMaximumValue: stop * 1.3,
            inContact: inContact,
            holdSeconds: Double(reading?.holdMicroseconds ?? 0) * 1e-6,
            // While stale the side is old news; the day's total is per region anyway.
            areaName: (stale ? nil : reading).map { Self.regionName($0.area.region) + ($0.area.side == .whole ? "" : " (\($0.area.side.rawValue))") }
                ?? Self.regionName(profile.region),
            dailySeconds: Double(reading?.dailyMicroseconds ?? 0) * 1e-6,
            dailyLimitSeconds: profile.limits.dailyLimitSeconds,
            dailyWarningSeconds: profile.limits.dailyWarningSeconds,
            sessionSeconds: sessionSeconds + (goneSeconds ?? 0),
            recentGaugeValues: recent,
            alert: stale ? nil : alert,
            alertShortForms: stale ? [] : alertWithShortForms?.short ?? [],
            linkStatus: linkStatus,
            stale: stale,
            spineObservable: profile.spine.canObserveCentreLoad,
            flash: flash,
            position: reading?.position,
            bandSeconds: bandSeconds,
            bandMillimetres: profile.ball?.cellMillimetres ?? profile.rotation?.bandMillimetres ?? 20)
        model.cellSeconds = cellSeconds
        model.soundNote = soundNote
        model.limitsLine = limitsLine
        model.painNote = painNote
        model.faultBeside = stale ? nil : faultBeside
        model.sourcePhrases = sourcePhrases
        if (alerted == .caution || alerted == .stop) && alerted != zone && zone != .stop && zone != .fault {
            model.latchedAlert = ZoneStyle(rawValue: alerted.rawValue)
        }
        return model
    }
}
