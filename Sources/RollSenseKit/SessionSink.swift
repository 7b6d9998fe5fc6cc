import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// Where a `SessionRunner` hands what it learns. Called on the runner's thread, in stream order.
public protocol SessionSink: AnyObject {
    /// The device said who it is (a HELLO).
    func sessionDidIdentify(_ info: DeviceInfo)
    /// A reading, throttled to `SessionConfiguration.readingIntervalMicroseconds` of device time;
    /// `sessionSeconds` is device time since the session's first sample.
    func sessionDidRead(_ reading: Reading, sessionSeconds: Double)
    /// Every event the pipeline emits; `sessionSeconds` as for readings.
    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double)
    /// The link went down or came back (the pipeline's `link` events follow through `sessionDidEmit`).
    func sessionLinkDidChange(_ state: LinkState)
    /// Every processed sample with its reading, unthrottled (`report` and `export` use it).
    func sessionDidProcess(_ sample: Sample, reading: Reading, sessionSeconds: Double)
    /// A text device's labelled values that became the channels (docs/PROTOCOL.md, "Sketch text").
    func sessionDidNameChannels(_ channels: TextChannels)
    /// Writing the recording failed at `sessionSeconds`: the recording stopped there, the
    /// session goes on without it (`error` says how much of the file is safe).
    func sessionRecordingDidStop(_ error: CaptureWriteError, sessionSeconds: Double)
}

extension SessionSink {
    /// Most sinks show only the throttled readings.
    public func sessionDidProcess(_ sample: Sample, reading: Reading, sessionSeconds: Double) {}
    /// Sinks that do not show the device's labels ignore them.
    public func sessionDidNameChannels(_ channels: TextChannels) {}
    /// Most sinks leave it to the command to say, once the session ends.
    public func sessionRecordingDidStop(_ error: CaptureWriteError, sessionSeconds: Double) {}
}
