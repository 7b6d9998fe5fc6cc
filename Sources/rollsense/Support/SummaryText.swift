import Foundation
import RollSenseSignal

/// The one text rendering of a session's figures: the summary after a live session and the body
/// of `rollsense report`.
enum SummaryText {
    /// `showsDailyTotal` adds today's total against the limit (live: the ledger's day is known);
    /// `maximumAlertLines` caps the alert list (nil: all kept alerts).
    static func render(
        _ stats: SessionStatistics, title: String, profile: Profile, showsDailyTotal: Bool, maximumAlertLines: Int?,
        recordPath: String? = nil, uncalibrated: Bool = false
    ) -> String {
        // Label and value pairs, laid out in one column below.
        var rows: [(label: String, value: String)] = []
        rows.append(("Duration", clock(stats.durationSeconds)))
        rows.append(("Contact", clock(stats.contactSeconds)))
        for (area, seconds) in stats.contactSecondsByArea.sorted(by: { $0.key < $1.key }) {
            // Kebab-case, as the person types areas; the column layout keeps a space before the time.
            rows.append(("  on " + OptionValue.kebabArea(area), clock(seconds)))
        }
        rows.append(("Force", "peak \(format(stats.peakForceNewtons, digits: 0)) N, mean \(format(stats.meanForceNewtons, digits: 0)) N"))
        rows.append(("Pressure", "peak \(format(stats.peakPressureKilopascals, digits: 1)) kPa, mean \(format(stats.meanPressureKilopascals, digits: 1)) kPa"))
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
            rows.append(("Today on \(OptionValue.kebab(profile.region.rawValue))", "\(clock(stats.dailySeconds)) of \(clock(profile.limits.dailyLimitSeconds))"))
        }
        rows.append(("Alerts", "\(stats.alertCount)"))
        if let recordPath { rows.append(("Recorded to", recordPath)) }
        let labelWidth = rows.map(\.label.count).max()! + 2
        var lines = [title, ""]
        for row in rows {
            lines.append("  " + row.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + row.value)
            if row.label == "Alerts" {
                let shown = maximumAlertLines.map { Array(stats.alerts.prefix($0)) } ?? stats.alerts
                for alert in shown {
                    lines.append("    \(clock(alert.sessionSeconds))  \(alert.level.padding(toLength: 8, withPad: " ", startingAt: 0))\(EventWording.sentence(alert.event, profile: profile))")
                }
                if stats.alertCount > shown.count { lines.append("    ... and \(stats.alertCount - shown.count) more") }
            }
        }
        if uncalibrated { lines.append(contentsOf: ["", "  No calibration stored for this board: forces were raw counts. Run `rollsense calibrate`."]) }
        return lines.joined(separator: "\n")
    }
}
