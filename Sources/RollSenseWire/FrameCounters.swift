/// What a frame decoder has seen (docs/PROTOCOL.md, "What the host decoder counts").
public struct FrameCounters: Sendable, Hashable {
    /// Frames decoded with a good CRC and yielded.
    public var frames = 0
    /// Frames whose CRC did not match.
    public var crcFailures = 0
    /// Frames longer than `WireFormat.maxPayloadCount`.
    public var oversizeFrames = 0
    /// COBS errors, frames shorter than type + CRC, bodies of the wrong length.
    public var malformedFrames = 0
    /// Good frames of a type this host does not know.
    public var unknownFrames = 0
    /// SAMPLE frames whose sequence number did not follow the previous one.
    public var sequenceGaps = 0
    /// Samples the gaps skipped.
    public var missingSamples = 0
    /// Encoded bytes (delimiters excluded) of every frame not yielded.
    public var discardedBytes = 0
    /// SAMPLE_EXTRA frames among `frames`: they yield no event of their own, their readings
    /// go with the SAMPLE that follows (docs/PROTOCOL.md, "Rotation").
    public var sampleExtraFrames = 0

    /// All zero.
    public init() {}
}
