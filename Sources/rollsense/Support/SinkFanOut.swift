import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// Hands everything a session learns to several sinks, in order (the view or JSON lines, then
/// the live page).
final class SinkFanOut: SessionSink {
    private let sinks: [any SessionSink]

    init(_ sinks: [any SessionSink]) { self.sinks = sinks }

    func sessionDidIdentify(_ info: DeviceInfo) { for sink in sinks { sink.sessionDidIdentify(info) } }
    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) { for sink in sinks { sink.sessionDidRead(reading, sessionSeconds: sessionSeconds) } }
    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) { for sink in sinks { sink.sessionDidEmit(event, sessionSeconds: sessionSeconds) } }
    func sessionLinkDidChange(_ state: LinkState) { for sink in sinks { sink.sessionLinkDidChange(state) } }
    func sessionDidProcess(_ sample: Sample, reading: Reading, sessionSeconds: Double) {
        for sink in sinks { sink.sessionDidProcess(sample, reading: reading, sessionSeconds: sessionSeconds) }
    }
    func sessionDidNameChannels(_ channels: TextChannels) { for sink in sinks { sink.sessionDidNameChannels(channels) } }
    func sessionRecordingDidStop(_ error: CaptureWriteError, sessionSeconds: Double) {
        for sink in sinks { sink.sessionRecordingDidStop(error, sessionSeconds: sessionSeconds) }
    }
}
