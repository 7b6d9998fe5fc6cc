import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import RollSenseTestSupport

@Suite("rollsense report and export")
struct ReportExportCommandTests {
    @Test func reportJSONMatchesTheReplaySummary() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let file = BuiltRollSense.fixture("firmware-massage-ball.rscap")
        let report = try rollsense.run(["report", file, "--json"])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        let figures = try #require(report.lines.last.flatMap(jsonObject))
        let replay = try #require(try rollsense.run(["replay", file, "--json"]).lines.last.flatMap(jsonObject))
        #expect(figures["samples"] as? Int == replay["samples"] as? Int)
        #expect(abs((figures["peakForceN"] as? Double ?? 0) - (replay["peakForceN"] as? Double ?? -1)) < 0.1)
        #expect(abs((figures["contactS"] as? Double ?? 0) - (replay["contactS"] as? Double ?? -1)) < 0.05)
        #expect((figures["alerts"] as? [Any])?.count == (replay["alerts"] as? [Any])?.count)
        // Holds count time still on one spot; this recording's longest is under the 90 s limit.
        #expect(figures["holds"] as? Int == replay["holds"] as? Int)
    }

    /// Issue 25: the report's JSON and the replay's summary say the board was gone (the synthetic
    /// capture's link drops once), not only the text.
    @Test func reportAndSummaryJSONSayTheBoardWasGone() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let file = BuiltRollSense.fixture("session-clean.rscap")
        let report = try #require(try rollsense.run(["report", file, "--json"]).lines.last.flatMap(jsonObject))
        let replay = try #require(try rollsense.run(["replay", file, "--json"]).lines.last.flatMap(jsonObject))
        #expect(report["boardGoneCount"] as? Int == 1, "\(report)")
        #expect(replay["boardGoneCount"] as? Int == 1, "\(replay)")
        #expect(report["boardGoneS"] as? Double != nil && replay["boardGoneS"] as? Double != nil)
    }

    @Test func svgIsWellFormedXMLWithTheChartParts() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let out = rollsense.path("chart.svg")
        let result = try rollsense.run(["report", BuiltRollSense.fixture("firmware-massage-ball.rscap"), "--svg", out])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // The jump, caution and stop (this FSR recording's counts read as newtons stay inside the
        // reference roller rig's 4413 N range: no over range).
        #expect(result.stdout.range(of: #"\n  Alerts +3\n"#, options: .regularExpression) != nil, "\(result.stdout)")
        let data = try #require(FileManager.default.contents(atPath: out))
        let parser = XMLParser(data: data)
        let collector = ElementCollector()
        parser.delegate = collector
        #expect(parser.parse(), "XML error: \(String(describing: parser.parserError))")
        #expect(collector.names.first == "svg")
        let classes = collector.classes
        #expect(classes.filter { $0.hasPrefix("zone-") }.count == 4)
        // The jump and caution (both at 3 s) share one 3-pixel slot; stop has its own.
        #expect(classes.filter { $0.hasPrefix("alert-") }.count == 2)
        #expect(collector.text.contains("Force (N)"))
    }

    /// Issue 25: `export --help` names every column the CSV has (zone_now was missing).
    @Test func exportHelpNamesEveryColumn() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let csv = rollsense.path("out.csv")
        #expect(try rollsense.run(["export", BuiltRollSense.fixture("session-clean.rscap"), "--csv", csv]).status == 0)
        let header = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        let help = try rollsense.run(["export", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        for column in header.split(separator: ",") where !column.hasPrefix("raw_") {
            #expect(help.contains(column), "export --help omits \(column):\n\(help)")
        }
        #expect(help.contains("zone_now"))
    }

    @Test func csvColumnsHoldTheFixturesKnownValues() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let csv = rollsense.path("out.csv"), events = rollsense.path("events.jsonl")
        let result = try rollsense.run(["export", BuiltRollSense.fixture("session-clean.rscap"), "--csv", csv, "--events", events])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["time_s", "raw_0", "raw_1", "force_n", "pressure_kpa", "zone", "zone_now", "contact", "area"])
        #expect(rows.count == 61)
        // Fixtures/captures/make_captures.py: sample i 10 ms after the one before, channel 0 a
        // triangle of 1500 counts a step up to sample 30 and back, channel 1 = 200 + i.
        for (index, row) in rows.dropFirst().enumerated() {
            #expect(abs((Double(row[0]) ?? -1) - Double(index) * 0.01) < 1e-9)
            #expect(Int(row[1]) == (index < 30 ? index : 60 - index) * 1500)
            #expect(Int(row[2]) == 200 + index)
            #expect(row[8] == "lower-back.left")
            #expect(["0", "1"].contains(row[7]))
            #expect(["none", "light", "target", "caution", "stop", "fault"].contains(row[6]), "zone_now \(row[6])")
        }
        let eventLines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
        #expect(!eventLines.isEmpty)
        #expect(eventLines.allSatisfy { jsonObject(String($0))?["type"] as? String == "event" })
    }

    @Test func exportOfANonCaptureIsADataError() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(["export", BuiltRollSense.fixture("not-a-capture.txt"), "--csv", rollsense.path("x.csv")])
        #expect(result.status == 65)
    }
}

/// Element names, `class` attributes and text of an XML document.
final class ElementCollector: NSObject, XMLParserDelegate {
    var names: [String] = []
    var classes: [String] = []
    var text = ""
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        names.append(elementName)
        if let value = attributes["class"] { classes.append(value) }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
