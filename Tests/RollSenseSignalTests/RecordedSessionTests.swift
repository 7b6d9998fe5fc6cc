import Foundation
import RollSenseWire
import Testing
@testable import RollSenseSignal

/// The recorded sessions of the simulated firmware (Fixtures/firmware, made by
/// Firmware/sim/record-fixtures.sh from Firmware/sim/make-scenarios.py), decoded by the real
/// FrameDecoder and run through the pipeline: the events they must produce, at the times they
/// must. Calibration follows make-scenarios.py: HX711 cells at 4.3 mV full scale over 50 kg, tared
/// on the empty first seconds; the FSR through its divider curve.
@Suite struct RecordedSessionTests {
    static let captures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/firmware/captures")

    /// make-scenarios.py: COUNTS_PER_NEWTON = 4.3 × (2^23 / 16.8) / (50 × g).
    static let countsPerNewton = 4.3 * (Double(1 << 23) / 16.8) / (50 * standardGravityMetresPerSecondSquared)

    /// make-scenarios.py's FSR divider (30 kΩ at 1 N, exponent 0.9, 10 kΩ divider, 470 kΩ
    /// bleed, 5 V) sampled into a piecewise-linear curve of 10-bit ADC counts.
    static func fsrCurve() throws -> CalibrationCurve {
        func counts(_ newtons: Double) -> Double {
            let fsr = newtons > 0 ? Elementary.power(newtons, 0.9) / 30_000 : 0
            let upper = 1 / (1 / 470_000.0 + fsr)
            return 5000 * 10_000 / (10_000 + upper) * 1023 / 5000
        }
        let forces: [Double] = [0, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 25, 30, 35, 40, 50, 60]
        return try Calibration.piecewiseFit(points: forces.map { CalibrationPoint(counts: counts($0), newtons: $0) })
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: captures.appendingPathComponent("\(name).bin")))
    }

    static func decode(_ name: String) throws -> [WireEvent] {
        var decoder = FrameDecoder()
        var events: [WireEvent] = []
        decoder.feed(try bytes(name)) { events.append($0) }
        return events
    }

    /// Tares channels from the first samples (up to `untilMicroseconds`), keeping `curves`.
    static func tare(_ events: [WireEvent], curves: [CalibrationCurve], untilMicroseconds: Int64) throws -> Calibration {
        var tare = TareEstimator(calibration: Calibration(offsetCounts: [0, 0, 0, 0], curves: curves),
                                 loadedLimitNewtons: .infinity)  // a first tare: nothing to judge the load by
        for case .sample(let s) in events where s.deviceTimeMicroseconds < untilMicroseconds { tare.add(s) }
        return try tare.result()
    }

    /// The recording through the shipped path: `SessionCore`, in the runner's read size.
    static func run(_ bytes: [UInt8], profile: Profile, calibration: Calibration) throws -> [SignalEvent] {
        var core = SessionCore(configuration: SessionConfiguration(
            profile: profile, sendsCommands: false, silenceTimeoutSeconds: nil, calibration: { _ in calibration }))
        var out: [SignalEvent] = []
        func collect(_ output: SessionOutput) {
            if case .event(let event, _) = output { out.append(event) }
            if case .finished(let end) = output { Issue.record("the core stopped: \(end)") }
        }
        for start in stride(from: 0, to: bytes.count, by: 4096) {
            core.feed(Array(bytes[start..<min(start + 4096, bytes.count)]), hostTimeMicroseconds: 0, collect)
        }
        core.finish(collect)
        return out
    }

    static func foamRollerEvents() throws -> [SignalEvent] {
        let events = try decode("foam-roller-lower-back")
        let scale = CalibrationCurve.linear(newtonsPerCount: 1 / countsPerNewton)
        let calibration = try tare(events, curves: Array(repeating: scale, count: 4), untilMicroseconds: 4_000_000)
        var profile = Profile.foamRollerLowerBack
        // The rig: cells 0 and 2 under the left half of the board, 1 and 3 under the right.
        profile.spine.channelPositionsMillimetres = [-150, 150, -150, 150]
        return try run(try bytes("foam-roller-lower-back"), profile: profile, calibration: calibration)
    }

    static func ballEvents() throws -> [SignalEvent] {
        let calibration = Calibration(offsetCounts: [0, 0, 0, 0], curves: [try fsrCurve()])
        return try run(try bytes("massage-ball"), profile: .massageBallLowerBack, calibration: calibration)
    }

    static func unpluggedEvents() throws -> [SignalEvent] {
        // The session starts mid-approach, so there is no empty stretch to tare on: the stored
        // calibration is make-scenarios.py's zero offsets plus the board's weight (1.6 kg / 4).
        let scale = CalibrationCurve.linear(newtonsPerCount: 1 / countsPerNewton)
        let boardCounts = 1.6 * standardGravityMetresPerSecondSquared / 4 * countsPerNewton
        let calibration = Calibration(offsetCounts: [84213 + boardCounts, -31022 + boardCounts, 0, 0],
                                      curves: [scale, scale, try fsrCurve(), try fsrCurve()])
        var profile = Profile.foamRollerLowerBack
        profile.spine.channelPositionsMillimetres = []  // cells at head and foot: no left/right
        return try run(try bytes("sensor-unplugged"), profile: profile, calibration: calibration)
    }

    static func seconds(_ events: [SignalEvent], _ reason: EventReason, _ phase: EventPhase) -> [Double] {
        events.filter { $0.reason == reason && $0.phase == phase }.map { Double($0.deviceTimeMicroseconds) / 1e6 }
    }

    // MARK: - Foam roller: 75 kg, approach 5-9 s, strokes 9-69 s (33 ± 6 % body weight, peaks
    // to 53 % at 40-52 s), hold 69-116 s (42 %), over-pressure 116-120 s (62 %), off by 122 s.

    @Test func foamRollerGolden() throws {
        let lines = try Self.foamRollerEvents().map(\.line)
        #expect(lines == Self.foamRollerExpected.split(separator: "\n").map(String.init))
        if lines != Self.foamRollerExpected.split(separator: "\n").map(String.init) { Issue.record("GOT-foamRollerGolden:\n\(lines.joined(separator: "\n"))") }
    }

    @Test func foamRollerFollowsTheScenario() throws {
        let events = try Self.foamRollerEvents()
        let contact = try #require(Self.seconds(events, .contact, .start).first)
        #expect(contact > 5 && contact < 6.5)  // 20 N early in the approach
        #expect(Self.seconds(events, .contact, .end).map { $0 > 120 && $0 < 123.5 } == [true])
        // Strokes at 33 ± 6 % of body weight, with peaks to 53 %, and the 42 % hold stay under
        // the 50 % caution edge as ordinary rolling; the 62 % over-pressure is one caution (under
        // the 65 % stop); the 47 s still hold is under the 90 s limit; the wide centred load is
        // the standard position, not the spine.
        #expect(Self.seconds(events, .zoneCaution, .start).count == 1)
        #expect(Self.seconds(events, .zoneCaution, .start).allSatisfy { $0 > 116 && $0 < 118 })
        #expect(Self.seconds(events, .zoneStop, .start).isEmpty)
        #expect(Self.seconds(events, .holdCaution, .start).isEmpty)
        #expect(Self.seconds(events, .loadOnSpine, .start).isEmpty)
        #expect(!events.contains { $0.kind == .fault || $0.kind == .jump })
    }

    static let foamRollerExpected = """
        5.753968 contact info start contact lower-back.centre
        5.753968 zone info start zoneLight lower-back.centre
        7.033968 zone info end zoneLight lower-back.centre
        7.033968 zone info start zoneTarget lower-back.centre
        117.08396 zone info end zoneTarget lower-back.centre
        117.08396 zone caution start zoneCaution lower-back.centre
        122.693972 zone caution end zoneCaution lower-back.centre
        122.693972 contact info end contact lower-back.centre
        """

    // MARK: - Massage ball: leaning in 3-5 s to 18 N, circles 18 ± 8 N, five 5-s presses at 35 N
    // (35-70 s), stepping away 70-72 s.

    @Test func massageBallGolden() throws {
        let lines = try Self.ballEvents().map(\.line)
        #expect(lines == Self.ballExpected.split(separator: "\n").map(String.init))
        if lines != Self.ballExpected.split(separator: "\n").map(String.init) { Issue.record("GOT-massageBallGolden:\n\(lines.joined(separator: "\n"))") }
    }

    @Test func massageBallFollowsTheScenario() throws {
        let events = try Self.ballEvents()
        let contact = try #require(Self.seconds(events, .contact, .start).first)
        #expect(contact > 3 && contact < 4)
        // The presses stay below the 50 N caution edge; each of the five 5 s presses is still
        // for 4 s and counts once; circling the ball is not a hold.
        #expect(!events.contains { $0.reason == .zoneCaution || $0.reason == .zoneStop })
        let presses = Self.seconds(events, .holdNotice, .start)
        #expect(presses.count == 5)
        #expect(presses.allSatisfy { $0 > 35 && $0 < 70 })
        #expect(Self.seconds(events, .contact, .end).map { $0 > 70 && $0 < 73 } == [true])
    }

    static let ballExpected = """
        3.703908 contact info start contact lower-back
        3.703908 zone info start zoneLight lower-back
        4.783908 zone info end zoneLight lower-back
        4.783908 zone info start zoneTarget lower-back
        39.713912 hold info start holdNotice lower-back
        40.593904 hold info end holdNotice lower-back
        46.703916 hold info start holdNotice lower-back
        47.583912 hold info end holdNotice lower-back
        53.703908 hold info start holdNotice lower-back
        54.583904 hold info end holdNotice lower-back
        60.703916 hold info start holdNotice lower-back
        61.593916 hold info end holdNotice lower-back
        67.71392 hold info start holdNotice lower-back
        68.583904 hold info end holdNotice lower-back
        72.523912 zone info end zoneTarget lower-back
        72.523912 contact info end contact lower-back
        """

    // MARK: - Sensor unplugged: load cell 1 not ready 20-40 s (holding its last value), FSR on
    // channel 3 unplugged 30-45 s.

    @Test func sensorUnpluggedGolden() throws {
        let lines = try Self.unpluggedEvents().map(\.line)
        #expect(lines == Self.unpluggedExpected.split(separator: "\n").map(String.init))
        if lines != Self.unpluggedExpected.split(separator: "\n").map(String.init) { Issue.record("GOT-sensorUnpluggedGolden:\n\(lines.joined(separator: "\n"))") }
    }

    @Test func sensorFaultsReadAsFault() throws {
        let events = try Self.unpluggedEvents()
        let notReady = Self.seconds(events, .sensorNotReady, .start) + Self.seconds(events, .sensorNotReady, .end)
        #expect(notReady.count == 2 && notReady[0] > 20 && notReady[0] < 20.2 && notReady[1] > 40 && notReady[1] < 42.1)
        let unplugged = Self.seconds(events, .disconnected, .start) + Self.seconds(events, .disconnected, .end)
        #expect(unplugged.count == 2 && unplugged[0] > 30 && unplugged[0] < 30.2 && unplugged[1] > 45 && unplugged[1] < 47.1)
        #expect(events.filter { $0.kind == .fault && $0.phase == .start }.allSatisfy { $0.channel == 1 || $0.channel == 3 })
        // While a force channel's fault lasts the zone reads fault: no light or target episode
        // opens, and only what the healthy channels prove (here caution, at 41.7 s) is raised.
        let during = events.filter { $0.kind == .zone && $0.phase == .start && $0.deviceTimeMicroseconds > 20_100_000
            && $0.deviceTimeMicroseconds < 46_000_000 }
        #expect(during.map(\.reason) == [.zoneCaution])
    }

    static let unpluggedExpected = """
        0.71396 contact info start contact lower-back
        0.71396 zone info start zoneLight lower-back
        1.92396 zone info end zoneLight lower-back
        1.92396 zone info start zoneTarget lower-back
        20.093984 fault caution start sensorNotReady lower-back
        20.093984 zone info end zoneTarget lower-back
        30.004216 fault caution start disconnected lower-back
        41.123936 fault caution end sensorNotReady lower-back
        41.673944 zone caution start zoneCaution lower-back
        46.053944 fault caution end disconnected lower-back
        51.053944 zone caution end zoneCaution lower-back
        51.053944 zone info start zoneTarget lower-back
        59.993944 zone info end zoneTarget lower-back
        59.993944 contact info end contact lower-back
        """
}
