import Foundation
import GRDB

/// One pain mark: the moment a person said it hurt more, with the force and estimated pressure
/// then (docs/SAFETY.md, "Pain marks").
public struct PainMark: Sendable, Equatable {
    /// Whose mark it is (the config's `person`).
    public var person: String
    /// The body region (`lowerBack`), not the side.
    public var area: String
    /// The tool (`foamRoller`): marks of one tool never set another's limit.
    public var tool: String
    /// When it was marked.
    public var date: Date
    /// Smoothed total force at the mark.
    public var forceNewtons: Double
    /// Estimated mean pressure at the mark.
    public var pressureKilopascals: Double
    /// The session it was marked in, if stored.
    public var sessionID: Int64?
    /// The ledger's id for the mark (`rollsense limits --remove-mark ID`); nil before it is stored.
    public var id: Int64?

    /// Makes a mark.
    public init(person: String, area: String, tool: String, date: Date, forceNewtons: Double, pressureKilopascals: Double, sessionID: Int64? = nil) {
        self.person = person
        self.area = area
        self.tool = tool
        self.date = date
        self.forceNewtons = forceNewtons
        self.pressureKilopascals = pressureKilopascals
        self.sessionID = sessionID
    }
}

extension HistoryLedger {
    /// Stores a pain mark.
    public func addPainMark(_ mark: PainMark) throws(HistoryError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO pain_mark (person, area, tool, unix_us, force_newtons, pressure_kilopascals, session_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [mark.person, mark.area, mark.tool, Self.microseconds(mark.date),
                                 max(0, mark.forceNewtons), max(0, mark.pressureKilopascals), mark.sessionID])
        }
    }

    /// The newest `limit` marks of a person on an area with a tool, newest first.
    public func painMarks(person: String, area: String, tool: String, limit: Int) throws(HistoryError) -> [PainMark] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, person, area, tool, unix_us, force_newtons, pressure_kilopascals, session_id FROM pain_mark
                WHERE person = ? AND area = ? AND tool = ? ORDER BY unix_us DESC, id DESC LIMIT ?
                """, arguments: [person, area, tool, max(0, limit)]).map(Self.painMark)
        }
    }

    /// Every mark of a person (of one area and tool when given), oldest first.
    public func allPainMarks(person: String, area: String? = nil, tool: String? = nil) throws(HistoryError) -> [PainMark] {
        try read { db in
            var sql = "SELECT id, person, area, tool, unix_us, force_newtons, pressure_kilopascals, session_id FROM pain_mark WHERE person = ?"
            var arguments: StatementArguments = [person]
            if let area { sql += " AND area = ?"; arguments += [area] }
            if let tool { sql += " AND tool = ?"; arguments += [tool] }
            return try Row.fetchAll(db, sql: sql + " ORDER BY unix_us, id", arguments: arguments).map(Self.painMark)
        }
    }

    /// Forgets one mark of a person by its id; false when the person has no mark with that id.
    public func removePainMark(person: String, id: Int64) throws(HistoryError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM pain_mark WHERE person = ? AND id = ?", arguments: [person, id])
            return db.changesCount == 1
        }
    }

    private static func painMark(_ row: Row) -> PainMark {
        var mark = PainMark(person: row["person"], area: row["area"], tool: row["tool"], date: date(row["unix_us"]),
                            forceNewtons: row["force_newtons"], pressureKilopascals: row["pressure_kilopascals"], sessionID: row["session_id"])
        mark.id = row["id"]
        return mark
    }

    /// Forgets a person's marks (on one area and tool, or all when nil); returns how many.
    @discardableResult
    public func removePainMarks(person: String, area: String? = nil, tool: String? = nil) throws(HistoryError) -> Int {
        try write { db in
            var sql = "DELETE FROM pain_mark WHERE person = ?"
            var arguments: StatementArguments = [person]
            if let area { sql += " AND area = ?"; arguments += [area] }
            if let tool { sql += " AND tool = ?"; arguments += [tool] }
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
    }
}
