import Foundation
import GRDB
import RollSenseStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct HistoryLedgerTests {
    static let utcPlus2 = TimeZone(secondsFromGMT: 2 * 3600)!

    /// A wall-clock instant given as local time in `timeZone`.
    static func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0, in timeZone: TimeZone = utcPlus2) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    static func session(start: Date, contacts: [ContactInterval], timeZone: TimeZone = utcPlus2) -> SessionSummary {
        SessionSummary(start: start, end: contacts.last?.end, timeZone: timeZone, deviceID: "305419896", area: contacts.first?.area,
                       tool: "roller", profileName: "gentle", source: .live, capturePath: "/tmp/x.rscap",
                       peakForceNewtons: 210.5, meanForceNewtons: 150, peakPressureKilopascals: 31, alertCount: 1, holdCount: 2,
                       contacts: contacts)
    }

    // MARK: - Daily totals

    @Test func twoSessionsOnTheSameDayAddUp() throws {
        let directory = TemporaryDirectory()
        let ledger = try HistoryLedger(dataDirectory: directory.file("data"))
        let morning = Self.local(2026, 11, 26, 8, 0)
        let evening = Self.local(2026, 11, 26, 20, 0)
        try ledger.record(Self.session(start: morning, contacts: [
            ContactInterval(area: "lower-back", start: morning, end: morning + 90),
            ContactInterval(area: "glutes", start: morning + 100, end: morning + 130),
        ]))
        try ledger.record(Self.session(start: evening, contacts: [
            ContactInterval(area: "lower-back", start: evening, end: evening + 120.5),
        ]))
        let day = LocalDay(year: 2026, month: 11, day: 26)
        #expect(try ledger.todayTotalSeconds(area: "lower-back", day: day) == 210.5)
        #expect(try ledger.todayTotalSeconds(area: "glutes", day: day) == 30)
        #expect(try ledger.todayTotalSeconds(area: "lower-back", day: day.adding(days: 1)) == 0)
        #expect(try ledger.history(days: 7, endingOn: day) == [
            DailyAreaTotal(day: day, area: "glutes", contactSeconds: 30),
            DailyAreaTotal(day: day, area: "lower-back", contactSeconds: 210.5),
        ])
        let sessions = try ledger.recentSessions(limit: 10)
        #expect(sessions.map(\.contactSeconds) == [120.5, 120])
        #expect(sessions.last?.summary.peakForceNewtons == 210.5)
        #expect(sessions.last?.summary.source == .live)
    }

    @Test func contactAcrossMidnightCountsForEachDay() throws {
        let directory = TemporaryDirectory()
        let ledger = try HistoryLedger(path: directory.file("history.sqlite"))
        let start = Self.local(2026, 11, 26, 23, 58, 30)
        try ledger.addContact(area: "lower-back", from: start, to: start + 270, timeZone: Self.utcPlus2)
        let first = LocalDay(year: 2026, month: 11, day: 26)
        #expect(try ledger.todayTotalSeconds(area: "lower-back", day: first) == 90)
        #expect(try ledger.todayTotalSeconds(area: "lower-back", day: first.adding(days: 1)) == 180)
        // The same instants in UTC fall on one day: the time zone decides.
        let other = try HistoryLedger(path: directory.file("utc.sqlite"))
        try other.addContact(area: "lower-back", from: start, to: start + 270, timeZone: TimeZone(secondsFromGMT: 0)!)
        #expect(try other.history(days: 3, endingOn: first.adding(days: 1)) == [DailyAreaTotal(day: first, area: "lower-back", contactSeconds: 270)])
    }

    @Test func aDaylightSavingDayHasItsTrueLength() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let directory = TemporaryDirectory()
        let ledger = try HistoryLedger(path: directory.file("history.sqlite"))
        // 2026-03-29: clocks go from 02:00 to 03:00 in Berlin, a 23-hour day.
        let start = Self.local(2026, 3, 28, 23, 0, in: berlin)
        let end = Self.local(2026, 3, 30, 1, 0, in: berlin)
        try ledger.addContact(area: "a", from: start, to: end, timeZone: berlin)
        #expect(try ledger.history(days: 3, endingOn: LocalDay(year: 2026, month: 3, day: 30)).map(\.contactSeconds) == [3600, 23 * 3600, 3600])
    }

    @Test func anIntervalEndingBeforeItStartsIsRefused() throws {
        let directory = TemporaryDirectory()
        let ledger = try HistoryLedger(path: directory.file("history.sqlite"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(throws: HistoryError.invalidInterval(startUnixMicroseconds: 1_800_000_000_000_000, endUnixMicroseconds: 1_799_999_999_000_000)) {
            try ledger.addContact(area: "a", from: now, to: now - 1, timeZone: Self.utcPlus2)
        }
    }

    @Test func contactsAddedDuringASessionCountForItAndTheDay() throws {
        let directory = TemporaryDirectory()
        let ledger = try HistoryLedger(path: directory.file("history.sqlite"))
        let start = Self.local(2026, 11, 26, 10, 0)
        let id = try ledger.beginSession(Self.session(start: start, contacts: []))
        try ledger.addContact(area: "lower-back", from: start, to: start + 30, timeZone: Self.utcPlus2, sessionID: id)
        try ledger.addContact(area: "lower-back", from: start + 60, to: start + 75, timeZone: Self.utcPlus2, sessionID: id)
        var finished = Self.session(start: start, contacts: [])
        finished.end = start + 80
        finished.alertCount = 3
        try ledger.finishSession(id: id, finished)
        let stored = try #require(try ledger.recentSessions(limit: 1).first)
        #expect(stored.id == id)
        #expect(stored.contactSeconds == 45)
        #expect(stored.summary.end == start + 80)
        #expect(stored.summary.alertCount == 3)
        #expect(try ledger.todayTotalSeconds(area: "lower-back", day: LocalDay(start, in: Self.utcPlus2)) == 45)
    }

    // MARK: - Concurrency

    @Test func twoConnectionsWritingAtOnceLoseNothing() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("history.sqlite")
        _ = try HistoryLedger(path: path)
        let writesPerWriter = 150
        let start = Self.local(2026, 11, 26, 9, 0)
        let failures = LockedList()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            do {
                let ledger = try HistoryLedger(path: path)
                for index in 0..<writesPerWriter {
                    let from = start + Double(index * 10 + writer * 5)
                    try ledger.addContact(area: "lower-back", from: from, to: from + 1, timeZone: Self.utcPlus2)
                }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.items.isEmpty)
        let ledger = try HistoryLedger(path: path)
        #expect(try ledger.todayTotalSeconds(area: "lower-back", day: LocalDay(start, in: Self.utcPlus2)) == Double(2 * writesPerWriter))
    }

    @Test func aSecondProcessWritingAtOnceLosesNothing() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("history.sqlite")
        let ledger = try HistoryLedger(path: path)
        let count = 150
        let child = try StoreTestTool.launch(["ledger-add", path, "lower-back", "\(count)"])
        let start = Self.local(2026, 11, 26, 9, 0)
        for index in 0..<count {
            try ledger.addContact(area: "lower-back", from: start + Double(index), to: start + Double(index) + 1, timeZone: Self.utcPlus2)
        }
        let result = try child.wait()
        #expect(result.status == 0, "child: \(result.output)")
        // The child adds `count` seconds of contact at noon the same day (see store-test-tool).
        #expect(try ledger.todayTotalSeconds(area: "lower-back", day: LocalDay(start, in: Self.utcPlus2)) == Double(2 * count))
    }

    @Test func aLockedDatabaseIsWaitedForThenAClearError() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("history.sqlite")
        let ledger = try HistoryLedger(path: path, busyTimeoutSeconds: 0.3)
        var holderConfiguration = Configuration()
        // Keeps the exclusive transaction open across calls, as another process stuck mid-write would.
        holderConfiguration.allowsUnsafeTransactions = true
        let holder = try DatabaseQueue(path: path, configuration: holderConfiguration)
        try holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        let now = Date()
        #expect(throws: HistoryError.busy(path: path, waitedSeconds: 0.3)) {
            try ledger.addContact(area: "a", from: now, to: now + 1, timeZone: Self.utcPlus2)
        }
        // Released while a writer waits: the write goes through.
        let patient = try HistoryLedger(path: path, busyTimeoutSeconds: 30)
        let release = Thread {
            Thread.sleep(forTimeInterval: 0.2)
            try? holder.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        }
        release.start()
        try patient.addContact(area: "a", from: now, to: now + 1, timeZone: Self.utcPlus2)
        #expect(try patient.todayTotalSeconds(area: "a", day: LocalDay(now, in: Self.utcPlus2)) == 1)
    }

    // MARK: - Refused files

    @Test func aCorruptFileIsAnErrorAndStaysUnchanged() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("history.sqlite")
        let garbage = patternBytes(index: 5, count: 8192)
        writeBytes(garbage, to: path)
        #expect {
            try HistoryLedger(path: path)
        } throws: { error in
            guard case .corrupt(let errorPath, _) = error as? HistoryError else { return false }
            return errorPath == path
        }
        #expect(readBytes(path) == garbage)
    }

    @Test func aLedgerWithDamagedPagesIsAnErrorAndStaysUnchanged() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("history.sqlite")
        do {
            let ledger = try HistoryLedger(path: path)
            let start = Self.local(2026, 11, 26, 9, 0)
            for index in 0..<200 {
                try ledger.addContact(area: "area-\(index)", from: start, to: start + 1, timeZone: Self.utcPlus2)
            }
            try ledger.close()
        }
        var bytes = readBytes(path)
        #expect(bytes.count > 3 * 4096)
        // Overwrite the second page (a b-tree page) with junk; the SQLite header stays valid.
        for offset in 4096..<8192 { bytes[offset] = UInt8(truncatingIfNeeded: offset &* 13) }
        writeBytes(bytes, to: path)
        #expect {
            try HistoryLedger(path: path)
        } throws: { error in
            if case .corrupt = error as? HistoryError { return true }
            return false
        }
        #expect(readBytes(path) == bytes)
    }

    @Test func aNewerSchemaIsAnErrorAndStaysUnchanged() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("history.sqlite")
        try HistoryLedger(path: path).close()
        do {
            let newer = try DatabaseQueue(path: path)
            try newer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
            try newer.close()
        }
        let before = readBytes(path)
        #expect(throws: HistoryError.newerSchema(path: path, unknownMigrations: ["v99-future"])) { try HistoryLedger(path: path) }
        #expect(readBytes(path) == before)
        #expect(HistoryError.newerSchema(path: path, unknownMigrations: ["v99-future"]).description.contains("update rollsense"))
    }

    @Test func anotherProgramsDatabaseIsRefusedAndStaysUnchanged() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("other.sqlite")
        do {
            let other = try DatabaseQueue(path: path)
            try other.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')") }
            try other.close()
        }
        let before = readBytes(path)
        #expect(throws: HistoryError.notALedger(path: path)) { try HistoryLedger(path: path) }
        #expect(readBytes(path) == before)
    }

    @Test func aReadOnlyDirectoryIsAClearError() throws {
        let directory = TemporaryDirectory()
        let path = directory.readOnlySubdirectory() + "/history.sqlite"
        let child = try StoreTestTool.launch(["ledger-open", path, "--drop-privileges"])
        let result = try child.wait()
        #expect(result.status == 3, "child said: \(result.output)")
        #expect(result.output.contains("cannot open or write the history database \(path)"), "child said: \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    // MARK: - Time per spot of the back

    @Test func bandTimesAddUpPerDayAndAreaAndKeepTheHighestPeak() throws {
        let directory = TemporaryDirectory()
        let ledger = try HistoryLedger(path: directory.file("history.sqlite"))
        let morning = Self.local(2026, 11, 26, 8, 0), evening = Self.local(2026, 11, 26, 20, 0), nextDay = Self.local(2026, 11, 27, 9, 0)
        func session(_ start: Date, _ bands: [BandContact], id: String) -> SessionSummary {
            var summary = Self.session(start: start, contacts: [ContactInterval(area: "lower-back", start: start, end: start + 60)])
            summary.bands = bands
            summary.recordingID = id
            return summary
        }
        try ledger.record(session(morning, [
            BandContact(fromMillimetres: -20, widthMillimetres: 20, contactSeconds: 4.25, peakKilopascals: 20),
            BandContact(fromMillimetres: 0, widthMillimetres: 20, contactSeconds: 30.5, peakKilopascals: 31),
        ], id: "a"))
        try ledger.record(session(evening, [
            BandContact(fromMillimetres: 0, widthMillimetres: 20, contactSeconds: 10, peakKilopascals: 25),
            BandContact(fromMillimetres: 20, widthMillimetres: 20, contactSeconds: 1.000001, peakKilopascals: 12),
        ], id: "b"))
        // The same recording again (a replay with --ledger) adds nothing.
        try ledger.record(session(evening, [BandContact(fromMillimetres: 0, widthMillimetres: 20, contactSeconds: 99, peakKilopascals: 99)], id: "b"))
        try ledger.record(session(nextDay, [BandContact(fromMillimetres: 0, widthMillimetres: 20, contactSeconds: 7, peakKilopascals: 9)], id: "c"))
        let first = LocalDay(year: 2026, month: 11, day: 26)
        #expect(try ledger.bandHistory(days: 1, endingOn: first) == [
            DailyBandTotal(day: first, area: "lower-back", fromMillimetres: -20, widthMillimetres: 20, contactSeconds: 4.25, peakKilopascals: 20),
            DailyBandTotal(day: first, area: "lower-back", fromMillimetres: 0, widthMillimetres: 20, contactSeconds: 40.5, peakKilopascals: 31),
            DailyBandTotal(day: first, area: "lower-back", fromMillimetres: 20, widthMillimetres: 20, contactSeconds: 1.000001, peakKilopascals: 12),
        ])
        #expect(try ledger.bandHistory(days: 2, endingOn: first.adding(days: 1)).map(\.contactSeconds) == [4.25, 40.5, 1.000001, 7])
        // A session without a rotation sensor stores no bands.
        try ledger.record(Self.session(start: nextDay + 3600, contacts: [ContactInterval(area: "lower-back", start: nextDay + 3600, end: nextDay + 3660)]))
        #expect(try ledger.bandHistory(days: 1, endingOn: first.adding(days: 1)).count == 1)
    }

    /// A ledger with 42 s of contact at `now`, turned back to the schema before `migration`
    /// (its `table` dropped), then opened: it must keep the contact and gain the table again.
    static func ledgerWithout(table: String, migration: String, in directory: TemporaryDirectory, at now: Date) throws -> HistoryLedger {
        let path = directory.file("history.sqlite")
        try HistoryLedger(path: path).addContact(area: "lower-back", from: now, to: now + 42, timeZone: utcPlus2)
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            try db.execute(sql: "DROP TABLE \(table)")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [migration])
        }
        try old.close()
        let ledger = try HistoryLedger(path: path)
        #expect(try ledger.todayTotalSeconds(area: "lower-back", day: LocalDay(now, in: utcPlus2)) == 42)
        return ledger
    }

    @Test func aLedgerFromBeforeBandsKeepsItsDataAndGainsThem() throws {
        let directory = TemporaryDirectory()
        let now = Self.local(2026, 11, 26, 12, 0)
        // The schema before bands, as that release left it, with 42 s of contact.
        let ledger = try Self.ledgerWithout(table: "daily_band", migration: "v4-position-bands", in: directory, at: now)
        let day = LocalDay(now, in: Self.utcPlus2)
        var summary = Self.session(start: now + 60, contacts: [])
        summary.bands = [BandContact(fromMillimetres: 40, widthMillimetres: 20, contactSeconds: 3, peakKilopascals: 10)]
        try ledger.record(summary)
        #expect(try ledger.bandHistory(days: 1, endingOn: day).map(\.contactSeconds) == [3])
    }

    @Test func aLedgerFromBeforeCellsGainsThemAndAddsABallsCellsPerDay() throws {
        let directory = TemporaryDirectory()
        let now = Self.local(2026, 11, 26, 12, 0)
        // The v4 schema, as the release with bands left it.
        let ledger = try Self.ledgerWithout(table: "daily_cell", migration: "v5-position-cells", in: directory, at: now)
        let day = LocalDay(now, in: Self.utcPlus2)
        func cell(_ across: Double, _ along: Double, _ seconds: Double, _ peak: Double) -> BandContact {
            var contact = BandContact(fromMillimetres: along, widthMillimetres: 20, contactSeconds: seconds, peakKilopascals: peak)
            contact.acrossFromMillimetres = across
            return contact
        }
        for (offset, peak) in [(60.0, 10.0), (600, 14)] {
            var summary = Self.session(start: now + offset, contacts: [])
            summary.cells = [cell(-20, 0, 3, peak), cell(0, 0, 1.5, 9)]
            try ledger.record(summary)
        }
        let rows = try ledger.cellHistory(days: 1, endingOn: day)
        #expect(rows.map(\.acrossFromMillimetres) == [-20, 0])
        #expect(rows.map(\.contactSeconds) == [6, 3])
        #expect(rows.map(\.peakKilopascals) == [14, 9])
        #expect(try ledger.bandHistory(days: 1, endingOn: day).isEmpty)  // cells are not bands
    }

    @Test func reopeningKeepsTheData() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("history.sqlite")
        let now = Self.local(2026, 11, 26, 12, 0)
        try HistoryLedger(path: path).addContact(area: "a", from: now, to: now + 5, timeZone: Self.utcPlus2)
        #expect(try HistoryLedger(path: path).todayTotalSeconds(area: "a", day: LocalDay(now, in: Self.utcPlus2)) == 5)
    }
}

