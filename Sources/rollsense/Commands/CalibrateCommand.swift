import ArgumentParser
import Foundation
import Synchronization
import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseSystem
import RollSenseWire

/// `rollsense calibrate`: tare and known-mass calibration, stored per board.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate the board's load cells with a known mass; used automatically from then on.",
        discussion: """
            Two steps, as HX711_ADC does it: with nothing on the roller the zero of each channel is \
            measured (tare); then with a known mass resting on the middle of the roller the scale \
            (newtons per count, the same for every cell) is measured. A tare under load or while \
            the roller moves is refused, and so is a load that is not steady or gives an \
            implausible scale. The new calibration is shown next to the stored one before it is \
            saved. It works with the RollSense firmware and with Serial Plotter sketches that print \
            raw counts (`HX711 reading: 84111`): rollsense then applies the offset and scale itself.

            The result is stored per board, by USB serial number, else its /dev/serial/by-id path, \
            else the device id the board reports, else the path given, in \
            $XDG_CONFIG_HOME/rollsense/calibrations.json; `live` uses it from then on. The \
            calibration it replaced is kept: --undo puts it back. --show lists what is stored.

            With --yes nothing is asked: the tare is taken at once, then it waits (up to \
            --timeout seconds) for a steady load, measures it and saves.

            Examples:
              rollsense calibrate --mass-kg 10
              rollsense calibrate --device /tmp/rollsense-board --mass-kg 20 --yes
              rollsense calibrate --show
              rollsense calibrate --device /dev/ttyACM0 --undo
            """
    )

    /// Averaging window of each step (HX711 at 80 samples/s: 120 samples).
    static let averagingSeconds = 1.5
    /// A load counts as present when the summed channels move this much from zero (about 0.24 kg
    /// at the virtual board's scale; an estimate well above HX711 noise).
    static let loadThresholdCounts = 100.0
    /// The known mass must rest still: its readings may spread (peak to peak) by at most this
    /// share of its span while they are averaged (an estimate: a hand on the mass moves it more).
    static let steadyShare = 0.05
    /// A new scale more than this factor away from the stored one is refused without --replace
    /// (a wrong --mass-kg, or the mass half off the roller; a real load cell does not drift so).
    static let plausibleScaleFactor = 2.0
    /// Readings at or beyond this are at the HX711's 24-bit full scale: the scale would be wrong.
    static let saturationCounts = 8_388_000.0

    @OptionGroup var device: DeviceOptions

    @Option(name: .customLong("mass-kg"), parsing: .unconditional, help: ArgumentHelp("The known mass in kilograms (0.1-200).", valueName: "kg"))
    var massKilograms: Double?

    @Flag(help: "Do not ask: tare now, then wait for a steady load, then save.")
    var yes = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds to wait for the board and for the load.", valueName: "seconds"))
    var timeout: Double = 30

    @Flag(help: "List the stored calibrations and exit (no board needed).")
    var show = false

    @Flag(help: "Put back the calibration the board had before its last one.")
    var undo = false

    @Flag(help: "Save a scale far from the stored one (after replacing a load cell).")
    var replace = false

    func validate() throws {
        if show && undo { throw ValidationError("--show and --undo cannot be combined: choose one.") }
        if show || undo {
            if massKilograms != nil { throw ValidationError("--mass-kg calibrates; leave it out with --\(show ? "show" : "undo").") }
            return
        }
        guard let massKilograms else {
            throw ValidationError("Missing --mass-kg: the known mass in kilograms you will put on the roller (or --show, --undo).")
        }
        guard massKilograms.isFinite, (0.1...200).contains(massKilograms) else {
            throw ValidationError("--mass-kg must be a mass in kilograms from 0.1 to 200 (got \(massKilograms)).")
        }
        guard timeout.isFinite, timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds (got \(timeout)).") }
    }

    func run() throws {
        let store = CalibrationStore(environment: ProcessInfo.processInfo.environment)
        if show {
            say(Self.listing(try store.entries(), path: store.path))
            return
        }
        let chosen = try device.chosenDevice()
        // A sketch at 57600 or 9600 is found as `live` finds it, without writing to it.
        let connection = try device.connectDetectingRate(chosen)
        defer { connection.close() }
        let reader = RawSampleReader(source: connection)
        installStopHandlers()
        try reader.start(timeoutSeconds: timeout)
        let identity = BoardIdentity(chosen)
        let stored = try store.all()
        let storedKey = CalibrationStore.storedKey(identity, info: reader.info, in: stored)
        guard let key = storedKey ?? identity.keys(info: reader.info).first else {
            throw CommandFailure.device("The board has no USB serial number, no /dev/serial/by-id name and reports no device id, so a calibration cannot be stored for it: name it with --device PATH.")
        }
        if undo {
            guard let restored = try store.undo(key: key) else {
                throw CommandFailure.usage("No earlier calibration is kept for \(key): nothing to undo (`rollsense calibrate --show` lists what is stored).")
            }
            say(Self.sideBySide(old: stored[key], new: restored, oldTitle: "undone", newTitle: "restored", massKilograms: nil))
            say("Restored the earlier calibration for \(key) in \(store.path).")
            return
        }
        if reader.lastSample?.quantity == .newtons {
            throw CommandFailure.usage("This device sends forces in newtons already (a unit in its labels, such as force_N:): there is nothing to calibrate.")
        }
        let massKilograms = self.massKilograms!
        let channels = reader.info?.channelCount ?? reader.lastSample?.channelCount ?? 1
        // What judges the tare: the stored calibration, else the one rollsense knows for the board.
        let judge: Calibration? = stored[key] ?? (reader.info?.board == .virtualDevice ? VirtualDevice.calibration : nil)

        if !yes { try prompt("Take everything off the roller, keep it still, then press Enter.") }
        let tareSamples = try reader.collect(seconds: Self.averagingSeconds)
        if let judge {
            _ = try Self.tare(tareSamples, judgedBy: judge, loadedLimitNewtons: 5)
        }
        let zero = Self.mean(tareSamples)
        say("Zero: " + (0..<channels).map { format(zero[$0], digits: 0) }.joined(separator: ", ") + " counts")

        if yes {
            say("Waiting for \(format(massKilograms, digits: 2)) kg on the middle of the roller...")
            try reader.waitForSteadyLoad(from: zero, thresholdCounts: Self.loadThresholdCounts, timeoutSeconds: timeout)
        } else {
            try prompt("Put \(format(massKilograms, digits: 2)) kg on the middle of the roller, keep still, then press Enter.")
        }
        let loadedSamples = try reader.collect(seconds: Self.averagingSeconds)
        let curve = try Self.scale(tare: zero, loaded: loadedSamples, channels: channels, massKilograms: massKilograms)
        let calibration = Calibration(offsetCounts: (0..<channels).map { zero[$0] }, curves: Array(repeating: curve, count: channels))
        // A first calibration has nothing to judge the tare by beforehand: its stillness is
        // judged with the new scale now (a load on it cannot be told from the zero).
        if judge == nil {
            _ = try Self.tare(tareSamples, judgedBy: calibration, loadedLimitNewtons: .infinity)
        }
        if let old = stored[key], !replace, case .linear(let oldScale) = old.curves.first ?? .linear(newtonsPerCount: 0),
           case .linear(let newScale) = curve, oldScale != 0
        {
            let ratio = abs(newScale / oldScale)
            if ratio > Self.plausibleScaleFactor || ratio < 1 / Self.plausibleScaleFactor {
                say(Self.sideBySide(old: old, new: calibration, oldTitle: "stored", newTitle: "measured", massKilograms: massKilograms))
                throw CommandFailure.data("The measured scale is \(format(ratio, digits: 2)) times the stored one: check --mass-kg (\(format(massKilograms, digits: 2)) kg) and that the mass rests on the middle of the roller, then run calibrate again. Nothing was saved (--replace saves such a scale, after a load cell was changed).")
            }
        }
        say(Self.sideBySide(old: stored[key], new: calibration, oldTitle: "stored", newTitle: "new", massKilograms: massKilograms))
        if !yes {
            say("Save the new calibration? [y/N]")
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                say("Not saved; the stored calibration is unchanged.")
                return
            }
        }
        try store.save(calibration, key: key)
        if case .linear(let newtonsPerCount) = curve {
            say("Scale: \(format(1 / newtonsPerCount * standardGravityMetresPerSecondSquared, digits: 1)) counts per kg")
        }
        say("Saved for \(key) in \(store.path)\(stored[key] == nil ? "" : " (the earlier one is kept: --undo puts it back)").")
    }

    /// The tare stretch judged by `calibration`: refused when loaded or moving.
    static func tare(_ samples: [Sample], judgedBy calibration: Calibration, loadedLimitNewtons: Double) throws -> Calibration {
        var estimator = TareEstimator(calibration: calibration, loadedLimitNewtons: loadedLimitNewtons)
        for sample in samples { estimator.add(sample) }
        do { return try estimator.result() } catch {
            switch error {
            case .loaded(let channel, let force, _):
                throw CommandFailure.data("Not tared: channel \(channel) carries \(format(force, digits: 0)) N. Take everything off the roller and run calibrate again; nothing was saved.")
            case .moving(let channel, let span, _):
                throw CommandFailure.data("Not tared: channel \(channel) moved by \(format(span, digits: 1)) N while the zero was measured. Keep the roller still and run calibrate again; nothing was saved.")
            default:
                throw CommandFailure.device("Not tared: \(error). Run calibrate again; nothing was saved.")
            }
        }
    }

    /// The scale from the loaded stretch: refused when it is unsteady, saturated or too small.
    static func scale(tare zero: SIMD4<Double>, loaded: [Sample], channels: Int, massKilograms: Double) throws -> CalibrationCurve {
        let spans = loaded.map { sample in (0..<channels).reduce(0.0) { $0 + sample.values[$1] - zero[$1] } }
        guard let low = spans.min(), let high = spans.max() else {
            throw CommandFailure.device("No samples arrived while the mass was measured: check the board and run calibrate again.")
        }
        let span = spans.reduce(0, +) / Double(spans.count)
        guard abs(span) >= loadThresholdCounts else {
            throw CommandFailure.device("The load changed the readings by only \(Int(span)) counts: check that the mass rests on the roller and the load cells are wired, then run calibrate again.")
        }
        guard high - low <= steadyShare * abs(span) else {
            throw CommandFailure.data("The load was not steady: the readings spread by \(format((high - low) / abs(span) * 100, digits: 1)) % of the mass while it was measured. Let the mass rest without touching it and run calibrate again; nothing was saved.")
        }
        if loaded.contains(where: { sample in (0..<channels).contains { abs(sample.values[$0]) >= saturationCounts } }) {
            throw CommandFailure.data("A channel read its full scale with the mass on it, so the scale would be wrong: use a lighter mass and run calibrate again; nothing was saved.")
        }
        do { return try Calibration.linearScale(channel: 0, zeroCounts: 0, loadedCounts: span, massKilograms: massKilograms) } catch {
            throw CommandFailure.usage("\(error)")
        }
    }

    static func mean(_ samples: [Sample]) -> SIMD4<Double> {
        samples.reduce(SIMD4<Double>.zero) { $0 + $1.values } / Double(max(samples.count, 1))
    }

    /// Two calibrations next to each other: zero per channel, scale, and what the mass reads.
    static func sideBySide(old: Calibration?, new: Calibration, oldTitle: String, newTitle: String, massKilograms: Double?) -> String {
        func zeros(_ calibration: Calibration?) -> String {
            calibration.map { $0.offsetCounts.map { format($0, digits: 0) }.joined(separator: ", ") } ?? "none"
        }
        func scale(_ calibration: Calibration?) -> String {
            guard let calibration else { return "none (raw counts)" }
            if case .linear(let newtonsPerCount) = calibration.curves.first ?? .linear(newtonsPerCount: 0), newtonsPerCount != 0 {
                return format(standardGravityMetresPerSecondSquared / newtonsPerCount, digits: 1) + " counts/kg"
            }
            return "not linear"
        }
        let width = max(zeros(old).count, scale(old).count, oldTitle.count) + 3
        let wide = 12 + width + max(zeros(new).count, scale(new).count, newTitle.count) <= TerminalDisplay.size().columns
        func row(_ label: String, _ left: String, _ right: String) -> String {
            // A narrow terminal gets the two values under each other instead of side by side.
            guard wide else {
                return label.isEmpty ? "" : "  \(label)\n    \(oldTitle): \(left)\n    \(newTitle): \(right)"
            }
            return "  " + label.padding(toLength: 10, withPad: " ", startingAt: 0) + left.padding(toLength: width, withPad: " ", startingAt: 0) + right
        }
        var lines = [row("", oldTitle, newTitle), row("zero", zeros(old), zeros(new)), row("scale", scale(old), scale(new))].filter { !$0.isEmpty }
        if let massKilograms, let old, case .linear(let oldScale) = old.curves.first ?? .linear(newtonsPerCount: 0),
           case .linear(let newScale) = new.curves.first ?? .linear(newtonsPerCount: 0), newScale != 0
        {
            // The mass measured with the new scale, read back with the stored one.
            let counts = massKilograms * standardGravityMetresPerSecondSquared / newScale
            lines.append(row("\(format(massKilograms, digits: 1)) kg", format(counts * oldScale, digits: 1) + " N", format(counts * newScale, digits: 1) + " N"))
        }
        return lines.joined(separator: "\n")
    }

    /// Every stored calibration: key, when it was measured, zero and scale, and whether an
    /// earlier one is kept.
    static func listing(_ entries: [String: StoredCalibration], path: String) -> String {
        guard !entries.isEmpty else { return "No calibrations stored in \(path). Run `rollsense calibrate --mass-kg KG`." }
        var lines = ["Calibrations in \(path):"]
        for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
            let when = entry.savedAt.map { " measured " + $0.formatted(Date.ISO8601FormatStyle().year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon)) } ?? ""
            lines.append("  \(key)\(when)")
            lines.append(sideBySide(old: entry.previous, new: entry.calibration, oldTitle: entry.previous == nil ? "earlier: none" : "earlier (--undo)", newTitle: "in use", massKilograms: nil)
                .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        return lines.joined(separator: "\n")
    }

    private func prompt(_ text: String) throws {
        say(text)
        guard readLine() != nil else {
            throw CommandFailure.usage("No answer on standard input: run calibrate on a terminal, or pass --yes.")
        }
    }
}

