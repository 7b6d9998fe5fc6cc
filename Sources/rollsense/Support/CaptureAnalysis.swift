import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// Runs a capture through the same `SessionRunner` as `replay` (so the same readings and events),
/// handing every sample with its reading, and every event, to closures: `report` and `export`
/// are built on it. Each byte is decoded once, by the session core.
enum CaptureAnalysis {
    /// Runs the whole file; returns the runner's statistics and device info.
    static func run(
        setup: CaptureSessionSetup,
        progress: ProgressBar?,
        onSample: @escaping (Sample, Reading, Double) -> Void,
        onEvent: @escaping (SignalEvent, Double) -> Void
    ) throws -> (SessionStatistics, DeviceInfo?) {
        let sink = AnalysisSink(onSample: onSample, onEvent: onEvent)
        let configuration = SessionConfiguration(
            profile: setup.profile, bodyMassKilograms: setup.bodyMassKilograms,
            maximumDurationSeconds: setup.durationLimitSeconds, sendsCommands: false, silenceTimeoutSeconds: nil,
            calibration: setup.calibration)
        let runner = SessionRunner(source: setup.source, configuration: configuration, sink: sink)
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

/// Every sample with its reading, and every event.
final class AnalysisSink: SessionSink {
    private let onSample: (Sample, Reading, Double) -> Void
    private let onEvent: (SignalEvent, Double) -> Void

    init(onSample: @escaping (Sample, Reading, Double) -> Void, onEvent: @escaping (SignalEvent, Double) -> Void) {
        self.onSample = onSample
        self.onEvent = onEvent
    }

    func sessionDidIdentify(_ info: DeviceInfo) {}
    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) {}
    func sessionDidProcess(_ sample: Sample, reading: Reading, sessionSeconds: Double) { onSample(sample, reading, sessionSeconds) }
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
        guard let scale = zones.classifierUnitsPerProfileUnit(bodyMassKilograms: bodyMassKilograms) else { return nil }
        toNewtons = { $0 * scale }
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
