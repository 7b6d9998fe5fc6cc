import ArgumentParser

/// The `rollsense` command: measures pressure during self-massage on a roller or ball.
@main
struct RollSense: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollsense",
        abstract: "Measure pressure during self-massage with a sensing foam roller or massage ball.",
        discussion: """
            RollSense reads force samples from an Arduino (see Firmware/), turns them into pressure
            and warns about too much pressure, long holds and the daily time on each body area.
            It informs; it does not diagnose.

            Example:
              rollsense devices
            """,
        version: RollSenseVersion.string,
        subcommands: [DevicesCommand.self]
    )
}

/// The program's version, printed by `--version` and written into recordings.
enum RollSenseVersion {
    static let string = "0.1.0"
}