/// Reads raw samples from a source without the pipeline (calibration needs counts), from the
/// RollSense firmware or a Serial Plotter text sketch alike (the decoder detects which).
final class RawSampleReader {
    private let source: any ByteSource
    private var decoder = WireDecoder()
    // The same rule as a live session: the harmless probe only, and nothing once text came.
    private var writes = WritePolicy(openedMicroseconds: hostMonotonicMicroseconds())
    private var bytesReceived = 0
    private(set) var info: DeviceInfo?
    private(set) var lastSample: Sample?
    private var buffer = [UInt8](repeating: 0, count: 4096)

    init(source: any ByteSource) { self.source = source }

    /// Waits for the first sample. Until the device says HELLO it gets nothing but
    /// `WritePolicy.probe` (docs/PROTOCOL.md, "Writing to a device"), and nothing at all once its
    /// bytes are text: another sketch may take command bytes as its own single-letter commands.
    /// START follows only once the board said it is a RollSense board.
    func start(timeoutSeconds: Double) throws {
        let deadline = hostMonotonicMicroseconds() + Int64(timeoutSeconds * 1e6)
        var samples: [Sample] = []
        var started = false
        while samples.isEmpty {
            guard hostMonotonicMicroseconds() < deadline else {
                throw CommandFailure.device("The board sent no samples in \(Int(timeoutSeconds)) s: check that it runs the RollSense firmware or a sketch that prints readings, at the same --baud, then try again.")
            }
            try pump { samples.append($0) }
            if info != nil && !started {
                started = true
                try source.write(Command.start.encoded(tag: 2))
            }
        }
        // A board speaking frames says who it is (the key its calibration is stored by); its
        // boot HELLO may have been lost while the port opened, so the probe's answer is awaited.
        let helloDeadline = min(deadline, hostMonotonicMicroseconds() + 4_000_000)
        while info == nil && decoder.protocolKind == .binary && hostMonotonicMicroseconds() < helloDeadline {
            try pump { _ in }
        }
    }

