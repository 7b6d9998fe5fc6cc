/// Why a command cannot be put on the wire; each case names the limit to respect.
public enum CommandEncodingError: Error, Sendable, Equatable {
    /// PING carries at most `limit` bytes of data (docs/PROTOCOL.md): send less.
    case pingDataTooLong(count: Int, limit: Int)
    /// SET_RATE accepts `range` hertz (docs/PROTOCOL.md): choose a rate inside it.
    case sampleRateOutOfRange(hz: Int, range: ClosedRange<Int>)
    /// A raw command's body must fit in one frame: at most `limit` bytes after the tag.
    case bodyTooLong(count: Int, limit: Int)
    /// Command types are `0x81`-`0xFF`; lower codes are device frames.
    case notACommandType(UInt8)
}
