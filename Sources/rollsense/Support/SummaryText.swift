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
        var lines = [title, ""]
        lines.append("  Duration          \(clock(stats.durationSeconds))")
        lines.append("  Contact           \(clock(stats.contactSeconds))")
        for (area, seconds) in stats.contactSecondsByArea.sorted(by: { $0.key < $1.key }) {
            // Aligned with the figures above; a longer name (`lower-back.centre`) still gets a space.
            // Kebab-case, as the person types areas.
            let name = OptionValue.kebabArea(area)
            lines.append("    \(name.padding(toLength: max(16, name.count + 1), withPad: " ", startingAt: 0))\(clock(seconds))")
        }
        lines.append("  Force             peak \(format(stats.peakForceNewtons, digits: 0)) N, mean \(format(stats.meanForceNewtons, digits: 0)) N")
        lines.append("  Pressure          peak \(format(stats.peakPressureKilopascals, digits: 1)) kPa, mean \(format(stats.meanPressureKilopascals, digits: 1)) kPa")
        // Every zone a reading can be in while in contact, in the profile's order of severity.
        let zones = Zone.allCases.filter { $0 != .none }.compactMap { zone in
            stats.secondsByZone[zone.rawValue].map { "\(zone.rawValue) \(clock($0))" }
        }
        lines.append("  Time in zones     " + (zones.isEmpty ? "-" : zones.joined(separator: ", ")))
        lines.append("  Holds             \(stats.holdCount), longest \(format(stats.longestHoldSeconds, digits: 1)) s")
        if !stats.positionBands.isEmpty {
            var summary = "\(stats.strokes) strokes, re-placed \(stats.positionReanchors)x"
            if stats.positionUnknownSeconds > 0 { summary += ", position unknown \(format(stats.positionUnknownSeconds, digits: 1)) s" }
            lines.append("  Position          \(summary); from where the first contact began:")
            let width = stats.bandMillimetres / 10
            for (band, totals) in stats.positionBands.sorted(by: { $0.key < $1.key }) {
                let range = "\(format(Double(band) * width, digits: 0)) to \(format(Double(band + 1) * width, digits: 0)) cm"
                lines.append("    \(range.padding(toLength: 16, withPad: " ", startingAt: 0))\(clock(totals.seconds)), peak \(format(totals.peakKilopascals, digits: 1)) kPa")
            }
        }
        if showsDailyTotal {
            let region = LiveViewState.regionName(profile.region)
            lines.append("  Today on \(region)  \(clock(stats.dailySeconds)) of \(clock(profile.limits.dailyLimitSeconds))")
        }
        lines.append("  Alerts            \(stats.alertCount)")
        let shown = maximumAlertLines.map { Array(stats.alerts.prefix($0)) } ?? stats.alerts
        for alert in shown {
            lines.append("    \(clock(alert.sessionSeconds))  \(alert.level.padding(toLength: 8, withPad: " ", startingAt: 0))\(EventWording.sentence(alert.event))")
        }
        if stats.alertCount > shown.count { lines.append("    ... and \(stats.alertCount - shown.count) more") }
        if let recordPath { lines.append("  Recorded to       \(recordPath)") }
        if uncalibrated { lines.append(contentsOf: ["", "  No calibration stored for this board: forces were raw counts. Run `rollsense calibrate`."]) }
        return lines.joined(separator: "\n")
    }
}
