import GRDB
import RollSenseSignal

/// Ledgers written before the one-spelling change (issue 25) hold `lowerBack.left` and
/// `foamRoller`; the migration rewrites them as every output now spells them (`lower-back.left`,
/// `foam-roller`), through the same mapping the enums read old captures with, so a day's time
/// and a person's pain marks stay together whichever spelling wrote them.
enum LedgerSpelling {
    /// Rewrites every stored area and tool name in today's spelling.
    static func respellStoredNames(_ db: Database) throws {
        db.add(function: DatabaseFunction("rollsense_area", argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map(Area.respelled)
        })
        db.add(function: DatabaseFunction("rollsense_tool", argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map { Tool(spelling: $0)?.spelling ?? $0 }
        })
        try db.execute(sql: """
            UPDATE session SET area = rollsense_area(area), tool = rollsense_tool(tool);
            UPDATE contact_interval SET area = rollsense_area(area);
            UPDATE daily_contact SET area = rollsense_area(area);
            UPDATE pain_mark SET area = rollsense_area(area), tool = rollsense_tool(tool);
            UPDATE daily_band SET area = rollsense_area(area);
            UPDATE daily_cell SET area = rollsense_area(area);
            """)
    }
}
