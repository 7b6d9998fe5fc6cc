import Testing
@testable import RollSenseSignal

@Suite struct DelayedSwitchTests {
    @Test func noiseOnTheThresholdDoesNotChatter() {
        // A force that sits on the 20 N on-threshold with ±3 N noise crosses it every few samples.
        var contact = DelayedSwitch(onDelayMicroseconds: 200_000, offDelayMicroseconds: 500_000)
        var noise = TestNoise(seed: 7)
        var transitions = 0
        for i in 0..<8000 {
            let force = 20 + noise.next(amplitude: 3)
            if contact.update(onCondition: force >= 20, offCondition: force < 10, timeMicroseconds: Int64(i) * 12_500) {
                transitions += 1
            }
        }
        #expect(transitions == 0)
    }

    @Test func turnsOnAfterTheDelayAndOffAfterItsDelay() {
        var s = DelayedSwitch(onDelayMicroseconds: 200_000, offDelayMicroseconds: 500_000)
        var changes: [Int64] = []
        for i in 0...200 {
            let t = Int64(i) * 10_000
            let high = i >= 10 && i < 100
            if s.update(onCondition: high, offCondition: !high, timeMicroseconds: t) { changes.append(t) }
        }
        #expect(changes == [300_000, 1_500_000])
    }

    @Test func zeroDelayFollowsAtOnce() {
        var s = DelayedSwitch(onDelayMicroseconds: 0, offDelayMicroseconds: 0)
        let step1 = s.update(onCondition: true, offCondition: false, timeMicroseconds: 5)
        #expect(step1)
        #expect(s.isOn)
        let step2 = s.update(onCondition: false, offCondition: true, timeMicroseconds: 6)
        #expect(step2)
        #expect(!s.isOn)
    }

    @Test func anInterruptionRestartsTheDelay() {
        var s = DelayedSwitch(onDelayMicroseconds: 100, offDelayMicroseconds: 100)
        let step3 = s.update(onCondition: true, offCondition: false, timeMicroseconds: 0)
        #expect(!step3)
        let step4 = s.update(onCondition: true, offCondition: false, timeMicroseconds: 90)
        #expect(!step4)
        let step5 = s.update(onCondition: false, offCondition: false, timeMicroseconds: 95)
        #expect(!step5)
        let step6 = s.update(onCondition: true, offCondition: false, timeMicroseconds: 150)
        #expect(!step6)
        let step7 = s.update(onCondition: true, offCondition: false, timeMicroseconds: 250)
        #expect(step7)
    }
}
