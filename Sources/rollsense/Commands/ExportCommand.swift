#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// `rollsense export`: a recording as CSV (one row per sample) and optionally its events as JSON lines.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a recording as CSV, one row per sample, for spreadsheets and pandas.",
        discussion: """
            Columns: time_s (device time since the first sample), raw_0.. (the device's values \
            per channel, as sent), \(CSVExporter.readingColumns.joined(separator: ", ")) (zone as \
            the alarms hold it, zone_now the load's zone this instant; contact 1/0; area such as \
            lower-back.left), then position columns with a rotation or motion sensor. The samples \
            go through the same pipeline as live. --events writes every event as a JSON line.

            Examples:
              rollsense export today.rscap --csv today.csv
              rollsense export today.rscap --csv today.csv --events today-events.jsonl
            """
    )

    @OptionGroup var capture: CaptureOptions

    @Option(help: ArgumentHelp("Write the CSV here (replaced, once complete, if it exists; never the recording itself).", valueName: "out.csv"))
    var csv: String

    @Option(help: ArgumentHelp("Also write the events as JSON lines here.", valueName: "out.jsonl"))
    var events: String?

    func run() throws {
        let setup = try CaptureSessionSetup.open(capture, verb: "export")
        if let events, events == csv || sameFile(events, csv) {
            throw CommandFailure.usage("--events \(events) is the --csv file too: give each output its own path.")
        }
        // Both outputs are opened before anything is written: one that cannot be written stops
        // the command with every existing file as it was.
        let csvFile = try OutputFile(path: csv, option: "--csv", inputs: [capture.file])
        let eventsFile = try events.map { try OutputFile(path: $0, option: "--events", inputs: [capture.file]) }
        var exporter: CSVExporter?
        var writeError: (any Error)?
        let (_, _) = try CaptureAnalysis.run(
            setup: setup, progress: ProgressBar(totalBytes: fileSize(capture.file)),
            onSample: { sample, reading, seconds in
                guard writeError == nil else { return }
                do {
                    if exporter == nil {
                        exporter = CSVExporter(channelCount: sample.channelCount, hasPosition: reading.position != nil,
                                               hasGrid: reading.position?.isTwoDimensional == true)
                        try csvFile.writeLine(exporter!.header)
                    }
                    try csvFile.writeLine(exporter!.row(sample: sample, reading: reading, sessionSeconds: seconds))
                } catch { writeError = error }
            },
            onEvent: { event, seconds in
                guard writeError == nil, let eventsFile else { return }
                do { try eventsFile.writeLine(JSONText.eventLine(event, sessionSeconds: seconds, message: EventWording.sentence(event, profile: setup.profile))) } catch { writeError = error }
            })
        if let writeError { throw writeError }
        if exporter == nil { try csvFile.writeLine(CSVExporter(channelCount: 1).header) }
        try csvFile.commit()
        try eventsFile?.commit()
        setup.printWarnings()
    }
}
