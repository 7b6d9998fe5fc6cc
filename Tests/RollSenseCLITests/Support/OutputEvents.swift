import RollSenseTestSupport

/// The events of a JSON-lines output.
struct OutputEvent {
    var t: Double
    var kind: String
    var level: String
    var phase: String
    var reason: String
    var message: String
}

func events(in lines: [String]) -> [OutputEvent] {
    lines.compactMap(jsonObject).filter { $0["type"] as? String == "event" }.map {
        OutputEvent(t: $0["t"] as? Double ?? -1, kind: $0["kind"] as? String ?? "", level: $0["level"] as? String ?? "",
                    phase: $0["phase"] as? String ?? "", reason: $0["reason"] as? String ?? "", message: $0["message"] as? String ?? "")
    }
}
