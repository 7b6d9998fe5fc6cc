/// The decoder the live port and the replay reader both feed: detects from the first bytes
/// whether the device sends binary frames or Serial Plotter text, then decodes either into one
/// stream of `WireEvent`s (docs/PROTOCOL.md, "Detecting the protocol").
///
/// It follows mode switches by itself: after a REPLY accepting SET_MODE it detects again (the
/// device switches after that reply), and in text a `0x00` byte means frames have started.
public struct WireDecoder: Sendable {
    /// The protocol in use, once detected (or given).
    public private(set) var protocolKind: WireProtocolKind?

    private var detector = ProtocolDetector()
    /// Bytes seen while detecting, replayed to the chosen decoder (at most
    /// `ProtocolDetector.decisionByteLimit`).
    private var heldBytes: [UInt8] = []
    private var frames = FrameDecoder()
    private var text = PlotterTextParser(startsMidLine: false)
    private var detections = 0
    private var detectionDiscardedBytes = 0

    /// A decoder that detects the protocol, or uses `protocolKind` if given.
    public init(protocolKind: WireProtocolKind? = nil) {
        self.protocolKind = protocolKind
        if protocolKind == .text { text = PlotterTextParser(startsMidLine: true) }
        heldBytes.reserveCapacity(ProtocolDetector.decisionByteLimit)
    }

    /// Both decoders' counters.
    public var counters: WireCounters {
        var counters = WireCounters()
        counters.binary = frames.counters
        counters.text = text.counters
        counters.text.discardedBytes += detectionDiscardedBytes
        counters.detections = detections
        return counters
    }

    /// Decodes `bytes` received at `hostTimeMicroseconds` (the clock for text samples), calling
    /// `onEvent` for each event in order.
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        hostTimeMicroseconds: Int64,
        _ onEvent: (WireEvent) -> Void
    ) {
        var rest = bytes
        while !rest.isEmpty {
            switch protocolKind {
            case nil:
                rest = detect(rest, hostTimeMicroseconds, onEvent)
            case .binary:
                guard let stopOffset = frames.feed(rest, stoppingAtModeSwitch: true, onEvent) else { return }
                rest = UnsafeRawBufferPointer(rebasing: rest[stopOffset...])
                redetect(startsAtLineStart: true)
            case .text:
                guard let zero = rest.firstIndex(of: WireFormat.delimiter) else {
                    text.feed(rest, hostTimeMicroseconds: hostTimeMicroseconds, onChannels: { onEvent(.textChannels($0)) }) {
                        onEvent(.sample($0))
                    }
                    return
                }
                // Text never holds a zero: the device has switched to frames. The unfinished
                // line is the start of the first frame.
                text.feed(
                    UnsafeRawBufferPointer(rebasing: rest[..<zero]), hostTimeMicroseconds: hostTimeMicroseconds,
                    onChannels: { onEvent(.textChannels($0)) }
                ) {
                    onEvent(.sample($0))
                }
                let frameStart = text.takePartialLine()
                switchTo(.binary, onEvent)
                frameStart.withUnsafeBytes { feed($0, hostTimeMicroseconds: hostTimeMicroseconds, onEvent) }
                rest = UnsafeRawBufferPointer(rebasing: rest[zero...])
            }
        }
    }

    /// Decodes a byte array received at `hostTimeMicroseconds`.
    public mutating func feed(_ bytes: [UInt8], hostTimeMicroseconds: Int64, _ onEvent: (WireEvent) -> Void) {
        bytes.withUnsafeBytes { feed($0, hostTimeMicroseconds: hostTimeMicroseconds, onEvent) }
    }

    /// The link went away: an unfinished frame or line can never be completed, so it is
    /// forgotten rather than joined to the next bytes (a CRC failure, or for text a wrong
    /// number); text also drops the first line after the link returns (it may start mid-line).
    public mutating func linkLost() {
        frames.dropPartialFrame()
        text.dropPartialLine()
    }

    /// Detects the protocol again from the next bytes, for example after the device was told to
    /// switch modes; `startsAtLineStart` keeps a first text line that is known to be whole.
    public mutating func redetect(startsAtLineStart: Bool = false) {
        protocolKind = nil
        detector = ProtocolDetector(startsAtLineStart: startsAtLineStart)
        heldBytes.removeAll(keepingCapacity: true)
    }

    /// Examines bytes until a decision; returns the bytes after the deciding one.
    private mutating func detect(
        _ bytes: UnsafeRawBufferPointer,
        _ hostTimeMicroseconds: Int64,
        _ onEvent: (WireEvent) -> Void
    ) -> UnsafeRawBufferPointer {
        var decided: WireProtocolKind?
        var index = 0
        while index < bytes.count && decided == nil {
            decided = detector.examine(bytes[index])
            index += 1
        }
        heldBytes.append(contentsOf: bytes[..<index])
        guard let decided else { return UnsafeRawBufferPointer(rebasing: bytes[index...]) }
        switchTo(decided, onEvent)
        let held = heldBytes
        heldBytes.removeAll(keepingCapacity: true)
        let replayStart = decided == .text ? detector.textStartOffset : 0
        detectionDiscardedBytes += replayStart
        // The held bytes go through the same path as new ones, mode switches included.
        held[replayStart...].withUnsafeBytes { feed($0, hostTimeMicroseconds: hostTimeMicroseconds, onEvent) }
        return UnsafeRawBufferPointer(rebasing: bytes[index...])
    }

    private mutating func switchTo(_ kind: WireProtocolKind, _ onEvent: (WireEvent) -> Void) {
        protocolKind = kind
        detections += 1
        if kind == .binary { frames.dropPartialFrame() }
        onEvent(.protocolDetected(kind))
    }
}
