import PropertyBased
import Testing
@testable import RollSenseWire

@Suite struct DecimalNumberTests {
    @Test(arguments: [
        ("0", 0.0), ("-0", -0.0), ("42", 42), ("+7", 7), ("-12", -12), ("3.25", 3.25), (".5", 0.5), ("5.", 5),
        ("1e3", 1000), ("1E-3", 0.001), ("-2.5e+2", -250), ("0.1", 0.1), ("8388607", 8_388_607),
        ("123456789012345678901234", 123456789012345678901234.0), ("1e-30", 1e-30), ("2.2250738585072014e-308", 2.2250738585072014e-308),
        ("0.000000000000000000000000000001", 1e-30), ("00012", 12),
    ])
    func parsesNumbers(_ text: String, _ value: Double) {
        #expect(DecimalNumber.parse(text) == value)
    }

    @Test(arguments: ["", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "0x10", "nan", "inf", "1,5", "12a", "--1", "1e999", " 1"])
    func rejectsNonNumbers(_ text: String) {
        #expect(DecimalNumber.parse(text) == nil)
    }

    @Test func agreesWithTheStandardLibrary() async {
        // The standard library's conversion rounds correctly; ours must give the same Double.
        await propertyCheck(count: 500, input: Gen.double(in: -1e7...1e7)) { value in
            let text = "\(value)"
            #expect(DecimalNumber.parse(text) == Double(text), "\(text)")
        }
        await propertyCheck(count: 300, input: Gen.int(in: -99_999_999...99_999_999), Gen.int(in: -30...30)) { mantissa, exponent in
            let text = "\(mantissa)e\(exponent)"
            #expect(DecimalNumber.parse(text) == Double(text), "\(text)")
        }
    }
}
