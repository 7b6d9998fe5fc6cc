#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import RollSenseSignal
import RollSenseStore

/// `rollsense history`: contact time per day and body area against the daily limit.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show contact time per day and body area against the daily limit.",
        discussion: """
            Live sessions add their contact time to the history ledger (history.sqlite in the data \
            folder); replays only with `replay --ledger`. Days without contact are not listed.

            With a rotation sensor on the rig, `--bands` lists the time per spot of the back \
            instead: 2 cm bands measured from where each session's first contact began (nothing \
            tells where on the back that was), added up per day. With a ball's motion sensor, \
            `--cells` lists its 2 cm x 2 cm grid the same way.

            Examples:
              rollsense history
              rollsense history --days 30 --json
              rollsense history --bands
              rollsense history --cells --json
            """
    )

    /// The daily limit when no built-in profile covers an area: the source article's 5 minutes.
    static let fallbackDailyLimitSeconds: Double = 300

    @Option(parsing: .unconditional, help: ArgumentHelp("How many days back, today included (1-3660).", valueName: "n"))
    var days: Int = 7

    @Flag(help: "Print one JSON object per day and area (per band with --bands) instead of a table.")
    var json = false

    @Flag(help: "Show time and peak pressure per spot of the back (needs a rotation sensor).")
    var bands = false

    @Flag(help: "Show time and peak pressure per grid cell of the back (needs a ball's motion sensor).")
    var cells = false

    @Option(help: ArgumentHelp("Folder of the history ledger. Default: $ROLLSENSE_DATA_DIR, else $XDG_DATA_HOME/rollsense.", valueName: "path"))
    var dataDir: String?

    func validate() throws {
        guard (1...3660).contains(days) else { throw ValidationError("--days must be 1 to 3660 (got \(days)).") }
        guard !(bands && cells) else { throw ValidationError("--bands and --cells are two views: give one.") }
    }

    func run() throws {
        let directory: String
        do { directory = try DataDirectory.resolve(flag: dataDir, environment: ProcessInfo.processInfo.environment) } catch {
            throw CommandFailure.usage("\(error) Pass --data-dir PATH.")
        }
        // Reading the history never creates it: a mistyped --data-dir is said, not filled with
        // a new empty ledger; the default folder before any session simply has no contact yet.
        var status = stat()
        if stat(directory, &status) != 0 || (status.st_mode & S_IFMT) != S_IFDIR {
            if dataDir != nil {
                throw CommandFailure.usage("--data-dir \(absolutePath(directory)) is not a folder: check the path (live and record create it on their first session).")
            }
            if !json { print(cells ? Self.cellTable([], days: days) : bands ? Self.bandTable([], days: days) : Self.table([], days: days)) }
            return
        }
        let rows: [DailyAreaTotal]
        let bandRows: [DailyBandTotal]
        let cellRows: [DailyBandTotal]
        do {
            let ledger = try HistoryLedger(dataDirectory: directory)
            let today = LocalDay(Date(), in: TimeZone.current)
            rows = try ledger.history(days: days, endingOn: today)
            bandRows = try ledger.bandHistory(days: days, endingOn: today)
            cellRows = try ledger.cellHistory(days: days, endingOn: today)
            try ledger.close()
        } catch {
            throw CommandFailure.data("\(error)")
        }
        if cells {
            if json {
                for row in cellRows {
                    let across = row.acrossFromMillimetres ?? 0
                    say("{\"day\":\(quote(row.day.description)),\"area\":\(quote(row.area)),\"acrossFromMm\":\(number(across, digits: 1)),\"acrossToMm\":\(number(across + row.widthMillimetres, digits: 1)),\"fromMm\":\(number(row.fromMillimetres, digits: 1)),\"toMm\":\(number(row.fromMillimetres + row.widthMillimetres, digits: 1)),\"contactS\":\(number(row.contactSeconds, digits: 3)),\"peakPressureKPa\":\(number(row.peakKilopascals, digits: 3))}")
                }
            } else {
                print(Self.cellTable(cellRows, days: days))
            }
            return
        }
        if bands {
            if json {
                for row in bandRows {
                    say("{\"day\":\(quote(row.day.description)),\"area\":\(quote(row.area)),\"fromMm\":\(number(row.fromMillimetres, digits: 1)),\"toMm\":\(number(row.fromMillimetres + row.widthMillimetres, digits: 1)),\"contactS\":\(number(row.contactSeconds, digits: 3)),\"peakPressureKPa\":\(number(row.peakKilopascals, digits: 3))}")
                }
            } else {
                print(Self.bandTable(bandRows, days: days))
            }
            return
        }
        if json {
            for row in rows {
                let limit = Self.dailyLimitSeconds(area: row.area)
                say("{\"day\":\(quote(row.day.description)),\"area\":\(quote(row.area)),\"contactS\":\(number(row.contactSeconds, digits: 1)),\"dailyLimitS\":\(number(limit, digits: 0)),\"overLimit\":\(row.contactSeconds > limit)}")
            }
            return
        }
        print(Self.table(rows, days: days))
        if !bandRows.isEmpty { print("Time per spot of the back: rollsense history --bands\(cellRows.isEmpty ? "" : " (a ball's grid: --cells)")") }
    }

    /// Per day and area, a row per band: where (cm from each session's first contact), how long, how hard.
    static func bandTable(_ rows: [DailyBandTotal], days: Int) -> String {
        guard !rows.isEmpty else {
            return "No position recorded in the last \(days) day\(days == 1 ? "" : "s"): it needs a rig with a rotation sensor (docs/HARDWARE.md)."
        }
        var lines = ["Spots in cm from where each session's first contact began.",
                     "Day         Area          Spot (cm)      Contact  Peak kPa (est.)"]
        for row in rows {
            let from = row.fromMillimetres / 10, to = (row.fromMillimetres + row.widthMillimetres) / 10
            let spot = "\(number(from, digits: 1)) to \(number(to, digits: 1))"
            lines.append("\(row.day)  \(Area.respelled(row.area).padding(toLength: 12, withPad: " ", startingAt: 0))  \(spot.padding(toLength: 13, withPad: " ", startingAt: 0))  \(pad(clock(row.contactSeconds), 7))  \(pad(number(row.peakKilopascals, digits: 1), 15))")
        }
        return lines.joined(separator: "\n")
    }

    /// Per day and area, a row per grid cell of a ball: across and along (cm from each session's
    /// first contact), how long, how hard.
    static func cellTable(_ rows: [DailyBandTotal], days: Int) -> String {
        guard !rows.isEmpty else {
            return "No ball position recorded in the last \(days) day\(days == 1 ? "" : "s"): it needs a ball rig with a motion sensor (docs/HARDWARE.md)."
        }
        var lines = ["Cells in cm from where each session's first contact began.",
                     "Day         Area          Across (cm)   Along (cm)     Contact  Peak kPa (est.)"]
        for row in rows {
            let across = (row.acrossFromMillimetres ?? 0) / 10, from = row.fromMillimetres / 10, width = row.widthMillimetres / 10
            let x = "\(number(across, digits: 1)) to \(number(across + width, digits: 1))"
            let y = "\(number(from, digits: 1)) to \(number(from + width, digits: 1))"
            lines.append("\(row.day)  \(Area.respelled(row.area).padding(toLength: 12, withPad: " ", startingAt: 0))  \(x.padding(toLength: 12, withPad: " ", startingAt: 0))  \(y.padding(toLength: 13, withPad: " ", startingAt: 0))  \(pad(clock(row.contactSeconds), 7))  \(pad(number(row.peakKilopascals, digits: 1), 15))")
        }
        return lines.joined(separator: "\n")
    }

    /// The daily limit of the built-in profile for `area` (the ledger keeps region names).
    static func dailyLimitSeconds(area: String) -> Double {
        let region = area.split(separator: ".").first.map(String.init) ?? area
        return Profile.builtIn.first { $0.region == BodyRegion(spelling: region) }?.limits.dailyLimitSeconds ?? fallbackDailyLimitSeconds
    }

    /// A table with a bar per row: the share of the daily limit used, `!` past it.
    static func table(_ rows: [DailyAreaTotal], days: Int) -> String {
        guard !rows.isEmpty else { return "No contact recorded in the last \(days) day\(days == 1 ? "" : "s")." }
        let barWidth = 20
        var lines = ["Day         Area          Contact  Limit  Used"]
        for row in rows {
            let limit = dailyLimitSeconds(area: row.area)
            let share = row.contactSeconds / limit
            let filled = min(barWidth, Int((share * Double(barWidth)).rounded(.down)))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
            let over = share > 1 ? "  over the limit" : ""
            lines.append("\(row.day)  \(Area.respelled(row.area).padding(toLength: 12, withPad: " ", startingAt: 0))  \(pad(clock(row.contactSeconds), 7))  \(pad(clock(limit), 5))  [\(bar)] \(Int((share * 100).rounded()))%\(over)")
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
