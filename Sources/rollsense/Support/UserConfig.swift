import Foundation
import RollSenseSignal

/// `$XDG_CONFIG_HOME/rollsense/config.json`: the user's defaults; flags override them.
///
/// Keys: `bodyWeightKg` (number), `tool`, `area`, `profile` (strings), `profileOverrides` (an
/// object with any profile keys, e.g. `{"zones": {"stop": 48}}`), `bell` (true/false), `person`
/// (whose pain marks and limits apply; default `default`); cues: `voice`, `tone` (true/false),
/// `voiceRate` (words per minute), `language` (espeak-ng voice), `audioDevice` (ALSA device name).
struct UserConfig {
    var bodyWeightKilograms: Double?
    var tool: Tool?
    var area: BodyRegion?
    var profile: String?
    var profileOverrides: [String: Any] = [:]
    var bell: Bool?
    var person: String?
    var voice: Bool?
    var tone: Bool?
    var voiceRate: Int?
    var language: String?
    var audioDevice: String?
    /// The file these came from (also when it does not exist), for errors and limit origins.
    var path = "config.json"

    static let knownKeys: Set<String> = ["bodyWeightKg", "tool", "area", "profile", "profileOverrides", "bell", "person",
                                         "voice", "tone", "voiceRate", "language", "audioDevice"]

    /// The rollsense folder under `$XDG_CONFIG_HOME` (default `~/.config`).
    static func directory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/rollsense" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/rollsense"
    }

    /// Loads the config file; a missing file is an empty config. Errors name the key.
    static func load(environment: [String: String]) throws(CommandFailure) -> UserConfig {
        let path = directory(environment: environment) + "/config.json"
        guard FileManager.default.fileExists(atPath: path) else { return UserConfig(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .usage("Cannot read \(path): check its permissions.")
        }
        var config = try parse(data, path: path)
        config.path = path
        return config
    }

    static func parse(_ data: Data, path: String) throws(CommandFailure) -> UserConfig {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .usage("\(path) is not valid JSON: fix it or remove it (keys: \(knownKeys.sorted().joined(separator: ", "))).")
        }
        guard let fields = object as? [String: Any] else { throw .usage("\(path) must hold a JSON object.") }
        func bad(_ key: String, _ problem: String) -> CommandFailure {
            .usage("\(path): key \"\(key)\" \(problem).")
        }
        var config = UserConfig()
        for (key, value) in fields {
            switch key {
            case "bodyWeightKg":
                guard let number = value as? Double, BodyWeight.isAcceptable(number) else {
                    throw bad(key, "must be a number of kilograms from \(BodyWeight.rangeText())")
                }
                config.bodyWeightKilograms = number
            case "tool":
                guard let text = value as? String, let tool = Tool(spelling: text) else {
                    throw .usage("\(path): key \"\(key)\": " + OptionValue.unknown("\(value)", Tool.self, what: "a tool"))
                }
                config.tool = tool
            case "area":
                guard let text = value as? String, let area = BodyRegion(spelling: text) else {
                    throw .usage("\(path): key \"\(key)\": " + OptionValue.unknown("\(value)", BodyRegion.self, what: "an area"))
                }
                config.area = area
            case "profile":
                guard let text = value as? String, !text.isEmpty else { throw bad(key, "must be a profile name or a path") }
                // Checked here, not where it is used, so the error names this file and key
                // rather than a --profile flag nobody typed.
                guard ProfileResolver.exists(text) else { throw .usage("\(path): key \"\(key)\": " + ProfileResolver.unknown(text)) }
                config.profile = text
            case "profileOverrides":
                guard let overrides = value as? [String: Any] else { throw bad(key, "must be an object of profile keys") }
                config.profileOverrides = overrides
            case "bell":
                guard let flag = value as? Bool else { throw bad(key, "must be true or false") }
                config.bell = flag
            case "person":
                guard let text = value as? String, PersonalLimitsLoader.isValidPerson(text) else {
                    throw bad(key, "must be a name of 1 to 64 letters, digits, '-' or '_'")
                }
                config.person = text
            case "voice", "tone":
                guard let flag = value as? Bool else { throw bad(key, "must be true or false") }
                if key == "voice" { config.voice = flag } else { config.tone = flag }
            case "voiceRate":
                let range = VoiceSettings.wordsPerMinuteRange
                guard let number = value as? Double, number == number.rounded(), range.contains(Int(exactly: number) ?? -1) else {
                    throw bad(key, "must be a whole number of words per minute from \(range.lowerBound) to \(range.upperBound)")
                }
                config.voiceRate = Int(number)
            case "language", "audioDevice":
                guard let text = value as? String, !text.isEmpty else {
                    throw bad(key, key == "language" ? "must be an espeak-ng voice name such as en" : "must be an ALSA device name such as default")
                }
                if key == "language" { config.language = text } else { config.audioDevice = text }
            default:
                throw bad(key, "is not a setting (known: \(knownKeys.sorted().joined(separator: ", ")))")
            }
        }
        return config
    }
}
