import RollSenseSystem
/// Why the history ledger cannot be used; each case says what to do. The file is never
/// overwritten or migrated when one of these is thrown.
public enum HistoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither a flag, `ROLLSENSE_DATA_DIR`, `XDG_DATA_HOME` nor `HOME` says where data goes.
    case noDataDirectory
    /// The data directory could not be created.
    case cannotCreateDirectory(path: String, errno: Errno)
    /// The file is not a SQLite database, or SQLite found it damaged.
    case corrupt(path: String, detail: String)
    /// A SQLite database, but some other program's.
    case notALedger(path: String)
    /// Written by a newer rollsense whose schema this one does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// Another process held the database locked for longer than the busy timeout.
    case busy(path: String, waitedSeconds: Double)
    /// The database or its directory cannot be opened or written (missing, permissions, read-only).
    case notWritable(path: String, detail: String)
    /// The disk is full.
    case diskFull(path: String)
    /// Any other database failure.
    case unusable(path: String, detail: String)
    /// A contact interval that ends before it starts.
    case invalidInterval(startUnixMicroseconds: Int64, endUnixMicroseconds: Int64)

    /// One line for a person, saying what happened and what to do.
    public var description: String {
        switch self {
        case .noDataDirectory:
            "no data directory: set HOME, XDG_DATA_HOME or ROLLSENSE_DATA_DIR, or pass --data-dir"
        case .cannotCreateDirectory(let path, let errno):
            "cannot create the data directory \(path): \(errno); pass --data-dir or set ROLLSENSE_DATA_DIR to a writable directory"
        case .corrupt(let path, let detail):
            "the history database \(path) is damaged (\(detail)); it was left untouched: move it aside (mv \(path) \(path).broken) to start a new history"
        case .notALedger(let path):
            "\(path) is a SQLite database but not a rollsense history; it was left untouched: choose another --data-dir"
        case .newerSchema(let path, let unknownMigrations):
            "the history database \(path) was written by a newer rollsense (schema \(unknownMigrations.joined(separator: ", "))); it was left untouched: update rollsense"
        case .busy(let path, let waitedSeconds):
            "the history database \(path) stayed locked by another process for \(waitedSeconds) s; close the other rollsense or try again"
        case .notWritable(let path, let detail):
            "cannot open or write the history database \(path) (\(detail)): check that its directory exists and is writable, or choose another with --data-dir or ROLLSENSE_DATA_DIR"
        case .diskFull(let path):
            "the disk holding the history database \(path) is full; nothing was recorded by this change: free some space"
        case .unusable(let path, let detail):
            "cannot use the history database \(path): \(detail)"
        case .invalidInterval(let start, let end):
            "a contact interval ends (\(end) us) before it starts (\(start) us)"
        }
    }
}
