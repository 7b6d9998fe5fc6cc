import Foundation
import Testing
@testable import rollsense
import RollSenseKit
import RollSenseSignal
import RollSenseWire

/// The pure layout of the live view: same model and size, same lines.
@Suite("Live view renderer")
struct LiveViewRendererTests {
    private func model(pressure: Double = 30, alert: (String, ZoneStyle)? = nil, link: String? = nil) -> LiveViewModel {
        var state = LiveViewState(profile: .foamRollerLowerBack, title: "test")
        state.link(.connected)
        var model = state.model(flash: false)
        model.forceNewtons = pressure * 6.8
        model.pressureKilopascals = pressure
        model.gaugeValue = pressure
        model.zone = .target
        model.zoneLabel = "target"
        model.inContact = true
        model.holdSeconds = 12
        model.dailySeconds = 100
        model.recentGaugeValues = [10, 20, 30, 40, 50]
        model.alert = alert.map { (text: $0.0, style: $0.1) }
        model.linkStatus = link
        return model
    }

    private func visible(_ line: String) -> String { withoutEscapes(line) }

    @Test(arguments: [40, 80, 132])
    func everyLineFitsTheWidth(width: Int) {
        let lines = LiveViewRenderer(width: width, height: 30, color: true).render(model(alert: ("Ease off: over the stop level", .stop)))
        for line in lines { #expect(visible(line).count <= width, "\(visible(line))") }
    }

    @Test func aLongTitleLosesWholePartsNotHalfWords() {
        let title = "demo: virtual board, foam roller, lower back"
        #expect(LiveViewRenderer.title(title, room: 80) == "RollSense  " + title)
        #expect(LiveViewRenderer.title(title, room: 35) == "demo: virtual board, foam roller")
        #expect(LiveViewRenderer.title(title, room: 35 - 1 - 4) == "demo: virtual board")
        var state = LiveViewState(profile: .foamRollerLowerBack, title: title)
        state.link(.connected)
        let first = LiveViewRenderer(width: 40, height: 12, color: false).render(state.model(flash: false)).first ?? ""
        #expect(first.hasPrefix("demo: virtual board, foam roller") && first.count == 40, "\(first)")
    }

    @Test func showsForcePressureZoneHoldAndToday() {
        let text = LiveViewRenderer(width: 80, height: 30, color: false).render(model()).joined(separator: "\n")
        #expect(text.contains("204 N"))
        #expect(text.contains("30.0 kPa"))
        #expect(text.contains("TARGET"))
        #expect(text.contains("Hold 0:12"))
        #expect(text.contains("1:40 / 5:00"))
        #expect(text.contains("caution") && text.contains("stop"), "the scale names the bands")
    }

    @Test func gaugeFillsInProportionToTheValue() {
        let renderer = LiveViewRenderer(width: 80, height: 30, color: false)
        func filled(_ pressure: Double) -> Int { visible(renderer.render(model(pressure: pressure))[2]).filter { $0 == "█" }.count }
        #expect(filled(0) == 0)
        #expect(filled(20) < filled(40))
        let zones = Profile.foamRollerLowerBack.zones
        let maximum = zones.stop * (zones.classifierUnitsPerProfileUnit(bodyMassKilograms: nil) ?? 1) * 1.3
        #expect(filled(maximum * 2) == 78, "clamped at full width")
    }

    @Test func noColorMeansNoEscapes() {
        let lines = LiveViewRenderer(width: 80, height: 30, color: false).render(model(alert: ("Ease off", .stop)))
        #expect(!lines.joined().contains("\u{1B}"))
        let coloured = LiveViewRenderer(width: 80, height: 30, color: true).render(model(alert: ("Ease off", .stop)))
        #expect(coloured.joined().contains("\u{1B}[31m"), "stop band in red")
    }

    @Test func alertInCapitalsAndLinkStatusShown() {
        let text = LiveViewRenderer(width: 80, height: 30, color: false)
            .render(model(alert: ("Daily limit for lower back reached", .stop), link: "disconnected, waiting for the board"))
            .joined(separator: "\n")
        #expect(text.contains("DAILY LIMIT FOR LOWER BACK REACHED"))
        #expect(text.contains("disconnected, waiting for the board"))
    }

    @Test func neverTallerThanTheTerminal() {
        #expect(LiveViewRenderer(width: 80, height: 5, color: false).render(model()).count == 5)
    }

    @Test func sameModelSameLines() {
        let renderer = LiveViewRenderer(width: 90, height: 30, color: true)
        #expect(renderer.render(model()) == renderer.render(model()))
    }
}

/// Events to words and the alert shown.
@Suite("Live view state")
struct LiveViewStateTests {
    private func event(_ kind: EventKind, _ level: AlertLevel, _ phase: EventPhase, _ reason: EventReason, limit: Double = 0) -> EventFacts {
        EventFacts(kind: kind, level: level, phase: phase, reason: reason, limit: limit)
    }

