import Testing
@testable import RollSenseSignal

@Suite struct ZoneClassifierTests {
    func classifier() -> ZoneClassifier {
        ZoneClassifier(target: 10, caution: 35, stop: 52, deadband: 2, onDelayMicroseconds: 500_000, offDelayMicroseconds: 1_000_000)
    }

    @Test func valueOnAThresholdWithNoiseDoesNotChatter() {
        for threshold in [10.0, 35, 52] {
            var zones = classifier()
            var noise = TestNoise(seed: 99)
            // Settle inside the zone below, then sit on the threshold with ±1.5 noise (less than
            // the deadband of 2): it crosses the threshold every few samples.
            for i in 0..<200 { _ = zones.update(threshold - 5, timeMicroseconds: Int64(i) * 12_500) }
            var changes = 0
            for i in 200..<10_000 {
                if zones.update(threshold + noise.next(amplitude: 1.5), timeMicroseconds: Int64(i) * 12_500) { changes += 1 }
            }
            #expect(changes == 0, "threshold \(threshold)")
            // Once inside the zone, the same noise never takes it out.
            for i in 10_000..<10_100 { _ = zones.update(threshold + 3, timeMicroseconds: Int64(i) * 12_500) }
            let inside = zones.level
            for i in 10_100..<20_000 {
                if zones.update(threshold + noise.next(amplitude: 1.5), timeMicroseconds: Int64(i) * 12_500) { changes += 1 }
            }
            #expect(changes == 0 && zones.level == inside, "threshold \(threshold)")
        }
    }

    @Test func entersAfterOnDelayAndLeavesBelowDeadbandAfterOffDelay() {
        var zones = classifier()
        var log: [(Int64, Zone)] = []
        func feed(_ value: Double, from start: Int, to end: Int) {
            for i in start..<end where zones.update(value, timeMicroseconds: Int64(i) * 100_000) {
                log.append((Int64(i) * 100_000, ZoneClassifier.zone(level: zones.level)))
            }
        }
        feed(40, from: 0, to: 10)   // straight to caution after 0.5 s
        feed(34, from: 10, to: 30)  // inside the deadband: stays caution
        feed(30, from: 30, to: 50)  // below 33: target after 1 s
        #expect(log.map(\.0) == [500_000, 4_000_000])
        #expect(log.map(\.1) == [.caution, .target])
    }

    @Test func aShortExcursionIsIgnored() {
        var zones = classifier()
        for i in 0..<10 { _ = zones.update(20, timeMicroseconds: Int64(i) * 100_000) }
        #expect(zones.level == 1)
        // 0.3 s at stop level: shorter than the on-delay.
        for i in 10..<13 { let result = zones.update(60, timeMicroseconds: Int64(i) * 100_000); #expect(!result) }
        for i in 13..<30 { let result = zones.update(20, timeMicroseconds: Int64(i) * 100_000); #expect(!result) }
    }
}
