// Over 400 lines: the ledger's schema, its migrations and the queries that depend on them stay
// in one place, so a migration and the queries it changes are read together.
import Foundation
import GRDB

/// The daily history of sessions and contact time per body area and local day, in SQLite (WAL
/// mode, so several rollsense processes can read and write it at once without losing anything).
public final class HistoryLedger: Sendable {
    /// File name inside the data directory.
    public static let fileName = "history.sqlite"
    /// `PRAGMA application_id` of a ledger ("Roll" in ASCII), so a foreign SQLite file is refused.
    static let applicationID: Int32 = 0x526F_6C6C
    /// Default wait for another process's write lock before giving up (a write transaction here
    /// takes milliseconds; seconds of waiting means something is stuck).
    public static let defaultBusyTimeoutSeconds: Double = 5

    /// The database file.
    public let path: String
    private let pool: DatabasePool
    private let busyTimeoutSeconds: Double

    /// The ledger's path inside a data directory (see `DataDirectory.resolve`).
    public static func path(inDataDirectory directory: String) -> String {
        directory + "/" + fileName
    }

    /// Opens (creating if needed) the ledger in `dataDirectory`, creating the directory too.
    public convenience init(dataDirectory: String, busyTimeoutSeconds: Double = HistoryLedger.defaultBusyTimeoutSeconds) throws(HistoryError) {
        try DataDirectory.create(dataDirectory)
        try self.init(path: Self.path(inDataDirectory: dataDirectory), busyTimeoutSeconds: busyTimeoutSeconds)
    }

