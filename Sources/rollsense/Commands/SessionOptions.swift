import ArgumentParser
import RollSenseSignal

/// The options every session command shares (`live`, `record`, `demo` takes none of them).
struct SessionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(OptionValue.areaHelp + " Default: the profile's.", valueName: "name"))
    var area: String?

    @Option(help: ArgumentHelp(OptionValue.toolHelp + " Default: the profile's.", valueName: "name"))
    var tool: String?

    @Option(help: ArgumentHelp("Safety profile: a built-in name (\(Profile.builtIn.map(\.name).joined(separator: ", "))) or a JSON file.", valueName: "name|file"))
    var profile: String?

    @Option(name: .customLong("body-weight"), parsing: .unconditional, help: ArgumentHelp("Your body weight in kilograms (\(BodyWeight.rangeText("-"))), for zones in percent of body weight.", valueName: "kg"))
    var bodyWeight: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop after this many seconds of device time (host time counts while the board is gone).", valueName: "seconds"))
    var duration: Double?

    @Option(help: ArgumentHelp("Whose pain marks and limits apply (default: config.json person, else 'default').", valueName: "name"))
    var person: String?

    @Flag(help: "Print JSON lines (reading, event, summary) instead of the full-screen view; the default when stdout is not a terminal.")
    var json = false

    @Flag(help: "No terminal bell when an alert starts (the screen still flashes).")
    var noBell = false

    @Option(help: ArgumentHelp("A calibration JSON file ({offsetCounts, curves}) to use instead of the one stored for the board.", valueName: "file"))
    var calibration: String?

    @Option(help: ArgumentHelp("Folder of the history ledger. Default: $ROLLSENSE_DATA_DIR, else $XDG_DATA_HOME/rollsense.", valueName: "path"))
    var dataDir: String?

    func validate() throws {
        try OptionValue.validate(tool: tool, area: area)
        try BodyWeight.validateOption(bodyWeight)
        if let person, !PersonalLimitsLoader.isValidPerson(person) {
            throw ValidationError("--person must be 1 to 64 letters, digits, '-' or '_' (got '\(person)').")
        }
        if let duration, !(duration.isFinite && duration > 0) {
            throw ValidationError("--duration must be a positive number of seconds (got \(duration)).")
        }
    }
}

/// The body weights a person may give, in kilograms: `--body-weight` (live and replay alike) and
/// `bodyWeightKg` in config.json are checked against this one range.
enum BodyWeight {
    static let kilograms: ClosedRange<Double> = 20...300

    /// Whether `value` is a finite weight inside the range.
    static func isAcceptable(_ value: Double) -> Bool {
        value.isFinite && kilograms.contains(value)
    }

    /// The range in words: "20 to 300", or "20-300" with `separator` "-".
    static func rangeText(_ separator: String = " to ") -> String {
        "\(Int(kilograms.lowerBound))\(separator)\(Int(kilograms.upperBound))"
    }

    /// The usage error for a `--body-weight` outside the range; nothing for none.
    static func validateOption(_ value: Double?) throws {
        if let value, !isAcceptable(value) {
            throw ValidationError("--body-weight must be your weight in kilograms, \(rangeText()) (got \(value)).")
        }
    }
}
