import Foundation
import RollSenseSignal

/// The one text rendering of a session's figures: the summary after a live session and the body
/// of `rollsense report`.
enum SummaryText {
    /// `origins` adds the zone limits with where each came from (nil: not shown);
    /// `showsDailyTotal` adds today's total against the limit (live: the ledger's day is known);
    /// `maximumAlertLines` caps the alert list (nil: all kept alerts); `columns` is the
    /// terminal's width to wrap to between words (nil: not a terminal, lines kept whole).
    static func render(
        _ stats: SessionStatistics, title: String, profile: Profile, showsDailyTotal: Bool, maximumAlertLines: Int?,
        recordPath: String? = nil, uncalibrated: Bool = false, columns: Int? = nil,
        origins: LimitOrigins? = nil, bodyMassKilograms: Double? = nil, marksStored: Bool = false
    ) -> String {
        // Label and value pairs, laid out in one column below.
        var rows: [(label: String, value: String)] = []
        rows.append(("Duration", clock(stats.durationSeconds)))
        rows.append(("Contact", clock(stats.contactSeconds)))
        for (area, seconds) in stats.contactSecondsByArea.sorted(by: { $0.key < $1.key }) {
            // Kebab-case, as the person types areas; the column layout keeps a space before the time.
            rows.append(("  on " + Area.respelled(area), clock(seconds)))
        }
        rows.append(("Force", "peak \(format(stats.peakForceNewtons, digits: 0)) N, mean \(format(stats.meanForceNewtons, digits: 0)) N"))
        // "est." as on the live view: the contact area behind a kPa figure is modelled, not measured.
        rows.append(("Pressure", "peak \(format(stats.peakPressureKilopascals, digits: 1)) kPa, mean \(format(stats.meanPressureKilopascals, digits: 1)) kPa (est.)"))
        // Every zone a reading can be in while in contact, in order of severity, 0:00 included:
        // time never spent in caution or stop is worth seeing.
        let zones = Zone.allCases.filter { $0 != .none && $0 != .fault }.map { "\($0.rawValue) \(clock(stats.secondsByZone[$0.rawValue] ?? 0))" }
            + (stats.secondsByZone[Zone.fault.rawValue].map { ["fault \(clock($0))"] } ?? [])
        rows.append(("Time in zones", zones.joined(separator: ", ")))
        // A hold counts once it reaches the first hold limit; the longest one counts whatever its length.
        let limits = profile.limits
        let counted = limits.holdNoticeSeconds > 0 ? limits.holdNoticeSeconds : limits.holdCautionSeconds
        rows.append(("Holds over \(format(counted, digits: 0)) s", "\(stats.holdCount); the longest hold was \(format(stats.longestHoldSeconds, digits: 1)) s"))
        if !stats.positionBands.isEmpty {
            var summary = "\(stats.strokes) strokes, re-placed \(stats.positionReanchors)x"
            if stats.positionUnknownSeconds > 0 { summary += ", position unknown \(format(stats.positionUnknownSeconds, digits: 1)) s" }
            rows.append(("Position", summary + "; from where the first contact began:"))
            let width = stats.bandMillimetres / 10
            for (band, totals) in stats.positionBands.sorted(by: { $0.key < $1.key }) {
                let range = "\(format(Double(band) * width, digits: 0)) to \(format(Double(band + 1) * width, digits: 0)) cm"
                rows.append(("  " + range, "\(clock(totals.seconds)), peak \(format(totals.peakKilopascals, digits: 1)) kPa"))
            }
        }
        if showsDailyTotal {
            rows.append(("Today on \(profile.region.spelling)", "\(clock(stats.dailySeconds)) of \(clock(profile.limits.dailyLimitSeconds))"))
        }
        if stats.boardGoneCount > 0 {
            // Time the measurement was blind: said beside the figures it is missing from.
            rows.append(("Board gone", "\(clock(stats.boardGoneSeconds))\(stats.boardGoneCount > 1 ? " (\(stats.boardGoneCount) times)" : "")"))
        }
        // The limits the session was judged by and where each came from (docs/SAFETY.md).
        if let origins { rows += LimitText.summaryRows(profile.zones, origins: origins, mass: bodyMassKilograms) }
        if !stats.painMarks.isEmpty {
            // A live session's marks are stored and count from the next session on (docs/SAFETY.md).
            rows.append(("Pain marks", "\(stats.painMarks.count)" + (marksStored ? "; they count from your next session" : "")))
        }
        rows.append(("Alerts", "\(stats.alertCount)"))
        if let recordPath { rows.append(("Recorded to", recordPath)) }
        // Values in one column after the longest label; a narrow terminal moves the column left
        // to keep 16 columns for values, and a label too long for it gets a line of its own.
        let labelWidth = rows.map(\.label.count).max()! + 2
        let valueColumn = columns.map { max(12, min(2 + labelWidth, $0 - 16)) } ?? 2 + labelWidth
        var lines = hangingWrap(title, firstPrefix: "", indent: 2, columns: columns) + [""]
        for row in rows {
            let label = "  " + row.label
            if label.count + 2 <= valueColumn {
                lines += hangingWrap(row.value, firstPrefix: label.padding(toLength: valueColumn, withPad: " ", startingAt: 0),
                                     indent: valueColumn, columns: columns)
            } else {
                // The label's own indent (an area under Contact) is kept; the words are wrapped.
                let nested = "  " + row.label.prefix { $0 == " " }
                lines += hangingWrap(row.label, firstPrefix: nested, indent: nested.count + 2, columns: columns)
                lines += hangingWrap(row.value, firstPrefix: String(repeating: " ", count: valueColumn), indent: valueColumn, columns: columns)
            }
            if row.label == "Pain marks" {
                for mark in stats.painMarks {
                    // After a live session (`marksStored`) the mark is in the ledger: say how to take back a stray one.
                    let line = "at \(format(mark.event.forceNewtons, digits: 0)) N, ~\(format(mark.event.pressureKilopascals, digits: 1)) kPa est."
                        + (marksStored ? " (`rollsense limits --marks` lists and removes marks)" : "")
                    lines += hangingWrap(line, firstPrefix: "    \(clock(mark.sessionSeconds))  ", indent: 6, columns: columns)
                }
            }
            if row.label == "Alerts" {
                let shown = maximumAlertLines.map { Array(stats.alerts.prefix($0)) } ?? stats.alerts
                for alert in shown {
                    let prefix = "    \(clock(alert.sessionSeconds))  \(alert.level.padding(toLength: 8, withPad: " ", startingAt: 0))"
                    let indent = columns.map { $0 - prefix.count >= 16 } ?? true ? prefix.count : 6
                    lines += hangingWrap(EventWording.sentence(alert.event, profile: profile), firstPrefix: prefix, indent: indent, columns: columns)
                }
                if stats.alertCount > shown.count { lines.append("    ... and \(stats.alertCount - shown.count) more") }
            }
        }
        if uncalibrated {
            lines += [""] + hangingWrap("No calibration stored for this board: forces were raw counts. Run `rollsense calibrate`.",
                                        firstPrefix: "  ", indent: 2, columns: columns)
        }
        return lines.joined(separator: "\n")
    }
}
