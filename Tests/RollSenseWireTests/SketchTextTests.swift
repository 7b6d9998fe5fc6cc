import Foundation
import Testing
@testable import RollSenseWire

/// One format of Fixtures/sketch-text/manifest.json: what a sketch prints and what it must give.
struct SketchTextFixture: Sendable, CustomStringConvertible, Decodable {
    var name: String
    var sketch: String
    var baud: Int
    var labels: [String]
    var unit: String?
    var startsMidLine: Bool
    var values: [[Double]]

    var description: String { name }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sketch-text")

    static let all: [SketchTextFixture] = {
        let url = directory.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url),
              let fixtures = try? JSONDecoder().decode([SketchTextFixture].self, from: data)
        else { fatalError("cannot read \(url.path)") }
        return fixtures
    }()

    var bytes: [UInt8] {
        guard let data = try? Data(contentsOf: Self.directory.appendingPathComponent(name + ".txt")) else {
            fatalError("cannot read the fixture \(name).txt")
        }
        return Array(data)
    }
}

@Suite struct SketchTextTests {
    /// Every fixture through the same auto-detecting decoder the live port uses, in one chunk and
    /// byte by byte: the values, the quantity and the channel labels the manifest gives.
    @Test(arguments: SketchTextFixture.all)
    func fixtureGivesItsValues(_ fixture: SketchTextFixture) {
        for chunk in [Int.max, 1, 7] {
            var decoder = WireDecoder()
            var samples: [Sample] = []
            var channels: [TextChannels] = []
            var kinds: [WireProtocolKind] = []
            let bytes = fixture.bytes
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start &+ chunk)
                decoder.feed(Array(bytes[start..<end]), hostTimeMicroseconds: Int64(start)) { event in
                    switch event {
                    case .sample(let sample): samples.append(sample)
                    case .textChannels(let named): channels.append(named)
                    case .protocolDetected(let kind): kinds.append(kind)
                    default: break
                    }
                }
                start = end
            }
            #expect(kinds == [.text], "\(fixture.name)")
            let got = samples.map { sample in (0..<sample.channelCount).map { sample.values[$0] } }
            #expect(got.count == fixture.values.count, "\(fixture.name) chunk \(chunk): \(got)")
            for (row, expected) in zip(got, fixture.values) {
                #expect(row.count == expected.count, "\(fixture.name): \(row) vs \(expected)")
                for (value, truth) in zip(row, expected) {
                    #expect(abs(value - truth) <= 1e-9 * max(1, abs(truth)), "\(fixture.name): \(row) vs \(expected)")
                }
            }
            let quantity: SampleQuantity = fixture.unit == nil ? .rawCounts : .newtons
            #expect(samples.allSatisfy { $0.quantity == quantity }, "\(fixture.name)")
            if fixture.labels.isEmpty {
                #expect(channels.isEmpty, "\(fixture.name): a Serial Plotter line names no channel")
            } else {
                #expect(channels == [TextChannels(labels: fixture.labels, unit: fixture.unit.flatMap { ForceUnit(label: $0) })],
                        "\(fixture.name)")
            }
        }
    }

    @Test(arguments: [
        ("HX711 reading: 84111", ["HX711 reading"], [84111.0], nil),
        ("Load_cell 1 output val: 1.20    Load_cell 2 output val: 3.40", ["Load_cell 1 output val", "Load_cell 2 output val"], [1.2, 3.4], nil),
        ("Analog reading = 512 - Medium squeeze", ["Analog reading"], [512], nil),
        ("one reading:\t1.2\t| average:\t1.3", ["one reading"], [1.2], nil),
        ("Reading: 1.2 lbs", ["Reading"], [1.2 * ForceUnit.newtonsPerPoundForce], ForceUnit.pounds),
        ("Weight 12.5 kg", ["Weight"], [12.5 * 9.80665], .kilograms),
        ("Force (N): 3", ["Force (N)"], [3], .newtons),
        ("Load: 450g", ["Load"], [450 * 9.80665 / 1000], .grams),
        ("left=1 right=2", ["left", "right"], [1, 2], nil),
        ("Reading: 1.2 lbs calibration_factor: -7050", ["Reading"], [1.2 * ForceUnit.newtonsPerPoundForce], .pounds),
        ("force_N 4 5", ["force_N"], [4], .newtons),
    ] as [(String, [String], [Double], ForceUnit?)])
    func grammar(_ line: String, _ labels: [String], _ values: [Double], _ unit: ForceUnit?) {
        let parsed = SketchTextLine.parse(line)
        #expect(parsed?.fields.map(\.label) == labels, "\(line)")
        #expect(parsed.map { $0.fields.map(\.value) }.map { zip($0, values).allSatisfy { abs($0 - $1) < 1e-9 } && $0.count == values.count } == true, "\(line): \(String(describing: parsed))")
        #expect(parsed?.fields.first?.unit == unit, "\(line)")
    }

    /// Banners, prompts and status lines are not readings, nor are numbers inside prose.
    @Test(arguments: [
        "HX711 Demo", "Starting...", "Startup is complete", "Readings:", "Status: ready", "Tare complete",
        "Please wait 5 seconds", "Tare done in 2 s", "", "   ", "weight: nan kg", "1.2 ovf", "Timeout, check MCU>HX711 no.1 wiring",
        "caf\u{E9}: 12",
    ])
    func notReadings(_ line: String) {
        #expect(SketchTextLine.parse(line) == nil, "\(line)")
    }

    /// A layout must repeat before it gives numbers: a one-off line never does.
    @Test func oneOffLinesGiveNothing() {
        var parser = PlotterTextParser(startsMidLine: false)
        var samples: [Sample] = []
        var channels: [TextChannels] = []
        parser.feed(Array("read: 8345671\r\nread average: 8345690\r\nget value: 12\r\nCalibration value: 2280\r\n".utf8),
                    hostTimeMicroseconds: 1, onChannels: { channels.append($0) }) { samples.append($0) }
        #expect(samples.isEmpty && channels.isEmpty)
        #expect(parser.counters.malformedLines == 4)
    }

    /// The first line of a layout is held until it is confirmed, then given with its own time.
    @Test func confirmedLayoutKeepsItsFirstLine() {
        var parser = PlotterTextParser(startsMidLine: false)
        var samples: [Sample] = []
        parser.feed(Array("w: 1 kg\r\n".utf8), hostTimeMicroseconds: 10) { samples.append($0) }
        #expect(samples.isEmpty)
        parser.feed(Array("w: 2 kg\r\nbanner\r\nw: 3 kg\r\n".utf8), hostTimeMicroseconds: 20) { samples.append($0) }
        #expect(samples.map(\.deviceTimeMicroseconds) == [10, 20, 21])
        #expect(samples.map(\.sequence) == [0, 1, 2])
        #expect(parser.counters.samples == 3 && parser.counters.sketchLines == 3 && parser.counters.malformedLines == 1)
        #expect(parser.counters.discardedBytes == "banner\r\n".utf8.count)
    }

    /// A sketch that changes what it prints is followed once the new layout repeats.
    @Test func newLayoutTakesOver() {
        var parser = PlotterTextParser(startsMidLine: false)
        var channels: [TextChannels] = []
        var samples: [Sample] = []
        parser.feed(Array("a: 1\na: 2\nb: 5 N\nb: 6 N\na: 3\n".utf8), hostTimeMicroseconds: 0,
                    onChannels: { channels.append($0) }) { samples.append($0) }
        #expect(channels.map(\.labels) == [["a"], ["b"]])
        #expect(samples.map { $0.values[0] } == [1, 2, 5, 6])
        #expect(samples.map(\.quantity) == [.rawCounts, .rawCounts, .newtons, .newtons])
    }
}