    @Test func stopOutranksCautionAndEndsClearIt() {
        var state = LiveViewState(profile: .foamRollerLowerBack, title: "t")
        state.handle(event(.hold, .caution, .start, .holdCaution, limit: 60), sessionSeconds: 1)
        #expect(state.alert?.text == "Move on: 60 s on one spot")
        #expect(state.alertStarted)
        state.alertStarted = false
        state.handle(event(.zone, .stop, .start, .zoneStop), sessionSeconds: 2)
        #expect(state.alert?.text == "Ease off: over the stop level")
        #expect(state.alertStarted)
        state.handle(event(.zone, .stop, .end, .zoneStop), sessionSeconds: 3)
        #expect(state.alert?.text == "Move on: 60 s on one spot")
        state.handle(event(.hold, .caution, .end, .holdCaution), sessionSeconds: 4)
        #expect(state.alert == nil)
    }

    /// A sensor fault under a stop is shown beside it, not hidden behind the banner (issue "The stop
    /// alarm is never silently lost"); alone, it is the banner itself.
    @Test func aFaultUnderAStopIsShownBesideIt() {
        var state = LiveViewState(profile: .foamRollerLowerBack, title: "t")
        state.handle(EventFacts(kind: .fault, level: .caution, phase: .start, reason: .sensorNotReady, channel: 4), sessionSeconds: 1)
        #expect(state.alert?.text == "Position unknown: holds timed by steadiness")
        #expect(state.faultBeside == nil)
        state.handle(event(.zone, .stop, .start, .zoneStop), sessionSeconds: 2)
        #expect(state.alert?.text == "Ease off: over the stop level")
        #expect(state.faultBeside == "Position unknown: holds timed by steadiness")
        for width in [40, 80] {
            let text = LiveViewRenderer(width: width, height: 30, color: false).render(state.model(flash: false)).joined(separator: "\n")
            #expect(text.contains("EASE OFF"), "\(text)")
            #expect(text.contains("also: Position unknown"), "\(text)")
        }
    }

    @Test func dailyLimitInPlainWords() {
        var state = LiveViewState(profile: .foamRollerLowerBack, title: "t")
        state.handle(event(.daily, .stop, .start, .dailyLimit, limit: 300), sessionSeconds: 1)
        #expect(state.alert?.text == "Daily limit for lower back reached")
    }

    @Test func instantAlertsFadeAfterThreeSecondsOfDeviceTime() {
        var state = LiveViewState(profile: .foamRollerLowerBack, title: "t")
        state.handle(event(.jump, .caution, .instant, .jump), sessionSeconds: 10)
        #expect(state.alert != nil)
        state.advance(to: 12.9)
        #expect(state.alert != nil)
        state.advance(to: 13.1)
        #expect(state.alert == nil)
    }