    /// Opens (creating if needed) the ledger at `path`. An existing file is checked read-only
    /// first; a damaged, foreign or newer file is refused before anything is written to it.
    public init(path: String, busyTimeoutSeconds: Double = HistoryLedger.defaultBusyTimeoutSeconds) throws(HistoryError) {
        self.path = path
        self.busyTimeoutSeconds = busyTimeoutSeconds
        if FileManager.default.fileExists(atPath: path) {
            try Self.checkExisting(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw Self.map(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    /// Closes the database's connections; later calls fail. Also happens when the ledger is released.
    public func close() throws(HistoryError) {
        do {
            try pool.close()
        } catch {
            throw Self.map(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    // MARK: - Writing

    /// Stores a whole session and adds its contacts to the daily totals, in one transaction.
    /// A summary whose recording is stored already (same `recordingID`) adds nothing: its
    /// stored session's id is returned.
    @discardableResult
    public func record(_ summary: SessionSummary) throws(HistoryError) -> Int64 {
        try write { db in
            if let existing = try Self.sessionID(recordingID: summary.recordingID, db: db) { return existing }
            let id = try Self.insertSession(summary, db: db)
            for contact in summary.contacts {
                try Self.insertContact(area: contact.area, start: contact.start, end: contact.end, timeZone: summary.timeZone, sessionID: id, db: db)
            }
            try Self.insertBands(summary, db: db)
            return id
        }
    }

    /// Stores a session that is starting, so its contacts can be added as they happen; returns its id.
    public func beginSession(_ summary: SessionSummary) throws(HistoryError) -> Int64 {
        try record(summary)
    }

    /// Updates a session's end and numbers (contacts are added with `addContact`, not from `summary`).
    public func finishSession(id: Int64, _ summary: SessionSummary) throws(HistoryError) {
        try write { db in
            try db.execute(sql: """
                UPDATE session SET end_unix_us = ?, peak_force_newtons = ?, mean_force_newtons = ?,
                    peak_pressure_kilopascals = ?, alert_count = ?, hold_count = ?
                WHERE id = ?
                """, arguments: [summary.end.map(Self.microseconds), summary.peakForceNewtons, summary.meanForceNewtons,
                                 summary.peakPressureKilopascals, summary.alertCount, summary.holdCount, id])
        }
    }

    /// Adds contact on `area` from `start` to `end`, split across local midnights in `timeZone`,
    /// to the daily totals (and to session `sessionID`'s total), in one transaction.
    public func addContact(area: String, from start: Date, to end: Date, timeZone: TimeZone, sessionID: Int64? = nil) throws(HistoryError) {
        let startMicroseconds = Self.microseconds(start), endMicroseconds = Self.microseconds(end)
        guard endMicroseconds >= startMicroseconds else {
            throw .invalidInterval(startUnixMicroseconds: startMicroseconds, endUnixMicroseconds: endMicroseconds)
        }
        try write { db in
            try Self.insertContact(area: area, start: start, end: end, timeZone: timeZone, sessionID: sessionID, db: db)
        }
    }

    // MARK: - Reading

    /// Whether the recording with this id is in the ledger already.
    public func contains(recordingID: String) throws(HistoryError) -> Bool {
        try read { db in try Self.sessionID(recordingID: recordingID, db: db) != nil }
    }

    /// Seconds of contact on `area` during local `day`: what the daily limit is checked against.
    public func todayTotalSeconds(area: String, day: LocalDay) throws(HistoryError) -> Double {
        try read { db in
            let microseconds = try Int64.fetchOne(db, sql: "SELECT contact_us FROM daily_contact WHERE day = ? AND area = ?",
                                                  arguments: [day.description, area]) ?? 0
            return Double(microseconds) / 1_000_000
        }
    }

    /// Contact per day and area for the `days` days ending with `lastDay`, oldest first, then by
    /// area; days without contact have no row.
    public func history(days: Int, endingOn lastDay: LocalDay) throws(HistoryError) -> [DailyAreaTotal] {
        let firstDay = lastDay.adding(days: -(max(days, 1) - 1))
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT day, area, contact_us FROM daily_contact WHERE day >= ? AND day <= ? ORDER BY day, area
                """, arguments: [firstDay.description, lastDay.description]).compactMap { row -> DailyAreaTotal? in
                guard let day = LocalDay(row["day"] as String) else { return nil }
                return DailyAreaTotal(day: day, area: row["area"], contactSeconds: Double(row["contact_us"] as Int64) / 1_000_000)
            }
        }
    }

    /// Contact per band of the back, per day and area, for the `days` days ending with
    /// `lastDay`: oldest day first, then by area and band.
    public func bandHistory(days: Int, endingOn lastDay: LocalDay) throws(HistoryError) -> [DailyBandTotal] {
        try dailyPositions(table: "daily_band", hasAcross: false, days: days, endingOn: lastDay)
    }

    /// Contact per grid cell of a ball's position, per day and area, for the `days` days ending
    /// with `lastDay`: oldest day first, then by area, along the back, then across.
    public func cellHistory(days: Int, endingOn lastDay: LocalDay) throws(HistoryError) -> [DailyBandTotal] {
        try dailyPositions(table: "daily_cell", hasAcross: true, days: days, endingOn: lastDay)
    }

    /// The rows of `daily_band` or `daily_cell` (a band plus its `across_from_mm` column).
    private func dailyPositions(table: String, hasAcross: Bool, days: Int, endingOn lastDay: LocalDay) throws(HistoryError) -> [DailyBandTotal] {
        let firstDay = lastDay.adding(days: -(max(days, 1) - 1))
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM \(table)
                WHERE day >= ? AND day <= ? ORDER BY day, area, width_mm, from_mm\(hasAcross ? ", across_from_mm" : "")
                """, arguments: [firstDay.description, lastDay.description]).compactMap { row -> DailyBandTotal? in
                guard let day = LocalDay(row["day"] as String) else { return nil }
                var total = DailyBandTotal(day: day, area: row["area"], fromMillimetres: row["from_mm"], widthMillimetres: row["width_mm"],
                                           contactSeconds: Double(row["contact_us"] as Int64) / 1_000_000, peakKilopascals: row["peak_kpa"])
                if hasAcross { total.acrossFromMillimetres = row["across_from_mm"] }
                return total
            }
        }
    }

    /// The most recent sessions, newest first.
    public func recentSessions(limit: Int) throws(HistoryError) -> [StoredSession] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM session ORDER BY start_unix_us DESC, id DESC LIMIT ?", arguments: [limit]).map { row in
                let summary = SessionSummary(
                    start: Self.date(row["start_unix_us"]),
                    end: (row["end_unix_us"] as Int64?).map(Self.date),
                    timeZone: TimeZone(identifier: row["time_zone"]) ?? TimeZone(secondsFromGMT: 0)!,
                    deviceID: row["device_id"], area: row["area"], tool: row["tool"], profileName: row["profile"],
                    source: SessionSource(rawValue: row["source"]) ?? .live, capturePath: row["capture_path"],
                    peakForceNewtons: row["peak_force_newtons"], meanForceNewtons: row["mean_force_newtons"],
                    peakPressureKilopascals: row["peak_pressure_kilopascals"],
                    alertCount: row["alert_count"], holdCount: row["hold_count"],
                    recordingID: row["recording_id"]
                )
                return StoredSession(id: row["id"], summary: summary, contactSeconds: Double(row["contact_us"] as Int64) / 1_000_000)
            }
        }
    }

    // MARK: - Schema

    /// Versioned migrations; a migration, once released, is never edited, only followed by a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(HistoryLedger.applicationID)")
            try db.execute(sql: """
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    start_unix_us INTEGER NOT NULL,
                    end_unix_us INTEGER,
                    time_zone TEXT NOT NULL,
                    device_id TEXT,
                    area TEXT,
                    tool TEXT,
                    profile TEXT,
                    source TEXT NOT NULL CHECK (source IN ('live', 'replay')),
                    capture_path TEXT,
                    contact_us INTEGER NOT NULL DEFAULT 0,
                    peak_force_newtons REAL,
                    mean_force_newtons REAL,
                    peak_pressure_kilopascals REAL,
                    alert_count INTEGER NOT NULL DEFAULT 0,
                    hold_count INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE contact_interval (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id INTEGER REFERENCES session(id) ON DELETE CASCADE,
                    area TEXT NOT NULL,
                    day TEXT NOT NULL,
                    start_unix_us INTEGER NOT NULL,
                    end_unix_us INTEGER NOT NULL CHECK (end_unix_us >= start_unix_us)
                );
                CREATE INDEX contact_interval_session ON contact_interval(session_id);
                CREATE TABLE daily_contact (
                    day TEXT NOT NULL,
                    area TEXT NOT NULL,
                    contact_us INTEGER NOT NULL,
                    PRIMARY KEY (day, area)
                ) WITHOUT ROWID;
                """)
        }
        // A recording is counted once: replays of it (`replay --ledger`) find it by this id.
        migrator.registerMigration("v2-recording-id") { db in
            try db.execute(sql: """
                ALTER TABLE session ADD COLUMN recording_id TEXT;
                CREATE UNIQUE INDEX session_recording_id ON session(recording_id) WHERE recording_id IS NOT NULL;
                """)
        }
        // Pain marks (docs/SAFETY.md): the force at the moment a person said it hurt more, per
        // person, area and tool (a ball's newtons are not a roller's).
        migrator.registerMigration("v3-pain-marks") { db in
            try db.execute(sql: """
                CREATE TABLE pain_mark (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    person TEXT NOT NULL,
                    area TEXT NOT NULL,
                    tool TEXT NOT NULL,
                    unix_us INTEGER NOT NULL,
                    force_newtons REAL NOT NULL CHECK (force_newtons >= 0),
                    pressure_kilopascals REAL NOT NULL CHECK (pressure_kilopascals >= 0),
                    session_id INTEGER REFERENCES session(id) ON DELETE SET NULL
                );
                CREATE INDEX pain_mark_person_area ON pain_mark(person, area, tool, unix_us);
                """)
        }
        // Time per spot of the back (issue "Where on the back"): per day, area and band, each
        // band measured from its session's first contact.
        migrator.registerMigration("v4-position-bands") { db in
            try db.execute(sql: """
                CREATE TABLE daily_band (
                    day TEXT NOT NULL,
                    area TEXT NOT NULL,
                    from_mm REAL NOT NULL,
                    width_mm REAL NOT NULL CHECK (width_mm > 0),
                    contact_us INTEGER NOT NULL CHECK (contact_us >= 0),
                    peak_kpa REAL NOT NULL CHECK (peak_kpa >= 0),
                    PRIMARY KEY (day, area, from_mm, width_mm)
                ) WITHOUT ROWID;
                """)
        }
        // A ball's 2-D grid (issue "Where on the back"): per day, area and cell, each cell
        // measured across and along from its session's first contact.
        migrator.registerMigration("v5-position-cells") { db in
            try db.execute(sql: """
                CREATE TABLE daily_cell (
                    day TEXT NOT NULL,
                    area TEXT NOT NULL,
                    across_from_mm REAL NOT NULL,
                    from_mm REAL NOT NULL,
                    width_mm REAL NOT NULL CHECK (width_mm > 0),
                    contact_us INTEGER NOT NULL CHECK (contact_us >= 0),
                    peak_kpa REAL NOT NULL CHECK (peak_kpa >= 0),
                    PRIMARY KEY (day, area, across_from_mm, from_mm, width_mm)
                ) WITHOUT ROWID;
                """)
        }
        // One spelling (issue 25): areas and tools as typed and shown (LedgerSpelling.swift).
        migrator.registerMigration("v6-kebab-spelling", migrate: LedgerSpelling.respellStoredNames)
        return migrator
    }()

