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
        abstract: "Show the pressure limits that apply to you and where each came from; list or forget your pain marks.",
        discussion: """
            A pain mark (the p key in the live view) records the force at the moment it hurt more. \
            Your stop limit is then 0.8 x the median of your last 5 marks on that area with that \
            tool, never above the profile's and never below half of it; a mark counts for \
            limits.painMarkExpiryDays (14 days by default; docs/SAFETY.md). Pain stays the primary \
            stop signal: stop when it hurts more, whatever the numbers say.

            Examples:
              rollsense limits --body-weight 80
              rollsense limits --tool tennis-ball
              rollsense limits --marks
              rollsense limits --remove-mark 3
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

    @Flag(help: "List the person's pain marks (id, date, force, area, tool, whether it still counts).")
    var marks = false

    @Option(name: .customLong("remove-mark"), help: ArgumentHelp("Forget one pain mark by the id --marks shows.", valueName: "id"))
    var removeMark: Int64?

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
        if [reset, marks, removeMark != nil].filter({ $0 }).count > 1 {
            throw ValidationError("--reset, --marks and --remove-mark do one thing each: give one of them.")
        }
        if let removeMark, removeMark < 1 {
            throw ValidationError("--remove-mark takes a mark's id, a whole number from 1 (`rollsense limits --marks` lists them; got \(removeMark)).")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try UserConfig.load(environment: environment)
        let chosenTool = tool.flatMap(Tool.init(spelling:)) ?? config.tool
        let chosenArea = area.flatMap(BodyRegion.init(spelling:)) ?? config.area
        let given = bodyWeight ?? config.bodyWeightKilograms
        let resolved = try ProfileResolver.resolve(
            name: profile ?? config.profile, tool: chosenTool, area: chosenArea,
            overrides: config.profileOverrides, configPath: config.path, bodyWeightKilograms: given)
        let base = resolved.profile
        let who = person ?? config.person ?? PersonalLimitsLoader.defaultPerson
        let directory: String
        do { directory = try DataDirectory.resolve(flag: dataDir, environment: environment) } catch {
            throw CommandFailure.usage("\(error) Pass --data-dir PATH.")
        }
        let mass = PersonalLimitsLoader.bodyMass(given: given, profile: base)
        let ledger: HistoryLedger
        do { ledger = try HistoryLedger(dataDirectory: directory) } catch { throw CommandFailure.data("\(error)") }
        defer { try? ledger.close() }
        let scoped = area != nil || tool != nil
        if reset {
            let removed: Int
            do {
                removed = try ledger.removePainMarks(person: who, area: scoped ? base.region.rawValue : nil,
                                                     tool: scoped ? base.tool.rawValue : nil)
            } catch { throw CommandFailure.data("\(error)") }
            say("Forgot \(removed) pain mark\(removed == 1 ? "" : "s") of \(who)\(scoped ? " on \(base.region.rawValue) with \(base.tool.rawValue)" : ""); the profile's limits apply again.")
            return
        }
        if let removeMark {
            let removed: Bool
            do { removed = try ledger.removePainMark(person: who, id: removeMark) } catch { throw CommandFailure.data("\(error)") }
            guard removed else {
                throw CommandFailure.usage("\(who) has no pain mark \(removeMark): `rollsense limits --marks` lists the ids.")
            }
            say("Forgot pain mark \(removeMark) of \(who).")
            return
        }
        if marks {
            let stored: [PainMark]
            do {
                stored = try ledger.allPainMarks(person: who, area: scoped ? base.region.rawValue : nil, tool: scoped ? base.tool.rawValue : nil)
            } catch { throw CommandFailure.data("\(error)") }
            print(json ? Self.marksJSON(stored, person: who, expiryDays: base.limits.painMarkExpiryDays)
                       : Self.marksTable(stored, person: who, expiryDays: base.limits.painMarkExpiryDays))
            return
        }
        let limits: PersonalLimits
        do {
            limits = try PersonalLimitsLoader.load(resolved, person: who, bodyMassKilograms: mass.kilograms, ledger: ledger)
        } catch { throw CommandFailure.data("\(error)") }
        print(json ? Self.jsonLine(limits, base: base, person: who, mass: mass)
                   : Self.table(limits, resolved: resolved, base: base, person: who, mass: mass))
    }

    /// Whether a mark made at `date` still counts `expiryDays` later (as `PersonalLimits` decides).
    static func counts(_ date: Date, expiryDays: Double, now: Date = Date()) -> Bool {
        now.timeIntervalSince(date) < expiryDays * PersonalLimits.secondsPerDay
    }

    static func marksTable(_ marks: [PainMark], person: String, expiryDays: Double) -> String {
        guard !marks.isEmpty else { return "\(person) has no pain marks. The p key in `rollsense live` (or the page's \"It hurts\") makes one." }
        var lines = ["Pain marks of \(person) (a mark counts for \(number(expiryDays, digits: 0)) days; `--remove-mark ID` forgets one, `--reset` all):",
                     "  id    date              force   area       tool          "]
        for mark in marks {
            let id = String(mark.id ?? 0).padding(toLength: 5, withPad: " ", startingAt: 0)
            let force = "\(number(mark.forceNewtons, digits: 0)) N".padding(toLength: 7, withPad: " ", startingAt: 0)
            lines.append("  \(id) \(LimitText.day(mark.date.timeIntervalSince1970, minutes: true))  \(force) \(mark.area.padding(toLength: 10, withPad: " ", startingAt: 0)) \(mark.tool.padding(toLength: 13, withPad: " ", startingAt: 0)) \(counts(mark.date, expiryDays: expiryDays) ? "counts" : "expired")")
        }
        return lines.joined(separator: "\n")
    }

    static func marksJSON(_ marks: [PainMark], person: String, expiryDays: Double) -> String {
        let items = marks.map {
            "{\"id\":\($0.id ?? 0),\"date\":\(quote(LimitText.day($0.date.timeIntervalSince1970, minutes: true))),\"unixS\":\(number($0.date.timeIntervalSince1970, digits: 0)),\"forceN\":\(number($0.forceNewtons, digits: 1)),\"pressureKPa\":\(number($0.pressureKilopascals, digits: 1)),\"area\":\(quote($0.area)),\"tool\":\(quote($0.tool)),\"counts\":\(counts($0.date, expiryDays: expiryDays))}"
        }
        return "{\"person\":\(quote(person)),\"expiryDays\":\(number(expiryDays, digits: 1)),\"marks\":[\(items.joined(separator: ","))]}"
    }

    static func table(_ limits: PersonalLimits, resolved: ResolvedProfile, base: Profile, person: String, mass: (kilograms: Double?, assumed: Bool)) -> String {
        let zones = limits.profile.zones
        let massText = mass.kilograms.map { "\(number($0, digits: 0)) kg\(mass.assumed ? " assumed: pass --body-weight" : "")" } ?? "no body weight"
        var lines = ["Limits of \(person) on \(base.region.rawValue) with \(base.tool.rawValue) (profile \(base.name), \(massText))"]
        lines += LimitText.lines(zones, origins: limits.origins, mass: mass.kilograms)
        if let below = limits.stopBelowFloor {
            lines.append("  Your marks would set stop at \(LimitText.value(below, unit: zones.unit, mass: mass.kilograms)); it is held at the floor, \(Int(PersonalLimits.stopFloorFraction * 100)) % of the profile's stop.")
        }
        let ceiling = base.stopCeiling(bodyMassKilograms: mass.kilograms)
        lines.append("  ceiling \(LimitText.value(ceiling.value, unit: zones.unit, mass: mass.kilograms).padding(toLength: 34, withPad: " ", startingAt: 0)) no stop above: \(ceiling.reason)")
        lines.append("  hold     \(number(base.limits.holdCautionSeconds, digits: 0)) s still on one spot".padding(toLength: 45, withPad: " ", startingAt: 0)
                     + " " + LimitText.origin(resolved.origin(of: "limits.holdCautionSeconds")))
        lines.append("  daily    \(number(base.limits.dailyLimitSeconds, digits: 0)) s on \(base.region.rawValue)".padding(toLength: 45, withPad: " ", startingAt: 0)
                     + " " + LimitText.origin(resolved.origin(of: "limits.dailyLimitSeconds")))
        lines.append("Pain marks count for \(number(base.limits.painMarkExpiryDays, digits: 0)) days (limits.painMarkExpiryDays); `rollsense limits --marks` lists them.")
        lines.append("Pain is the primary stop signal: stop or ease off when it hurts more, whatever the numbers say.")
        return lines.joined(separator: "\n")
    }

    static func jsonLine(_ limits: PersonalLimits, base: Profile, person: String, mass: (kilograms: Double?, assumed: Bool)) -> String {
        let zones = limits.profile.zones
        var marks = "null"
        if case .painMarks(let count, let median, _, let floorApplied) = limits.origins.stop {
            marks = "{\"count\":\(count),\"medianN\":\(number(median, digits: 1)),\"floorApplied\":\(floorApplied)\(limits.stopBelowFloor.map { ",\"stopBelowFloor\":\(number($0, digits: 2))" } ?? "")}"
        }
        let ceiling = base.stopCeiling(bodyMassKilograms: mass.kilograms)
        return "{\"person\":\(quote(person)),\"area\":\(quote(base.region.rawValue)),\"tool\":\(quote(base.tool.rawValue)),\"profile\":\(quote(base.name)),\"bodyMassKg\":\(mass.kilograms.map { number($0, digits: 1) } ?? "null"),\"bodyMassAssumed\":\(mass.assumed),\(LimitText.json(zones, origins: limits.origins)),\"stopCeiling\":{\"value\":\(number(ceiling.value, digits: 2)),\"reason\":\(quote(ceiling.reason))},\"painMarkExpiryDays\":\(number(base.limits.painMarkExpiryDays, digits: 1)),\"painMarks\":\(marks)}"
    }
}

extension LimitOrigin {
    /// Whether the limit came from pain marks.
    var isPainMarks: Bool {
        if case .painMarks = self { return true }
        return false
    }
}
