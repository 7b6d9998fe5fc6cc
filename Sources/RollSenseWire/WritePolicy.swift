/// What the host may write to a device (docs/PROTOCOL.md, "Writing to a device"). Other
/// people's sketches take single letters as commands (HX711_ADC tares on `t`), so until a device
/// has said HELLO the host sends nothing but one probe whose bytes no sketch reads as a command,
/// and nothing at all once the device's bytes look like text.
public struct WritePolicy: Sendable {
    /// The probe: a flush `0x00`, then GET_INFO with tag `0x85`, COBS-framed. Every byte is `0x00`,
    /// the control byte `0x05` or above `0x7F`: no letter, digit, sign, space or line end.
    public static let probe: [UInt8] = [0x00, 0x05, 0x82, probeTag, 0xD8, 0xA1, 0x00]
    /// The tag in the probe, chosen so the frame's CRC bytes are above `0x7F` too.
    public static let probeTag: UInt8 = 0x85
    /// A silent device is probed only after this long, once a board reset on open has booted.
    public static let silentDelayMicroseconds: Int64 = 1_500_000
    /// The probe is repeated at most this often, and only while no byte suggests text.
    public static let retryMicroseconds: Int64 = 1_000_000
    /// At most this many probes in all.
    public static let maximumProbes = 3

    /// The device said HELLO: it is a RollSense board and takes commands.
    public private(set) var identified = false
    /// The device's bytes were text (or undecided) before it said HELLO: never write again.
    public private(set) var sawText = false
    /// Probes sent so far.
    public private(set) var probesSent = 0
    private var lastProbeMicroseconds: Int64?
    private let openedMicroseconds: Int64

    /// A policy for a device opened at `openedMicroseconds` (any monotonic clock).
    public init(openedMicroseconds: Int64) {
        self.openedMicroseconds = openedMicroseconds
    }

    /// Whether commands other than the probe may be sent.
    public var mayCommand: Bool { identified }

    /// Takes note of what the decoder found.
    public mutating func observe(_ event: WireEvent) {
        switch event {
        case .info: identified = true
        case .protocolDetected(.text) where !identified: sawText = true
        case .textChannels where !identified: sawText = true
        default: break
        }
    }

    /// Whether to send `probe` now, given the decoder's protocol so far, whether any byte has
    /// arrived and how many good frames it decoded; records the probe as sent when it answers true.
    public mutating func probeDue(
        atMicroseconds now: Int64, protocolKind: WireProtocolKind?, bytesReceived: Int, framesDecoded: Int
    ) -> Bool {
        guard !identified, !sawText, probesSent < Self.maximumProbes else { return false }
        switch protocolKind {
        case .text:
            sawText = true
            return false
        case nil where bytesReceived > 0:
            // Bytes that are not yet frames may be the start of a sketch's text: wait.
            return false
        case nil:
            guard now - openedMicroseconds >= Self.silentDelayMicroseconds else { return false }
        case .binary:
            // Bytes that are not text but not frames either: a sketch at another baud rate,
            // which would read the probe as garbage of its own (possibly a `t`).
            guard framesDecoded > 0 else { return false }
        }
        if let last = lastProbeMicroseconds, now - last < Self.retryMicroseconds { return false }
        lastProbeMicroseconds = now
        probesSent += 1
        return true
    }
}
