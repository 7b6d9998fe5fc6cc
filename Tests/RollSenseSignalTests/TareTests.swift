import RollSenseWire
import Testing
@testable import RollSenseSignal

@Suite struct TareTests {
    let scaled = Calibration(offsetCounts: [1000, 1000, 0, 0], curves: [.linear(newtonsPerCount: 0.01), .linear(newtonsPerCount: 0.01)])

    func sample(_ a: Double, _ b: Double, at i: Int) -> Sample {
        Sample(sequence: UInt64(i), deviceTimeMicroseconds: Int64(i) * 12_500, channelCount: 2, values: SIMD4(a, b, 0, 0))
    }

    @Test func stillUnloadedStretchSetsTheMean() throws {
        var tare = TareEstimator(calibration: scaled)
        for i in 0..<80 { tare.add(sample(1100 + Double(i % 3), 900 - Double(i % 2), at: i)) }
        let result = try tare.result()
        #expect(abs(result.offsetCounts[0] - (1100 + 79.0 / 80)) < 1e-9)
        #expect(abs(result.offsetCounts[1] - 899.5) < 1e-9)
        #expect(result.curves == scaled.curves)
    }

    @Test func tareUnderLoadIsRefused() {
        var tare = TareEstimator(calibration: scaled)
        // 2000 counts above the old zero on channel 1 = 20 N, above the 5 N limit.
        for i in 0..<80 { tare.add(sample(1000, 3000, at: i)) }
        #expect(throws: CalibrationError.loaded(channel: 1, forceNewtons: 20, limitNewtons: 5)) { try tare.result() }
    }

    @Test func tareWhileMovingIsRefused() {
        var tare = TareEstimator(calibration: scaled)
        for i in 0..<80 { tare.add(sample(1000 + (i == 40 ? 300 : 0), 1000, at: i)) }
        #expect(throws: CalibrationError.moving(channel: 0, spanNewtons: 3, limitNewtons: 2)) { try tare.result() }
    }

    @Test func tareWithoutSamplesIsRefused() {
        let tare = TareEstimator(calibration: scaled)
        #expect(throws: CalibrationError.noSamples) { try tare.result() }
    }

    @Test func singleSampleTares() throws {
        var tare = TareEstimator(calibration: scaled)
        tare.add(sample(1001, 999, at: 0))
        #expect(try tare.result().offsetCounts[0...1] == [1001, 999])
    }
}
