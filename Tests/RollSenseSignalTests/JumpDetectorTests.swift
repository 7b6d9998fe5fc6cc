import Testing
@testable import RollSenseSignal

@Suite struct JumpDetectorTests {
    func detector() -> JumpDetector {
        JumpDetector(riseNewtons: 150, windowMicroseconds: 200_000, refractoryMicroseconds: 2_000_000)
    }

    @Test func aFallOntoTheRollerIsAJump() {
        var jump = detector()
        var found: [Int64] = []
        for i in 0..<400 {
            let t = Int64(i) * 12_500
            if jump.update(forceNewtons: i < 100 ? 0 : 400, timeMicroseconds: t) != nil { found.append(t) }
        }
        #expect(found == [1_250_000])  // once, thanks to the refractory time and the settled baseline
    }

    @Test func aSlowRiseIsNotAJump() {
        var jump = detector()
        for i in 0..<800 {
            // 400 N over 2 s: 40 N per 0.2 s window.
            let step1 = jump.update(forceNewtons: min(400, Double(i) * 2.5), timeMicroseconds: Int64(i) * 12_500)
            #expect(step1 == nil)
        }
    }

    @Test func singleSampleInputIsQuiet() {
        var jump = detector()
        let step2 = jump.update(forceNewtons: 500, timeMicroseconds: 0)
        #expect(step2 == nil)
    }
}
