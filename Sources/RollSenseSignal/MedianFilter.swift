/// Running median over the last 1, 3 or 5 samples of every channel: a one-sample spike (or a
/// two-sample one with length 5) never reaches the output. Delays the signal by half its length.
public struct MedianFilter: Sendable, Equatable {
    /// Window length: 1 (pass-through), 3 or 5.
    public let length: Int
    // The window as a ring: the median does not depend on order, so a new sample only
    // replaces the oldest slot instead of shifting five vectors.
    private var s0 = SIMD4<Double>(repeating: 0)
    private var s1 = SIMD4<Double>(repeating: 0)
    private var s2 = SIMD4<Double>(repeating: 0)
    private var s3 = SIMD4<Double>(repeating: 0)
    private var s4 = SIMD4<Double>(repeating: 0)
    private var next = 0
    private var filled = 0

    /// Makes a filter; lengths other than 3 and 5 mean 1.
    public init(length: Int) {
        self.length = (length == 3 || length == 5) ? length : 1
    }

    /// Forgets the history (after a clock jump or reconnect).
    public mutating func reset() {
        filled = 0
        next = 0
    }

    /// Adds `x` and returns the median of the window. While the window is filling, the median
    /// of the last three (or the older of two) is returned, so a spike in the first samples is
    /// still held back.
    @inline(__always)
    public mutating func update(_ x: SIMD4<Double>) -> SIMD4<Double> {
        if length == 1 { return x }
        switch next {
        case 0: s0 = x
        case 1: s1 = x
        case 2: s2 = x
        case 3: s3 = x
        default: s4 = x
        }
        next = next + 1 == length ? 0 : next + 1
        if filled < length { return filling() }
        if length == 3 { return MedianFilter.median3(s0, s1, s2) }
        // The median-of-5 network written in place (the call to median5 was not inlined).
        var p0 = s0, p1 = s1, p2 = s2, p3 = s3, p4 = s4
        var low = p0.lanesMin(p1); p1 = p0.lanesMax(p1); p0 = low
        low = p3.lanesMin(p4); p4 = p3.lanesMax(p4); p3 = low
        p3 = p0.lanesMax(p3)  // p0 is the overall minimum: only the larger one matters
        p1 = p1.lanesMin(p4)  // p4 is the overall maximum: only the smaller one matters
        low = p1.lanesMin(p2); p2 = p1.lanesMax(p2); p1 = low
        p2 = p2.lanesMin(p3)
        return p1.lanesMax(p2)
    }

    // The first samples after a reset: slots 0..<filled hold them in arrival order.
    @inline(never)
    private mutating func filling() -> SIMD4<Double> {
        filled += 1
        if filled <= 2 { return s0 }
        let newest = filled == 3 ? s2 : (filled == 4 ? s3 : s4)
        let middle = filled == 3 ? s1 : (filled == 4 ? s2 : s3)
        let oldest = filled == 3 ? s0 : (filled == 4 ? s1 : s2)
        if filled < 5 || length == 3 { return MedianFilter.median3(newest, middle, oldest) }
        return MedianFilter.median5(s0, s1, s2, s3, s4)
    }

    @inline(__always)
    static func median3(_ a: SIMD4<Double>, _ b: SIMD4<Double>, _ c: SIMD4<Double>) -> SIMD4<Double> {
        a.lanesMin(b).lanesMax(a.lanesMax(b).lanesMin(c))
    }

    @inline(__always)
    static func median5(
        _ p0: SIMD4<Double>, _ p1: SIMD4<Double>, _ p2: SIMD4<Double>, _ p3: SIMD4<Double>, _ p4: SIMD4<Double>
    ) -> SIMD4<Double> {
        // A 7-exchange selection network that leaves the median in p2 (lane-wise, no branches).
        var p0 = p0, p1 = p1, p2 = p2, p3 = p3, p4 = p4
        @inline(__always) func sort(_ x: inout SIMD4<Double>, _ y: inout SIMD4<Double>) {
            let low = x.lanesMin(y)
            y = x.lanesMax(y)
            x = low
        }
        sort(&p0, &p1); sort(&p3, &p4); sort(&p0, &p3)
        sort(&p1, &p4); sort(&p1, &p2); sort(&p2, &p3)
        sort(&p1, &p2)
        _ = p0; _ = p4
        return p2
    }
}
