import ArgumentParser
import RollSenseSignal

/// Values a person types (`--tool`, `--area`, config.json `tool` and `area`) are spelled as every
/// output spells them (`foam-roller`, `lower-back`; `Spelled` in RollSenseSignal); the camelCase
/// names older files store (`foamRoller`) are accepted too. A near miss gets the closest value
/// suggested.
enum OptionValue {
    /// `lowerBack` -> `lower-back`: how a near miss is compared with the choices.
    static func kebab(_ camel: String) -> String {
        var result = ""
        for character in camel {
            if character.isUppercase {
                if !result.isEmpty { result.append("-") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Checks `--tool` and `--area` as typed, for every command that takes them; a bad one is a
    /// usage error with the nearest value suggested.
    static func validate(tool: String?, area: String?) throws {
        if let area, BodyRegion(spelling: area) == nil {
            throw ValidationError("--area " + unknown(area, BodyRegion.self, what: "an area"))
        }
        if let tool, Tool(spelling: tool) == nil {
            throw ValidationError("--tool " + unknown(tool, Tool.self, what: "a tool"))
        }
    }

    /// `--tool`'s help: what it takes, in the spelling to type.
    static let toolHelp = "Tool: \(Tool.spellings.joined(separator: ", "))."
    /// `--area`'s help: what it takes, in the spelling to type.
    static let areaHelp = "Body area: \(BodyRegion.spellings.joined(separator: ", "))."

    /// "'roller' is not a tool; did you mean foam-roller? Use one of ..." for `what` ("a tool").
    static func unknown<Value: Spelled>(_ text: String, _ type: Value.Type, what: String) -> String {
        let choices = Value.spellings
        let hint = closest(to: text, among: choices).map { " Did you mean \($0)?" } ?? ""
        return "'\(text)' is not \(what).\(hint) Use one of \(choices.joined(separator: ", "))."
    }

    /// The choice nearest to `text`: one that contains it (or is contained) first, else the one
    /// within a few edits; nil when nothing is close.
    static func closest(to text: String, among choices: [String]) -> String? {
        let typed = kebab(text).lowercased()
        guard !typed.isEmpty else { return nil }
        let scored = choices.map { ($0, editDistance(typed, $0)) }
        let containing = scored.filter { $0.0.contains(typed) || typed.contains($0.0) }
        if let best = containing.min(by: { $0.1 < $1.1 }) { return best.0 }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, typed.count / 3) else { return nil }
        return best.0
    }

    /// Levenshtein distance (insertions, deletions, substitutions).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
