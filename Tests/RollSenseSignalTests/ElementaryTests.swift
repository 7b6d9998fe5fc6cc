import Foundation
import Testing
@testable import RollSenseSignal

@Suite struct ElementaryTests {
    @Test func exponentialMatchesLibm() {
        for x in stride(from: -700.0, through: 700.0, by: 3.7) {
            let expected = Foundation.exp(x)
            #expect(abs(Elementary.exponential(x) - expected) <= 4e-15 * expected, "exp(\(x))")
        }
        #expect(Elementary.exponential(0) == 1)
        #expect(Elementary.exponential(800) == .infinity)
        #expect(Elementary.exponential(-800) == 0)
    }

    @Test func logarithmMatchesLibm() {
        var x = 1e-300
        while x < 1e300 {
            let expected = Foundation.log(x)
            #expect(abs(Elementary.naturalLogarithm(x) - expected) <= 4e-15 * max(1, abs(expected)), "log(\(x))")
            x *= 7.3
        }
        #expect(Elementary.naturalLogarithm(1) == 0)
        #expect(Elementary.naturalLogarithm(0) == -.infinity)
        #expect(Elementary.naturalLogarithm(-1).isNaN)
    }

    @Test func powerOfZeroAndOne() {
        #expect(Elementary.power(0, 2) == 0)
        #expect(Elementary.power(0, 0) == 1)
        #expect(abs(Elementary.power(8, 1.0 / 3) - 2) < 1e-14)
    }
}