    /// The samples of `seconds` of device time (receive time, for a text sketch).
    func collect(seconds: Double) throws -> [Sample] {
        var samples: [Sample] = []
        var first: Int64?
        var done = false
        while !done {
            try pump { sample in
                guard !done else { return }
                if first == nil { first = sample.deviceTimeMicroseconds }
                samples.append(sample)
                if Double(sample.deviceTimeMicroseconds - first!) * 1e-6 >= seconds { done = true }
            }
        }
        return samples
    }

    /// Waits until the summed channels sit `thresholdCounts` above `zero` and stay within 2 % of
    /// that load for a second of device time.
    func waitForSteadyLoad(from zero: SIMD4<Double>, thresholdCounts: Double, timeoutSeconds: Double) throws {
        let deadline = hostMonotonicMicroseconds() + Int64(timeoutSeconds * 1e6)
        var steadySince: Int64?
        var reference = 0.0
        var steady = false
        while !steady {
            guard hostMonotonicMicroseconds() < deadline else {
                throw CommandFailure.device("No steady load in \(Int(timeoutSeconds)) s: put the mass on the middle of the roller and keep it still.")
            }
            try pump { sample in
                var delta = 0.0
                for channel in 0..<sample.channelCount { delta += sample.values[channel] - zero[channel] }
                guard abs(delta) >= thresholdCounts else { steadySince = nil; return }
                if let since = steadySince, abs(delta - reference) <= 0.02 * abs(reference) {
                    if Double(sample.deviceTimeMicroseconds - since) * 1e-6 >= 1 { steady = true }
                } else {
                    steadySince = sample.deviceTimeMicroseconds
                    reference = delta
                }
            }
        }
    }

