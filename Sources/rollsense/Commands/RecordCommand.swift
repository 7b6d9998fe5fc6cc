import ArgumentParser

/// `rollsense record`: the live view while recording the device's bytes.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "The live view while recording the session to a capture file.",
        discussion: """
            The same as `rollsense live --record FILE`: every byte from the device is kept with \
            its receive time, so `rollsense replay FILE` gives the same events later.

            Example:
              rollsense record --out session.rscap --body-weight 75
            """
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var session: SessionOptions
    @OptionGroup(title: "Voice and tone") var voice: VoiceOptions
    @OptionGroup var web: WebOptions

    @Option(help: ArgumentHelp("The capture file to write (never overwritten).", valueName: "file"))
    var out: String

    func run() throws {
        try LiveCommand.runSession(device: device, session: session, voice: voice, web: web, recordPath: out)
    }
}
