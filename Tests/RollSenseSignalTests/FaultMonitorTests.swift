import Testing
@testable import RollSenseSignal

@Suite struct FaultMonitorTests {
    func monitor() -> FaultMonitor {
        FaultMonitor(holdMicroseconds: 2_000_000, flatLineMicroseconds: 2_000_000, saturationCounts: 8_388_607)
    }

    func run(_ monitor: inout FaultMonitor, values: (Int) -> SIMD4<Double>, count: Int, channels: Int = 4)
        -> [(Int64, FaultKind, Int?, Bool)] {
        var log: [(Int64, FaultKind, Int?, Bool)] = []
        for i in 0..<count {
            let t = Int64(i) * 100_000
            monitor.observe(rawValues: values(i), channelCount: channels, timeMicroseconds: t)
            monitor.update(timeMicroseconds: t) { kind, channel, _, started in log.append((t, kind, channel, started)) }
        }
        return log
    }

    @Test func aSaturatingChannelIsAFaultUntilHoldAfterItClears() {
        var m = monitor()
        let log = run(&m, values: { i in SIMD4(Double(i % 7), i >= 10 && i < 20 ? 8_388_607 : Double(i % 5), Double(i % 3), -Double(i % 4)) }, count: 60)
        #expect(log.map(\.0) == [1_000_000, 3_900_000])
        #expect(log.map(\.1) == [.saturated, .saturated])
        #expect(log.map(\.2) == [1, 1])
        #expect(log.map(\.3) == [true, false])
    }

    @Test func negativeFullScaleSaturatesToo() {
        var m = monitor()
        let log = run(&m, values: { i in SIMD4(-8_388_608, Double(i), 0, 0) }, count: 2, channels: 2)
        #expect(log.first?.1 == .saturated)
    }

    @Test func aFrozenChannelIsFlatLined() {
        var m = monitor()
        let log = run(&m, values: { i in SIMD4(1234, Double(i % 9), 0, 0) }, count: 30, channels: 2)
        // Checked every 8th sample (0.8 s here): the first check at or after 2 s is at 2.4 s.
        #expect(FaultMonitor.flatLineStride == 8)
        #expect(log.map(\.0) == [2_400_000])
        #expect(log.map(\.1) == [.flatLine])
        #expect(log.map(\.2) == [0])
    }

    /// One cause, one fault: a reading held at full scale is saturated, and the reading a
    /// not-ready sensor repeats is not-ready, neither also a flat line; a frozen neighbour still is.
    @Test func aSaturatedOrNotReadyChannelIsNotAlsoFlat() {
        var saturated = monitor()
        let log = run(&saturated, values: { i in SIMD4(8_388_607, Double(i % 9), 0, 0) }, count: 40, channels: 2)
        #expect(log.map(\.1) == [.saturated])
        var notReady = monitor()
        var kinds: [FaultKind] = []
        for i in 0..<40 {
            let t = Int64(i) * 100_000
            notReady.see(.sensorNotReady, channel: 1, value: 100, timeMicroseconds: t)
            notReady.observe(rawValues: SIMD4(Double(i % 9), 5555, 4321, 0), channelCount: 3, timeMicroseconds: t)
            notReady.update(timeMicroseconds: t) { kind, channel, _, started in if started { kinds.append(kind); #expect(kind == .sensorNotReady ? channel == 1 : channel == 2) } }
        }
        #expect(kinds == [.sensorNotReady, .flatLine])
    }

    @Test func zeroReadingsAndUnusedLanesAreNotFlat() {
        var m = monitor()
        #expect(run(&m, values: { i in SIMD4(0, Double(i % 9), 77, 77) }, count: 100, channels: 2).isEmpty)
    }

    @Test func endAllClosesActiveFaults() {
        var m = monitor()
        m.see(.disconnected, channel: 2, value: 1023, timeMicroseconds: 0)
        var log: [(FaultKind, Bool)] = []
        m.update(timeMicroseconds: 0) { kind, _, _, started in log.append((kind, started)) }
        m.update(timeMicroseconds: 10, endAll: true) { kind, _, _, started in log.append((kind, started)) }
        #expect(log.map(\.0) == [.disconnected, .disconnected])
        #expect(log.map(\.1) == [true, false])
        #expect(!m.anyActive)
    }
}
