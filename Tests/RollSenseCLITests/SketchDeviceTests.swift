import Foundation
import RollSenseSimulatorSupport
import RollSenseWire
import Testing
import RollSenseTestSupport

/// A device that is not a RollSense board gets nothing from `live` but the documented probe, and
/// nothing at all once its bytes are text; `tare` sends `t` only when asked (docs/PROTOCOL.md,
/// "Writing to a device").
@Suite(.serialized) struct SketchDeviceTests {
    static let olkalLines = (0..<10).map { "Load_cell output val: \(Double($0) * 1.25)" }

    /// Every byte the host wrote to a text sketch during a live session: none.
    @Test func liveWritesNothingToATextSketch() throws {
        let sketch = try TextSketchDevice(lines: Self.olkalLines, interval: 0.1, banner: ["", "Starting...", "Startup is complete"])
        defer { sketch.stop() }
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["live", "--device", sketch.path, "--json", "--duration", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.contains { $0.contains("\"type\":\"reading\"") }, "\(result.stdout.prefix(500))")
        #expect(sketch.bytesFromHost.isEmpty, "the host wrote \(sketch.bytesFromHost) to a text sketch")
    }

    /// `live --json` names what it reads before the first reading from it: the label, the unit
    /// (null for raw counts) and the rate.
    @Test func liveJSONNamesTheChannelBeforeItsFirstReading() throws {
        let sketch = try TextSketchDevice(lines: Self.olkalLines, interval: 0.1, banner: ["", "Starting...", "Startup is complete"])
        defer { sketch.stop() }
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["live", "--device", sketch.path, "--json", "--duration", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let channels = try #require(result.lines.firstIndex { $0.contains("\"type\":\"channels\"") }, "\(result.stdout.prefix(500))")
        #expect(result.lines[channels] == #"{"type":"channels","labels":["Load_cell output val"],"unit":null,"baud":115200,"text":"reading \"Load_cell output val\" (raw counts) from a text sketch at 115200 baud"}"#)
        let firstReading = try #require(result.lines.firstIndex { $0.contains("\"type\":\"reading\"") })
        #expect(channels < firstReading)
    }

    /// Issue 25: `simulate` playing a text sketch (`textMode: true`, labelled Serial Plotter
    /// lines) gets the `channels` line naming its labels, as the README promises for text sketches.
    @Test func aTextModeScenarioIsNamedLikeAnyTextSketch() throws {
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let scenario = BuiltRollSense.root.appendingPathComponent("Fixtures/sessions/text-75kg-startup-burst.json").path
        let (simulator, path) = try cli.startSimulator(["--scenario", scenario])
        defer { stop(simulator) }
        let result = try cli.run(["live", "--device", path, "--json", "--duration", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let channels = try #require(result.lines.firstIndex { $0.contains("\"type\":\"channels\"") }, "\(result.stdout.prefix(500))")
        let line = try #require(jsonObject(result.lines[channels]))
        #expect(line["labels"] as? [String] == ["ch0_N", "ch1_N", "ch2_N", "ch3_N"], "\(result.lines[channels])")
        #expect(line["unit"] as? String == "N", "\(result.lines[channels])")
        let firstReading = try #require(result.lines.firstIndex { $0.contains("\"type\":\"reading\"") })
        #expect(channels < firstReading)
    }

    /// Issue 25: one load cell cannot tell left from right, so its readings and events name the
    /// whole area (`lower-back`), never a side.
    @Test func aSingleLoadCellIsReportedOnTheWholeAreaNotASide() throws {
        let lines = (0..<40).map { "Reading: \(Double($0 % 20) * 4.5) lbs" }
        let sketch = try TextSketchDevice(lines: lines, interval: 0.05, banner: ["HX711 scale demo"])
        defer { sketch.stop() }
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["live", "--device", sketch.path, "--json", "--duration", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let areas = Set(result.lines.compactMap(jsonObject).compactMap { $0["area"] as? String })
        #expect(areas == ["lower-back"], "\(result.stdout.prefix(800))")
    }

    /// A device that says nothing gets the probe (at most three times) and nothing else: no
    /// letter, digit or line end a sketch could take as a command.
    @Test func silentDeviceGetsOnlyTheProbe() throws {
        let sketch = try TextSketchDevice(lines: [], interval: 1_000)
        defer { sketch.stop() }
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["live", "--device", sketch.path, "--baud", "115200", "--json", "--duration", "3"], timeoutSeconds: 60)
        #expect(result.status == 69, "\(result.stderr)")
        let sent = sketch.bytesFromHost
        let probes = sent.count / WritePolicy.probe.count
        #expect(probes >= 1 && probes <= WritePolicy.maximumProbes, "\(sent)")
        #expect(sent == Array(repeatElement(WritePolicy.probe, count: probes).joined()), "\(sent)")
    }

    @Test func tareSendsTheLetterOnlyAndReportsTheAnswer() throws {
        let sketch = try TextSketchDevice(lines: Self.olkalLines, interval: 0.1, tareReply: "Tare complete")
        defer { sketch.stop() }
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["tare", "--device", sketch.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Tare complete"))
        #expect(sketch.bytesFromHost == [UInt8(ascii: "t")])
    }

    @Test func tareWithoutAnAnswerSaysSoAndExits69() throws {
        let sketch = try TextSketchDevice(lines: Self.olkalLines, interval: 0.1)
        defer { sketch.stop() }
        let cli = try BuiltRollSense()
        defer { cli.removeHome() }
        let result = try cli.run(["tare", "--device", sketch.path, "--timeout", "1"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("did not answer \"Tare complete\""), "\(result.stderr)")
    }
}
