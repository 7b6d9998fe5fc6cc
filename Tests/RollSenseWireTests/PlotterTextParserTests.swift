import Testing
@testable import RollSenseWire

@Suite struct PlotterTextParserTests {
    /// Parses `text` fed in `chunks`-sized pieces, starting at a line start.
    static func parse(_ text: String, startsMidLine: Bool = false, hostTime: Int64 = 77) -> ([Sample], PlotterTextCounters) {
        var parser = PlotterTextParser(startsMidLine: startsMidLine)
        var samples: [Sample] = []
        parser.feed(Array(text.utf8), hostTimeMicroseconds: hostTime) { samples.append($0) }
        return (samples, parser.counters)
    }

    static func values(_ sample: Sample) -> [Double] {
        (0..<sample.channelCount).map { sample.values[$0] }
    }

    @Test(arguments: [
        ("12 34\n", [12.0, 34]), ("12\t34\n", [12, 34]), ("12,34\n", [12, 34]), ("12, 34\n", [12, 34]),
        ("  12 \t,, 34  \n", [12, 34]), ("-1.5 2e2\n", [-1.5, 200]), ("a:1 b:2 c:3\n", [1, 2, 3]),
        ("7\r\n", [7]), ("1 2 3 4\n", [1, 2, 3, 4]), ("sensor_1:5\n", [5]), (":5\n", [5]),
    ])
    func separatorsAndLabels(_ text: String, _ expected: [Double]) {
        let (samples, counters) = Self.parse(text)
        #expect(samples.count == 1)
        #expect(samples.first.map(Self.values) == expected)
        #expect(samples.first?.quantity == .rawCounts)
        #expect(counters.samples == 1 && counters.malformedLines == 0)
    }

    @Test(arguments: [
        ("force_N:10\n", 10.0), ("N:2.5\n", 2.5), ("push_newtons:3\n", 3), ("Newton:4\n", 4),
        ("load_kg:1\n", 9.80665), ("weight_g:1000\n", 9.80665), ("lbs:1\n", 4.448222), ("pull_LB:2\n", 8.896444),
        ("FORCE_n:1\n", 1),
    ])
    func unitLabelsAreForceInNewtons(_ text: String, _ newtons: Double) {
        let (samples, _) = Self.parse(text)
        #expect(samples.first?.quantity == .newtons)
        #expect(abs((samples.first?.values[0] ?? .nan) - newtons) < 1e-9)
    }

    @Test func sampleCarriesHostTimeAndLineSequence() {
        let (samples, _) = Self.parse("1\njunk\n2\n3\n", hostTime: 123_456)
        #expect(samples.map(\.deviceTimeMicroseconds) == [123_456, 123_457, 123_458], "one read's lines, 1 µs apart")
        #expect(samples.map(\.sequence) == [0, 1, 2])
    }

    @Test(arguments: [
        "\n", "   \n", "\r\n", "RollSense ready\n", "value: 1\n", "1 two 3\n", "force_N:1 7\n", "nan\n", "1\u{7}2\n", "x:\n",
        "1 2 ovf\n",
    ])
    func junkLinesAreMalformed(_ text: String) {
        let (samples, counters) = Self.parse(text)
        #expect(samples.isEmpty)
        #expect(counters.malformedLines == 1)
        #expect(counters.discardedBytes == text.utf8.count)
    }

    @Test func moreThanFourValuesAreIgnoredAndCounted() {
        let (samples, counters) = Self.parse("1 2 3 4 5 6\n")
        #expect(samples.first.map(Self.values) == [1, 2, 3, 4])
        #expect(counters.ignoredValues == 2)
    }

    @Test func partialFirstLineIsDropped() {
        let (samples, counters) = Self.parse("34 56\n1 2\n", startsMidLine: true)
        #expect(samples.map(Self.values) == [[1, 2]])
        #expect(counters.discardedBytes == 6)
        #expect(counters.malformedLines == 0)
    }

    @Test func lineLimitIs256BytesWithoutTheLineEnd() {
        let fits = String(repeating: "1", count: 254) + " 2"
        let tooLong = String(repeating: "1", count: 255) + " 2"
        let huge = String(repeating: "9 ", count: 1000)
        let (samples, counters) = Self.parse(fits + "\r\n" + tooLong + "\n" + huge + "\n" + "5\n")
        #expect(samples.count == 2)
        #expect(samples.last.map(Self.values) == [5])
        #expect(counters.oversizeLines == 2)
        #expect(counters.discardedBytes == tooLong.utf8.count + 1 + huge.utf8.count + 1)
    }

    @Test func unfinishedLineWaitsForItsEnd() {
        var parser = PlotterTextParser(startsMidLine: false)
        var samples: [Sample] = []
        parser.feed(Array("12 3".utf8), hostTimeMicroseconds: 1) { samples.append($0) }
        #expect(samples.isEmpty)
        parser.feed(Array("4\r".utf8), hostTimeMicroseconds: 2) { samples.append($0) }
        parser.feed(Array("\n".utf8), hostTimeMicroseconds: 3) { samples.append($0) }
        #expect(samples.map(Self.values) == [[12, 34]])
        #expect(samples.first?.deviceTimeMicroseconds == 3)  // the time the line was complete
    }

    @Test func sameSamplesInEveryChunking() {
        let text = "partial 1\nforce_N:1.5,load_kg:2\n\r\n10 20 30 40 50\nbanner text\n-3e1\t4\r\n"
            + String(repeating: "7", count: 300) + "\n8\n"
        let bytes = Array(text.utf8)
        var reference: [Sample] = []
        var referenceParser = PlotterTextParser()
        referenceParser.feed(bytes, hostTimeMicroseconds: 0) { reference.append($0) }
        #expect(reference.count == 4)
        for (label, chunks) in Chunking.all(bytes, randomCount: 30) {
            var parser = PlotterTextParser()
            var samples: [Sample] = []
            for chunk in chunks { parser.feed(chunk, hostTimeMicroseconds: 0) { samples.append($0) } }
            #expect(samples == reference, "\(label)")
            #expect(parser.counters == referenceParser.counters, "\(label)")
        }
    }
}
