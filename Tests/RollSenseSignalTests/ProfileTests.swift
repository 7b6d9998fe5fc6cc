import Foundation
import Testing
@testable import RollSenseSignal

@Suite struct ProfileTests {
    static let profilesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Profiles")

    @Test(arguments: Profile.builtIn)
    func jsonFileIsTheBuiltInValue(profile: Profile) throws {
        let url = Self.profilesDirectory.appendingPathComponent("\(profile.name).json")
        let decoded = try JSONDecoder().decode(Profile.self, from: Data(contentsOf: url))
        #expect(decoded == profile)
    }

    @Test func everyProfileFileIsABuiltIn() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.profilesDirectory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(files == Profile.builtIn.map { "\($0.name).json" }.sorted())
    }

    @Test(arguments: Profile.builtIn)
    func builtInsAreValidAndRoundTrip(profile: Profile) throws {
        try profile.validate()
        let data = try JSONEncoder().encode(profile)
        #expect(try JSONDecoder().decode(Profile.self, from: data) == profile)
        #expect(Profile.builtIn(named: profile.name) == profile)
    }

    func problem(_ change: (inout Profile) -> Void) -> String? {
        var profile = Profile.foamRollerLowerBack
        change(&profile)
        do {
            try profile.validate()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func errorsNameTheKeyAndTheProblem() {
        #expect(problem { $0.zones.caution = 5 } == "zones.caution: must be above zones.target (5.0 <= 10.0)")
        #expect(problem { $0.zones.stop = 44 } == "zones.stop: must be above zones.caution (44.0 <= 50.0)")
        #expect(problem { $0.contact.offNewtons = 30 } == "contact.offNewtons: must be below contact.onNewtons (30.0 >= 20.0)")
        #expect(problem { $0.filter.medianLength = 4 } == "filter.medianLength: must be 1, 3 or 5 (got 4)")
        #expect(problem { $0.filter.minCutoffHertz = -1 } == "filter.minCutoffHertz: must be a number above 0 and at most 1000 (got -1.0)")
        #expect(problem { $0.limits.dailyWarningSeconds = 400 }
            == "limits.dailyWarningSeconds: must be below limits.dailyLimitSeconds (400.0 >= 300.0)")
        #expect(problem { $0.tool = .custom } == "customContactAreaSquareCentimetres: must be a number above 0 and at most 10000 (got 0.0)")
        #expect(problem { $0.spine.channelPositionsMillimetres = [0, .nan] } == "spine.channelPositionsMillimetres[1]: must be a number from -10000 to 10000 (got nan)")
        #expect(problem { $0.zones.deadband = 30 } == "zones.deadband: must be smaller than the gap between two zone thresholds")
        #expect(problem { $0.name = "" } == "name: must not be empty")
        #expect(problem { $0.limits.dailyLimitSeconds = 1e13 } == "limits.dailyLimitSeconds: must be a number above 0 and at most 86400 (got 10000000000000.0)")
    }

    @Test func percentOfBodyWeightAssumes75KilogramsWithoutABodyMassAndRefusesABadOne() throws {
        let zones = Profile.foamRollerLowerBack.zones
        #expect(zones.classifierUnitsPerProfileUnit(bodyMassKilograms: nil) == 75 * 9.80665 / 100)
        #expect(zones.classifierUnitsPerProfileUnit(bodyMassKilograms: 100) == 100 * 9.80665 / 100)
        #expect(throws: ProfileError(key: "zones.unit", problem: "percentBodyWeight needs the user's body mass in kilograms")) {
            try SignalPipeline(profile: .foamRollerLowerBack, bodyMassKilograms: -1)
        }
    }

    @Test func unknownEnumValueFailsToDecode() throws {
        let url = Self.profilesDirectory.appendingPathComponent("foam-roller-lower-back.json")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"foam-roller\"", with: "\"yogaBlock\"")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Profile.self, from: Data(text.utf8)) }
    }

    /// Issue 25: profiles are written in the spelling a person types (`foam-roller`,
    /// `lower-back`); files and captures with the older camelCase read the same.
    @Test func theOldCamelCaseSpellingReadsAndTheTypedOneIsWritten() throws {
        let url = Self.profilesDirectory.appendingPathComponent("foam-roller-lower-back.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"foam-roller\"") && text.contains("\"lower-back\""))
        let old = text.replacingOccurrences(of: "\"foam-roller\"", with: "\"foamRoller\"")
            .replacingOccurrences(of: "\"lower-back\"", with: "\"lowerBack\"")
        let profile = try JSONDecoder().decode(Profile.self, from: Data(old.utf8))
        #expect(profile.tool == .foamRoller && profile.region == .lowerBack)
        let written = try #require(String(data: JSONEncoder().encode(profile), encoding: .utf8))
        #expect(written.contains("\"tool\":\"foam-roller\"") && written.contains("\"region\":\"lower-back\""), "\(written)")
        #expect(Tool(spelling: "Tennis-Ball") == .tennisBall && BodyRegion(spelling: "upperBack") == .upperBack)
        #expect(Tool(spelling: "foam roller") == nil)
    }

    /// Every number in a profile, as a dotted key path (`limits.dailyLimitSeconds`,
    /// `spine.channelPositionsMillimetres[0]`), found by walking the encoded JSON.
    static func numericKeys(_ value: Any, prefix: String = "") -> [String] {
        if let object = value as? [String: Any] {
            return object.keys.sorted().flatMap { numericKeys(object[$0]!, prefix: prefix.isEmpty ? $0 : prefix + "." + $0) }
        }
        if let array = value as? [Any] {
            return array.indices.flatMap { numericKeys(array[$0], prefix: prefix + "[\($0)]") }
        }
        if type(of: value) == Bool.self || prefix.hasSuffix(".enabled") { return [] }
        if value is NSNumber || value is Double || value is Int { return [prefix] }
        return []
    }

    static func setting(_ key: String, to newValue: Double, in value: Any) -> Any {
        guard let first = key.split(separator: ".", maxSplits: 1).first.map(String.init) else { return value }
        let rest = key.count > first.count ? String(key.dropFirst(first.count + 1)) : ""
        if let bracket = first.firstIndex(of: "["), var array = (value as? [String: Any])?[String(first[..<bracket])] as? [Any] {
            let index = Int(first[first.index(after: bracket)..<first.index(before: first.endIndex)])!
            array[index] = newValue
            var object = value as! [String: Any]
            object[String(first[..<bracket])] = array
            return object
        }
        guard var object = value as? [String: Any] else { return value }
        object[first] = rest.isEmpty ? newValue : setting(rest, to: newValue, in: object[first]!)
        return object
    }

    /// Issue 17: `limits.dailyLimitSeconds: 1e13` validated and then trapped converting to
    /// microseconds. Every number of every built-in profile, set huge, is refused naming its key.
    @Test(arguments: Profile.builtIn)
    func everyNumericKeyHasARangeNamedInItsError(profile: Profile) throws {
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(profile))
        let keys = Self.numericKeys(encoded)
        #expect(keys.count > 30)
        for key in keys {
            for huge in [1e13, -1e13, 1e300] {
                let changed = Self.setting(key, to: huge, in: encoded)
                let data = try JSONSerialization.data(withJSONObject: changed)
                // Integers (filter.medianLength) too large for Int are refused by the decoder.
                guard let decoded = try? JSONDecoder().decode(Profile.self, from: data) else { continue }
                #expect(throws: ProfileError.self, "\(key) = \(huge)") { try decoded.validate() }
                do { try decoded.validate() } catch { #expect(error.key == key, "\(key) = \(huge) blamed \(error.key)") }
            }
        }
    }
}
