import PropertyBased
import Testing
@testable import RollSenseSignal

@Suite struct SmoothersTests {
    @Test func oneEuroOutputStaysWithinTheInputRange() async {
        await propertyCheck(
            input: Gen.double(in: -500...500).array(of: 1...200), Gen.double(in: 0...5), Gen.int(in: 1000...100_000)
        ) { values, beta, stepMicroseconds in
            var filter = OneEuroFilter(minCutoffHertz: 1, beta: beta, derivativeCutoffHertz: 1)
            let low = values.min()!, high = values.max()!
            for x in values {
                let y = filter.update(SIMD4(repeating: x), dtSeconds: Double(stepMicroseconds) * 1e-6)[0]
                #expect(y >= low && y <= high)
            }
        }
    }

    @Test func emaOutputStaysWithinTheInputRange() async {
        await propertyCheck(input: Gen.double(in: -500...500).array(of: 1...200)) { values in
            var filter = ExponentialMovingAverage(timeConstantSeconds: 0.2)
            let low = values.min()!, high = values.max()!
            for x in values {
                let y = filter.update(SIMD4(repeating: x), dtSeconds: 0.0125)[0]
                #expect(y >= low && y <= high)
            }
        }
    }

    @Test func oneEuroWithBetaZeroIsAFirstOrderLowPass() {
        // With beta 0 the cutoff stays at 1 Hz: after one time constant (0.159 s) a step is at 63 %.
        var filter = OneEuroFilter()
        _ = filter.update(SIMD4(repeating: 0), dtSeconds: 0)
        var y = 0.0
        let dt = 0.001
        for _ in 0..<159 { y = filter.update(SIMD4(repeating: 100), dtSeconds: dt)[0] }
        #expect(y > 61 && y < 65)
    }

    @Test func oneEuroFollowsFastMovesWithBeta() {
        var slow = OneEuroFilter(minCutoffHertz: 1, beta: 0, derivativeCutoffHertz: 1)
        var fast = OneEuroFilter(minCutoffHertz: 1, beta: 0.05, derivativeCutoffHertz: 1)
        var ySlow = 0.0, yFast = 0.0
        for i in 0..<40 {
            let x = Double(i) * 10  // a ramp of 800 N/s
            ySlow = slow.update(SIMD4(repeating: x), dtSeconds: 0.0125)[0]
            yFast = fast.update(SIMD4(repeating: x), dtSeconds: 0.0125)[0]
        }
        #expect(yFast > ySlow)
        #expect(390 - yFast < 20)
    }

    @Test func firstSampleAndZeroStepPassThrough() {
        var filter = OneEuroFilter()
        #expect(filter.update(SIMD4(repeating: 42), dtSeconds: 0.5)[0] == 42)
        #expect(filter.update(SIMD4(repeating: 90), dtSeconds: 0)[0] == 42)  // no time passed: no change
        filter.reset()
        #expect(filter.update(SIMD4(repeating: 90), dtSeconds: 0.01)[0] == 90)
        var ema = ExponentialMovingAverage(timeConstantSeconds: 1)
        #expect(ema.update(SIMD4(repeating: 7), dtSeconds: 0)[0] == 7)
        #expect(ema.update(SIMD4(repeating: 17), dtSeconds: 1)[0] == 12)  // alpha = 1 / (1 + 1)
    }
}
