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
        #expect(problem { $0.filter.minCutoffHertz = -1 } == "filter.minCutoffHertz: must be a number > 0 (got -1.0)")
        #expect(problem { $0.limits.dailyWarningSeconds = 400 }
            == "limits.dailyWarningSeconds: must be below limits.dailyLimitSeconds (400.0 >= 300.0)")
        #expect(problem { $0.tool = .custom } == "customContactAreaSquareCentimetres: must be a number > 0 (got 0.0)")
        #expect(problem { $0.spine.channelPositionsMillimetres = [0, .nan] } == "spine.channelPositionsMillimetres[1]: must be a finite number")
        #expect(problem { $0.zones.deadband = 30 } == "zones.deadband: must be smaller than the gap between two zone thresholds")
        #expect(problem { $0.name = "" } == "name: must not be empty")
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
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"foamRoller\"", with: "\"yogaBlock\"")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Profile.self, from: Data(text.utf8)) }
    }
}