    private func pump(_ onSample: (Sample) -> Void) throws {
        if stopRequested.load(ordering: .relaxed) { throw CommandFailure.usage("Calibration cancelled: nothing was saved.") }
        let result = try buffer.withUnsafeMutableBytes { try source.read(into: $0, timeoutMilliseconds: 100) }
        switch result {
        case .bytes(let count):
            bytesReceived += count
            decoder.feed(Array(buffer[0..<count]), hostTimeMicroseconds: hostMonotonicMicroseconds()) { event in
                writes.observe(event)
                switch event {
                case .info(let info): self.info = info
                case .sample(let sample): lastSample = sample; onSample(sample)
                default: break
                }
            }
        case .end, .disconnected:
            throw CommandFailure.device("The board went away during calibration: plug it back in and run calibrate again.")
        case .timeout, .reconnected:
            break
        }
        if writes.probeDue(atMicroseconds: hostMonotonicMicroseconds(), protocolKind: decoder.protocolKind,
                           bytesReceived: bytesReceived, framesDecoded: decoder.counters.binary.frames) {
            try source.write(WritePolicy.probe)
        }
    }
}

extension DeviceOptions {
    /// Opens `device` as a reconnecting connection with these options.
    func connect(_ device: SerialDevice) throws -> Connection {
        let port = SerialPortOptions(baudRate: baud, dtrPolicy: noReset ? .leaveUnchanged : .resetBoard)
        return try Connection(device: device, options: ConnectionOptions(port: port))
    }
}