    @Test func percentOfBodyWeightBandsAreInNewtonsAsThePipelineClassifies() throws {
        var profile = Profile.foamRollerLowerBack
        profile.zones.unit = .percentBodyWeight
        (profile.zones.target, profile.zones.caution, profile.zones.stop, profile.zones.deadband) = (10, 40, 55, 2)
        let state = LiveViewState(profile: profile, title: "t", bodyMassKilograms: 80)
        let newtonsPerPercent = 80 * standardGravityMetresPerSecondSquared / 100
        let bands = state.model(flash: false).bands.map(\.fromGaugeValue)
        #expect(bands == [0, 10 * newtonsPerPercent, 40 * newtonsPerPercent, 55 * newtonsPerPercent])
        #expect(state.model(flash: false).gaugeUnit == "N")
    }

    @Test func theDailyBarTurnsCautionAtTheProfilesWarning() {
        var profile = Profile.foamRollerLowerBack
        profile.limits.dailyWarningSeconds = 100
        profile.limits.dailyLimitSeconds = 300
        var model = LiveViewState(profile: profile, title: "t").model(flash: false)
        func dailyLine(_ seconds: Double) -> String {
            model.dailySeconds = seconds
            return LiveViewRenderer(width: 80, height: 30, color: true).render(model).first { $0.contains("Today") } ?? ""
        }
        func painted(_ style: ZoneStyle) -> String { "\u{1B}[\(style.ansiColor)m" }
        // 99 s is only a third of the limit, yet already past this profile's warning at 100 s.
        #expect(dailyLine(99).contains(painted(.target)))
        #expect(dailyLine(100).contains(painted(.caution)))
        #expect(dailyLine(300).contains(painted(.stop)))
    }

    @Test(arguments: EventReason.allCases)
    func everyReasonHasASentence(reason: EventReason) {
        for phase in EventPhase.allCases {
            #expect(!EventWording.sentence(EventFacts(kind: .fault, level: .caution, phase: phase, reason: reason, value: 12, limit: 300), profile: .foamRollerLowerBack).isEmpty)
        }
    }

    /// A slow device's condition closed by the session's end is not called fast again.
    @Test func aSlowDeviceIsFastAgainOnlyWhenItIs() {
        func end(_ rate: Double) -> String {
            EventWording.sentence(EventFacts(kind: .fault, level: .caution, phase: .end, reason: .slowDevice, value: rate, limit: 5),
                                  profile: .foamRollerLowerBack)
        }
        #expect(end(40) == "device fast enough for live alerts again")
        #expect(end(4) == "slow device: session ended")
    }

    @Test func disconnectIsShown() {
        var state = LiveViewState(profile: .foamRollerLowerBack, title: "t")
        state.link(.disconnected)
        #expect(state.model(flash: false).linkStatus == "NO SIGNAL since 0:00, gone 0:00: board disconnected, waiting for it")
    }

    @Test func theNoSoundNoteStaysOnScreenAtFortyColumns() {
        var state = LiveViewState(profile: .foamRollerLowerBack, title: "test")
        state.soundNote = "no sound device: cues are off"
        let lines = LiveViewRenderer(width: 40, height: 30, color: false).render(state.model(flash: false))
        #expect(lines.contains { $0.hasPrefix("  no sound device: cues are off") })
        #expect(lines.allSatisfy { $0.count <= 40 })
        let without = LiveViewRenderer(width: 40, height: 30, color: false)
            .render(LiveViewState(profile: .foamRollerLowerBack, title: "test").model(flash: false))
        #expect(!without.contains { $0.contains("no sound") })
    }
}

@Suite("Live view: the back strip")
struct LiveViewBackStripTests {
    private func model(bands: Int, at millimetres: Double?) -> LiveViewModel {
        var model = LiveViewState(profile: .foamRollerLowerBack, title: "roller").model(flash: false)
        model.inContact = true
        model.position = PositionReading(millimetres: millimetres, band: millimetres.map { Int($0 / 20) }, isStill: false,
                                         driftBoundMillimetres: 1, reanchors: 0, strokes: 0)
        for band in 0..<bands { model.bandSeconds[band] = Double(band + 1) }
        return model
    }

