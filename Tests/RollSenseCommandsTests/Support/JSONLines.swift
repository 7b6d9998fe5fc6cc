import RollSenseTestSupport

/// The lines of a JSON-lines output of one type, as printed.
func lines(ofType type: String, in lines: [String]) -> [String] {
    lines.filter { jsonObject($0)?["type"] as? String == type }
}
