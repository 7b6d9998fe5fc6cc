import Foundation
import RollSenseStore
import Testing
#if canImport(Glibc)
import Glibc
import RollSenseTestSupport
#endif

/// Issue 17: no output replaces an input, outputs appear whole or not at all, a recording is in
/// the history once, and bad input gets a specific message and exit code.
@Suite("Data safety and bad input")
struct DataSafetyCommandTests {
    /// A copy of a fixture in the test's home, with its bytes for comparing afterwards.
    func copyFixture(_ name: String, to rollsense: BuiltRollSense, as target: String) throws -> (path: String, bytes: Data) {
        let path = rollsense.path(target)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: BuiltRollSense.fixture(name)))
        try bytes.write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    @Test(arguments: [
        ["export", "IN", "--csv", "IN"],
        ["export", "IN", "--csv", "SYMLINK"],
        ["export", "IN", "--csv", "OTHER", "--events", "HARDLINK"],
        ["report", "IN", "--svg", "IN"],
        ["report", "IN", "--svg", "HARDLINK"],
    ])
    func anOutputThatIsTheInputIsRefusedAndTheInputKept(arguments: [String]) throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let (input, bytes) = try copyFixture("session-clean.rscap", to: rollsense, as: "s1.rscap")
        try FileManager.default.createSymbolicLink(atPath: rollsense.path("link.rscap"), withDestinationPath: input)
        #expect(link(input, rollsense.path("hard.rscap")) == 0)
        let names = ["IN": input, "SYMLINK": rollsense.path("link.rscap"), "HARDLINK": rollsense.path("hard.rscap"), "OTHER": rollsense.path("out.csv")]
        let result = try rollsense.run(arguments.map { names[$0] ?? $0 })
        #expect(result.status == 64, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("is the input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: rollsense.path("out.csv")))
    }

    @Test func anOutputThatCannotBeOpenedLeavesTheOtherOutputAsItWas() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let old = rollsense.path("old.csv")
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: old))
        let result = try rollsense.run(["export", BuiltRollSense.fixture("session-clean.rscap"), "--csv", old,
                                        "--events", rollsense.path("no-such-folder/x.jsonl")])
        #expect(result.status == 64, "stderr: \(result.stderr)")
        #expect(try String(contentsOfFile: old, encoding: .utf8) == "kept\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: rollsense.home.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func anOutputCutShortByAFullDiskLeavesNoPartialFile() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let old = rollsense.path("old.csv")
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: old))
        // A 1 KiB file size limit (SIGXFSZ ignored, so write fails with EFBIG) stands in for a
        // full disk: the ~3.6 kB CSV cannot be written whole.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\"", BuiltRollSense.executable.path,
                             "export", BuiltRollSense.fixture("session-clean.rscap"), "--csv", old]
        process.environment = rollsense.environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 65, "stderr: \(stderr)")
        #expect(stderr.contains("left as it was"))
        #expect(try String(contentsOfFile: old, encoding: .utf8) == "kept\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: rollsense.home.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func aCompleteExportReplacesTheOldFile() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let old = rollsense.path("old.csv")
        try Data("stale\n".utf8).write(to: URL(fileURLWithPath: old))
        let result = try rollsense.run(["export", BuiltRollSense.fixture("session-clean.rscap"), "--csv", old])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try String(contentsOfFile: old, encoding: .utf8).hasPrefix("time_s,"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: old)[.posixPermissions] as? Int)
        #expect(mode & 0o044 == 0o044, "an export is readable like any file the user makes (mode \(String(mode, radix: 8)))")
    }

    @Test func replayingARecordingIntoTheHistoryTwiceCountsItOnce() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let file = BuiltRollSense.fixture("firmware-massage-ball.rscap")
        let first = try rollsense.run(["replay", file, "--json", "--ledger"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let second = try rollsense.run(["replay", file, "--json", "--ledger"])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stderr.contains("in the history already"))
        let ledger = try HistoryLedger(dataDirectory: rollsense.dataDirectory.path)
        defer { try? ledger.close() }
        let sessions = try ledger.recentSessions(limit: 10)
        #expect(sessions.count == 1)
        let session = try #require(sessions.first)
        let day = LocalDay(session.summary.start, in: session.summary.timeZone)
        let total = try ledger.todayTotalSeconds(area: session.summary.area ?? "", day: day)
        #expect(abs(total - session.contactSeconds) < 0.001, "the day holds the session's contact once")
    }

    @Test func historyWithAMistypedDataDirIsAnErrorAndCreatesNothing() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let typo = rollsense.path("dtaa")
        let result = try rollsense.run(["history", "--data-dir", typo])
        #expect(result.status == 64)
        #expect(result.stderr.contains(typo))
        #expect(!FileManager.default.fileExists(atPath: typo))
        // The default folder before any session: nothing recorded yet, and still nothing created.
        let fresh = try rollsense.run(["history"])
        #expect(fresh.status == 0)
        #expect(!FileManager.default.fileExists(atPath: rollsense.dataDirectory.path))
    }

    @Test(arguments: ["replay", "report", "export"])
    func aCaptureCutInsideItsFirstRecordIsADataError(command: String) throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let cut = rollsense.path("cut.rscap")
        try Data(try Data(contentsOf: URL(fileURLWithPath: BuiltRollSense.fixture("session-clean.rscap"))).prefix(40)).write(to: URL(fileURLWithPath: cut))
        var arguments = [command, cut, "--json"]
        if command == "export" { arguments = [command, cut, "--csv", rollsense.path("out.csv")] }
        let result = try rollsense.run(arguments)
        #expect(result.status == 65, "stdout: \(result.stdout)")
        #expect(result.stderr.contains("no usable samples"))
        #expect(result.stderr.contains("Cannot \(command):"))
        #expect(!result.stdout.contains("dailyLimitS"))
        #expect(!FileManager.default.fileExists(atPath: rollsense.path("out.csv")))
    }

    @Test func aFileDamagedInManyPlacesGivesAFewWarningLinesAndACount() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        // Every 97th byte flipped from byte 200 on: damage all through the file.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: BuiltRollSense.fixture("firmware-massage-ball.rscap")))
        for index in stride(from: 200, to: bytes.count, by: 97) { bytes[index] ^= 0xFF }
        let path = rollsense.path("damaged.rscap")
        try bytes.write(to: URL(fileURLWithPath: path))
        let result = try rollsense.run(["replay", path, "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count <= 6, "\(warnings.count) warning lines")
        #expect(result.stderr.contains("more damaged places skipped"))
    }

    @Test func reportErrorsSayReportNotReplay() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["report", BuiltRollSense.fixture("not-a-capture.txt")])
        #expect(result.status == 65)
        #expect(result.stderr.contains("Cannot report:"))
        #expect(!result.stderr.contains("replay"))
    }

    @Test(arguments: [
        (["replay", "FILE", "--body-weight", "-1"], "--body-weight must be your weight in kilograms, 20 to 300 (got -1.0)"),
        (["replay", "FILE", "--speed", "-2"], "--speed must be 1, a factor such as 4 or 0.5, or max (got '-2')"),
        (["live", "--body-weight", "-1"], "--body-weight must be your weight in kilograms, 20 to 300 (got -1.0)"),
        (["live", "--duration", "-5"], "--duration must be a positive number of seconds (got -5.0)"),
        (["simulate", "--seconds", "-1"], "--seconds must be a positive number (got -1.0)"),
    ])
    func aNegativeNumberIsNamedAsAWrongValueNotAMissingOne(arguments: [String], message: String) throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(arguments.map { $0 == "FILE" ? BuiltRollSense.fixture("session-clean.rscap") : $0 })
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Missing value"))
    }

    @Test func simulateWithSecondsAndNoReaderEnds() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["simulate", "--seconds", "1"], timeoutSeconds: 30)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("no program opened"))
    }
}
