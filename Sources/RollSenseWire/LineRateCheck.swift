/// Judges the bytes read at one line rate (docs/PROTOCOL.md, "Baud rate detection"): RollSense
/// frames, text lines, or the garbage a UART makes of a sender at another rate.
///
/// A wrong rate shows up as bytes that are neither printable text nor valid frames (framing
/// errors arrive as `0x00`, bits smeared across bytes as high and control bytes); the right rate
/// gives lines of printable text or frames whose CRC holds.
public struct LineRateCheck: Sendable {
    /// What the bytes at one rate were.
    public enum Verdict: Sendable, Equatable {
        /// RollSense frames with good CRCs.
        case frames
        /// Whole lines of printable text.
        case text
        /// Neither: the sender runs at another rate (or sends something else).
        case garbled
        /// Only printable bytes so far, but not yet a whole line (a slow sketch): keep reading.
        case textSoFar
    }

    /// Bytes not text that make a rate garbled when no frame has come within this many bytes
    /// (a frame is at most 66 bytes; one that started before the read is dropped).
    static let frameSearchByteLimit = 140
    /// Printable characters a complete line needs to count (a garbled stream may make a lone `\n`).
    static let minimumLineCharacters = 3

    /// Bytes examined.
    public private(set) var byteCount = 0
    private var frames = FrameDecoder()
    private var nonTextBytes = 0
    private var lineEnds = 0
    private var charactersInLine = 0
    private var wholeLines = 0
    private var decided: Verdict?

    /// A check with nothing seen.
    public init() {}

    /// Looks at more bytes; returns the verdict once it is certain (`.frames`, `.text` or `.garbled`).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Verdict? {
        if let decided { return decided }
        for byte in bytes {
            byteCount += 1
            switch byte {
            case UInt8(ascii: "\n"):
                if lineEnds > 0 && charactersInLine >= Self.minimumLineCharacters { wholeLines += 1 }
                lineEnds += 1
                charactersInLine = 0
            case UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                break
            case 0x20..<0x7F:
                charactersInLine += 1
            default:
                nonTextBytes += 1
            }
        }
        frames.feed(bytes) { _ in }
        let counters = frames.counters
        let bad = counters.crcFailures + counters.malformedFrames + counters.oversizeFrames + counters.unknownFrames
        if counters.frames >= 2 || (counters.frames == 1 && bad == 0 && nonTextBytes > 0) {
            decided = .frames
        } else if nonTextBytes == 0 && wholeLines >= 1 {
            decided = .text
        } else if nonTextBytes > 0 && counters.frames == 0 && (bad >= 2 || byteCount >= Self.frameSearchByteLimit) {
            decided = .garbled
        }
        return decided
    }

    /// Convenience for a byte array.
    public mutating func feed(_ bytes: [UInt8]) -> Verdict? {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The verdict when reading at this rate stops: nil when nothing came at all.
    public var verdict: Verdict? {
        if let decided { return decided }
        if byteCount == 0 { return nil }
        if nonTextBytes > 0 { return frames.counters.frames > 0 ? .frames : .garbled }
        return .textSoFar
    }
}

/// The rates `--baud auto` tries and the order it tries them in (docs/PROTOCOL.md, "Baud rate
/// detection"): the protocol's own rate first, then what example sketches use.
public enum BaudRateSearch {
    /// 115200 (RollSense and fast sketches), then 57600, 38400, 19200, 9600.
    public static let candidateRates = [115_200, 57_600, 38_400, 19_200, 9_600]
    /// How long to listen at one rate before trying the next, per pass.
    public static let listenMilliseconds = 1_200
    /// How long to keep listening at a rate whose bytes are text so far (a sketch printing a
    /// line every 5 s needs two line ends).
    public static let slowTextMilliseconds = 11_000
    /// How long the whole search may take before it gives up.
    public static let budgetMilliseconds = 15_000

    /// What the search concluded.
    public struct Outcome: Sendable, Equatable {
        /// The rate chosen.
        public var baudRate: Int
        /// What the bytes at that rate were (nil: nothing came at any rate).
        public var verdict: LineRateCheck.Verdict?
        /// The bytes read at the chosen rate, for the decoder (nothing is lost to the search).
        public var bytes: [UInt8]

        /// Makes an outcome.
        public init(baudRate: Int, verdict: LineRateCheck.Verdict?, bytes: [UInt8]) {
            self.baudRate = baudRate
            self.verdict = verdict
            self.bytes = bytes
        }
    }

    /// The rates still worth trying after `verdicts` (garbled ones are dropped).
    public static func remaining(_ rates: [Int], after verdicts: [Int: LineRateCheck.Verdict?]) -> [Int] {
        rates.filter { rate in
            guard let verdict = verdicts[rate] else { return true }
            return verdict != .garbled
        }
    }
}