/// Strings collected from several threads.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) { lock.withLock { storage.append(item) } }
    var items: [String] { lock.withLock { storage } }
}

@Suite struct PainMarkLedgerTests {
    @Test func marksAreKeptPerPersonAreaAndToolNewestFirstAndSurviveReopening() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("data")
        var ledger = try HistoryLedger(dataDirectory: path)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        for i in 0..<7 {
            try ledger.addPainMark(PainMark(person: "ana", area: "lower-back", tool: "foam-roller", date: t0 + Double(i),
                                            forceNewtons: 100 + Double(i), pressureKilopascals: 20))
        }
        try ledger.addPainMark(PainMark(person: "ana", area: "glutes", tool: "foam-roller", date: t0, forceNewtons: 1, pressureKilopascals: 1))
        try ledger.close()
        ledger = try HistoryLedger(dataDirectory: path)
        let marks = try ledger.painMarks(person: "ana", area: "lower-back", tool: "foam-roller", limit: 5)
        #expect(marks.map(\.forceNewtons) == [106, 105, 104, 103, 102])
        #expect(try ledger.painMarks(person: "bo", area: "lower-back", tool: "foam-roller", limit: 5).isEmpty)
        #expect(try ledger.removePainMarks(person: "ana", area: "lower-back", tool: "foam-roller") == 7)
        #expect(try ledger.painMarks(person: "ana", area: "glutes", tool: "foam-roller", limit: 5).count == 1)
        try ledger.close()
    }
}
