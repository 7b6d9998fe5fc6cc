import Foundation
import RollSenseSimulatorSupport
import Testing

#if canImport(Glibc)
import Glibc
import RollSenseTestSupport
#endif

struct TmuxFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The full-screen view in a real terminal: tmux runs `rollsense demo` in a detached session of
/// a fixed size; capture-pane reads the screen, resize-window changes it, send-keys presses Ctrl-C.
@Suite("Terminal view under tmux", .serialized)
struct TerminalViewTests {
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A tmux server of its own (its own socket), so no other session is touched.
    final class Server {
        let socket = "rollsense-test-\(UUID().uuidString.prefix(8))"

        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            // Output through a file, not a pipe: the first command forks the tmux server, which
            // would hold a pipe's write end open forever. Spawned and reaped with posix_spawn and
            // waitpid rather than Foundation's Process, whose waitUntilExit never saw this
            // client exit (it stayed a zombie) under the test runner.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let argv = ([TerminalViewTests.tmux!, "-L", socket] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, TerminalViewTests.tmux!, &actions, nil, argv, environ)
            guard spawned == 0 else { throw TmuxFailure(message: "posix_spawn tmux: \(spawned)") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        }

        func screen() throws -> [String] {
            try run(["capture-pane", "-p", "-t", "view"]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }

        /// Polls the screen until `condition` holds; the last screen either way.
        func waitForScreen(seconds: Double = 30, _ condition: ([String]) -> Bool) throws -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            var lines = try screen()
            while !condition(lines) && Date() < deadline {
                usleep(100_000)
                lines = try screen()
            }
            return lines
        }

