/// Running median over the last 1, 3 or 5 samples of every channel: a one-sample spike (or a
/// two-sample one with length 5) never reaches the output. Delays the signal by half its length.
public struct MedianFilter: Sendable, Equatable {
    /// Window length: 1 (pass-through), 3 or 5.
    public let length: Int
    private var a = SIMD4<Double>(repeating: 0)  // newest
    private var b = SIMD4<Double>(repeating: 0)
    private var c = SIMD4<Double>(repeating: 0)
    private var d = SIMD4<Double>(repeating: 0)
    private var e = SIMD4<Double>(repeating: 0)  // oldest
    private var filled = 0

    /// Makes a filter; lengths other than 3 and 5 mean 1.
    public init(length: Int) {
        self.length = (length == 3 || length == 5) ? length : 1
    }

    /// Forgets the history (after a clock jump or reconnect).
    public mutating func reset() { filled = 0 }

    /// Adds `x` and returns the median of the window. While the window is filling, the median
    /// of the last three (or the older of two) is returned, so a spike in the first samples is
    /// still held back.
    @inline(__always)
    public mutating func update(_ x: SIMD4<Double>) -> SIMD4<Double> {
        e = d; d = c; c = b; b = a; a = x
        if filled < 5 { filled += 1 }
        if length == 1 || filled == 1 { return a }
        if filled == 2 { return b }
        if length == 3 || filled < 5 { return MedianFilter.median3(a, b, c) }
        return MedianFilter.median5(a, b, c, d, e)
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
