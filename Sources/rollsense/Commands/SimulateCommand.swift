import ArgumentParser
import Foundation
import Synchronization
import RollSenseKit

/// `rollsense simulate`: a virtual board on a pty.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a virtual RollSense board on a pseudo-terminal, for trying rollsense without hardware.",
        discussion: """
            Prints the pty's path on the first line of stdout, then serves a synthetic session \
            (a foam roller under the lower back of a 75 kg person: rolling, a hold, load on the \
            spine, an over-pressure moment, lift-off; repeating) until Ctrl-C. The board speaks the \
            RollSense protocol (docs/PROTOCOL.md) with four HX711-like load cells and a calibration \
            rollsense knows, so `live` shows newtons without `calibrate`.

            A scenario file is JSON: bodyMassKilograms, sampleRateHz, repeats, noiseNewtons and \
            segments of {label, seconds, fromLoadPercent, toLoadPercent, fromCentroidMillimetres, \
            toCentroidMillimetres, strokePercent, strokeHertz, spreadMillimetres (optional: the \
            width of the load along the roller), fault (optional: {kind: saturated, notReady or stuck, \
            channel: 0-3}, a failing sensor as the firmware reports it)}; optional textMode (a foreign Serial Plotter \
            sketch) and startupBurstLines (lines it printed before the port opened); optional \
            painButtonSeconds (times the board's pain button is pressed); optional \
            rollerRadiusMillimetres (the board also plays the reference roller's AS5600 on a roller \
            of that radius: each sample carries the angle, and live shows where on the back it is). \
            Fixtures/sessions/README.md describes them.

            Examples:
              rollsense simulate --link /tmp/rollsense-board &
              rollsense live --device /tmp/rollsense-board
            """
    )

    @Option(help: ArgumentHelp("Also make this path a symlink to the pty.", valueName: "path"))
    var link: String?

    @Option(help: ArgumentHelp("A JSON scenario file instead of the built-in session.", valueName: "file"))
    var scenario: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("1 is real time, N is N times faster, max is as fast as the reader reads.", valueName: "1|N|max"))
    var speed: String = "1"

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop after this many seconds of device time (and if no program opens the pty within as many seconds).", valueName: "seconds"))
    var seconds: Double?

    func validate() throws {
        if speed != "max" {
            guard let value = Double(speed), value.isFinite, value > 0 else {
                throw ValidationError("--speed must be a positive number or max (got '\(speed)').")
            }
        }
        if let seconds, !(seconds.isFinite && seconds > 0) {
            throw ValidationError("--seconds must be a positive number (got \(seconds)).")
        }
    }

    func run() throws {
        let chosen = try scenario.map { path throws(ScenarioError) in try SyntheticScenario.load(path: path) } ?? .lowerBackRoller
        let pty = try PseudoTerminalDevice(linkPath: link)
        defer { pty.close() }
        say(pty.path)
        installStopHandlers()
        var device = VirtualDevice(scenario: chosen)
        let served = try pty.serve(&device, speed: speed == "max" ? nil : Double(speed), seconds: seconds) {
            stopRequested.load(ordering: .relaxed)
        }
        if !served, let seconds, !stopRequested.load(ordering: .relaxed) {
            printError("rollsense: no program opened \(link ?? pty.path) within --seconds \(format(seconds, digits: 1)); stopped.")
        }
    }
}
