import Foundation
import RollSenseStore
import Testing
import RollSenseTestSupport

@Suite("rollsense history")
struct HistoryCommandTests {
    @Test func emptyLedgerSaysSo() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["history"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("No contact recorded in the last 7 days."))
    }

    @Test func aReplayedRecordingShowsOnItsDayOnce() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let file = BuiltRollSense.fixture("firmware-massage-ball.rscap")
        let first = try rollsense.run(["replay", file, "--json", "--ledger"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let contact = try #require(first.lines.last.flatMap(jsonObject)?["contactS"] as? Double)
        // Replayed again: the same recording, counted once (issue 17).
        #expect(try rollsense.run(["replay", file, "--json", "--ledger"]).status == 0)
        // The fixture's start day (the recording's own time zone), whatever today is.
        let ledger = try HistoryLedger(dataDirectory: rollsense.dataDirectory.path)
        let session = try #require(try ledger.recentSessions(limit: 1).first)
        try ledger.close()
        let day = LocalDay(session.summary.start, in: session.summary.timeZone)
        let daysBack = max(1, Int((Date().timeIntervalSince(session.summary.start) / 86_400).rounded(.up)) + 2)
        let result = try rollsense.run(["history", "--json", "--days", String(daysBack)])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let row = try #require(result.lines.compactMap(jsonObject).first { $0["day"] as? String == day.description })
        #expect(row["area"] as? String == "lower-back")
        #expect(abs((row["contactS"] as? Double ?? 0) - contact) < 0.2)
        #expect(row["dailyLimitS"] as? Double == 300)
        let table = try rollsense.run(["history", "--days", String(daysBack)])
        #expect(table.stdout.contains(day.description))
        #expect(table.stdout.contains("over the limit") == (contact > 300))
        #expect(table.stdout.contains("lower-back"), "areas in text output are kebab-case, as typed")
    }

    @Test func badDaysIsAUsageError() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        #expect(try rollsense.run(["history", "--days", "0"]).status == 64)
    }

    @Test func corruptLedgerIsADataErrorAndIsKept() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        try FileManager.default.createDirectory(at: rollsense.dataDirectory, withIntermediateDirectories: true)
        let path = rollsense.dataDirectory.appendingPathComponent("history.sqlite").path
        let garbage = Data(repeating: 0x42, count: 8192)
        _ = FileManager.default.createFile(atPath: path, contents: garbage)
        let result = try rollsense.run(["history"])
        #expect(result.status == 65)
        #expect(FileManager.default.contents(atPath: path) == garbage)
    }
}
