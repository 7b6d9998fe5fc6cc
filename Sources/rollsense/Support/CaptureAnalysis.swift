import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// Runs a capture through the same `SessionRunner` as `replay` (so the same readings and events),
/// handing every sample with its reading, and every event, to closures: `report` and `export`
/// are built on it. The raw samples come from a second decoder over the very bytes the runner
/// reads, matched to the runner's readings by device time.
enum CaptureAnalysis {
    /// Runs the whole file; returns the runner's statistics and device info.
    static func run(
        setup: CaptureSessionSetup,
        progress: ProgressBar?,
        onSample: @escaping (Sample, Reading, Double) -> Void,
        onEvent: @escaping (SignalEvent, Double) -> Void
    ) throws -> (SessionStatistics, DeviceInfo?) {
        let tap = SampleTapSource(inner: setup.source)
        let sink = AnalysisSink(tap: tap, onSample: onSample, onEvent: onEvent)
        let configuration = SessionConfiguration(
            profile: setup.profile, bodyMassKilograms: setup.bodyMassKilograms,
            readingIntervalMicroseconds: 0, maximumDurationSeconds: setup.durationLimitSeconds, sendsCommands: false, silenceTimeoutSeconds: nil,
            calibration: setup.calibration)
        let runner = SessionRunner(source: tap, configuration: configuration, sink: sink)
        defer { progress?.finish() }
        do {
            let stats = try runner.run {
                progress?.update(doneBytes: setup.source.recordBytesRead)
                return false
            }
            try setup.requireSamples(stats)
            return (stats, runner.deviceInfo)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw setup.classify(error)
        }
    }
}

/// Passes a capture's reads through and decodes a copy of each chunk into a queue of samples.
final class SampleTapSource: ReceiveTimedByteSource {
    private let inner: CaptureByteSource
    private var decoder = WireDecoder()
    private(set) var samples: [Sample] = []
    private var head = 0

    init(inner: CaptureByteSource) {
        self.inner = inner
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int) throws -> ByteSourceRead {
        let result = try inner.read(into: buffer, timeoutMilliseconds: timeoutMilliseconds)
        if case .bytes(let count) = result {
            decoder.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), hostTimeMicroseconds: inner.lastReadHostTimeMicroseconds) { event in
                if case .sample(let sample) = event { samples.append(sample) }
            }
        }
        return result
    }

    /// The queued sample taken at `deviceTimeMicroseconds` (older ones, if any, are dropped).
    func take(at deviceTimeMicroseconds: Int64) -> Sample? {
        while head < samples.count {
            let sample = samples[head]
            head += 1
            if sample.deviceTimeMicroseconds == deviceTimeMicroseconds {
                compact()
                return sample
            }
        }
        compact()
        return nil
    }

    private func compact() {
        // Keeps the queue small: at most one chunk's samples wait here.
        if head > 4096 {
            samples.removeFirst(head)
            head = 0
        }
    }

    /// The recording's receive time of the last read, as the runner stamps text samples with it.
    var lastReadHostTimeMicroseconds: Int64 { inner.lastReadHostTimeMicroseconds }

    func write(_ bytes: [UInt8]) throws {}
    func close() { inner.close() }
}

/// Every reading (the runner's interval is 0) paired with its raw sample, and every event.
final class AnalysisSink: SessionSink {
    private let tap: SampleTapSource
    private let onSample: (Sample, Reading, Double) -> Void
    private let onEvent: (SignalEvent, Double) -> Void

    init(tap: SampleTapSource, onSample: @escaping (Sample, Reading, Double) -> Void, onEvent: @escaping (SignalEvent, Double) -> Void) {
        self.tap = tap
        self.onSample = onSample
        self.onEvent = onEvent
    }

    func sessionDidIdentify(_ info: DeviceInfo) {}
    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) {
        if let sample = tap.take(at: reading.deviceTimeMicroseconds) { onSample(sample, reading, sessionSeconds) }
    }
    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) { onEvent(event, sessionSeconds) }
    func sessionLinkDidChange(_ state: LinkState) {}
}

/// The zone edges of a profile in newtons, for the chart (nil when they cannot be placed on a
/// force axis: percent of body weight without a body weight).
func zoneEdgesNewtons(profile: Profile, bodyMassKilograms: Double?) -> ZoneEdges? {
    let zones = profile.zones
    let toNewtons: (Double) -> Double
    switch zones.unit {
    case .newtons:
        toNewtons = { $0 }
    case .percentBodyWeight:
        guard let mass = bodyMassKilograms else { return nil }
        // Standard gravity, 9.80665 m/s² (CGPM 1901).
        toNewtons = { $0 / 100 * mass * 9.80665 }
    case .kilopascals:
        let model = PressureModel(tool: profile.tool, customAreaSquareCentimetres: profile.customContactAreaSquareCentimetres)
        // Pressure rises with force in every model, so bisection finds the force of a pressure.
        toNewtons = { kilopascals in
            var low = 0.0, high = 1.0
            while model.pressureKilopascals(forceNewtons: high) < kilopascals && high < 1e7 { high *= 2 }
            for _ in 0..<60 {
                let middle = (low + high) / 2
                if model.pressureKilopascals(forceNewtons: middle) < kilopascals { low = middle } else { high = middle }
            }
            return (low + high) / 2
        }
    }
    return ZoneEdges(targetNewtons: toNewtons(zones.target), cautionNewtons: toNewtons(zones.caution), stopNewtons: toNewtons(zones.stop))
}