    @Test(arguments: [40, 80])
    func stripFitsAndMarksTheToolsBand(width: Int) {
        for bands in [1, 5, 60] {
            let lines = LiveViewRenderer(width: width, height: 30, color: true).render(model(bands: bands, at: 25))
            let strip = lines.first { $0.contains("Back ") }!
            #expect(strip.contains("2.5 cm"))
            #expect(strip.contains("\u{1B}[7m"), "the tool's band is in reverse video")
            let plain = LiveViewRenderer(width: width, height: 30, color: false).render(model(bands: bands, at: 25))
            #expect(plain.allSatisfy { $0.count <= width })
        }
    }

    @Test func liftedAndWithoutASensor() {
        let lifted = LiveViewRenderer(width: 40, height: 30, color: false).render(model(bands: 3, at: nil))
        #expect(lifted.contains { $0.contains("Back ") && $0.contains("position unknown") })
        var none = model(bands: 3, at: 10)
        none.position = nil
        #expect(!LiveViewRenderer(width: 40, height: 30, color: false).render(none).contains { $0.contains("Back ") })
    }

    @Test(arguments: [40, 80])
    func aBallShowsBothCoordinatesAndItsRowOfTheGrid(width: Int) {
        var model = LiveViewState(profile: .massageBallLowerBack, title: "ball").model(flash: false)
        model.inContact = true
        var position = PositionReading(millimetres: 45, band: 2, isStill: true, driftBoundMillimetres: 1, reanchors: 0, strokes: 0)
        position.acrossMillimetres = -31
        position.column = -2
        position.isTwoDimensional = true
        model.position = position
        for column in -3...40 { model.cellSeconds[PositionCell(column: column, band: 2)] = Double(column + 4) }
        model.cellSeconds[PositionCell(column: 0, band: 7)] = 99  // another row: not on this strip
        for band in 0..<4 { model.bandSeconds[band] = 1 }
        let lines = LiveViewRenderer(width: width, height: 30, color: true).render(model)
        let back = lines.first { $0.contains("Back ") }!
        #expect(back.contains("↑4.5 →-3.1 cm still"))
        let across = lines.first { $0.contains("Across ") }!
        #expect(across.contains("row 4 cm") && across.contains("\u{1B}[7m"), "the ball's cell is in reverse video: \(across)")
        let plain = LiveViewRenderer(width: width, height: 30, color: false).render(model)
        #expect(plain.allSatisfy { $0.count <= width })
        // The tallest glyph belongs to this row's longest cell, not the other row's 99 s.
        #expect(plain.first { $0.contains("Across ") }!.contains("█") == (width >= 80))
        // No signal: where the ball is now is not shown as if it were current.
        model.stale = true
        let stale = LiveViewRenderer(width: width, height: 30, color: false).render(model)
        #expect(stale.contains { $0.contains("Back ") && $0.hasSuffix("-- cm") })
        #expect(!stale.contains { $0.contains("Across ") || $0.contains("still") })
    }

    /// A text sketch's channels under the title: the longest wording that fits, whole.
    @Test(arguments: [(100, "reading \"Weight\" (kg) from a text sketch at 57600 baud"), (40, "reading \"Weight\" (kg) at 57600 baud")])
    func namesTheSketchChannelUnderTheTitle(width: Int, expected: String) {
        var state = LiveViewState(profile: .foamRollerLowerBack, title: "live")
        state.baudRate = 57_600
        state.nameChannels(TextChannels(labels: ["Weight"], unit: .kilograms))
        let lines = LiveViewRenderer(width: width, height: 30, color: false).render(state.model(flash: false))
        #expect(lines[1].trimmingCharacters(in: .whitespaces) == expected, "\(lines.joined(separator: "\n"))")
    }

    @Test func aRollSenseBoardHasNoChannelLine() {
        let lines = LiveViewRenderer(width: 80, height: 30, color: false).render(LiveViewState(profile: .foamRollerLowerBack, title: "live").model(flash: false))
        #expect(!lines.contains { $0.contains("text sketch") })
    }
}
