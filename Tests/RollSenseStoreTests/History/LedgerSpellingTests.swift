import Foundation
import GRDB
import RollSenseStore
import Testing

/// Issue 25: one spelling of areas and tools everywhere; a ledger written with the old camelCase
/// names (`lowerBack.left`, `foamRoller`) reads as if written today.
@Suite struct LedgerSpellingTests {
    @Test func aLedgerWithTheOldSpellingReadsInTheNewOne() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("history.sqlite")
        let zone = HistoryLedgerTests.utcPlus2
        let start = HistoryLedgerTests.local(2026, 11, 26, 9, 0)
        var ledger = try HistoryLedger(path: path)
        var summary = HistoryLedgerTests.session(start: start, contacts: [ContactInterval(area: "x", start: start, end: start + 30)])
        summary.area = "x"
        summary.tool = "y"
        _ = try ledger.record(summary)
        try ledger.addPainMark(PainMark(person: "ana", area: "z", tool: "y", date: start + 10, forceNewtons: 200, pressureKilopascals: 30))
        try ledger.close()
        // Turned back into what the release before the change wrote.
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            try db.execute(sql: """
                UPDATE session SET area = 'lowerBack.left', tool = 'foamRoller';
                UPDATE contact_interval SET area = 'lowerBack.left';
                UPDATE daily_contact SET area = 'lowerBack.left';
                UPDATE pain_mark SET area = 'lowerBack', tool = 'foamRoller';
                DELETE FROM grdb_migrations WHERE identifier = 'v6-kebab-spelling';
                """)
        }
        try old.close()

        ledger = try HistoryLedger(path: path)
        defer { try? ledger.close() }
        let day = LocalDay(start, in: zone)
        #expect(try ledger.todayTotalSeconds(area: "lower-back.left", day: day) == 30)
        #expect(try ledger.history(days: 1, endingOn: day).map(\.area) == ["lower-back.left"])
        let session = try #require(try ledger.recentSessions(limit: 1).first)
        #expect(session.summary.area == "lower-back.left")
        #expect(session.summary.tool == "foam-roller")
        #expect(try ledger.painMarks(person: "ana", area: "lower-back", tool: "foam-roller", limit: 5).map(\.forceNewtons) == [200])
    }
}
