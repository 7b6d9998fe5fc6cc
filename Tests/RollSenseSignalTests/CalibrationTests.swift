import Testing
@testable import RollSenseSignal

@Suite struct CalibrationTests {
    @Test func knownMassGivesNewtonsPerCount() throws {
        let curve = try Calibration.linearScale(channel: 0, zeroCounts: 1000, loadedCounts: 11000, massKilograms: 10)
        #expect(curve == .linear(newtonsPerCount: 10 * 9.80665 / 10000))
        #expect(abs(curve.newtons(forCounts: 10000) - 98.0665) < 1e-9)
    }

    @Test func knownMassRejectsNoResponseAndBadMass() {
        #expect(throws: CalibrationError.noResponse(channel: 2)) {
            try Calibration.linearScale(channel: 2, zeroCounts: 5, loadedCounts: 5, massKilograms: 1)
        }
        #expect(throws: CalibrationError.massNotPositive(kilograms: 0)) {
            try Calibration.linearScale(channel: 0, zeroCounts: 0, loadedCounts: 5, massKilograms: 0)
        }
    }

    @Test func multiPointFitRecoversOffsetAndSlope() throws {
        // counts = 500 + 40 × newtons
        let points = [0.0, 10, 20, 50].map { CalibrationPoint(counts: 500 + 40 * $0, newtons: $0) }
        let fit = try Calibration.linearFit(channel: 0, points: points)
        #expect(abs(fit.offsetCounts - 500) < 1e-9)
        #expect(fit.curve == .linear(newtonsPerCount: 1.0 / 40))
    }

    @Test func multiPointFitNeedsTwoDistinctPoints() {
        #expect(throws: CalibrationError.tooFewPoints(needed: 2, got: 1)) {
            try Calibration.linearFit(channel: 0, points: [CalibrationPoint(counts: 1, newtons: 1)])
        }
        #expect(throws: CalibrationError.tooFewPoints(needed: 2, got: 1)) {
            try Calibration.linearFit(channel: 0, points: [CalibrationPoint(counts: 1, newtons: 1), CalibrationPoint(counts: 1, newtons: 2)])
        }
    }

    @Test func piecewiseInterpolatesAndExtrapolates() throws {
        let curve = try Calibration.piecewiseFit(points: [
            CalibrationPoint(counts: 400, newtons: 5), CalibrationPoint(counts: 0, newtons: 0),
            CalibrationPoint(counts: 800, newtons: 20),
        ])
        #expect(curve.newtons(forCounts: 200) == 2.5)
        #expect(curve.newtons(forCounts: 600) == 12.5)
        #expect(curve.newtons(forCounts: 1000) == 27.5)  // end segment extended
        #expect(curve.newtons(forCounts: -200) == -2.5)
    }

    @Test func piecewiseRejectsFallingForce() {
        #expect(throws: CalibrationError.notMonotonic(index: 2)) {
            try Calibration.piecewiseFit(points: [
                CalibrationPoint(counts: 0, newtons: 0), CalibrationPoint(counts: 100, newtons: 5),
                CalibrationPoint(counts: 200, newtons: 4),
            ])
        }
    }

    @Test func powerLawFitRecoversAnFSRLaw() throws {
        // newtons = 0.002 × counts^1.5
        let points = [50.0, 100, 200, 400, 800].map { CalibrationPoint(counts: $0, newtons: 0.002 * Elementary.power($0, 1.5)) }
        let curve = try Calibration.powerLawFit(points: points)
        guard case .powerLaw(let a, let b) = curve else {
            Issue.record("expected a power law, got \(curve)")
            return
        }
        #expect(abs(a - 0.002) < 1e-12)
        #expect(abs(b - 1.5) < 1e-12)
        #expect(curve.newtons(forCounts: 0) == 0)
        #expect(curve.newtons(forCounts: -3) == 0)
    }

    @Test func powerLawRejectsZeroPoints() {
        #expect(throws: CalibrationError.notPositive(index: 0)) {
            try Calibration.powerLawFit(points: [CalibrationPoint(counts: 0, newtons: 0), CalibrationPoint(counts: 5, newtons: 1)])
        }
    }
}
