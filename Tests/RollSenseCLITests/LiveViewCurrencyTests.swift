import Foundation
import Testing
@testable import rollsense
import RollSenseKit
@testable import RollSenseSignal
import RollSenseWire

/// What the person sees is current or visibly stale, fits narrow terminals, and says the real
/// limit (issue 17, "What the person sees is current and right").
@Suite("Live view: current and right")
struct LiveViewCurrencyTests {
    static func reading(forceNewtons: Double = 174, kilopascals: Double = 25.6, zone: Zone = .target,
                        dailySeconds: Double = 210, holdSeconds: Double = 12, side: Side = .centre) -> Reading {
        Reading(deviceTimeMicroseconds: 0, forceNewtons: forceNewtons, channelForcesNewtons: SIMD4(repeating: forceNewtons / 4),
                pressureKilopascals: kilopascals, centroidMillimetres: 0, zone: zone, contact: true,
                area: Area(region: .lowerBack, side: side), holdMicroseconds: Int64(holdSeconds * 1e6),
                dailyMicroseconds: Int64(dailySeconds * 1e6), currentZone: zone)
    }

    static func visible(_ line: String) -> String { withoutEscapes(line) }

    static func screen(_ state: LiveViewState, _ width: Int, _ height: Int) -> [String] {
        LiveViewRenderer(width: width, height: height, color: true).render(state.model(flash: false)).map(visible)
    }

    static func rolling() -> LiveViewState {
        var state = LiveViewState(profile: .foamRollerLowerBack, title: "live")
        state.identify(SessionCoreTestsInfo.info)
        state.read(reading(), sessionSeconds: 3)
        return state
    }

    // MARK: - The zone now, the alert beside it

