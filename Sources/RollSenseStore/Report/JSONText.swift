import RollSenseSignal

/// JSON written by hand with fixed decimals, so the same session always gives the same bytes:
/// the CLI's JSON lines, `export --events` and the live page all build their text here.
public enum JSONText {
    /// `text` as a JSON string literal: quote, backslash and the control characters escaped
    /// (the short forms for `\n`, `\r`, `\t`, `\u00XX` for the rest), everything else as is.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// One JSON line for an event: `live --json`, `replay --json` and `export --events` all
    /// write this line; `message` is the event's sentence for people.
    public static func eventLine(_ event: SignalEvent, sessionSeconds: Double, message: String) -> String {
        let phase = event.phase == .instant ? "instant" : event.phase.rawValue
        return "{\"type\":\"event\",\"t\":\(fixedDecimal(sessionSeconds, digits: 3) ?? "null"),\"kind\":\"\(event.kind.rawValue)\",\"level\":\"\(event.level.rawValue)\",\"phase\":\"\(phase)\",\"reason\":\"\(event.reason.rawValue)\",\"message\":\(string(message)),\"zone\":\"\(event.zone.rawValue)\",\"area\":\(string(event.area.name))\(painMarkFields(event))}"
    }

    /// A pain mark's force and estimated pressure, which the person (and an export) reads back.
    private static func painMarkFields(_ event: SignalEvent) -> String {
        guard event.reason == .painMark else { return "" }
        return ",\"forceN\":\(fixedDecimal(event.forceNewtons, digits: 1) ?? "null"),\"pressureKPa\":\(fixedDecimal(event.pressureKilopascals, digits: 1) ?? "null")"
    }
}

/// `value` with exactly `digits` decimals (0-15), by integer arithmetic so it never depends on
/// a locale or a formatter; nil for NaN or infinity, which each caller writes its own way (an
/// empty CSV cell, JSON `null`, a dash on screen). Beyond 2^53 units the decimals would be
/// noise and the integer could overflow, so such a value is written in Swift's shortest form.
public func fixedDecimal(_ value: Double, digits: Int) -> String? {
    guard value.isFinite else { return nil }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return String(value) }
    let units = Int64(scaled)
    let whole = units / Int64(scale), fraction = units % Int64(scale)
    let sign = value < 0 && units > 0 ? "-" : ""
    guard digits > 0 else { return sign + String(whole) }
    let fractionText = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
}
