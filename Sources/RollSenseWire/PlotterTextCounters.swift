/// What a Serial Plotter text parser has seen.
public struct PlotterTextCounters: Sendable, Hashable {
    /// Lines that became a sample.
    public var samples = 0
    /// Samples from sketch-text lines (labels with spaces, `=`, units after the value).
    public var sketchLines = 0
    /// Lines skipped: blank, no number, a word that is not a number, or force units mixed with
    /// raw counts, and sketch-text lines whose layout has not (yet) repeated on the line before.
    public var malformedLines = 0
    /// Lines longer than `PlotterTextParser.maxLineByteCount`.
    public var oversizeLines = 0
    /// Values past the fourth on a line, ignored.
    public var ignoredValues = 0
    /// Bytes of the partial first line and of every line that did not become a sample, line
    /// ends included.
    public var discardedBytes = 0

    /// All zero.
    public init() {}
}
