// Lane-wise helpers written out per lane: the standard library's generic pointwiseMin/Max,
// masks and reductions were not inlined in release builds and cost ten times the arithmetic
// (measured with callgrind on bench-signal).

extension SIMD4 where Scalar == Double {
    @inline(__always)
    func lanesMin(_ other: Self) -> Self {
        Self(self[0] < other[0] ? self[0] : other[0], self[1] < other[1] ? self[1] : other[1],
             self[2] < other[2] ? self[2] : other[2], self[3] < other[3] ? self[3] : other[3])
    }

    @inline(__always)
    func lanesMax(_ other: Self) -> Self {
        Self(self[0] > other[0] ? self[0] : other[0], self[1] > other[1] ? self[1] : other[1],
             self[2] > other[2] ? self[2] : other[2], self[3] > other[3] ? self[3] : other[3])
    }

    @inline(__always)
    var lanesAbs: Self { Self(abs(self[0]), abs(self[1]), abs(self[2]), abs(self[3])) }

    @inline(__always)
    var lanesSum: Double { (self[0] + self[1]) + (self[2] + self[3]) }

    @inline(__always)
    var lanesMaximum: Double { Swift.max(Swift.max(self[0], self[1]), Swift.max(self[2], self[3])) }

    /// 1 for the first `count` lanes, 0 after.
    @inline(__always)
    static func laneMask(count: Int) -> Self {
        Self(count > 0 ? 1 : 0, count > 1 ? 1 : 0, count > 2 ? 1 : 0, count > 3 ? 1 : 0)
    }

    @inline(__always)
    var isFinite: Bool { self[0].isFinite && self[1].isFinite && self[2].isFinite && self[3].isFinite }
}
