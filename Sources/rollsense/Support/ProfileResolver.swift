import Foundation
import RollSenseSignal

/// Builds the profile a session runs: a built-in name or a JSON file, then the config's
/// overrides, then the tool and area flags; the result is validated.
enum ProfileResolver {
    static func resolve(name: String?, tool: Tool?, area: BodyRegion?, overrides: [String: Any]) throws(CommandFailure) -> Profile {
        let chosen = name ?? (tool == .tennisBall || tool == .lacrosseBall ? Profile.massageBallLowerBack.name : Profile.foamRollerLowerBack.name)
        var profile: Profile
        if let builtIn = Profile.builtIn(named: chosen) {
            profile = builtIn
        } else if FileManager.default.fileExists(atPath: chosen) {
            guard let data = FileManager.default.contents(atPath: chosen) else { throw .usage("Cannot read profile \(chosen): check its permissions.") }
            profile = try decode(data, source: chosen)
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
        do { try profile.validate() } catch {
            throw .usage("Invalid profile value \(error.key): \(error.problem). Fix it in the profile file or config.json profileOverrides.")
        }
        return profile
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