    /// After a stop episode the load is back in target while the stop alert waits out its
    /// off-delay and latch: the zone shown is target, with the stop alert beside it (the demo
    /// showed STOP at 193 N for seconds).
    @Test(arguments: [80, 40])
    func theZoneShownIsTheLoadNowWithALatchedAlertBesideIt(width: Int) throws {
        var pipeline = try SignalPipeline(profile: .massageBallLowerBack)
        var state = LiveViewState(profile: .massageBallLowerBack, title: "live")
        state.identify(SessionCoreTestsInfo.info)
        var screens: [Double: String] = [:]
        // 30 N (target) for 3 s, 100 N (over the 80 N stop) for 3 s, then 30 N again; 100 samples/s.
        for i in 0..<1500 {
            let t = Int64(i) * 10_000
            let newtons = (300..<600).contains(i) ? 100.0 : 30.0
            let sample = Sample(sequence: UInt64(i), deviceTimeMicroseconds: t, channelCount: 1,
                                values: SIMD4(newtons, 0, 0, 0), quantity: .newtons)
            let reading = pipeline.process(sample) { state.handle($0, sessionSeconds: Double($0.deviceTimeMicroseconds) * 1e-6) }
            state.read(reading, sessionSeconds: Double(t) * 1e-6)
            if i % 100 == 0 { screens[Double(i) / 100] = Self.screen(state, width, 24).joined(separator: "\n") }
            if i == 800 {
                // Two seconds after the drop: the stop alarm is still raised.
                #expect(reading.zone == .stop)
                #expect(reading.currentZone == .target)
            }
        }
        let during = try #require(screens[5]), after = try #require(screens[8]), later = try #require(screens[14])
        #expect(during.contains("100 N") && during.contains("STOP"), "\(during)")
        #expect(after.contains("30 N") && after.contains("TARGET (stop alert)"), "\(after)")
        #expect(!after.contains("N   STOP") && !after.contains("kPa   STOP"), "no STOP as the zone at 30 N:\n\(after)")
        #expect(later.contains("TARGET") && !later.contains("alert)"), "once the alert clears only the zone:\n\(later)")
        for screen in screens.values { #expect(screen.split(separator: "\n").allSatisfy { $0.count <= width }, "fits \(width):\n\(screen)") }
    }

    // MARK: - Stale values

    @Test(arguments: [(100, 30), (60, 20), (40, 12), (39, 12), (20, 5)])
    func afterADisconnectNoValueLooksCurrent(size: (Int, Int)) {
        var state = Self.rolling()
        let before = Self.screen(state, size.0, size.1).joined(separator: "\n")
        #expect(before.contains("174 N") || before.contains("TARGET"), "shown while current:\n\(before)")
        state.link(.disconnected)
        let after = Self.screen(state, size.0, size.1).joined(separator: "\n")
        for current in ["174", "25.6", "TARGET", "keep rolling", "Hold 0:12"] {
            #expect(!after.contains(current), "\(current) still shown at \(size):\n\(after)")
        }
        #expect(after.contains("NO SIGNAL"), "marked at \(size):\n\(after)")
        if size.0 >= 40 {
            #expect(after.contains("-- N"))
            #expect(after.contains("NO SIGNAL since 0:03"))
            #expect(!Self.screen(state, size.0, size.1)[2].contains("█"), "the gauge is empty")
        }
    }

    /// Issue 25: while the board is gone NO SIGNAL and the session clock count the time gone
    /// (as --duration does); its return is said as such, with how long it was away, and the
    /// restart its HELLO reports is no sensor alarm.
    @Test func theTimeGoneCountsAndTheReturnIsNoAlarm() {
        var state = Self.rolling()
        state.link(.disconnected)
        state.gone(forHostSeconds: 12)
        #expect(state.linkStatus == "NO SIGNAL since 0:03, gone 0:12: board disconnected, waiting for it")
        #expect(state.model(flash: false).sessionSeconds == state.sessionSeconds + 12, "the clock counts on")
        state.link(.reconnected(gapMicroseconds: 14_000_000))
        #expect(state.linkStatus == "board back after 0:14, waiting for data")
        state.handle(EventFacts(kind: .link, level: .caution, phase: .instant, reason: .deviceRestarted), sessionSeconds: 3.0)
        state.read(Self.reading(zone: .target), sessionSeconds: 3.1)
        let alert = state.model(flash: false).alert
        #expect(alert?.text == "Board back after 0:14" && alert?.style == .light, "\(String(describing: alert))")
        // A restart with no unplug before it (a watchdog) is still a sensor problem.
        state.handle(EventFacts(kind: .link, level: .caution, phase: .instant, reason: .deviceRestarted), sessionSeconds: 3.2)
        #expect(state.model(flash: false).alert?.text == "Sensor problem: device restarted")
    }

    @Test func staysStaleAfterTheReconnectUntilTheFirstReading() {
        var state = Self.rolling()
        state.link(.disconnected)
        state.link(.reconnected(gapMicroseconds: 4_000_000))
        #expect(state.model(flash: false).stale)
        #expect(!Self.screen(state, 80, 24).joined().contains("TARGET"))
        state.read(Self.reading(zone: .caution), sessionSeconds: 3.1)
        #expect(!state.model(flash: false).stale)
        #expect(Self.screen(state, 80, 24).joined().contains("CAUTION"))
    }

    @Test func aBoardThatStopsStreamingTurnsStale() {
        var state = Self.rolling()
        state.silent(forHostSeconds: 2)
        #expect(state.model(flash: false).stale)
        #expect(state.linkStatus == "NO SIGNAL since 0:03: no data from the board for 2 s")
        state.silent(forHostSeconds: 5)
        #expect(state.linkStatus == "NO SIGNAL since 0:03: no data from the board for 5 s", "the count goes on")
        state.link(.disconnected)
        state.silent(forHostSeconds: 6)
        #expect(state.linkStatus?.contains("board disconnected") == true, "a disconnect says so and is not overwritten")
    }

    @Test func openAlertsAreNotShownAsCurrentWhileStale() {
        var state = Self.rolling()
        state.handle(EventFacts(kind: .zone, level: .stop, phase: .start, reason: .zoneStop), sessionSeconds: 2)
        #expect(Self.screen(state, 80, 24).joined().contains("EASE OFF"))
        state.link(.disconnected)
        #expect(!Self.screen(state, 80, 24).joined().contains("EASE OFF"))
    }

    // MARK: - Daily

    @Test func theDailyWarningNamesTheRealLimit() {
        let profile = Profile.foamRollerLowerBack
        #expect(profile.limits.dailyWarningSeconds != profile.limits.dailyLimitSeconds)
        let facts = EventFacts(kind: .daily, level: .caution, phase: .start, reason: .dailyWarning, region: .lowerBack,
                               value: 252, limit: profile.limits.dailyWarningSeconds)
        let sentence = EventWording.sentence(facts, profile: profile)
        #expect(sentence == "252 s today on lower-back, limit \(Int(profile.limits.dailyLimitSeconds)) s", "\(sentence)")
    }

    @Test func theDailyBannerCountsWithTheStatusLine() {
        var state = Self.rolling()
        state.handle(EventFacts(kind: .daily, level: .caution, phase: .start, reason: .dailyWarning, value: 240, limit: 240),
                     sessionSeconds: 3)
        state.read(Self.reading(dailySeconds: 252), sessionSeconds: 15)
        let text = Self.screen(state, 80, 24).joined(separator: "\n")
        #expect(text.contains("4:12 OF 5:00 TODAY ON LOWER BACK"), "\(text)")
        #expect(text.contains("4:12 / 5:00"))
        state.read(Self.reading(dailySeconds: 263), sessionSeconds: 26)
        #expect(Self.screen(state, 80, 24).joined().contains("4:23 OF 5:00"))
    }

    // MARK: - Narrow terminals

    @Test(arguments: [40, 48, 60, 64, 72, 80, 100, 132])
    func scaleNamesNeverRunTogether(width: Int) {
        let lines = Self.screen(Self.rolling(), width, 20)
        let scale = lines[3]
        let names = ["light", "target", "caution", "stop"]
        for word in scale.split(separator: " ") {
            let stem = word.hasSuffix(".") ? word.dropLast() : word[...]
            #expect(names.contains { $0.hasPrefix(stem) }, "'\(word)' in '\(scale)' at \(width) is one band's name")
        }
        #expect(scale.contains("stop") || width < 48)
    }

    @Test(arguments: [(40, 12), (44, 12), (60, 20), (80, 24)])
    func todaysTimeAgainstTheLimitIsAlwaysShown(size: (Int, Int)) {
        let lines = Self.screen(Self.rolling(), size.0, size.1)
        #expect(lines.count <= size.1)
        for line in lines { #expect(line.count <= size.0, "'\(line)' wider than \(size.0)") }
        let text = lines.joined(separator: "\n")
        #expect(text.contains("3:30 / 5:00"), "\(text)")
        #expect(text.contains("174 N") && text.contains("TARGET"))
        #expect(text.contains("Hold 0:12"))
    }

    @Test func aLongAlertWrapsInsteadOfLosingWords() {
        var state = Self.rolling()
        state.handle(EventFacts(kind: .zone, level: .caution, phase: .start, reason: .zoneCaution), sessionSeconds: 3)
        let text = Self.screen(state, 40, 12).joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains("EASE OFF A LITTLE: ABOVE THE CAUTION LEVEL"), "\(text)")
    }

    @Test(arguments: [20, 30, 39])
    func underFortyColumnsOneLine(width: Int) {
        let lines = Self.screen(Self.rolling(), width, 20)
        #expect(lines.count == 1)
        #expect(lines[0].count <= width)
        #expect(lines[0].hasSuffix("3:30/5:00"), "\(lines[0])")
        if width >= 30 { #expect(lines[0].contains("174 N TARGET")) }
    }

    // MARK: - Replay progress

    @Test func theProgressBarIsClearedBeforeAnEventLine() {
        let written = Box<[String]>([])
        var now: Int64 = 0
        let bar = ProgressBar(totalBytes: 100, standardErrorIsTerminal: true, columns: 80, write: { written.value.append("err:" + $0) },
                              clock: { now })!
        let output = ReplayTextOutput(profile: .foamRollerLowerBack, progress: bar, write: { written.value.append("out:" + $0) })
        bar.update(doneBytes: 86)
        output.sessionLinkDidChange(.disconnected)
        #expect(written.value == ["err:\r[##################################------] 86%", "err:\r\u{1B}[K", "out:Device disconnected"])
        // Redrawn at once after the line, not after the redraw interval.
        now += 1
        bar.update(doneBytes: 87)
        #expect(written.value.last?.hasSuffix("87%") == true)
    }

    @Test func anInterruptedReplayDoesNotJumpTo100Percent() {
        let written = Box<[String]>([])
        let bar = ProgressBar(totalBytes: 200, standardErrorIsTerminal: true, columns: 80, write: { written.value.append($0) }, clock: { 0 })!
        bar.update(doneBytes: 50)
        bar.finish(complete: false)
        #expect(written.value.suffix(2) == ["\r[##########------------------------------] 25%", "\n"])
        bar.finish(complete: true)
        #expect(written.value.suffix(2).first?.hasSuffix("100%") == true)
    }

    // MARK: - Summary layout

    static func statistics() -> SessionStatistics {
        var stats = SessionStatistics()
        var t: Int64 = 0
        for index in 0..<400 {
            var reading = Self.reading(dailySeconds: Double(index) * 0.1, holdSeconds: min(Double(index) * 0.1, 38.3))
            reading.deviceTimeMicroseconds = t
            stats.add(reading)
            t += 100_000
        }
        return stats
    }

    @Test func summaryRowsLineUpAndNameEveryZone() {
        let text = SummaryText.render(Self.statistics(), title: "RollSense session summary", profile: .foamRollerLowerBack,
                                      showsDailyTotal: true, maximumAlertLines: 8, recordPath: "/tmp/a.rscap")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(text.contains("on lower-back.centre  0:39"), "an area is kebab-case, a space before its time:\n\(text)")
        #expect(!text.contains("lowerBack"))
        #expect(text.contains("light 0:00, target 0:39, caution 0:00, stop 0:00"), "\(text)")
        #expect(text.contains("Holds over \(Int(Profile.foamRollerLowerBack.limits.holdCautionSeconds)) s"), "\(text)")
        #expect(text.contains("the longest hold was 38.3 s"))
        #expect(text.contains("Today on lower-back"))
        // Every figure starts in the same column, the area's too.
        let labels = ["Duration", "Contact", "on lower-back.centre", "Force", "Pressure", "Time in zones", "Holds over \(Int(Profile.foamRollerLowerBack.limits.holdCautionSeconds)) s",
                      "Today on lower-back", "Alerts", "Recorded to"]
        let columns = Set(labels.map { label -> Int in
            guard let line = lines.first(where: { $0.trimmingPrefixSpaces.hasPrefix(label) }) else { return -1 }
            let afterLabel = line.range(of: label)!.upperBound
            return line.distance(from: line.startIndex, to: line[afterLabel...].firstIndex { $0 != " " }!)
        })
        #expect(columns.count == 1, "values in one column:\n\(text)")
    }
}

extension LiveViewCurrencyTests {
    @Test(arguments: [80, 40, 30])
    func aTerminalsSummaryWrapsBetweenWordsAtItsWidth(columns: Int) {
        let profile = Profile.foamRollerLowerBack
        let whole = SummaryText.render(Self.statistics(), title: "RollSense session summary", profile: profile,
                                       showsDailyTotal: true, maximumAlertLines: 8, recordPath: "/tmp/a-rather-long-folder-name/session.rscap")
        let wrapped = SummaryText.render(Self.statistics(), title: "RollSense session summary", profile: profile,
                                         showsDailyTotal: true, maximumAlertLines: 8, recordPath: "/tmp/a-rather-long-folder-name/session.rscap",
                                         columns: columns)
        let lines = wrapped.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= columns }, "at most \(columns) columns:\n\(wrapped)")
        // Nothing lost, in the same order; no word cut except the path longer than a line.
        #expect(wrapped.filter { !$0.isWhitespace } == whole.filter { !$0.isWhitespace })
        let words = { (text: String) in text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init) }
        #expect(words(wrapped).filter { !$0.contains("rscap") && !$0.contains("/") } == words(whole).filter { !$0.contains("/") })
        #expect(words(wrapped).contains("(est.)"))
        if columns == 80 { #expect(wrapped == whole, "80 columns need no wrapping") }
    }
}

