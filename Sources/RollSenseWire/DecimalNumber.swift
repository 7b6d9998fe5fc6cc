/// Parses decimal numbers as Arduino sketches print them, without Foundation: an optional sign,
/// digits with an optional decimal point, and an optional exponent (`-12`, `3.25`, `.5`, `1e-3`).
/// Hex, `nan` and `inf` are not numbers here.
enum DecimalNumber {
    /// Powers of ten that a `Double` holds exactly (10^22 < 2^53 · 2^22).
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
    /// Significant digits kept in a `UInt64` mantissa (10^19 < 2^64).
    private static let maxMantissaDigits = 19
    /// Exponent digits beyond this change nothing but overflow: clamp.
    private static let exponentClamp = 100_000

    private static let zero = UInt8(ascii: "0")

    /// The value of `token`, or nil if the whole token is not a finite decimal number.
    static func parse(_ token: UnsafeRawBufferPointer) -> Double? {
        let count = token.count
        var index = 0
        var isNegative = false
        if index < count && (token[index] == UInt8(ascii: "+") || token[index] == UInt8(ascii: "-")) {
            isNegative = token[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var mantissaDigits = 0
        var decimalExponent = 0
        var sawDigit = false
        var sawPoint = false
        while index < count {
            let byte = token[index]
            if byte >= zero && byte <= zero + 9 {
                sawDigit = true
                if mantissaDigits < maxMantissaDigits {
                    if mantissa != 0 || byte != zero { mantissaDigits += 1 }
                    mantissa = mantissa * 10 + UInt64(byte - zero)
                    if sawPoint { decimalExponent -= 1 }
                } else if !sawPoint {
                    decimalExponent += 1  // a digit past the kept ones still scales the value
                }
            } else if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        if index < count && (token[index] == UInt8(ascii: "e") || token[index] == UInt8(ascii: "E")) {
            index += 1
            var exponentIsNegative = false
            if index < count && (token[index] == UInt8(ascii: "+") || token[index] == UInt8(ascii: "-")) {
                exponentIsNegative = token[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            var sawExponentDigit = false
            while index < count, token[index] >= zero, token[index] <= zero + 9 {
                exponent = min(exponent * 10 + Int(token[index] - zero), exponentClamp)
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit else { return nil }
            decimalExponent += exponentIsNegative ? -exponent : exponent
        }
        guard index == count else { return nil }

        let value: Double
        if mantissa == 0 {
            value = 0
        } else if mantissa <= 1 << 53 && abs(decimalExponent) <= 22 {
            // Both operands exact, so one IEEE operation rounds correctly (Clinger 1990).
            let power = exactPowersOfTen[abs(decimalExponent)]
            value = decimalExponent < 0 ? Double(mantissa) / power : Double(mantissa) * power
        } else {
            // Rare (many digits or a large exponent): the standard library's correctly rounded
            // conversion, which is not Foundation.
            // The token already holds its sign.
            guard let parsed = Double(String(decoding: token, as: UTF8.self)) else { return nil }
            return parsed.isFinite ? parsed : nil
        }
        let signed = isNegative ? -value : value
        return signed.isFinite ? signed : nil
    }

    /// Convenience for tests and callers holding a string.
    static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }
}
