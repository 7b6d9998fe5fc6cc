import ArgumentParser
import Foundation
import RollSenseSignal
import RollSenseKit
import RollSenseStore

/// `rollsense report`: a recording's figures, and a chart of force over time.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise a recording: times, forces, pressures, zones, holds, alerts; an SVG chart.",
        discussion: """
            The recording goes through the same pipeline as live. --svg writes a chart of force \
            over time with the zone bands shaded and alerts marked (open it in a browser).

            Examples:
              rollsense report today.rscap
              rollsense report today.rscap --json
              rollsense report today.rscap --svg today.svg
            """
    )

    @OptionGroup var capture: CaptureOptions

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Write a chart of force over time as SVG here (replaced if it exists).", valueName: "out.svg"))
    var svg: String?

    func run() throws {
        let setup = try CaptureSessionSetup.open(capture, verb: "report")
        let svgFile = try svg.map { try OutputFile(path: $0, option: "--svg", inputs: [capture.file]) }
        var envelope = ForceEnvelope()
        let (report, _) = try CaptureAnalysis.run(
            setup: setup, progress: ProgressBar(totalBytes: fileSize(capture.file)),
            onSample: { _, reading, _ in
                envelope.add(forceNewtons: reading.forceNewtons, atMicroseconds: reading.deviceTimeMicroseconds)
            },
            onEvent: { _, _ in })
        setup.printWarnings()
        let metadata = setup.source.reader.metadata
        let start = metadata.startWallClock
            ?? Date(timeIntervalSince1970: Double(setup.source.reader.header.startUnixMicroseconds) * 1e-6)
        if let svgFile {
            let title = "RollSense \(LiveViewState.regionName(setup.profile.region)), \(setup.profile.tool.spelling), "
                + "\(Self.isoMinute(start)) UTC, \(clock(report.durationSeconds))"
            let document = ReportSVG.render(title: title, envelope: envelope, report: report,
                                            zones: zoneEdgesNewtons(profile: setup.profile, bodyMassKilograms: setup.bodyMassKilograms),
                                            message: { EventWording.sentence($0, profile: setup.profile) })
            try svgFile.writeLine(document)
            try svgFile.commit()
        }
        say(json ? Self.jsonText(report, setup: setup, start: start) : Self.text(report, setup: setup, start: start))
    }

    static func isoMinute(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate, .withSpaceBetweenDateAndTime]
        return String(formatter.string(from: date).prefix(16))
    }

    static func text(_ report: SessionStatistics, setup: CaptureSessionSetup, start: Date) -> String {
        let profile = setup.profile
        return SummaryText.render(report, title: "RollSense report: \(profile.name), started \(isoMinute(start)) UTC", profile: profile,
                                  showsDailyTotal: false, maximumAlertLines: nil, columns: standardOutputColumns(),
                                  origins: setup.origins, bodyMassKilograms: setup.bodyMassKilograms)
    }

    /// The position fields of the JSON report, empty without a rotation sensor.
    static func positionJSON(_ report: SessionStatistics) -> String {
        guard !report.positionBands.isEmpty else { return "" }
        let bands = report.positionBands.sorted { $0.key < $1.key }.map { band, totals in
            "{\"fromMm\":\(number(Double(band) * report.bandMillimetres, digits: 1)),\"toMm\":\(number(Double(band + 1) * report.bandMillimetres, digits: 1)),\"contactS\":\(number(totals.seconds, digits: 3)),\"peakPressureKPa\":\(number(totals.peakKilopascals, digits: 3))}"
        }.joined(separator: ",")
        let cellMillimetres = report.bandMillimetres
        let cells = report.positionCells.isEmpty ? "" : ",\"cells\":[" + report.positionCells.sorted { $0.key < $1.key }.map { cell, totals in
            "{\"acrossFromMm\":\(number(Double(cell.column) * cellMillimetres, digits: 1)),\"acrossToMm\":\(number(Double(cell.column + 1) * cellMillimetres, digits: 1)),\"fromMm\":\(number(Double(cell.band) * cellMillimetres, digits: 1)),\"toMm\":\(number(Double(cell.band + 1) * cellMillimetres, digits: 1)),\"contactS\":\(number(totals.seconds, digits: 3)),\"peakPressureKPa\":\(number(totals.peakKilopascals, digits: 3))}"
        }.joined(separator: ",") + "]"
        return ",\"position\":{\"bands\":[\(bands)]\(cells),\"unknownS\":\(number(report.positionUnknownSeconds, digits: 3)),\"reanchors\":\(report.positionReanchors),\"strokes\":\(report.strokes)}"
    }

    static func jsonText(_ report: SessionStatistics, setup: CaptureSessionSetup, start: Date) -> String {
        let profile = setup.profile
        func object(_ values: [String: Double]) -> String {
            "{" + values.sorted { $0.key < $1.key }.map { "\(quote($0.key)):\(number($0.value, digits: 3))" }.joined(separator: ",") + "}"
        }
        let alerts = report.alerts.map {
            "{\"t\":\(number($0.sessionSeconds, digits: 3)),\"kind\":\(quote($0.kind)),\"level\":\(quote($0.level)),\"message\":\(quote(EventWording.sentence($0.event, profile: profile)))}"
        }.joined(separator: ",")
        return "{\"type\":\"report\",\"profile\":\(quote(profile.name)),\"start\":\(quote(isoMinute(start))),\"samples\":\(report.sampleCount),\"durationS\":\(number(report.durationSeconds, digits: 3)),\"contactS\":\(number(report.contactSeconds, digits: 3)),\"contactSByArea\":\(object(report.contactSecondsByArea)),\"peakForceN\":\(number(report.peakForceNewtons, digits: 2)),\"meanForceN\":\(number(report.meanForceNewtons, digits: 2)),\"peakPressureKPa\":\(number(report.peakPressureKilopascals, digits: 3)),\"meanPressureKPa\":\(number(report.meanPressureKilopascals, digits: 3)),\"secondsByZone\":\(object(report.secondsByZone)),\"holds\":\(report.holdCount),\"longestHoldS\":\(number(report.longestHoldSeconds, digits: 3)),\"alertCount\":\(report.alertCount),\"boardGoneS\":\(number(report.boardGoneSeconds, digits: 3)),\"boardGoneCount\":\(report.boardGoneCount),\"alerts\":[\(alerts)],\"painMarks\":\(LimitText.painMarksJSON(report)),\"limits\":{\(LimitText.json(profile.zones, origins: setup.origins))}\(positionJSON(report))}"
    }
}
