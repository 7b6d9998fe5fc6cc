import ArgumentParser
import RollSenseDevice

/// `rollsense live`: the live view of a connected board.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Show pressure, zone, hold and today's time live, with alerts.",
        discussion: """
            On a terminal: a full-screen gauge with the zone bands, force and pressure, the zone, \
            the hold time, today's time against the daily limit and the active alert; a bell and a \
            flash when an alert starts. Ctrl-C ends the session and prints a summary. Not on a \
            terminal, or with --json: JSON lines of type reading, event and summary.

            Settings come from $XDG_CONFIG_HOME/rollsense/config.json (bodyWeightKg, tool, area, \
            profile, profileOverrides, bell); flags override them.

            Examples:
              rollsense live
              rollsense live --device /dev/ttyACM0 --body-weight 75 --record today.rscap
              rollsense live --json --duration 60 | jq -c 'select(.type == "event")'
              rollsense live --web 0.0.0.0:8765   (a live page for a phone on this network)
            """
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var session: SessionOptions
    @OptionGroup(title: "Voice and tone") var voice: VoiceOptions
    @OptionGroup var web: WebOptions

    @Option(help: ArgumentHelp("Also record the device's bytes to this capture file (never overwritten).", valueName: "file"))
    var record: String?

    func run() throws {
        try LiveCommand.runSession(device: device, session: session, voice: voice, web: web, recordPath: record)
    }

    static func runSession(device: DeviceOptions, session: SessionOptions, voice: VoiceOptions, web: WebOptions, recordPath: String?) throws {
        let settings = try LiveSessionSettings.resolve(session, voice: voice, web: web, recordPath: recordPath,
                                                         title: recordPath.map { "recording to \($0)" } ?? "live")
        let chosen = try device.chosenDevice()
        let connection = try device.connectDetectingRate(chosen)
        try LiveSession.run(source: connection, identity: BoardIdentity(chosen), settings: settings, baudRate: connection.options.port.baudRate)
    }
}
