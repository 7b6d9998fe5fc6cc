import ArgumentParser
import Foundation
import Synchronization
import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseWire

/// `rollsense calibrate`: tare and known-mass calibration, stored per board.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate the board's load cells with a known mass; used automatically from then on.",
        discussion: """
            Two steps, as HX711_ADC does it: with nothing on the roller the zero of each channel is \
            measured (tare); then with a known mass resting on the middle of the roller the scale \
            (newtons per count, the same for every cell) is measured. The result is stored per \
            board, by USB serial number (or the device id the board reports), in \
            $XDG_CONFIG_HOME/rollsense/calibrations.json, and `live` uses it from then on.

            With --yes nothing is asked: the tare is taken at once, then it waits (up to \
            --timeout seconds) for a steady load and measures it.

            Examples:
              rollsense calibrate --mass-kg 10
              rollsense calibrate --device /tmp/rollsense-board --mass-kg 20 --yes
            """
    )

    /// Averaging window of each step (HX711 at 80 samples/s: 120 samples).
    static let averagingSeconds = 1.5
    /// A load counts as present when the summed channels move this much from zero (about 0.24 kg
    /// at the virtual board's scale; an estimate well above HX711 noise).
    static let loadThresholdCounts = 100.0

    @OptionGroup var device: DeviceOptions

    @Option(name: .customLong("mass-kg"), help: ArgumentHelp("The known mass in kilograms (0.1-200).", valueName: "kg"))
    var massKilograms: Double

    @Flag(help: "Do not ask: tare now, then wait for a steady load.")
    var yes = false

    @Option(help: ArgumentHelp("Seconds to wait for the board and for the load.", valueName: "seconds"))
    var timeout: Double = 30

    func validate() throws {
        guard massKilograms.isFinite, (0.1...200).contains(massKilograms) else {
            throw ValidationError("--mass-kg must be a mass in kilograms from 0.1 to 200 (got \(massKilograms)).")
        }
        guard timeout.isFinite, timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds.") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let chosen = try device.chosenDevice()
        let connection = try device.connect(chosen)
        defer { connection.close() }
        let reader = RawSampleReader(source: connection)
        installStopHandlers()
        try reader.start(timeoutSeconds: timeout)
        let channels = reader.info?.channelCount ?? reader.lastSample?.channelCount ?? 1

        if !yes { try prompt("Take everything off the roller, then press Enter.") }
        let zero = try reader.average(seconds: Self.averagingSeconds)
        say("Zero: " + (0..<channels).map { format(zero[$0], digits: 0) }.joined(separator: ", ") + " counts")

        let loaded: SIMD4<Double>
        if yes {
            say("Waiting for \(format(massKilograms, digits: 2)) kg on the middle of the roller...")
            try reader.waitForSteadyLoad(from: zero, thresholdCounts: Self.loadThresholdCounts, timeoutSeconds: timeout)
            loaded = try reader.average(seconds: Self.averagingSeconds)
        } else {
            try prompt("Put \(format(massKilograms, digits: 2)) kg on the middle of the roller, keep still, then press Enter.")
            loaded = try reader.average(seconds: Self.averagingSeconds)
        }
        var span = 0.0
        for channel in 0..<channels { span += loaded[channel] - zero[channel] }
        guard abs(span) >= Self.loadThresholdCounts else {
            throw CommandFailure.device("The load changed the readings by only \(Int(span)) counts: check that the mass rests on the roller and the load cells are wired, then run calibrate again.")
        }
        let curve: CalibrationCurve
        do { curve = try Calibration.linearScale(channel: 0, zeroCounts: 0, loadedCounts: span, massKilograms: massKilograms) } catch {
            throw CommandFailure.usage("\(error)")
        }
        let calibration = Calibration(offsetCounts: (0..<channels).map { zero[$0] }, curves: Array(repeating: curve, count: channels))
        guard let key = CalibrationStore.key(usbSerial: chosen.serialNumber, info: reader.info) else {
            throw CommandFailure.device("The board has no USB serial number and reports no device id, so a calibration cannot be stored for it: update its firmware (Firmware/README.md).")
        }
        let store = CalibrationStore(environment: environment)
        try store.save(calibration, key: key)
        if case .linear(let newtonsPerCount) = curve {
            say("Scale: \(format(1 / newtonsPerCount * standardGravityMetresPerSecondSquared, digits: 1)) counts per kg")
        }
        say("Saved for \(key) in \(store.path).")
    }

    private func prompt(_ text: String) throws {
        say(text)
        guard readLine() != nil else {
            throw CommandFailure.usage("No answer on standard input: run calibrate on a terminal, or pass --yes.")
        }
    }
}

/// Reads raw samples from a source without the pipeline (calibration needs counts).
final class RawSampleReader {
    private let source: any ByteSource
    private var decoder = FrameDecoder()
    private(set) var info: DeviceInfo?
    private(set) var lastSample: Sample?
    private var buffer = [UInt8](repeating: 0, count: 4096)

    init(source: any ByteSource) { self.source = source }

    /// Asks for info and streaming and waits for the first sample.
    func start(timeoutSeconds: Double) throws {
        try source.write(Command.getInfo.encoded(tag: 1))
        try source.write(Command.start.encoded(tag: 2))
        let deadline = hostMonotonicMicroseconds() + Int64(timeoutSeconds * 1e6)
        var samples: [Sample] = []
        while samples.isEmpty {
            guard hostMonotonicMicroseconds() < deadline else {
                throw CommandFailure.device("The board sent no samples in \(Int(timeoutSeconds)) s: check that it runs the RollSense firmware, then try again.")
            }
            try pump { samples.append($0) }
        }
    }

    /// The mean of each channel over `seconds` of device time.
    func average(seconds: Double) throws -> SIMD4<Double> {
        var sum = SIMD4<Double>.zero
        var count = 0.0
        var first: Int64?
        var done = false
        while !done {
            try pump { sample in
                if first == nil { first = sample.deviceTimeMicroseconds }
                sum += sample.values
                count += 1
                if Double(sample.deviceTimeMicroseconds - first!) * 1e-6 >= seconds { done = true }
            }
        }
        return sum / max(count, 1)
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
            decoder.feed(buffer[0..<count]) { event in
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
    }
}

extension DeviceOptions {
    /// Opens `device` as a reconnecting connection with these options.
    func connect(_ device: SerialDevice) throws -> Connection {
        let port = SerialPortOptions(baudRate: baud, dtrPolicy: noReset ? .leaveUnchanged : .resetBoard)
        return try Connection(device: device, options: ConnectionOptions(port: port))
    }
}
