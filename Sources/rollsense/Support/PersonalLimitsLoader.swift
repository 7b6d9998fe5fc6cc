import Foundation
import RollSenseSignal
import RollSenseStore

/// The limits a session runs with for a person: the profile, then their pain marks from the
/// history ledger (docs/SAFETY.md, "Pain marks").
enum PersonalLimitsLoader {
    /// Whose marks apply when neither `--person` nor the config names anyone.
    static let defaultPerson = "default"
    /// Zones in percent of body weight without a body weight assume this (and say so).
    static let assumedBodyMassKilograms = ZoneProfile.assumedBodyMassKilograms

    /// A person name: 1-64 letters, digits, `-` or `_`.
    static func isValidPerson(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// The body mass to use and whether it was assumed (only when the zones need one).
    static func bodyMass(given: Double?, profile: Profile) -> (kilograms: Double?, assumed: Bool) {
        if let given { return (given, false) }
        return profile.zones.unit == .percentBodyWeight ? (assumedBodyMassKilograms, true) : (nil, false)
    }

    /// Marks read from the ledger at most: far more than can count (the newest unexpired five).
    static let markReadLimit = 1_000

    /// Reads the person's marks for the profile's region and tool and applies the unexpired ones.
    static func load(_ resolved: ResolvedProfile, person: String, bodyMassKilograms: Double?, ledger: HistoryLedger,
                     now: Date = Date()) throws(HistoryError) -> PersonalLimits {
        let profile = resolved.profile
        let marks = try ledger.painMarks(person: person, area: profile.region.rawValue, tool: profile.tool.rawValue, limit: markReadLimit)
        return PersonalLimits(profile: profile, origins: resolved.origins,
                              marks: marks.map { .init(forceNewtons: $0.forceNewtons, unixSeconds: $0.date.timeIntervalSince1970) },
                              nowUnixSeconds: now.timeIntervalSince1970, bodyMassKilograms: bodyMassKilograms)
    }
}
