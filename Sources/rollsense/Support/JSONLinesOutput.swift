#if canImport(Glibc)
import Glibc
#endif
import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// JSON lines on standard output, one object per line: `limits` (live, first), `reading`, `event`, `device`, `channels`,
/// `summary`.
/// Hand-written with fixed decimals so the same session always gives the same bytes.
final class JSONLinesOutput: SessionSink {
    private let write: (String) -> Void
    private let profile: Profile
    private let waitNotice: ((String) -> Void)?
    private let durationSeconds: Double?
    private let baudRate: Int?

    /// `waitNotice` (live only) hears, in words, why the session waits when the board is gone;
    /// `baudRate` is the line rate the device was read at, when known.
    init(profile: Profile, durationSeconds: Double? = nil, baudRate: Int? = nil, waitNotice: ((String) -> Void)? = nil,
         write: @escaping (String) -> Void = JSONLinesOutput.standardOutput) {
        self.write = write
        self.profile = profile
        self.durationSeconds = durationSeconds
        self.baudRate = baudRate
        self.waitNotice = waitNotice
    }

    static func standardOutput(_ line: String) {
        say(line)
    }

    func sessionDidIdentify(_ info: DeviceInfo) {
        write("{\"type\":\"device\",\"board\":\(quote(info.board.description)),\"firmware\":\(quote(info.firmwareVersion.description)),\"deviceId\":\(info.deviceID),\"sampleRateHz\":\(info.sampleRateHz),\"channels\":\(info.channelCount)}")
    }

    /// A text sketch's values that became the channels, before the first reading from them:
    /// `{"type":"channels","labels":["Weight"],"unit":"kg","baud":57600,"text":"reading ..."}`
    /// (`unit` null for raw counts, `baud` null when not known).
    func sessionDidNameChannels(_ channels: TextChannels) {
        let labels = channels.labels.map(quote).joined(separator: ",")
        let unit = channels.unit.map { quote($0.symbol) } ?? "null"
        let baud = baudRate.map(String.init) ?? "null"
        write("{\"type\":\"channels\",\"labels\":[\(labels)],\"unit\":\(unit),\"baud\":\(baud),\"text\":\(quote(SourceWording.phrases(channels, baudRate: baudRate)[0]))}")
    }

    /// With a rotation sensor: where the tool is (null out of contact or without an angle);
    /// `positionMm` is along the back, and a ball adds `acrossMm` and its grid `column`.
    static func positionFields(_ position: PositionReading?) -> String {
        guard let position else { return "" }
        let millimetres = position.millimetres.map { number($0, digits: 1) } ?? "null"
        let band = position.band.map(String.init) ?? "null"
        let across = !position.isTwoDimensional ? ""
            : ",\"acrossMm\":\(position.acrossMillimetres.map { number($0, digits: 1) } ?? "null"),\"column\":\(position.column.map(String.init) ?? "null")"
        return ",\"positionMm\":\(millimetres),\"band\":\(band)\(across),\"still\":\(position.isStill),\"driftBoundMm\":\(number(position.driftBoundMillimetres, digits: 1)),\"reanchors\":\(position.reanchors),\"strokes\":\(position.strokes)"
    }

    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) {
        write(Self.readingLine(reading, sessionSeconds: sessionSeconds))
    }

    /// The `reading` object; the live page gets the same one.
    /// `zone` is the zone as the alarms hold it (a latched alert stays until it clears);
    /// `zoneNow` is the load's zone this instant, what a display shows first.
    static func readingLine(_ reading: Reading, sessionSeconds: Double) -> String {
        "{\"type\":\"reading\",\"t\":\(number(sessionSeconds, digits: 3)),\"forceN\":\(number(reading.forceNewtons, digits: 1)),\"pressureKPa\":\(number(reading.pressureKilopascals, digits: 2)),\"zone\":\(quote(reading.zone.rawValue)),\"zoneNow\":\(quote(reading.currentZone.rawValue)),\"area\":\(quote(reading.area.name)),\"contact\":\(reading.contact)\(positionFields(reading.position))}"
    }

    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) {
        // The same line `export --events` writes, from the one place that builds it.
        write(Self.eventLine(event, sessionSeconds: sessionSeconds, profile: profile))
    }

    /// The `event` object, with its sentence; the live page gets the same one.
    static func eventLine(_ event: SignalEvent, sessionSeconds: Double, profile: Profile) -> String {
        JSONText.eventLine(event, sessionSeconds: sessionSeconds, message: EventWording.sentence(event, profile: profile))
    }

    func sessionLinkDidChange(_ state: LinkState) {
        guard let waitNotice else { return }
        switch state {
        case .disconnected:
            let end = durationSeconds.map { "; the session ends \(format($0, digits: 0)) s after it started (--duration) in any case" } ?? ""
            waitNotice("rollsense: the board is gone (no signal); waiting for it to come back\(end). Ctrl-C ends the session with its summary.")
        case .reconnected: waitNotice("rollsense: the board is back.")
        case .connected: break
        }
    }

    /// Said at once on stderr (the JSON lines go on); the command repeats it when it ends.
    func sessionRecordingDidStop(_ error: CaptureWriteError, sessionSeconds: Double) {
        printError("rollsense: warning: the recording stopped at \(clock(sessionSeconds)) (\(error)); the session goes on without it.")
    }

    func summary(_ stats: SessionStatistics) {
        func object(_ values: [String: Double]) -> String {
            "{" + values.sorted { $0.key < $1.key }.map { "\(quote($0.key)):\(number($0.value, digits: 2))" }.joined(separator: ",") + "}"
        }
        let alerts = stats.alerts.map {
            "{\"t\":\(number($0.sessionSeconds, digits: 3)),\"kind\":\(quote($0.kind)),\"level\":\(quote($0.level)),\"message\":\(quote(EventWording.sentence($0.event, profile: profile)))}"
        }.joined(separator: ",")
        write("{\"type\":\"summary\",\"durationS\":\(number(stats.durationSeconds, digits: 2)),\"samples\":\(stats.sampleCount),\"contactS\":\(number(stats.contactSeconds, digits: 2)),\"contactSByArea\":\(object(stats.contactSecondsByArea)),\"peakForceN\":\(number(stats.peakForceNewtons, digits: 1)),\"meanForceN\":\(number(stats.meanForceNewtons, digits: 1)),\"peakPressureKPa\":\(number(stats.peakPressureKilopascals, digits: 2)),\"meanPressureKPa\":\(number(stats.meanPressureKilopascals, digits: 2)),\"secondsByZone\":\(object(stats.secondsByZone)),\"holds\":\(stats.holdCount),\"boardGoneS\":\(number(stats.boardGoneSeconds, digits: 2)),\"boardGoneCount\":\(stats.boardGoneCount),\"todayS\":\(number(stats.dailySeconds, digits: 1)),\"dailyLimitS\":\(number(stats.dailyLimitSeconds, digits: 0)),\"alerts\":[\(alerts)],\"painMarks\":\(LimitText.painMarksJSON(stats))}")
    }
}

/// A JSON string literal.
func quote(_ text: String) -> String {
    JSONText.string(text)
}

/// A JSON number with fixed decimals; `null` for NaN or infinity.
func number(_ value: Double, digits: Int) -> String {
    fixedDecimal(value, digits: digits) ?? "null"
}
