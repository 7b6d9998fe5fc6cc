import RollSenseSignal

/// Values a person types (`--tool`, `--area`, config.json `tool` and `area`) are kebab-case, as
/// Linux tools and the profile names are (`foam-roller`, `lower-back`); the camelCase names the
/// files store (`foamRoller`) are accepted too. A near miss gets the closest value suggested.
enum OptionValue {
    /// `lowerBack` -> `lower-back`.
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

    /// A stored name with its area part (`lowerBack.centre`) in kebab-case for text output.
    static func kebabArea(_ area: String) -> String {
        guard let dot = area.firstIndex(of: ".") else { return kebab(area) }
        return kebab(String(area[..<dot])) + area[dot...]
    }

    /// The case whose kebab-case or camelCase name is `text` (any letter case).
    static func parse<Value: CaseIterable & RawRepresentable>(_ text: String, as type: Value.Type) -> Value? where Value.RawValue == String {
        let typed = text.lowercased()
        return Value.allCases.first { kebab($0.rawValue) == typed || $0.rawValue.lowercased() == typed }
    }

    /// Every value as it should be typed.
    static func names<Value: CaseIterable & RawRepresentable>(_ type: Value.Type) -> [String] where Value.RawValue == String {
        Value.allCases.map { kebab($0.rawValue) }
    }

    /// "'roller' is not a tool; did you mean foam-roller? Use one of ..." for `what` ("a tool").
    static func unknown<Value: CaseIterable & RawRepresentable>(_ text: String, _ type: Value.Type, what: String) -> String where Value.RawValue == String {
        let choices = names(type)
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
