import Foundation
import Testing
@testable import RollSenseSignal

@Suite struct PressureModelTests {
    @Test func foamRollerMatchesCurran() {
        // 33 kPa over 68 cm² is 224.4 N (Curran et al. 2008).
        let model = PressureModel(tool: .foamRoller, customAreaSquareCentimetres: 0)
        #expect(abs(model.pressureKilopascals(forceNewtons: 224.4) - 33) < 1e-9)
        #expect(abs(model.areaSquareCentimetres(forceNewtons: 224.4) - 68) < 1e-9)
        // A line contact: four times the force, twice the area and twice the pressure.
        #expect(abs(model.areaSquareCentimetres(forceNewtons: 4 * 224.4) - 136) < 1e-9)
        #expect(abs(model.pressureKilopascals(forceNewtons: 4 * 224.4) - 66) < 1e-9)
    }

    @Test func rigidRollerMatchesCurran() {
        let model = PressureModel(tool: .rigidRoller, customAreaSquareCentimetres: 0)
        #expect(abs(model.pressureKilopascals(forceNewtons: 244.4) - 52) < 1e-9)
    }

    @Test func tennisBallAreaGrowsWithForce() {
        let model = PressureModel(tool: .tennisBall, customAreaSquareCentimetres: 0)
        #expect(abs(model.areaSquareCentimetres(forceNewtons: 80) - 6.5) < 1e-12)
        #expect(abs(model.pressureKilopascals(forceNewtons: 80) - 800.0 / 6.5) < 1e-12)
        // Hertz: eight times the force, four times the area, twice the pressure.
        #expect(abs(model.areaSquareCentimetres(forceNewtons: 640) - 26) < 1e-9)
        #expect(abs(model.pressureKilopascals(forceNewtons: 640) - 1600.0 / 6.5) < 1e-9)
    }

    @Test func customAreaAndNoForce() {
        let model = PressureModel(tool: .custom, customAreaSquareCentimetres: 20)
        #expect(model.pressureKilopascals(forceNewtons: 20) == 10)
        #expect(model.pressureKilopascals(forceNewtons: -5) == 0)
        #expect(PressureModel(tool: .lacrosseBall, customAreaSquareCentimetres: 0).pressureKilopascals(forceNewtons: 0) == 0)
    }

    @Test func cubeRootIsAccurate() {
        var x = 1e-200
        while x < 1e200 {
            let expected = Foundation.cbrt(x)
            #expect(abs(PressureModel.cubeRoot(x) - expected) <= 1e-15 * expected, "cbrt(\(x))")
            x *= 3.1
        }
        #expect(PressureModel.cubeRoot(0) == 0)
        #expect(PressureModel.cubeRoot(27) == 3)
    }
}
