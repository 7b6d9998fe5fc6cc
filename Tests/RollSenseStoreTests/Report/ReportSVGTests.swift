import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RollSenseSignal
import RollSenseStore
import Testing

@Suite("ReportSVG")
struct ReportSVGTests {
    /// Collects element names, their attributes and text while parsing.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((elementName, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    static func render(title: String = "Session & <test>") -> String {
        var report = SessionStatistics()
        var envelope = ForceEnvelope()
        for index in 0..<ReportTestData.readingCount {
            let reading = ReportTestData.reading(index: index)
            report.add(reading)
            envelope.add(forceNewtons: reading.forceNewtons, atMicroseconds: reading.deviceTimeMicroseconds)
        }
        report.add(ReportTestData.event(.zone, .caution, .start, .zoneCaution, atIndex: 300), sessionSeconds: 3.0)
        report.add(ReportTestData.event(.zone, .stop, .start, .zoneStop, atIndex: 350), sessionSeconds: 3.5)
        return ReportSVG.render(title: title, envelope: envelope, report: report,
                                zones: ZoneEdges(targetNewtons: 50, cautionNewtons: 250, stopNewtons: 400), message: { $0.reason.rawValue })
    }

    static func parse(_ svg: String) throws -> Collector {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        let ok = parser.parse()
        #expect(ok, "XML error: \(String(describing: parser.parserError))")
        return collector
    }

    @Test func isWellFormedSVGWithEscapedTitle() throws {
        let collector = try Self.parse(Self.render())
        #expect(collector.elements.first?.name == "svg")
        #expect(collector.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(collector.text.contains("Session & <test>"))
    }

    @Test func hasZoneBandsAlertMarkersAxesAndLegend() throws {
        let collector = try Self.parse(Self.render())
        let classes = collector.elements.compactMap { $0.attributes["class"] }
        #expect(classes.filter { $0.hasPrefix("zone-") } == ["zone-light", "zone-target", "zone-caution", "zone-stop"])
        #expect(classes.filter { $0.hasPrefix("alert-") } == ["alert-caution", "alert-stop"])
        let ids = Set(collector.elements.compactMap { $0.attributes["id"] })
        #expect(ids.isSuperset(of: ["zones", "axes", "force", "alerts", "legend"]))
        #expect(collector.text.contains("Time (s)"))
        #expect(collector.text.contains("Force (N)"))
        #expect(collector.text.contains("stop \u{2265} 400 N"))
    }

    @Test func theCautionAlertSitsAtItsTime() throws {
        let collector = try Self.parse(Self.render())
        // 3.0 s of 4.49 s across the 864-pixel plot that starts at x = 72.
        let line = try #require(collector.elements.first { $0.name == "line" && $0.attributes["stroke"] == "#e67e22" })
        let x = try #require(Double(line.attributes["x1"] ?? ""))
        #expect(abs(x - (72 + 3.0 / 4.49 * 864)) < 0.1)
    }

    @Test func anEightHourSessionStaysSmall() throws {
        var report = SessionStatistics()
        var envelope = ForceEnvelope()
        for index in stride(from: 0, to: 8 * 3600 * 100, by: 1) {
            let t = Int64(index) * 10_000
            envelope.add(forceNewtons: 200 + 100 * sin(Double(index) * 0.01), atMicroseconds: t)
            if index % 100 == 0 {
                var reading = ReportTestData.reading(index: 150)
                reading.deviceTimeMicroseconds = t
                report.add(reading)
            }
        }
        let svg = ReportSVG.render(title: "8 h", envelope: envelope, report: report, zones: nil, message: { $0.reason.rawValue })
        #expect(svg.utf8.count < 200_000)
        let collector = try Self.parse(svg)
        #expect(collector.text.contains("Time (min)"))
    }
}

@Suite("ReportSVG body map")
struct ReportBodyMapTests {
    /// ReportTestData's session with a position: the tool rolls 0-99 mm while in contact
    /// (readings 100-399), lifted (no position) for readings 250-259.
    static func report() -> SessionStatistics {
        var report = SessionStatistics()
        for index in 0..<ReportTestData.readingCount {
            var reading = ReportTestData.reading(index: index)
            if reading.contact {
                let millimetres = Double(index % 100)
                let known = !(250..<260).contains(index)
                reading.position = PositionReading(
                    millimetres: known ? millimetres : nil, band: known ? Int(millimetres / 20) : nil, isStill: false,
                    driftBoundMillimetres: 1, reanchors: index >= 260 ? 1 : 0, strokes: index / 50)
            }
            report.add(reading)
        }
        return report
    }

    @Test func bandsSumToTheContactTimeWithTheUnknownShare() {
        let report = Self.report()
        #expect(report.positionBands.keys.sorted() == [0, 1, 2, 3, 4])
        let banded = report.positionBands.values.reduce(0) { $0 + $1.seconds }
        #expect(abs(banded + report.positionUnknownSeconds - report.contactSeconds) < 1e-9)
        #expect(report.positionUnknownSeconds > 0)
        #expect(report.positionReanchors == 1)
        #expect(report.positionBands[4]!.peakKilopascals == 30)
    }

    @Test func svgHasABarPerBandAndSaysWhereZeroIs() throws {
        let svg = ReportSVG.render(title: "roller", envelope: ForceEnvelope(), report: Self.report(), zones: nil, message: { $0.reason.rawValue })
        let collector = try ReportSVGTests.parse(svg)
        #expect(collector.elements.first?.attributes["height"] == String(ReportSVG.heightPixels + ReportSVG.bodyMapHeightPixels))
        #expect(collector.elements.contains { $0.attributes["id"] == "body-map" })
        #expect(collector.elements.filter { $0.attributes["class"] == "band" }.count == 5)
        #expect(collector.text.contains("0 = where the first contact began"))
        #expect(collector.text.contains("re-placed 1x"))
        #expect(collector.text.contains("0-2 cm:"))
        // Without positions, no body map and the usual height.
        let plain = try ReportSVGTests.parse(ReportSVGTests.render())
        #expect(!plain.elements.contains { $0.attributes["id"] == "body-map" })
        #expect(plain.elements.first?.attributes["height"] == String(ReportSVG.heightPixels))
    }
}
