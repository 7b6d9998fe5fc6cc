import Foundation
import Testing
@testable import rollsense
import RollSenseKit
@testable import RollSenseSignal
import RollSenseWire

/// Issue 21: a pain mark is confirmed where the person looks, with the force stored and how to
/// take it back, and the view's first lines say where the stop limit came from.
@Suite("Live view: pain confirmation and limit origin")
struct PainConfirmationViewTests {
    @Test(arguments: [80, 44])
    func aMarkIsConfirmedWithItsForceAndTheStopLimitNamesItsOrigin(width: Int) throws {
        let profile = Profile.massageBallLowerBack
        var pipeline = try SignalPipeline(profile: profile)
        var state = LiveViewState(profile: profile, title: "live")
        state.limitsLine = LimitText.headline(profile.zones, origins: LimitOrigins(all: .config(path: "/home/p/.config/rollsense/config.json")), mass: nil)
        state.identify(SessionCoreTestsInfo.info)
        for i in 0..<200 {
            let t = Int64(i) * 10_000
            let sample = Sample(sequence: UInt64(i), deviceTimeMicroseconds: t, channelCount: 1, values: SIMD4(30, 0, 0, 0), quantity: .newtons)
            let reading = pipeline.process(sample) { state.handle($0, sessionSeconds: Double($0.deviceTimeMicroseconds) * 1e-6) }
            state.read(reading, sessionSeconds: Double(t) * 1e-6)
        }
        let before = LiveViewCurrencyTests.screen(state, width, 24)
        #expect(before.contains { $0.contains("p: it hurts more") })
        #expect(before[1].hasPrefix("  stop 80 N: config.json"), "\(before)")
        pipeline.markPain { state.handle($0, sessionSeconds: Double($0.deviceTimeMicroseconds) * 1e-6) }
        let after = LiveViewCurrencyTests.screen(state, width, 24)
        #expect(after.contains { $0.contains("PAIN NOTED AT 30 N") }, "the banner: \(after)")
        #expect(after.contains { $0.hasPrefix("  Pain noted at 30 N (0:01). Not meant?") }, "the note that stays: \(after)")
        #expect(!after.contains { $0.contains("p: it hurts more") })
    }
}
