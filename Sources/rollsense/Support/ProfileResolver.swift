import Foundation
import RollSenseSignal

/// A profile and where each of its zone limits came from.
struct ResolvedProfile {
    var profile: Profile
    var origins: LimitOrigins
    /// Where the profile itself came from (a built-in or a file).
    var baseOrigin: LimitOrigin
    /// Dotted keys config.json's `profileOverrides` set.
    var overriddenKeys: Set<String> = []
    var configPath = "config.json"

    /// Where any profile key's value came from.
    func origin(of key: String) -> LimitOrigin {
        overriddenKeys.contains(key) ? .config(path: configPath) : baseOrigin
    }
}

/// Builds the profile a session runs: a built-in name or a JSON file, then the config's
/// overrides, then the tool and area flags; the result is validated, its stop against
/// `Profile.stopCeiling(bodyMassKilograms:)`, and errors name the file and key that set the value.
enum ProfileResolver {
    /// `bodyWeightKilograms` is the one given (flag or config); zones in percent of body weight
    /// without one are checked at the assumed mass, as the session will run them.
    static func resolve(name: String?, tool: Tool?, area: BodyRegion?, overrides: [String: Any], configPath: String,
                                   bodyWeightKilograms: Double?) throws(CommandFailure) -> ResolvedProfile {
        let chosen = name ?? (tool == .tennisBall || tool == .lacrosseBall ? Profile.massageBallLowerBack.name : Profile.foamRollerLowerBack.name)
        var profile: Profile
        let baseOrigin: LimitOrigin
        if let builtIn = Profile.builtIn(named: chosen) {
            profile = builtIn
            baseOrigin = .builtIn(profile: builtIn.name)
        } else if FileManager.default.fileExists(atPath: chosen) {
            guard let data = FileManager.default.contents(atPath: chosen) else { throw .usage("Cannot read profile \(chosen): check its permissions.") }
            profile = try decode(data, source: chosen)
            baseOrigin = .profileFile(path: absolutePath(chosen))
        } else {
            throw .usage("--profile " + unknown(chosen))
        }
        if !overrides.isEmpty {
            do {
                var base = try JSONSerialization.jsonObject(with: JSONEncoder().encode(profile)) as? [String: Any] ?? [:]
                try merge(overrides, into: &base, path: "profileOverrides")
                profile = try decode(JSONSerialization.data(withJSONObject: base), source: "config.json profileOverrides")
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw .usage("config.json profileOverrides could not be applied: \(error).")
            }
        }
        if let tool { profile.tool = tool }
        if let area { profile.region = area }
        let overridden = Set(keyPaths(overrides))
        func origin(_ key: String) -> LimitOrigin { overridden.contains(key) ? .config(path: configPath) : baseOrigin }
        let mass = PersonalLimitsLoader.bodyMass(given: bodyWeightKilograms, profile: profile).kilograms
        do { try profile.validate(bodyMassKilograms: mass) } catch {
            switch origin(error.key) {
            case .config(let path):
                throw .usage("\(path): profileOverrides key \"\(error.key)\" \(error.problem). Fix it there.")
            case .profileFile(let path):
                throw .usage("\(path): key \"\(error.key)\" \(error.problem). Fix it in that file.")
            default:
                let with = [tool.map { "--tool \($0.rawValue)" }, mass.map { "\(Int($0.rounded())) kg" }].compactMap { $0 }.joined(separator: ", ")
                throw .usage("Built-in profile \(profile.name) (\(with)): key \"\(error.key)\" \(error.problem). Choose a profile for this tool, or set a lower \(error.key) in config.json profileOverrides.")
            }
        }
        return ResolvedProfile(profile: profile, origins: LimitOrigins(target: origin("zones.target"), caution: origin("zones.caution"), stop: origin("zones.stop")),
                               baseOrigin: baseOrigin, overriddenKeys: overridden, configPath: configPath)
    }

    /// Every leaf key an override sets, dotted (`zones.stop`).
    private static func keyPaths(_ object: [String: Any], prefix: String = "") -> [String] {
        object.flatMap { key, value in
            (value as? [String: Any]).map { keyPaths($0, prefix: prefix + key + ".") } ?? [prefix + key]
        }
    }

    /// Whether `name` is a built-in profile or an existing file.
    static func exists(_ name: String) -> Bool {
        Profile.builtIn(named: name) != nil || FileManager.default.fileExists(atPath: name)
    }

    /// "'x' is neither a built-in profile (...) nor a file", with the nearest built-in name.
    static func unknown(_ name: String) -> String {
        let names = Profile.builtIn.map(\.name)
        let hint = OptionValue.closest(to: name, among: names).map { " Did you mean \($0)?" } ?? ""
        return "'\(name)' is neither a built-in profile (\(names.joined(separator: ", "))) nor a file.\(hint)"
    }

    private static func merge(_ overrides: [String: Any], into base: inout [String: Any], path: String) throws {
        for (key, value) in overrides {
            guard let existing = base[key] else {
                throw CommandFailure.usage("config.json: key \"\(path).\(key)\" is not a profile key.")
            }
            if let nested = value as? [String: Any], var inner = existing as? [String: Any] {
                try merge(nested, into: &inner, path: path + "." + key)
                base[key] = inner
            } else {
                base[key] = value
            }
        }
    }

    private static func decode(_ data: Data, source: String) throws(CommandFailure) -> Profile {
        do {
            return try JSONDecoder().decode(Profile.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .usage("\(source): key \"\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))\" is missing.")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .usage("\(source): key \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type.")
        } catch let DecodingError.dataCorrupted(context) {
            throw .usage("\(source): key \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has a bad value.")
        } catch {
            throw .usage("\(source) is not a valid profile: \(error).")
        }
    }
}