    /// Checks an existing file through a read-only connection, so a refused file is never changed.
    private static func checkExisting(path: String, busyTimeoutSeconds: Double) throws(HistoryError) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    throw HistoryError.corrupt(path: path, detail: check.prefix(3).joined(separator: "; "))
                }
                let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                let foundApplicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                if tableCount > 0 && foundApplicationID != HistoryLedger.applicationID {
                    throw HistoryError.notALedger(path: path)
                }
                let known = Set(migrator.migrations)
                let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
                if !unknown.isEmpty { throw HistoryError.newerSchema(path: path, unknownMigrations: unknown) }
            }
        } catch {
            throw map(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    // MARK: - Internals

    func write<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Self.map(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.map(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
    }

    private static func sessionID(recordingID: String?, db: Database) throws -> Int64? {
        guard let recordingID else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT id FROM session WHERE recording_id = ?", arguments: [recordingID])
    }

    private static func insertSession(_ summary: SessionSummary, db: Database) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO session (start_unix_us, end_unix_us, time_zone, device_id, area, tool, profile, source,
                capture_path, peak_force_newtons, mean_force_newtons, peak_pressure_kilopascals, alert_count, hold_count,
                recording_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                microseconds(summary.start), summary.end.map(microseconds), summary.timeZone.identifier, summary.deviceID,
                summary.area, summary.tool, summary.profileName, summary.source.rawValue, summary.capturePath,
                summary.peakForceNewtons, summary.meanForceNewtons, summary.peakPressureKilopascals,
                summary.alertCount, summary.holdCount, summary.recordingID,
            ])
        return db.lastInsertedRowID
    }

    private static func insertContact(area: String, start: Date, end: Date, timeZone: TimeZone, sessionID: Int64?, db: Database) throws {
        let startMicroseconds = microseconds(start), endMicroseconds = microseconds(end)
        guard endMicroseconds >= startMicroseconds else {
            throw HistoryError.invalidInterval(startUnixMicroseconds: startMicroseconds, endUnixMicroseconds: endMicroseconds)
        }
        for piece in LocalDay.split(startUnixMicroseconds: startMicroseconds, endUnixMicroseconds: endMicroseconds, timeZone: timeZone) {
            let length = piece.end - piece.start
            try db.execute(sql: "INSERT INTO contact_interval (session_id, area, day, start_unix_us, end_unix_us) VALUES (?, ?, ?, ?, ?)",
                           arguments: [sessionID, area, piece.day.description, piece.start, piece.end])
            try db.execute(sql: """
                INSERT INTO daily_contact (day, area, contact_us) VALUES (?, ?, ?)
                ON CONFLICT (day, area) DO UPDATE SET contact_us = contact_us + excluded.contact_us
                """, arguments: [piece.day.description, area, length])
        }
        if let sessionID {
            try db.execute(sql: "UPDATE session SET contact_us = contact_us + ? WHERE id = ?",
                           arguments: [endMicroseconds - startMicroseconds, sessionID])
        }
    }

    /// A session's bands (and a ball's cells) go to the local day it began: a session crossing
    /// midnight is rare and minutes long, and splitting a band's time would need each sample's
    /// wall clock.
    private static func insertBands(_ summary: SessionSummary, db: Database) throws {
        let day = LocalDay(summary.start, in: summary.timeZone).description
        let area = summary.area ?? ""
        for cell in summary.cells {
            try db.execute(sql: """
                INSERT INTO daily_cell (day, area, across_from_mm, from_mm, width_mm, contact_us, peak_kpa) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (day, area, across_from_mm, from_mm, width_mm) DO UPDATE SET
                    contact_us = contact_us + excluded.contact_us, peak_kpa = max(peak_kpa, excluded.peak_kpa)
                """, arguments: [day, area, cell.acrossFromMillimetres ?? 0, cell.fromMillimetres, cell.widthMillimetres,
                                 Int64((cell.contactSeconds * 1_000_000).rounded()), cell.peakKilopascals])
        }
        for band in summary.bands {
            try db.execute(sql: """
                INSERT INTO daily_band (day, area, from_mm, width_mm, contact_us, peak_kpa) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (day, area, from_mm, width_mm) DO UPDATE SET
                    contact_us = contact_us + excluded.contact_us, peak_kpa = max(peak_kpa, excluded.peak_kpa)
                """, arguments: [day, area, band.fromMillimetres, band.widthMillimetres,
                                 Int64((band.contactSeconds * 1_000_000).rounded()), band.peakKilopascals])
        }
    }

    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    static func map(_ error: any Error, path: String, busyTimeoutSeconds: Double) -> HistoryError {
        if let error = error as? HistoryError { return error }
        guard let error = error as? DatabaseError else { return .unusable(path: path, detail: "\(error)") }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path: path, waitedSeconds: busyTimeoutSeconds)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .corrupt(path: path, detail: error.message ?? "\(error.resultCode)")
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return .notWritable(path: path, detail: error.message ?? "\(error.resultCode)")
        case .SQLITE_FULL:
            return .diskFull(path: path)
        default:
            return .unusable(path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }
}
