import Testing
@testable import RollSenseSignal

@Suite struct SignalEventTests {
    // The CLI prints these strings as JSON; changing one breaks users' scripts.
    @Test func rawValuesAreStable() {
        #expect(EventKind.allCases.map(\.rawValue) == ["contact", "zone", "hold", "daily", "jump", "spine", "fault", "link", "calibration", "pain"])
        #expect(AlertLevel.allCases.map(\.rawValue) == ["info", "caution", "stop"])
        #expect(EventPhase.allCases.map(\.rawValue) == ["start", "end", "instant"])
        #expect(Zone.allCases.map(\.rawValue) == ["none", "light", "target", "caution", "stop", "fault"])
        #expect(Side.allCases.map(\.rawValue) == ["whole", "left", "centre", "right"])
    }

    @Test func levelsAreOrdered() {
        #expect(AlertLevel.info < .caution && AlertLevel.caution < .stop)
    }

    @Test(arguments: EventReason.allCases)
    func everyReasonHasAUnit(reason: EventReason) {
        for phase in EventPhase.allCases {
            let event = SignalEvent(
                deviceTimeMicroseconds: 1, kind: .fault, level: .caution, phase: phase, reason: reason, zone: .fault,
                area: Area(region: .lowerBack, side: .left), forceNewtons: 1, pressureKilopascals: 1, value: 12, limit: 300,
                channel: nil)
            #expect(!event.valueUnit.isEmpty)
        }
    }

    @Test func areaNames() {
        #expect(Area(region: .lowerBack, side: .whole).name == "lower-back")
        #expect(Area(region: .lowerBack, side: .centre).name == "lower-back.centre")
    }
}
