/// Tells binary frames from Serial Plotter text by the first bytes of a stream
/// (docs/PROTOCOL.md, "Detecting the protocol").
public struct ProtocolDetector: Sendable {
    /// The detector decides within this many bytes (binary if undecided by then).
    public static let decisionByteLimit = 256
    /// Line ends needed to call a stream text.
    static let lineEndsForText = 2

    /// Bytes examined so far.
    public private(set) var examinedByteCount = 0
    /// Where text starts among the examined bytes: after the first line end, unless the stream
    /// is known to start at a line start.
    public private(set) var textStartOffset = 0
    /// The decision, once made.
    public private(set) var decision: WireProtocolKind?

    private var lineEnds = 0
    private let startsAtLineStart: Bool

    /// A detector; `startsAtLineStart` says the first line is whole (after a mode switch), so it
    /// is not dropped as partial.
    public init(startsAtLineStart: Bool = false) {
        self.startsAtLineStart = startsAtLineStart
    }

    /// Looks at the next byte; returns the decision once it is made (and after).
    public mutating func examine(_ byte: UInt8) -> WireProtocolKind? {
        if let decision { return decision }
        examinedByteCount += 1
        switch byte {
        case UInt8(ascii: "\n"):
            lineEnds += 1
            if lineEnds == 1 && !startsAtLineStart { textStartOffset = examinedByteCount }
            if lineEnds == Self.lineEndsForText { decision = .text }
        case 0x20..<0x7F, UInt8(ascii: "\t"), UInt8(ascii: "\r"):
            break
        default:
            // 0x00 ends every COBS frame and never occurs in text; other control and high bytes
            // are not Serial Plotter text either.
            decision = .binary
        }
        if decision == nil && examinedByteCount >= Self.decisionByteLimit { decision = .binary }
        return decision
    }
}
