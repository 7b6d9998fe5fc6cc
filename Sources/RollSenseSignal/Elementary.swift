// The standard library has no exp/log without Foundation or Glibc; these pure-Swift versions
// also give the same bits on every platform, which keeps the pipeline deterministic.

/// Deterministic elementary functions used by the power-law curves and ball contact models.
public enum Elementary {
    // ln 2 split so that `n * ln2High` is exact for |n| < 2^11 (Cody-Waite reduction).
    private static let ln2High = 6.93147180369123816490e-01
    private static let ln2Low = 1.90821492927058770002e-10
    private static let ln2 = 0.693147180559945309417232121458

    /// e raised to `x`; 0 below -745, +infinity above 709.78.
    public static func exponential(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.78 { return .infinity }
        if x < -745.1 { return 0 }
        let n = (x / ln2).rounded()
        let r = (x - n * ln2High) - n * ln2Low
        // Taylor series for |r| <= ln2/2: the 14th term is below 1e-17 relative.
        var term = 1.0
        var sum = 1.0
        var k = 1.0
        while k <= 14 {
            term = term * r / k
            sum += term
            k += 1
        }
        return scaleByPowerOfTwo(sum, Int(n))
    }

    /// Natural logarithm of `x`; NaN below 0, -infinity at 0.
    public static func naturalLogarithm(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return x }
        var exponent = Int(x.exponent)
        var m = x.significand  // in [1, 2)
        if m > 1.4142135623730951 {
            m /= 2
            exponent += 1
        }
        // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: 12 odd terms reach 1e-19.
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var power = s
        var sum = 0.0
        var k = 1.0
        while k <= 25 {
            sum += power / k
            power *= s2
            k += 2
        }
        return 2 * sum + Double(exponent) * ln2
    }

    /// `base` raised to `exponent` for `base >= 0`.
    public static func power(_ base: Double, _ exponent: Double) -> Double {
        if base == 0 { return exponent == 0 ? 1 : 0 }
        return Elementary.exponential(exponent * naturalLogarithm(base))
    }

    private static func scaleByPowerOfTwo(_ value: Double, _ n: Int) -> Double {
        var result = value
        var remaining = n
        // Two steps keep subnormal results and 2^1024 overflow correct.
        while remaining != 0 {
            let step = max(-1000, min(1000, remaining))
            result *= Double(sign: .plus, exponent: step, significand: 1)
            remaining -= step
        }
        return result
    }
}
