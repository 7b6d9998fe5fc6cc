import ArgumentParser
import Foundation
import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// `rollsense limits`: the zone limits a person's sessions run with, where each came from, and
/// a reset of the pain marks behind them.
struct LimitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Show the pressure limits that apply to you and where each came from; --reset forgets your pain marks.",
        discussion: """
            A pain mark (the p key in the live view) records the force at the moment it hurt more. \
            Your stop limit is then 0.8 x the median of your last 5 marks on that area with that \
            tool, never above the profile's (docs/SAFETY.md). Pain stays the primary stop signal: \
            stop when it hurts more, whatever the numbers say.

            Examples:
              rollsense limits --body-weight 80
              rollsense limits --tool tennis-ball
              rollsense limits --reset
            """
    )

    @Option(help: ArgumentHelp("Safety profile: a built-in name or a JSON file.", valueName: "name|file"))
    var profile: String?

    @Option(help: ArgumentHelp(OptionValue.toolHelp, valueName: "name"))
    var tool: String?

    @Option(help: ArgumentHelp(OptionValue.areaHelp, valueName: "name"))
    var area: String?

    @Option(name: .customLong("body-weight"), help: ArgumentHelp("Your body weight in kilograms (\(BodyWeight.rangeText("-"))).", valueName: "kg"))
    var bodyWeight: Double?

    @Option(help: ArgumentHelp("Whose limits (default: config.json person, else 'default').", valueName: "name"))
    var person: String?

    @Flag(help: "Forget the pain marks (of this area and tool when --area or --tool is given, else all of the person's).")
    var reset = false

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("Folder of the history ledger. Default: $ROLLSENSE_DATA_DIR, else $XDG_DATA_HOME/rollsense.", valueName: "path"))
    var dataDir: String?

    func validate() throws {
        try OptionValue.validate(tool: tool, area: area)
        try BodyWeight.validateOption(bodyWeight)
        if let person, !PersonalLimitsLoader.isValidPerson(person) {
            throw ValidationError("--person must be 1 to 64 letters, digits, '-' or '_' (got '\(person)').")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try UserConfig.load(environment: environment)
        let chosenTool = tool.flatMap(Tool.init(spelling:)) ?? config.tool
        let chosenArea = area.flatMap(BodyRegion.init(spelling:)) ?? config.area
        let base = try ProfileResolver.resolve(name: profile ?? config.profile, tool: chosenTool, area: chosenArea,
                                               overrides: config.profileOverrides)
        let who = person ?? config.person ?? PersonalLimitsLoader.defaultPerson
        let directory: String
        do { directory = try DataDirectory.resolve(flag: dataDir, environment: environment) } catch {
            throw CommandFailure.usage("\(error) Pass --data-dir PATH.")
        }
        let mass = PersonalLimitsLoader.bodyMass(given: bodyWeight ?? config.bodyWeightKilograms, profile: base)
        let ledger: HistoryLedger
        do { ledger = try HistoryLedger(dataDirectory: directory) } catch { throw CommandFailure.data("\(error)") }
        if reset {
            let scoped = area != nil || tool != nil
            let removed: Int
            do {
                removed = try ledger.removePainMarks(person: who, area: scoped ? base.region.rawValue : nil,
                                                     tool: scoped ? base.tool.rawValue : nil)
            } catch { throw CommandFailure.data("\(error)") }
            try? ledger.close()
            say("Forgot \(removed) pain mark\(removed == 1 ? "" : "s") of \(who)\(scoped ? " on \(base.region.rawValue) with \(base.tool.rawValue)" : ""); the profile's limits apply again.")
            return
        }
        let limits: PersonalLimits
        do {
            limits = try PersonalLimitsLoader.load(profile: base, person: who, bodyMassKilograms: mass.kilograms, ledger: ledger)
        } catch { throw CommandFailure.data("\(error)") }
        try? ledger.close()
        print(json ? Self.jsonLine(limits, base: base, person: who, mass: mass)
                   : Self.table(limits, base: base, person: who, mass: mass))
    }

    /// A zone limit in its unit, with newtons beside it when the unit is not newtons.
    static func describe(_ value: Double, zones: ZoneProfile, profile: Profile, mass: Double?) -> String {
        switch zones.unit {
        case .newtons: return "\(number(value, digits: 0)) N"
        case .kilopascals: return "\(number(value, digits: 0)) kPa (estimate)"
        case .percentBodyWeight:
            guard let mass else { return "\(number(value, digits: 0)) % body weight" }
            return "\(number(value, digits: 0)) % body weight (\(number(value / 100 * mass * standardGravityMetresPerSecondSquared, digits: 0)) N)"
        }
    }

    static func sourceText(_ source: LimitSource) -> String {
        switch source {
        case .profile: return "profile default"
        case .painMarks(let count, let median):
            return "your pain marks: 0.8 x median \(number(median, digits: 0)) N of \(count)"
        }
    }

    static func table(_ limits: PersonalLimits, base: Profile, person: String, mass: (kilograms: Double?, assumed: Bool)) -> String {
        let zones = limits.profile.zones
        let massText = mass.kilograms.map { "\(number($0, digits: 0)) kg\(mass.assumed ? " assumed: pass --body-weight" : "")" } ?? "no body weight"
        var lines = ["Limits of \(person) on \(base.region.rawValue) with \(base.tool.rawValue) (profile \(base.name), \(massText))"]
        func row(_ name: String, _ value: Double, _ baseValue: Double) {
            let source = value < baseValue ? sourceText(limits.source) : "profile default"
            lines.append("  \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(describe(value, zones: zones, profile: base, mass: mass.kilograms).padding(toLength: 34, withPad: " ", startingAt: 0)) \(source)")
        }
        row("target", zones.target, base.zones.target)
        row("caution", zones.caution, base.zones.caution)
        row("stop", zones.stop, base.zones.stop)
        lines.append("  hold     \(number(base.limits.holdCautionSeconds, digits: 0)) s still on one spot".padding(toLength: 45, withPad: " ", startingAt: 0) + " profile default")
        lines.append("  daily    \(number(base.limits.dailyLimitSeconds, digits: 0)) s on \(base.region.rawValue)".padding(toLength: 45, withPad: " ", startingAt: 0) + " profile default")
        lines.append("Pain is the primary stop signal: stop or ease off when it hurts more, whatever the numbers say.")
        return lines.joined(separator: "\n")
    }

    static func jsonLine(_ limits: PersonalLimits, base: Profile, person: String, mass: (kilograms: Double?, assumed: Bool)) -> String {
        let zones = limits.profile.zones
        var marks = "null"
        if case .painMarks(let count, let median) = limits.source { marks = "{\"count\":\(count),\"medianN\":\(number(median, digits: 1))}" }
        func entry(_ value: Double, _ baseValue: Double) -> String {
            "{\"value\":\(number(value, digits: 2)),\"source\":\(quote(value < baseValue ? "painMarks" : "profile"))}"
        }
        return "{\"person\":\(quote(person)),\"area\":\(quote(base.region.rawValue)),\"tool\":\(quote(base.tool.rawValue)),\"profile\":\(quote(base.name)),\"unit\":\(quote(zones.unit.rawValue)),\"bodyMassKg\":\(mass.kilograms.map { number($0, digits: 1) } ?? "null"),\"bodyMassAssumed\":\(mass.assumed),\"target\":\(entry(zones.target, base.zones.target)),\"caution\":\(entry(zones.caution, base.zones.caution)),\"stop\":\(entry(zones.stop, base.zones.stop)),\"painMarks\":\(marks)}"
    }
}
