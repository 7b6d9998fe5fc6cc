import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import RollSenseTestSupport

/// Failures: one line naming the cause and what to do, and the exit code of README.md's table.
@Suite("rollsense failures")
struct CommandErrorTests {
    private func run(_ arguments: [String], config: String? = nil) throws -> BuiltRollSense.Result {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        if let config { try rollsense.writeConfig(config) }
        return try rollsense.run(arguments, timeoutSeconds: 30)
    }

    // MARK: - Device (69)

    @Test func unknownDeviceExits69NamingIt() throws {
        let result = try run(["live", "--json", "--device", "/dev/rollsense-no-such-board"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("No serial device matches '/dev/rollsense-no-such-board'"))
    }

    /// A pty pair standing in for a serial device: the controller end the test writes to, the
    /// device end, and the device's path for `--device`.
    private func openTerminal() throws -> (master: Int32, slave: Int32, path: String) {
        var master: Int32 = -1
        var slave: Int32 = -1
        try #require(openpty(&master, &slave, nil, nil, nil) == 0)
        return (master, slave, String(cString: ttyname(slave)))
    }

    @Test func silentDeviceExits69() throws {
        // A pty nobody writes to: the session gives up after its silence timeout.
        let (master, slave, path) = try openTerminal()
        defer { close(master); close(slave) }
        let result = try run(["live", "--json", "--device", path, "--no-reset"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("sent nothing"))
    }

    /// A sketch read at the wrong rate: bytes that are neither frames nor text lines. The
    /// message says the rate may be wrong and how to find it, not only "run the firmware".
    @Test func garbledBytesSuggestBaudAuto() throws {
        let (master, slave, path) = try openTerminal()
        defer { close(master); close(slave) }
        // What a 115200 sketch looks like read at 9600: high bytes, no line end, no zero.
        let writer = Thread { [master] in
            let garble: [UInt8] = [0xF8, 0x80, 0xE6, 0x9E, 0xFE, 0x86, 0xE0, 0xF8, 0x98, 0x66, 0x80]
            for _ in 0..<60 {
                _ = garble.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
                usleep(200_000)
            }
        }
        writer.start()
        let result = try run(["live", "--json", "--device", path, "--no-reset", "--baud", "9600"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("neither RollSense frames nor text lines"), "\(result.stderr)")
        #expect(result.stderr.contains("--baud auto"), "\(result.stderr)")
    }

    // MARK: - Usage (64)

    @Test(arguments: [
        (["live", "--body-weight", "5"], "--body-weight"),
        (["live", "--area", "elbow"], "--area 'elbow'"),
        (["live", "--tool", "hammer"], "--tool 'hammer'"),
        (["live", "--duration", "-3"], "--duration"),
        (["live", "--profile", "no-such-profile", "--device", "/dev/null"], "--profile 'no-such-profile'"),
        (["simulate", "--speed", "fast"], "--speed"),
        (["calibrate", "--mass-kg", "0"], "--mass-kg"),
        (["live", "--no-such-flag"], "--no-such-flag"),
        // Issue 25: a negative value gets the range, as --duration -1 does, not "Missing value".
        (["doctor", "--hello-timeout", "-1"], "--hello-timeout must be a number of seconds above 0 and at most 600"),
        (["flash", "--hello-timeout", "-1"], "--hello-timeout must be a number of seconds above 0 and at most 600"),
        (["limits", "--tool", "tennis"], "Did you mean tennis-ball?"),
    ])
    func badOptionValuesExit64NamingTheOption(arguments: [String], named: String) throws {
        let result = try run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(named), "\(arguments): \(result.stderr)")
    }

    @Test(arguments: [
        (#"{"bodyWeightKg": "heavy"}"#, "bodyWeightKg"),
        (#"{"tool": "hammer"}"#, "\"tool\""),
        (#"{"bell": 3}"#, "\"bell\""),
        (#"{"colour": "red"}"#, "\"colour\""),
        (#"{"profileOverrides": {"zones": {"stop": -1}}}"#, "zones"),
        (#"{"profileOverrides": {"zonez": {}}}"#, "profileOverrides.zonez"),
        ("{not json", "not valid JSON"),
    ])
    func badConfigExits64NamingTheKey(config: String, named: String) throws {
        let result = try run(["live", "--json", "--device", "/dev/rollsense-no-such-board"], config: config)
        #expect(result.status == 64, "\(config): \(result.stderr)")
        #expect(result.stderr.contains(named), "\(config): \(result.stderr)")
        #expect(result.stderr.contains("config.json"), "names the file: \(result.stderr)")
    }

    @Test(arguments: [
        (["live", "--tool", "roller"], "Did you mean foam-roller?"),
        (["live", "--area", "lowerbak"], "Did you mean lower-back?"),
        (["live", "--area", "upper_back"], "Did you mean upper-back?"),
    ])
    func aNearMissSuggestsTheClosestKebabCaseValue(arguments: [String], suggestion: String) throws {
        let result = try run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(suggestion), "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("foam-roller, rigid-roller") || result.stderr.contains("lower-back, upper-back"))
    }

    /// Issue 25: an existing --out is refused before the board is opened (and so reset): one
    /// line, exit 65, the file untouched.
    @Test func recordToAnExistingFileIsRefusedBeforeTheDeviceIsOpened() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let (simulator, path) = try rollsense.startSimulator([])
        defer { stop(simulator) }
        let out = rollsense.path("existing.rscap")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: out))
        let result = try rollsense.run(["record", "--out", out, "--device", path, "--json"], timeoutSeconds: 30)
        #expect(result.status == 65, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("already exists"), "nothing before the refusal:\n\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")
        let noFolder = try rollsense.run(["record", "--out", rollsense.path("no-such-folder/s.rscap"), "--device", path], timeoutSeconds: 30)
        #expect(noFolder.status == 64 && noFolder.stderr.split(separator: "\n").count == 1, "\(noFolder.stderr)")
    }

    /// Issue 25: `limits` takes the spelling `live` and the README use, and its help lists it.
    @Test func limitsTakesAndListsTheTypedSpelling() throws {
        let result = try run(["limits", "--tool", "tennis-ball", "--area", "lower-back", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"area\":\"lower-back\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"tool\":\"tennis-ball\""), "\(result.stdout)")
        let table = try run(["limits", "--tool", "tennisBall"])
        #expect(table.stdout.contains("on lower-back with tennis-ball"), "old spelling accepted, new one shown: \(table.stdout)")
        let help = try run(["limits", "--help"])
        #expect(help.stdout.contains("foam-roller") && help.stdout.contains("lower-back"), "\(help.stdout)")
        #expect(!help.stdout.contains("foamRoller") && !help.stdout.contains("lowerBack"), "\(help.stdout)")
    }

    /// Issue 25: a near miss of a profile name gets a suggestion, as --tool and --area do.
    @Test func aNearMissOfAProfileNameSuggestsTheBuiltIn() throws {
        let result = try run(["live", "--profile", "foam-roller-lowerback", "--device", "/dev/null"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Did you mean foam-roller-lower-back?"), "\(result.stderr)")
    }

    /// Issue 25: a bad profile in config.json names the file and key, not a --profile flag
    /// nobody typed.
    @Test func aBadProfileInTheConfigNamesTheConfigAndKey() throws {
        let result = try run(["live", "--json", "--device", "/dev/rollsense-no-such-board"], config: #"{"profile": "nope"}"#)
        #expect(result.status == 64)
        #expect(result.stderr.contains("config.json: key \"profile\": 'nope' is neither a built-in profile"), "\(result.stderr)")
        #expect(!result.stderr.contains("--profile"), "\(result.stderr)")
    }

    @Test(arguments: [
        ["--tool", "foam-roller", "--area", "lower-back"],
        ["--tool", "foamRoller", "--area", "lowerBack"],
        ["--tool", "tennis-ball", "--area", "upper-back"],
    ])
    func kebabCaseValuesAndTheirCamelCaseAliasesAreAccepted(values: [String]) throws {
        // Past option checks, the command gets as far as looking for the device.
        let result = try run(["live", "--json", "--device", "/dev/rollsense-no-such-board"] + values)
        #expect(result.status == 69, "\(values): \(result.stderr)")
    }

    @Test func configAcceptsKebabCaseAndSuggestsForANearMiss() throws {
        let accepted = try run(["live", "--json", "--device", "/dev/rollsense-no-such-board"], config: #"{"tool": "tennis-ball", "area": "glutes"}"#)
        #expect(accepted.status == 69, "\(accepted.stderr)")
        let nearMiss = try run(["live", "--json", "--device", "/dev/rollsense-no-such-board"], config: #"{"tool": "foam roller"}"#)
        #expect(nearMiss.status == 64)
        #expect(nearMiss.stderr.contains("Did you mean foam-roller?"), "\(nearMiss.stderr)")
    }

    @Test(arguments: [
        ("limits.dailyLimitSeconds", "1e13"), ("limits.holdCautionSeconds", "1e300"), ("zones.stop", "1e200"),
        ("contact.onDelaySeconds", "9e15"), ("faults.saturationCounts", "1e19"), ("jump.windowSeconds", "1e13"),
    ])
    func aHugeProfileNumberIsAUsageErrorNamingItsKey(key: String, value: String) throws {
        let parts = key.split(separator: ".")
        let config = #"{"profileOverrides": {"\#(parts[0])": {"\#(parts[1])": \#(value)}}}"#
        let fromConfig = try run(["live", "--json", "--device", "/dev/rollsense-no-such-board"], config: config)
        #expect(fromConfig.status == 64, "\(key) \(value): \(fromConfig.stderr)")
        #expect(fromConfig.stderr.contains(key), "\(fromConfig.stderr)")

        // The same value in a profile file given with --profile.
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        var profile = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: BuiltRollSense.root.appendingPathComponent("Profiles/foam-roller-lower-back.json"))) as? [String: Any])
        var section = try #require(profile[String(parts[0])] as? [String: Any])
        section[String(parts[1])] = Double(value)!
        profile[String(parts[0])] = section
        let file = rollsense.home.appendingPathComponent("huge.json")
        try JSONSerialization.data(withJSONObject: profile).write(to: file)
        let fromFile = try rollsense.run(["live", "--json", "--profile", file.path, "--device", "/dev/rollsense-no-such-board"], timeoutSeconds: 30)
        #expect(fromFile.status == 64, "\(key) \(value): \(fromFile.stderr)")
        #expect(fromFile.stderr.contains(key), "\(fromFile.stderr)")
    }

    // MARK: - Data (65)

    @Test func badScenarioFileExits65NamingTheKey() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let file = rollsense.home.appendingPathComponent("bad.json")
        try #"{"bodyMassKilograms": 75, "sampleRateHz": 5000, "repeats": false, "noiseNewtons": 0, "segments": []}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try rollsense.run(["simulate", "--scenario", file.path], timeoutSeconds: 30)
        #expect(result.status == 65)
        #expect(result.stderr.contains("sampleRateHz"))
    }

    @Test func recordingOverAnExistingFileExits65() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let existing = rollsense.home.appendingPathComponent("taken.rscap")
        try "keep me".write(to: existing, atomically: true, encoding: .utf8)
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--link", link])
        defer { stop(simulator.process) }
        let result = try rollsense.run(["record", "--json", "--device", link, "--out", existing.path], timeoutSeconds: 30)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(try String(contentsOf: existing, encoding: .utf8) == "keep me")
    }

    // MARK: - Help

    @Test(arguments: ["live", "record", "demo", "simulate", "calibrate", "devices"])
    func everyCommandsHelpHasAnExample(command: String) throws {
        let result = try run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("rollsense \(command)"), "\(command) --help shows an example")
    }
}
