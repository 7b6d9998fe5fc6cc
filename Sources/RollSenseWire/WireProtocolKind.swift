/// Which of the two protocols a device speaks (docs/PROTOCOL.md, "Detecting the protocol").
public enum WireProtocolKind: Sendable, Hashable {
    /// COBS frames.
    case binary
    /// Arduino Serial Plotter text lines.
    case text
}
