import Foundation
import Testing
@testable import rollsense
import RollSenseSignal
import RollSenseTestSupport

/// Issue 25 in a real terminal (tmux, as TerminalViewTests): the one-line view at 30 columns
/// shows alerts in whole words, the summary wraps between words, and a recording says so in
/// the title.
@Suite("Narrow terminal under tmux", .serialized)
struct NarrowTerminalTests {
    typealias Server = TerminalViewTests.Server

    /// Digits as `#`, so `EASE OFF` and `MOVE ON: 60 S` compare whatever the numbers.
    static func shape(_ text: String) -> String {
        var out = ""
        for character in text { if character.isNumber { if out.last != "#" { out.append("#") } } else { out.append(character) } }
        return out
    }

    /// Every whole wording the one line may show on the left: alerts in all their forms, the
    /// figures and zone, NO SIGNAL.
    static let wholeShapes: Set<String> = {
        var shapes: Set<String> = ["no contact", "NO SIGNAL -- N", "NO SIGNAL", "NO SIG"]
        for zone in ["LIGHT", "TARGET", "CAUTION", "STOP", "FAULT", "NO CONTACT"] { shapes.insert(zone); shapes.insert("# N " + zone) }
        let profile = Profile.foamRollerLowerBack
        for reason in EventReason.allCases {
            let facts = EventFacts(kind: .zone, level: .caution, phase: .start, reason: reason, value: 171, limit: 60)
            guard let (text, _) = EventWording.headline(for: facts, profile: profile) else { continue }
            for form in [text] + EventWording.shortHeadlines(for: facts) { shapes.insert(shape(form.uppercased())) }
        }
        for form in EventWording.dailyWarningShortHeadlines(todaySeconds: 248, profile: profile) { shapes.insert(shape(form.uppercased())) }
        shapes.insert(shape(EventWording.dailyWarningHeadline(todaySeconds: 248, profile: profile).uppercased()))
        return shapes
    }()

    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func atThirtyColumnsAlertsAndTheSummaryKeepWordsWhole() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let server = Server()
        let environment = ["XDG_CONFIG_HOME", "ROLLSENSE_DATA_DIR", "HOME"].map { "\($0)='\(rollsense.environment[$0]!)'" }.joined(separator: " ")
        let command = "env -u LD_PRELOAD -u UMOCKDEV_DIR \(environment) '\(BuiltRollSense.executable.path)' demo --speed 4; echo \"exit status $?\"; sleep 600"
        try server.run(["new-session", "-d", "-s", "view", "-x", "30", "-y", "60", "sh", "-c", command])

        // Every one-line screen until the summary: the left part is a whole wording.
        var seen: Set<String> = []
        var lines: [String] = []
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            lines = try server.screen()
            if lines.contains(where: { $0.hasPrefix("exit status") }) { break }
            let shown = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            if shown.count == 1, let line = shown.first, let space = line.lastIndex(of: " "), line.hasSuffix("/5:00") {
                seen.insert(String(line[..<space]).trimmingCharacters(in: .whitespaces))
            }
            usleep(100_000)
        }
        let broken = seen.filter { !Self.wholeShapes.contains(Self.shape($0)) }
        #expect(broken.isEmpty, "cut mid-word at 30 columns: \(broken.sorted())")
        #expect(seen.contains { $0.hasPrefix("EASE OFF") || $0.hasPrefix("MOVE ") || $0.hasPrefix("CAREFUL") || $0.hasPrefix("SUDDEN") },
                "an alert was shown: \(seen.sorted())")

        // The summary: a line the terminal wrapped starts at column 0; the summary's own
        // continuation lines are indented.
        let text = lines.joined(separator: "\n")
        #expect(text.contains("exit status 0"), "\(text)\nseen: \(seen.sorted())")
        let alerts = try #require(lines.firstIndex { $0.hasPrefix("  Alerts") }, "\(text)")
        let end = lines.firstIndex { $0.hasPrefix("exit status") } ?? lines.count
        for line in lines[(alerts + 1)..<end] where !line.isEmpty {
            #expect(line.hasPrefix(" "), "the terminal broke a word at 30 columns: '\(line)' in\n\(text)")
        }
    }

    /// `replay`'s event lines on a 40-column terminal wrap between words under their own
    /// indent, as the summary's do: the terminal broke "reading" into "readin" / "g".
    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func replaysEventLinesKeepWordsWholeAtFortyColumns() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let server = Server()
        let environment = ["XDG_CONFIG_HOME", "ROLLSENSE_DATA_DIR", "HOME"].map { "\($0)='\(rollsense.environment[$0]!)'" }.joined(separator: " ")
        let capture = BuiltRollSense.fixture("firmware-roller-rotation-fault.rscap")
        let command = "env -u LD_PRELOAD -u UMOCKDEV_DIR \(environment) '\(BuiltRollSense.executable.path)' replay '\(capture)' --body-weight 75 --speed max; echo \"exit status $?\"; sleep 600"
        try server.run(["new-session", "-d", "-s", "view", "-x", "40", "-y", "80", "sh", "-c", command])
        let lines = try server.waitForScreen(seconds: 60) { $0.contains { $0.hasPrefix("exit status") } }
        let text = lines.joined(separator: "\n")
        #expect(text.contains("exit status 0"), "\(text)")
        // Event lines start with a clock; their continuations are indented, never a word's tail.
        let first = try #require(lines.firstIndex { $0.hasPrefix("0:12  caution position sensor") }, "\(text)")
        #expect(lines[first + 1].hasPrefix("              "), "\(text)")
        for line in lines[..<(lines.firstIndex { $0.hasPrefix("RollSense") || $0.contains("summary") } ?? lines.count)] where !line.isEmpty {
            #expect(line.first!.isNumber || line.hasPrefix(" ") || line.hasPrefix("Device") || line.hasPrefix("["), "a word broken at 40 columns: '\(line)' in\n\(text)")
        }
    }

    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func whileRecordingTheTitleSaysWhere() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let (simulator, path) = try rollsense.startSimulator(["--speed", "2"])
        defer { stop(simulator) }
        let server = Server()
        let out = rollsense.path("s.rscap")
        let environment = ["XDG_CONFIG_HOME", "ROLLSENSE_DATA_DIR", "HOME"].map { "\($0)='\(rollsense.environment[$0]!)'" }.joined(separator: " ")
        let command = "trap '' INT; env -u LD_PRELOAD -u UMOCKDEV_DIR \(environment) '\(BuiltRollSense.executable.path)' record --out '\(out)' --device '\(path)'; echo \"exit status $?\"; sleep 600"
        try server.run(["new-session", "-d", "-s", "view", "-x", "140", "-y", "30", "sh", "-c", command])
        let lines = try server.waitForScreen { $0.first?.contains("RollSense") == true && $0.joined().contains(" N ") }
        #expect(lines.first?.contains("recording to \(out)") == true, "title: \(lines.first ?? "")")
        try server.run(["send-keys", "-t", "view", "C-c"])
        let end = try server.waitForScreen { $0.contains { $0.hasPrefix("exit status") } }
        #expect(end.joined(separator: "\n").contains("exit status 0"), "\(end.joined(separator: "\n"))")
    }
}
