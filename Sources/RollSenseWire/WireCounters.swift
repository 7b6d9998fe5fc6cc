/// Everything an auto-detecting `WireDecoder` has counted, for both protocols.
public struct WireCounters: Sendable, Hashable {
    /// Binary frame counters (docs/PROTOCOL.md, "What the host decoder counts").
    public var binary = FrameCounters()
    /// Serial Plotter text counters; `discardedBytes` includes the partial first line.
    public var text = PlotterTextCounters()
    /// Times the decoder (re)decided the protocol.
    public var detections = 0

    /// All zero.
    public init() {}
}
