import Testing
@testable import RollSenseWire

@Suite struct ForceUnitTests {
    @Test(arguments: [
        ("force_N", ForceUnit.newtons), ("N", .newtons), ("n", .newtons), ("newtons", .newtons), ("x_Newton", .newtons),
        ("load_kg", .kilograms), ("KG", .kilograms), ("weight_g", .grams), ("lb", .pounds), ("lbs", .pounds), ("a_b_LBS", .pounds),
    ])
    func labelsWithUnits(_ label: String, _ unit: ForceUnit) {
        #expect(ForceUnit(label: label) == unit)
    }

    @Test(arguments: ["", "sensor_1", "force", "kg_load", "newtonss", "mg", "N_", "_"])
    func labelsWithoutUnits(_ label: String) {
        #expect(ForceUnit(label: label) == nil)
    }

    @Test func conversionFactorsFollowTheirSources() {
        #expect(ForceUnit.kilograms.newtonsPerUnit == 9.80665)
        #expect(ForceUnit.grams.newtonsPerUnit == 9.80665 / 1000)
        #expect(ForceUnit.pounds.newtonsPerUnit == 4.448222)
        #expect(ForceUnit.newtons.newtonsPerUnit == 1)
    }
}
