import Foundation
import Testing
@testable import rollsense
import RollSenseSignal

/// Issue 25: under 40 columns the one-line view shows each alert in the longest of its forms
/// that fits whole, never cut mid-word (`EASE OFF: OVER THE S`), and the summary wraps
/// between words however narrow the terminal.
@Suite("Narrow terminals")
struct NarrowViewTests {
    /// Every reason that is an alert on screen, as the pipeline would start it.
    static let alertReasons = EventReason.allCases.filter {
        EventWording.headline(for: EventFacts(kind: .zone, level: .caution, phase: .start, reason: $0), profile: .foamRollerLowerBack) != nil
    }

    static func oneLine(_ state: LiveViewState, width: Int) -> String {
        let lines = LiveViewCurrencyTests.screen(state, width, 5).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return lines.count == 1 ? lines[0] : lines.joined(separator: "|")
    }

    @Test(arguments: [20, 30, 39])
    func everyAlertHasAWholeFormThatFits(width: Int) {
        for reason in Self.alertReasons {
            var state = LiveViewCurrencyTests.rolling()
            let facts = EventFacts(kind: .zone, level: .caution, phase: reason == .jump ? .instant : .start, reason: reason, value: 171, limit: 60)
            state.handle(facts, sessionSeconds: 3)
            let model = state.model(flash: false)
            guard let alert = model.alert else { Issue.record("\(reason): no alert"); continue }
            let line = Self.oneLine(state, width: width)
            #expect(line.count <= width, "\(reason) at \(width): '\(line)'")
            #expect(line.hasSuffix(" 3:30/5:00"), "today's time whole, \(reason) at \(width): '\(line)'")
            let words = String(line.dropLast(" 3:30/5:00".count)).trimmingCharacters(in: .whitespaces)
            let forms = ([alert.text] + model.alertShortForms).map { $0.uppercased() }
            let room = width - " 3:30/5:00".count
            #expect(words == forms.first { $0.count <= room }, "\(reason) at \(width): '\(words)' of \(forms)")
            #expect((forms.last?.count ?? 99) <= EventWording.shortestFormCharacters, "\(reason): \(forms)")
        }
    }

    @Test(arguments: [20, 30, 39])
    func noSignalAndTheBoardsReturnFitWhole(width: Int) {
        var state = LiveViewCurrencyTests.rolling()
        state.link(.disconnected)
        var line = Self.oneLine(state, width: width)
        #expect(line.hasPrefix("NO SIGNAL") && line.hasSuffix(" 3:30/5:00") && line.count <= width, "'\(line)'")
        state.link(.reconnected(gapMicroseconds: 14_000_000))
        state.handle(EventFacts(kind: .link, level: .caution, phase: .instant, reason: .deviceRestarted), sessionSeconds: 3)
        state.read(LiveViewCurrencyTests.reading(), sessionSeconds: 3.1)
        line = Self.oneLine(state, width: width)
        #expect(["BOARD BACK AFTER 0:14", "BOARD BACK", "BACK 0:14"].contains { line.hasPrefix($0 + " ") }, "'\(line)'")
        #expect(line.count <= width && line.hasSuffix(" 3:30/5:00"), "'\(line)'")
    }

    /// The summary's alert lines: a prefix wider than the indent left less room on the first
    /// line, and the terminal broke `caution pressure hig` / `h: ease off`.
    @Test(arguments: [20, 30, 39])
    func summaryAlertLinesWrapBetweenWords(columns: Int) {
        for sentence in ["pressure high: ease off", "sudden force rise of 171 N", "held 60 s on one spot: move on now"] {
            let lines = hangingWrap(sentence, firstPrefix: "    0:12  caution ", indent: 6, columns: columns)
            for line in lines { #expect(line.count <= columns, "\(columns): '\(line)' of \(lines)") }
            let words = lines.joined(separator: " ").split(separator: " ").map(String.init)
            #expect(Array(words.suffix(sentence.split(separator: " ").count)) == sentence.split(separator: " ").map(String.init), "\(lines)")
        }
    }
}