/// A device's HELLO for tests that need one.
enum SessionCoreTestsInfo {
    static let info = DeviceInfo(
        firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), board: .uno, deviceID: 7,
        sampleRateHz: 80, isStreaming: true, sensorKinds: Array(repeating: .hx711LoadCell, count: 4))
}

/// A mutable value a closure can fill.
final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

extension String {
    fileprivate var trimmingPrefixSpaces: Substring { self.drop { $0 == " " } }
}

/// A terminal line as it looks: ANSI escape sequences removed.
func withoutEscapes(_ line: String) -> String {
    var out = ""
    var inEscape = false
    for character in line {
        if inEscape { if character.isLetter { inEscape = false }; continue }
        if character == "\u{1B}" { inEscape = true; continue }
        out.append(character)
    }
    return out
}

/// A sketch printing every 5 s is not lost between its lines; a fast board still is after 1.5 s.
@Suite struct SlowSketchCurrencyTests {
    @Test func theStaleLimitFollowsTheDevicesPace() {
        #expect(LiveTerminalOutput.silenceLimitMicroseconds(readingIntervalMicroseconds: nil) == 1_500_000)
        #expect(LiveTerminalOutput.silenceLimitMicroseconds(readingIntervalMicroseconds: 66_000) == 1_500_000)
        #expect(LiveTerminalOutput.silenceLimitMicroseconds(readingIntervalMicroseconds: 5_000_000) == 7_500_000)
        #expect(LiveTerminalOutput.silenceLimitMicroseconds(readingIntervalMicroseconds: 60_000_000) == 15_000_000)
    }
}
