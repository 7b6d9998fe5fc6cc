/// The typical time between a device's samples: the median of the last few intervals. A sketch
/// printing once a second is a slow device, not a clock that jumps every second, so the clock
/// jump check scales with it, and a device too slow for live alerts is told apart.
public struct SampleIntervalTracker: Sendable {
    /// Intervals kept for the median.
    static let window = 5
    /// Intervals needed before the rate counts as known.
    static let minimumIntervals = 3
    /// A step over this many typical intervals is a clock jump.
    static let jumpFactor: Int64 = 3
    /// No device rate is slower than this: a longer step is a gap or a jump, whatever the rate.
    public static let slowestIntervalMicroseconds: Int64 = 10_000_000
    /// No device RollSense supports samples faster than 1 kHz: a shorter step is lines of a text
    /// sketch that came in one read (stamped 1 µs apart), not a rate. A busy host that read five
    /// 4 Hz lines at once made the median 1 µs, and the slow device "fast" for a moment.
    public static let fastestIntervalMicroseconds: Int64 = 1_000

    private var intervals: (Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0)
    private var count = 0
    private var next = 0

    /// Nothing seen yet.
    public init() {}

    /// The median of the recent intervals, once `minimumIntervals` have been seen.
    public private(set) var typicalMicroseconds: Int64?

    /// The longest step that is not a clock jump: `base` (the profile's limit) or three typical
    /// intervals, whichever is longer; while the rate is unknown, the slowest device rate.
    public func jumpLimit(base: Int64) -> Int64 {
        guard let typical = typicalMicroseconds else { return max(base, Self.slowestIntervalMicroseconds) }
        return max(base, min(Self.jumpFactor * typical, Self.slowestIntervalMicroseconds))
    }

    /// Adds one step between samples; steps that cannot be a rate (backwards, too long, one
    /// read's burst) are left out.
    public mutating func add(_ intervalMicroseconds: Int64) {
        guard intervalMicroseconds >= Self.fastestIntervalMicroseconds, intervalMicroseconds <= Self.slowestIntervalMicroseconds else { return }
        withUnsafeMutableBytes(of: &intervals) { raw in
            raw.bindMemory(to: Int64.self)[next] = intervalMicroseconds
        }
        next = (next + 1) % Self.window
        count = min(count + 1, Self.window)
        typicalMicroseconds = count >= Self.minimumIntervals ? median() : nil
    }

    /// The middle of the kept intervals without sorting a copy (at most five: no allocation on
    /// the per-sample path).
    private func median() -> Int64 {
        withUnsafeBytes(of: intervals) { raw in
            let values = raw.bindMemory(to: Int64.self)
            for i in 0..<count {
                var below = 0
                var equal = 0
                for j in 0..<count {
                    if values[j] < values[i] { below += 1 } else if values[j] == values[i] { equal += 1 }
                }
                if below <= count / 2 && count / 2 < below + equal { return values[i] }
            }
            return values[0]
        }
    }

    /// Forgets the rate (the device restarted or came back).
    public mutating func reset() {
        self = SampleIntervalTracker()
    }
}
