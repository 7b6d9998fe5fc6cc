import Testing
@testable import RollSenseSignal

@Suite struct AutoRezeroTests {
    @Test func aStillStretchBecomesTheZero() {
        var rezero = AutoRezero(windowMicroseconds: 1_000_000, stillNewtons: 1, maxDriftNewtons: 10)
        for i in 0...10 {
            #expect(rezero.add(SIMD4(3, -2, 0.25, 0), timeMicroseconds: Int64(i) * 100_000) == nil)
        }
        #expect(rezero.zeroNewtons == SIMD4(3, -2, 0.25, 0))
    }

    @Test func movementKeepsTheZero() {
        var rezero = AutoRezero(windowMicroseconds: 1_000_000, stillNewtons: 1, maxDriftNewtons: 10)
        for i in 0...10 { _ = rezero.add(SIMD4(Double(i), 0, 0, 0), timeMicroseconds: Int64(i) * 100_000) }
        #expect(rezero.zeroNewtons == .zero)
    }

    @Test func driftBeyondTheBoundIsClampedAndReported() {
        var rezero = AutoRezero(windowMicroseconds: 1_000_000, stillNewtons: 1, maxDriftNewtons: 10)
        var reported: SIMD4<Double>?
        for i in 0...10 { reported = rezero.add(SIMD4(25, 0, 0, 0), timeMicroseconds: Int64(i) * 100_000) ?? reported }
        #expect(reported == SIMD4(25, 0, 0, 0))
        #expect(rezero.zeroNewtons == SIMD4(10, 0, 0, 0))
    }

    @Test func aBrokenStretchStartsOver() {
        var rezero = AutoRezero(windowMicroseconds: 1_000_000, stillNewtons: 1, maxDriftNewtons: 10)
        for i in 0..<8 { _ = rezero.add(SIMD4(5, 0, 0, 0), timeMicroseconds: Int64(i) * 100_000) }
        rezero.breakStretch()
        for i in 8..<12 { _ = rezero.add(SIMD4(5, 0, 0, 0), timeMicroseconds: Int64(i) * 100_000) }
        #expect(rezero.zeroNewtons == .zero)
    }
}
