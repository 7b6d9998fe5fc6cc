/// Tells a hold (the load steady on one spot) from rolling: strokes make the force (and, rolling
/// along the roller, the load centroid) swing; a hold is steady. The window is split into blocks
/// whose extremes are kept in fixed lanes, so each sample costs a few comparisons and nothing is
/// allocated.
///
/// Still means: over the last `windowMicroseconds`, the force spanned at most
/// `forceSpanNewtons + forceSpanFraction × mean force` and the centroid at most
/// `centroidSpanMillimetres`. The window must be longer than the slowest stroke (docs/SAFETY.md).
public struct StillnessDetector: Sendable, Equatable {
    /// How many blocks the window is split into (lanes 0..<blockCount of the SIMD8 fields).
    public static let blockCount = 6
    /// Length of the window a hold must be steady over.
    public let windowMicroseconds: Int64
    /// Fixed part of the allowed force span (sensor noise, breathing).
    public let forceSpanNewtons: Double
    /// Part of the allowed force span that grows with the load.
    public let forceSpanFraction: Double
    /// Allowed span of the load centroid along the roller.
    public let centroidSpanMillimetres: Double

    /// Whether the load is still now.
    public private(set) var isStill = false
    /// Device time since which the load has been still (nil while moving).
    public private(set) var stillSinceMicroseconds: Int64?

    private let blockMicroseconds: Int64
    private var minForce = SIMD8<Double>(repeating: .infinity)
    private var maxForce = SIMD8<Double>(repeating: -.infinity)
    private var minCentroid = SIMD8<Double>(repeating: .infinity)
    private var maxCentroid = SIMD8<Double>(repeating: -.infinity)
    private var sumForce = SIMD8<Double>(repeating: 0)
    private var count = SIMD8<Double>(repeating: 0)
    private var block = 0
    private var blockEndMicroseconds: Int64 = .min
    private var filledBlocks = 0
    private var windowStartMicroseconds: Int64 = .min

    /// Makes a detector that is not still until a whole window of steady load was seen.
    public init(windowMicroseconds: Int64, forceSpanNewtons: Double, forceSpanFraction: Double, centroidSpanMillimetres: Double) {
        self.windowMicroseconds = max(windowMicroseconds, Int64(Self.blockCount))
        self.forceSpanNewtons = forceSpanNewtons
        self.forceSpanFraction = forceSpanFraction
        self.centroidSpanMillimetres = centroidSpanMillimetres
        blockMicroseconds = self.windowMicroseconds / Int64(Self.blockCount)
    }

    /// Forgets everything (contact ended, a fault, a clock jump): not still.
    public mutating func reset() {
        self = StillnessDetector(windowMicroseconds: windowMicroseconds, forceSpanNewtons: forceSpanNewtons,
                                 forceSpanFraction: forceSpanFraction, centroidSpanMillimetres: centroidSpanMillimetres)
    }

    /// Feeds the smoothed total force and the centroid (nil without a layout); returns `isStill`.
    @inline(__always)
    public mutating func update(forceNewtons: Double, centroidMillimetres: Double?, timeMicroseconds t: Int64) -> Bool {
        if blockEndMicroseconds == .min {
            blockEndMicroseconds = t + blockMicroseconds
            windowStartMicroseconds = t
        } else if t >= blockEndMicroseconds {
            // A new block replaces the oldest; a long pause skips whole blocks.
            var steps = 0
            while t >= blockEndMicroseconds && steps < Self.blockCount {
                block = (block + 1) % Self.blockCount
                clear(block)
                blockEndMicroseconds += blockMicroseconds
                filledBlocks = min(filledBlocks + 1, Self.blockCount)
                steps += 1
            }
            if t >= blockEndMicroseconds { blockEndMicroseconds = t + blockMicroseconds }
        }
        minForce[block] = Swift.min(minForce[block], forceNewtons)
        maxForce[block] = Swift.max(maxForce[block], forceNewtons)
        if let c = centroidMillimetres {
            minCentroid[block] = Swift.min(minCentroid[block], c)
            maxCentroid[block] = Swift.max(maxCentroid[block], c)
        }
        sumForce[block] += forceNewtons
        count[block] += 1

        // Not judged until the window is covered: the first blocks alone could miss a stroke.
        guard filledBlocks >= Self.blockCount - 1 else { return markMoving() }
        let n = count.sum()
        let mean = n > 0 ? sumForce.sum() / n : 0
        let forceSpan = maxForce.max() - minForce.min()
        let cMax = maxCentroid.max(), cMin = minCentroid.min()
        let centroidSpan = cMax >= cMin ? cMax - cMin : 0
        let still = forceSpan <= forceSpanNewtons + forceSpanFraction * Swift.max(mean, 0)
            && centroidSpan <= centroidSpanMillimetres
        if still && !isStill {
            isStill = true
            // The steadiness began a window ago: the hold is dated from there.
            stillSinceMicroseconds = Swift.max(windowStartMicroseconds, t - windowMicroseconds)
        } else if !still {
            return markMoving()
        }
        return true
    }

    private mutating func markMoving() -> Bool {
        isStill = false
        stillSinceMicroseconds = nil
        return false
    }

    private mutating func clear(_ i: Int) {
        minForce[i] = .infinity
        maxForce[i] = -.infinity
        minCentroid[i] = .infinity
        maxCentroid[i] = -.infinity
        sumForce[i] = 0
        count[i] = 0
    }
}
