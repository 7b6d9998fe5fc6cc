import Foundation

/// A calendar day in some time zone, the unit the daily limit counts in.
public struct LocalDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Year, as in 2026.
    public var year: Int
    /// Month, 1 to 12.
    public var month: Int
    /// Day of the month, 1 to 31.
    public var day: Int

    /// Makes a day from its parts.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `date` falls in, in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let parts = Self.calendar(timeZone).dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// Parses `YYYY-MM-DD`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`, as stored in the ledger (sorts as text in date order).
    public var description: String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        let dayText = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(monthText)-\(dayText)"
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> LocalDay {
        let utc = TimeZone(secondsFromGMT: 0)!
        let calendar = Self.calendar(utc)
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return LocalDay(calendar.date(byAdding: .day, value: count, to: start)!, in: utc)
    }

    /// Orders days in time.
    public static func < (lhs: LocalDay, rhs: LocalDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// Splits `[start, end)` at local midnights: the part of it each day holds, in microseconds since
    /// 1970. Pieces add up exactly to the whole; a day with a DST change has its true length.
    static func split(startUnixMicroseconds start: Int64, endUnixMicroseconds end: Int64, timeZone: TimeZone) -> [(day: LocalDay, start: Int64, end: Int64)] {
        let calendar = calendar(timeZone)
        var pieces: [(day: LocalDay, start: Int64, end: Int64)] = []
        var pieceStart = start
        while pieceStart < end {
            let date = Date(timeIntervalSince1970: Double(pieceStart) / 1_000_000)
            let nextMidnight = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: date))!
            let nextMidnightMicroseconds = Int64((nextMidnight.timeIntervalSince1970 * 1_000_000).rounded())
            let pieceEnd = min(max(nextMidnightMicroseconds, pieceStart + 1), end)
            pieces.append((LocalDay(date, in: timeZone), pieceStart, pieceEnd))
            pieceStart = pieceEnd
        }
        return pieces
    }
}
