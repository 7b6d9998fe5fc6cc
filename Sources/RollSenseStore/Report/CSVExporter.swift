import Foundation

import RollSenseSignal
import RollSenseWire

/// One CSV row per sample for spreadsheets and pandas: time, raw value per channel, force,
/// pressure, zone (as the alarms hold it), zone now (the load's, as a display shows it),
/// contact, area; with a rotation sensor also the angle, the position along the back, its band,
/// whether the tool is still and the drift bound; with a ball's motion sensor the x/y counts
/// instead of the angle, and the position across the back and its grid column. Comma separated,
/// `.` decimals, a header row, RFC 4180 quoting (only the area name could ever need it).
public struct CSVExporter: Sendable {
    /// Channels in the raw columns (the device's channel count).
    public let channelCount: Int
    /// Whether the position columns are written (the session tracks position).
    public let hasPosition: Bool
    /// Whether they are a ball's 2-D ones.
    public let hasGrid: Bool

    /// An exporter for `channelCount` raw channels (1-4), with the position columns or not, and
    /// with a ball's 2-D columns or a roller's.
    public init(channelCount: Int, hasPosition: Bool = false, hasGrid: Bool = false) {
        self.channelCount = min(max(channelCount, 1), 4)
        self.hasPosition = hasPosition || hasGrid
        self.hasGrid = hasGrid
    }

    /// The columns after the raw values in every export, in order (`export --help` lists them).
    public static let readingColumns = ["force_n", "pressure_kpa", "zone", "zone_now", "contact", "area"]

    /// The header row.
    public var header: String {
        (["time_s"] + (0..<channelCount).map { "raw_\($0)" } + Self.readingColumns
            + (hasGrid ? ["motion_x_counts", "motion_y_counts", "position_mm", "band", "across_mm", "column", "still", "drift_bound_mm"]
               : hasPosition ? ["angle_counts", "position_mm", "band", "still", "drift_bound_mm"] : []))
            .joined(separator: ",")
    }

    /// The row for a sample and the reading the pipeline made of it; `sessionSeconds` is device
    /// time since the session's first sample.
    public func row(sample: Sample, reading: Reading, sessionSeconds: Double) -> String {
        var fields = [Self.decimal(sessionSeconds, digits: 6)]
        for channel in 0..<channelCount {
            let raw = channel < sample.channelCount ? sample.values[channel] : .nan
            fields.append(raw == raw.rounded() ? Self.decimal(raw, digits: 0) : Self.decimal(raw, digits: 6))
        }
        fields.append(Self.decimal(reading.forceNewtons, digits: 3))
        fields.append(Self.decimal(reading.pressureKilopascals, digits: 3))
        fields.append(reading.zone.rawValue)
        fields.append(reading.currentZone.rawValue)
        fields.append(reading.contact ? "1" : "0")
        fields.append(Self.quoted(reading.area.name))
        if hasPosition {
            // Empty cells where there is none: no angle this sample, or no position (lifted).
            let position = reading.position
            if hasGrid {
                // The ball rig's extra channels are its x and y, in that order (docs/PROTOCOL.md).
                fields.append(sample.extras.motionCounts(0).map(String.init) ?? "")
                fields.append(sample.extras.motionCounts(1).map(String.init) ?? "")
            } else {
                let angle = (0..<sample.extras.count).lazy.compactMap { sample.extras.reading($0) }.first
                fields.append(angle.map(String.init) ?? "")
            }
            fields.append(position?.millimetres.map { Self.decimal($0, digits: 1) } ?? "")
            fields.append(position?.band.map(String.init) ?? "")
            if hasGrid {
                fields.append(position?.acrossMillimetres.map { Self.decimal($0, digits: 1) } ?? "")
                fields.append(position?.column.map(String.init) ?? "")
            }
            fields.append(position?.millimetres == nil ? "" : (position!.isStill ? "1" : "0"))
            fields.append(position?.millimetres == nil ? "" : Self.decimal(position!.driftBoundMillimetres, digits: 1))
        }
        return fields.joined(separator: ",")
    }

    /// A number with fixed decimals; empty for NaN or infinity (an empty CSV cell).
    static func decimal(_ value: Double, digits: Int) -> String {
        fixedDecimal(value, digits: digits) ?? ""
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
