import Foundation
import RollSenseSignal
import RollSenseWire

/// Zone limits with where each came from, in words and JSON: one wording for `limits`, the live
/// view, the summary and `report` (docs/SAFETY.md: every limit shows its origin).
enum LimitText {
    /// A date as the person reads it in a list of marks: `2026-12-07 14:03` (local time).
    static func day(_ unixSeconds: Double, minutes: Bool = false) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = minutes ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: unixSeconds))
    }

    /// Where a limit came from, in words.
    static func origin(_ origin: LimitOrigin) -> String {
        switch origin {
        case .builtIn(let name): return "built-in profile \(name)"
        case .profileFile(let path): return "profile file \(path)"
        case .config(let path): return "\(path) (profileOverrides)"
        case .recording(let path): return "the profile recorded in \(path)"
        case .painMarks(let count, let median, let dates, let floorApplied):
            let days = dates.map { day($0) }
            var text = "your pain marks: \(number(PersonalLimits.markFraction, digits: 1)) x median \(number(median, digits: 0)) N of \(count) (\(days.joined(separator: ", ")))"
            if floorApplied {
                text += "; held at the floor, \(Int(PersonalLimits.stopFloorFraction * 100)) % of the profile's stop"
            }
            return text
        }
    }

    /// Where a limit came from, as a JSON object: `{"source":"config","path":...}`.
    static func originJSON(_ origin: LimitOrigin) -> String {
        switch origin {
        case .builtIn(let name): return "{\"source\":\"builtIn\",\"profile\":\(quote(name))}"
        case .profileFile(let path): return "{\"source\":\"profileFile\",\"path\":\(quote(path))}"
        case .config(let path): return "{\"source\":\"config\",\"path\":\(quote(path)),\"key\":\"profileOverrides\"}"
        case .recording(let path): return "{\"source\":\"recording\",\"path\":\(quote(path))}"
        case .painMarks(let count, let median, let dates, let floorApplied):
            let days = dates.map { quote(day($0, minutes: true)) }.joined(separator: ",")
            return "{\"source\":\"painMarks\",\"count\":\(count),\"medianN\":\(number(median, digits: 1)),\"dates\":[\(days)],\"floorApplied\":\(floorApplied)}"
        }
    }

    /// A zone limit in its unit, with newtons beside it when the unit is not newtons.
    static func value(_ value: Double, unit: ThresholdUnit, mass: Double?) -> String {
        switch unit {
        case .newtons: return "\(number(value, digits: 0)) N"
        case .kilopascals: return "\(number(value, digits: 0)) kPa (estimate)"
        case .percentBodyWeight:
            guard let mass else { return "\(number(value, digits: 0)) % body weight" }
            return "\(number(value, digits: 0)) % body weight (\(number(value / 100 * mass * standardGravityMetresPerSecondSquared, digits: 0)) N)"
        }
    }

    /// The three limits, one line each, with their origins: `stop 65 % body weight (478 N)  built-in ...`.
    static func lines(_ zones: ZoneProfile, origins: LimitOrigins, mass: Double?, indent: String = "  ") -> [String] {
        [("target", zones.target, origins.target), ("caution", zones.caution, origins.caution), ("stop", zones.stop, origins.stop)].map { name, limit, origin in
            indent + name.padding(toLength: 8, withPad: " ", startingAt: 0)
                + value(limit, unit: zones.unit, mass: mass).padding(toLength: 34, withPad: " ", startingAt: 0) + " " + self.origin(origin)
        }
    }

    /// One short line for the top of the live view: `stop 65 % (478 N): built-in profile`.
    static func headline(_ zones: ZoneProfile, origins: LimitOrigins, mass: Double?) -> String {
        let short: String
        switch origins.stop {
        case .builtIn: short = "built-in profile"
        case .profileFile(let path): short = "profile file " + (path as NSString).lastPathComponent
        case .config: short = "config.json"
        case .recording: short = "the recording"
        case .painMarks(let count, _, let dates, let floorApplied):
            short = "\(count) pain mark\(count == 1 ? "" : "s") since \(dates.last.map { day($0) } ?? "")" + (floorApplied ? ", at the floor" : "")
        }
        return "stop \(value(zones.stop, unit: zones.unit, mass: mass)): \(short)"
    }

    /// The summary's rows: the limits with where they came from, one row when they share an origin.
    static func summaryRows(_ zones: ZoneProfile, origins: LimitOrigins, mass: Double?) -> [(label: String, value: String)] {
        let limits = [("stop", zones.stop, origins.stop), ("caution", zones.caution, origins.caution), ("target", zones.target, origins.target)]
        if origins.target == origins.stop && origins.caution == origins.stop {
            return [("Limits", limits.map { "\($0.0) \(value($0.1, unit: zones.unit, mass: mass))" }.joined(separator: ", ") + ", from " + origin(origins.stop))]
        }
        return limits.map { name, limit, from in ("Limit \(name)", "\(value(limit, unit: zones.unit, mass: mass)), from \(origin(from))") }
    }

    /// Whether every limit is the built-in profile's (the live summary then need not repeat them).
    static func allBuiltIn(_ origins: LimitOrigins) -> Bool {
        [origins.target, origins.caution, origins.stop].allSatisfy { if case .builtIn = $0 { true } else { false } }
    }

    /// A session's pain marks as a JSON array: `[{"t":42.1,"forceN":174.0,"pressureKPa":29.1}]`.
    static func painMarksJSON(_ stats: SessionStatistics) -> String {
        "[" + stats.painMarks.map {
            "{\"t\":\(number($0.sessionSeconds, digits: 3)),\"forceN\":\(number($0.event.forceNewtons, digits: 1)),\"pressureKPa\":\(number($0.event.pressureKilopascals, digits: 1))}"
        }.joined(separator: ",") + "]"
    }

    /// The limits as JSON fields: `"target":{"value":..,"origin":{..}},...`.
    static func json(_ zones: ZoneProfile, origins: LimitOrigins) -> String {
        func entry(_ value: Double, _ origin: LimitOrigin) -> String {
            let source: String
            switch origin {
            case .builtIn, .profileFile: source = "profile"
            case .config: source = "config"
            case .recording: source = "recording"
            case .painMarks: source = "painMarks"
            }
            return "{\"value\":\(number(value, digits: 2)),\"source\":\(quote(source)),\"origin\":\(originJSON(origin))}"
        }
        return "\"unit\":\(quote(zones.unit.rawValue)),\"target\":\(entry(zones.target, origins.target)),\"caution\":\(entry(zones.caution, origins.caution)),\"stop\":\(entry(zones.stop, origins.stop))"
    }
}
