/// Which labelled values of a sketch's text lines became the channels (docs/PROTOCOL.md,
/// "Sketch text"), so a view can name what it shows.
public struct TextChannels: Sendable, Hashable {
    /// Each channel's label as the sketch prints it (may be empty).
    public var labels: [String]
    /// The unit the values carry, nil for raw counts that need a calibration.
    public var unit: ForceUnit?

    /// Makes a description.
    public init(labels: [String], unit: ForceUnit?) {
        self.labels = labels
        self.unit = unit
    }

    /// One short phrase: `"HX711 reading" (raw counts)`, `"Reading" (lb)`.
    public var summary: String {
        let names = labels.map { $0.isEmpty ? "unlabelled value" : "\"\($0)\"" }.joined(separator: " + ")
        return "\(names) (\(unit.map(\.symbol) ?? "raw counts"))"
    }
}
