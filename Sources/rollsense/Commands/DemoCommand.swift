import ArgumentParser
import Foundation
import Synchronization
import RollSenseDevice
import RollSenseKit
import RollSenseSignal

/// `rollsense demo`: the live view on the built-in virtual board, no hardware needed.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A one-minute live view driven by the built-in virtual board: no hardware, no flags.",
        discussion: """
            Starts the virtual board of `rollsense simulate` on a pseudo-terminal and runs the \
            live view on it through the same serial-port path as a real board. It starts as if \
            3:20 of today's 5 minutes on the lower back were already used, so the daily warning \
            shows too. It never touches your history (a temporary data folder is used). Not on a \
            terminal it prints JSON lines, like `live --json`. It speaks its cues when a sound \
            device exists; --audio-out renders them to a WAV file instead or as well.

            Examples:
              rollsense demo
              rollsense demo --tone --speed 20 --audio-out demo.wav
              rollsense demo --json | jq -c 'select(.type == "event")'
              rollsense demo --web   (and open the printed link)
            """
    )

    /// Long enough for every default alert: the hold caution needs 60 s of contact.
    static let durationSeconds = 63.0
    /// Today's contact before the demo starts: 3:20 of the 5-minute limit (docs/SAFETY.md).
    static let priorDailySeconds = 200.0

    @Flag(help: "Print JSON lines instead of the full-screen view.")
    var json = false

    @Flag(help: "No terminal bell when an alert starts.")
    var noBell = false

    @OptionGroup(title: "Voice and tone") var voice: VoiceOptions
    @OptionGroup var web: WebOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Play the session this many times faster than real time (for tests).", valueName: "N"))
    var speed: Double = 1

    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 1000 else {
            throw ValidationError("--speed must be a number from 0 (exclusive) to 1000 (got \(speed)).")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-demo-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        var settings = LiveSessionSettings(
            profile: .foamRollerLowerBack, bodyMassKilograms: 75, durationSeconds: Self.durationSeconds,
            json: json || !standardOutputIsTerminal(), bell: !noBell, color: colorEnabled(environment: environment),
            recordPath: nil, dataDirectory: temporary, extraPriorDailySeconds: Self.priorDailySeconds,
            title: "demo: virtual board, foam roller, lower back")
        settings.voice = VoiceSettings.resolve(voice, config: try UserConfig.load(environment: environment))
        settings.webAddress = web.address
        settings.webToken = web.webToken

        let pty = try PseudoTerminalDevice()
        let port = try SerialPort(path: pty.path, options: SerialPortOptions(dtrPolicy: .leaveUnchanged))
        var board: BoardThread?
        defer {
            board?.stop()
            pty.close()
        }
        // The board starts once the session is ready to read (phrases synthesised, view open):
        // at --speed 40 a late reader would lose samples to the full pty.
        try LiveSession.run(source: SerialPortByteSource(port: port), identity: BoardIdentity(), settings: settings, environment: environment,
                            willRead: { board = BoardThread.start(pty: pty, speed: speed) })
    }
}

/// The virtual board served on its own thread for the demo.
final class BoardThread: @unchecked Sendable {
    private let stopFlag = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    static func start(pty: PseudoTerminalDevice, speed: Double) -> BoardThread {
        let board = BoardThread()
        let box = UncheckedBox(pty)
        Thread.detachNewThread {
            var device = VirtualDevice()
            _ = try? box.value.serve(&device, speed: speed) { board.stopFlag.load(ordering: .relaxed) }
            board.finished.signal()
        }
        return board
    }

    func stop() {
        stopFlag.store(true, ordering: .relaxed)
        finished.wait()
    }
}

/// Hands a non-Sendable value to one other thread that alone uses it from then on.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