        /// Ends the server and what its panes run. kill-server alone left them all running when
        /// the test runner's children inherit SIGHUP ignored: the pane's shell and its `sleep`
        /// outlived the hangup, and the server waited for them.
        deinit {
            let panes = ((try? run(["list-panes", "-a", "-F", "#{pane_pid}"])) ?? "").split(separator: "\n").compactMap { Int32($0) }
            let server = Int32(((try? run(["display-message", "-p", "#{pid}"])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
            // Each pane's process leads its own session and process group: end the group.
            for pane in panes where pane > 1 { kill(-pane, SIGKILL) }
            _ = try? run(["kill-server"])
            if let server, server > 1 { kill(server, SIGKILL) }
        }
    }

    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func demoShowsGaugeZoneAndAlertRedrawsOnResizeAndCtrlCRestoresTheTerminal() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let server = Server()
        let environment = ["XDG_CONFIG_HOME", "ROLLSENSE_DATA_DIR", "HOME"].map { "\($0)='\(rollsense.environment[$0]!)'" }.joined(separator: " ")
        // SIGINT ignored by the shell only, so it prints rollsense's exit status after Ctrl-C;
        // rollsense installs its own handler.
        let command = "trap '' INT; env \(environment) '\(BuiltRollSense.executable.path)' demo --speed 3; echo \"exit status $?\"; sleep 600"
        try server.run(["new-session", "-d", "-s", "view", "-x", "100", "-y", "30", "sh", "-c", command])

        // The gauge, a zone name and an alert in plain words.
        let alertWords = ["EASE OFF", "MOVE OFF THE SPINE", "MOVE ON", "CAREFUL"]
        var lines = try server.waitForScreen { lines in
            let text = lines.joined(separator: "\n")
            return text.contains("█") && alertWords.contains { text.contains($0) }
        }
        var text = lines.joined(separator: "\n")
        #expect(text.contains("█"), "gauge drawn:\n\(text)")
        #expect(["LIGHT", "TARGET", "CAUTION", "STOP"].contains { text.contains($0) }, "zone name shown:\n\(text)")
        #expect(alertWords.contains { text.contains($0) }, "alert shown:\n\(text)")
        #expect(text.contains("kPa") && text.contains(" N "), "force and pressure shown")
        #expect(try server.run(["display-message", "-p", "-t", "view", "#{alternate_on}"]).hasPrefix("1"), "on the alternate screen")
        // The title line is right-aligned to the width: 100 columns now.
        #expect(lines.first?.count == 100, "title spans the width: \(lines.first ?? "")")

        // Resize: the next redraws use the new width.
        try server.run(["resize-window", "-t", "view", "-x", "64", "-y", "24"])
        lines = try server.waitForScreen { $0.first?.count == 64 }
        #expect(lines.first?.count == 64, "redrawn at 64 columns: \(lines.first ?? "")")
        #expect(lines.allSatisfy { $0.count <= 64 })

        // Ctrl-C: terminal restored (normal screen, cursor shown), summary printed, exit 0.
        try server.run(["send-keys", "-t", "view", "C-c"])
        lines = try server.waitForScreen { $0.contains { $0.hasPrefix("exit status") } }
        text = lines.joined(separator: "\n")
        #expect(text.contains("exit status 0"), "exit status:\n\(text)")
        #expect(text.contains("RollSense session summary"))
        #expect(text.contains("Contact") && text.contains("Alerts"))
        #expect(try server.run(["display-message", "-p", "-t", "view", "#{alternate_on}"]).hasPrefix("0"), "back on the normal screen")
        #expect(try server.run(["display-message", "-p", "-t", "view", "#{cursor_flag}"]).hasPrefix("1"), "cursor visible again")
    }

    /// `live` against `simulate` as a person runs them, at 60x20 and then 40x12 and 34x12: the labels
    /// stay apart, today's time stays whole, unplugging (killing the simulator) blanks the values
    /// at once, and the same `simulate --link` started again brings them back.
    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func liveAtNarrowSizesBlanksValuesOnUnplugAndComesBackWithTheSimulator() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.home.appendingPathComponent("board").path
        let first = try rollsense.startSimulator(["--speed", "2", "--link", link])
        defer { stop(first.process) }
        let server = Server()
        let environment = ["XDG_CONFIG_HOME", "ROLLSENSE_DATA_DIR", "HOME"].map { "\($0)='\(rollsense.environment[$0]!)'" }.joined(separator: " ")
        let command = "trap '' INT; env -u LD_PRELOAD -u UMOCKDEV_DIR \(environment) '\(BuiltRollSense.executable.path)' live --device '\(link)'; echo \"exit status $?\"; sleep 600"
        try server.run(["new-session", "-d", "-s", "view", "-x", "60", "-y", "20", "sh", "-c", command])

        let zones = ["LIGHT", "TARGET", "CAUTION", "STOP"]
        var lines = try server.waitForScreen { lines in lines.joined().contains("█") && zones.contains { lines.joined().contains($0) } }
        var text = lines.joined(separator: "\n")
        #expect(zones.contains { text.contains($0) }, "a zone at 60x20:\n\(text)")
        #expect(!text.contains("cautionstop") && !text.contains("targetcaution"), "labels apart:\n\(text)")
        #expect(text.contains("/ 5:00"), "today against the limit:\n\(text)")

        try server.run(["resize-window", "-t", "view", "-x", "40", "-y", "12"])
        // Until the view redraws, tmux shows the old, taller screen cut to 40x12: wait for the title.
        lines = try server.waitForScreen { $0.first?.count == 40 && $0.first?.hasPrefix("RollSense") == true }
        text = lines.joined(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(text.range(of: #"\d:\d\d / 5:00"#, options: .regularExpression) != nil, "the status line keeps today / limit at 40x12:\n\(text)")

        // Unplugged: the values go at once, NO SIGNAL says since when.
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        lines = try server.waitForScreen(seconds: 10) { $0.joined().contains("NO SIGNAL since") }
        text = lines.joined(separator: "\n")
        #expect(text.contains("NO SIGNAL since"), "marked stale:\n\(text)")
        #expect(text.contains("-- N"))
        #expect(!zones.contains { text.contains($0) } && !text.contains("keep rolling"), "no zone shown as current:\n\(text)")
        // Issue 25: the time gone counts on (it froze at the unplug before).
        lines = try server.waitForScreen(seconds: 10) { $0.joined().contains("gone 0:02") }
        #expect(lines.joined().contains("gone 0:02"), "the time gone counts:\n\(lines.joined(separator: "\n"))")

        // The same simulator command again: the values come back.
        let second = try rollsense.startSimulator(["--speed", "2", "--link", link])
        defer { stop(second.process) }
        // Its return is said, with how long it was gone, and is no sensor alarm.
        lines = try server.waitForScreen(seconds: 30) { $0.joined().uppercased().contains("BOARD BACK AFTER") }
        text = lines.joined(separator: "\n")
        #expect(text.uppercased().contains("BOARD BACK AFTER 0:0"), "the return said:\n\(text)")
        #expect(!text.uppercased().contains("RESTARTED"), "no alarm for a replug:\n\(text)")
        lines = try server.waitForScreen(seconds: 30) { lines in !lines.joined().contains("NO SIGNAL") && lines.joined().contains(" N ") }
        text = lines.joined(separator: "\n")
        #expect(!text.contains("NO SIGNAL") && text.contains("kPa"), "live again after the restart:\n\(text)")

        // Under 40 columns: one line with today's time.
        try server.run(["resize-window", "-t", "view", "-x", "34", "-y", "12"])
        lines = try server.waitForScreen { lines in lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count == 1 }
        let shown = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(shown.count == 1 && shown.first?.hasSuffix("/5:00") == true, "one line:\n\(lines.joined(separator: "\n"))")

        // Rows enough for the whole summary (it has a Board gone row now), still 34 columns.
        try server.run(["resize-window", "-t", "view", "-x", "34", "-y", "40"])
        try server.run(["send-keys", "-t", "view", "C-c"])
        lines = try server.waitForScreen { $0.contains { $0.hasPrefix("exit status") } }
        text = lines.joined(separator: "\n")
        #expect(text.contains("exit status 0"), "\(text)")
        #expect(text.contains("Time in zones"))
        // Issue 25: the summary says how long the board was gone.
        #expect(text.range(of: #"Board gone\s+\d:\d\d"#, options: .regularExpression) != nil, "\(text)")
        // The summary is wrapped between words at 34 columns, not cut by the terminal mid-word.
        for zone in ["light", "target", "caution", "stop"] {
            #expect(text.range(of: "\(zone) \\d+:\\d\\d", options: .regularExpression) != nil, "'\(zone) m:ss' on one line:\n\(text)")
        }
    }

    /// A new user's SparkFun sketch at 40 columns: the header says which label and unit the
    /// tool reads and at what rate, in whole words.
    @Test(.enabled(if: TerminalViewTests.tmux != nil || ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_TMUX"] == "1"))
    func liveNamesTheTextSketchChannelAtFortyColumns() throws {
        _ = try #require(TerminalViewTests.tmux, "tmux is missing: Tools/setup.sh installs it")
        let sketch = try TextSketchDevice(lines: (0..<200).map { "Reading: \(Double($0 % 10) * 1.5) lbs" }, interval: 0.1,
                                          banner: ["HX711 scale demo", "Readings:"])
        defer { sketch.stop() }
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let server = Server()
        let environment = ["XDG_CONFIG_HOME", "ROLLSENSE_DATA_DIR", "HOME"].map { "\($0)='\(rollsense.environment[$0]!)'" }.joined(separator: " ")
        let command = "trap '' INT; env -u LD_PRELOAD -u UMOCKDEV_DIR \(environment) '\(BuiltRollSense.executable.path)' live --device '\(sketch.path)' --body-weight 75; echo \"exit status $?\"; sleep 600"
        try server.run(["new-session", "-d", "-s", "view", "-x", "40", "-y", "16", "sh", "-c", command])
        let expected = "reading \"Reading\" (lb) at 115200 baud"
        let lines = try server.waitForScreen { $0.contains { $0.contains(expected) } }
        #expect(lines.count > 1 && lines[1].trimmingCharacters(in: .whitespaces) == expected, "\(lines.joined(separator: "\n"))")
        #expect(lines.allSatisfy { $0.count <= 40 })
        try server.run(["send-keys", "-t", "view", "C-c"])
        let end = try server.waitForScreen { $0.contains { $0.hasPrefix("exit status") } }
        #expect(end.joined(separator: "\n").contains("exit status 0"), "\(end.joined(separator: "\n"))")
    }
}
