import ArgumentParser
import Foundation

/// The `rollsense` command: measures pressure during self-massage on a roller or ball.
@main
struct RollSense: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollsense",
        abstract: "Measure pressure during self-massage with a sensing foam roller or massage ball.",
        discussion: """
            RollSense reads force samples from an Arduino (see Firmware/), turns them into pressure \
            and warns about too much pressure, long holds and the daily time on each body area. \
            It informs; it does not diagnose.

            Exit codes: 0 success, 64 usage (a wrong option or value, on the command line or in \
            config.json), 65 data (a damaged or unreadable file), 69 device (not found, busy, no \
            permission, silent or gone), 70 internal error.

            Examples:
              rollsense demo
              rollsense devices
              rollsense live --body-weight 75
            """,
        version: RollSenseVersion.string,
        subcommands: [
            DevicesCommand.self, LiveCommand.self, RecordCommand.self, DemoCommand.self,
            SimulateCommand.self, CalibrateCommand.self, TareCommand.self, FlashCommand.self, DoctorCommand.self,
            ReplayCommand.self, ReportCommand.self, ExportCommand.self, HistoryCommand.self, LimitsCommand.self,
        ]
    )

    /// Parses and runs the command; every failure is one line on stderr and an exit code from
    /// README.md's table (ArgumentParser's own usage errors already exit 64).
    static func main() {
        do {
            var command = try parseAsRoot(WebOptions.expandingBareWebFlag(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let error where error is ExitCode || error is CleanExit || error is ValidationError
            || String(describing: type(of: error)).contains("ParserError") || String(describing: type(of: error)).contains("CommandError")
        {
            exit(withError: error)
        } catch {
            let failure = CommandFailure.classify(error)
            printError("rollsense: " + failure.message)
            exit(withError: ExitCode(failure.exitCode))
        }
    }
}

/// The program's version, printed by `--version` and written into recordings.
enum RollSenseVersion {
    static let string = "0.1.0"
}
