// The simulator's pty closed and a new one opened mid-session (the harness restarted, as a board
// does when it is unplugged and plugged back in), with one decoder and one pipeline across both
// (issue 8). Connection's own reconnect needs udev (RollSenseDeviceTests, under umockdev); a pty
// has no udev entry, so here the test plays the session's part: disconnect, reopen, reconnect.
import Foundation
import RollSenseSignal
import RollSenseSimulatorSupport
import RollSenseWire
import Testing

private let firmwareReady = FirmwareBuild.isBuilt || FirmwareBuild.isRequired

@Suite("Harness restart mid-session", .serialized, .enabled(if: firmwareReady, "run `make -C Firmware` to build the simulated firmware"))
struct HarnessRestartTests {
    /// Reads raw bytes from `device` into `decoder` until `count` more samples came.
    static func read(_ device: SimulatedDevice, into decoder: inout WireDecoder, samples count: Int,
                     _ handle: (WireEvent) -> Void) throws {
        var seen = 0
        let deadline = Date().addingTimeInterval(60)
        while seen < count {
            guard Date() < deadline else { throw SimulatedDeviceError.timedOut("\(count) samples") }
            let chunk = try device.rawChunk(waitingAtMost: 1)
            decoder.feed(chunk, hostTimeMicroseconds: 0) { event in
                if case .sample = event { seen += 1 }
                handle(event)
            }
        }
    }

    @Test("the second run's samples follow the first's: none lost, none twice, time never back, the gap an event")
    func restartContinuesTheSession() throws {
        guard FirmwareBuild.isBuilt else {
            Issue.record(Comment(rawValue: FirmwareBuild.missingMessage))
            return
        }
        var decoder = WireDecoder(protocolKind: .binary)
        var pipeline = try SignalPipeline(profile: .foamRollerLowerBack)
        var events: [SignalEvent] = []
        var samples: [[Sample]] = [[], []]
        var hellos = 0
        var gaps = 0
        for run in 0..<2 {
            let device = try SimulatedDevice()
            try Self.read(device, into: &decoder, samples: 150) { event in
                switch event {
                case .sample(let sample):
                    // The first sample of the second run ends the link's outage.
                    samples[run].append(sample)
                    _ = pipeline.process(sample) { events.append($0) }
                case .info: hellos += 1
                case .gap: gaps += 1
                default: break
                }
            }
            if run == 0, let last = samples[0].last {
                // The pty is closed here (device released at the end of the loop body); as
                // SessionCore.linkLost does, the decoder forgets a frame the close cut in two.
                decoder.linkLost()
                pipeline.disconnect(atDeviceTimeMicroseconds: last.deviceTimeMicroseconds) { events.append($0) }
            }
        }
        #expect(hellos == 2, "each boot says hello once")
        #expect(gaps == 0, "a HELLO restarts sequence tracking: the restart is no gap")
        #expect(decoder.counters.binary.crcFailures == 0)
        // Within each run, consecutive; across the restart, sequence and time go on upwards.
        for run in samples {
            for (previous, next) in zip(run, run.dropFirst()) {
                #expect(next.sequence == previous.sequence + 1)
                #expect(next.deviceTimeMicroseconds > previous.deviceTimeMicroseconds)
            }
        }
        let lastBefore = try #require(samples[0].last)
        let firstAfter = try #require(samples[1].first)
        #expect(firstAfter.sequence > lastBefore.sequence)
        #expect(firstAfter.deviceTimeMicroseconds >= lastBefore.deviceTimeMicroseconds)
        #expect(samples[0].count >= 150 && samples[1].count >= 150)
        // The link's loss and return are events.
        #expect(events.contains { $0.reason == .deviceDisconnected && $0.phase == .start })
        #expect(events.contains { $0.reason == .deviceDisconnected && $0.phase == .end })
    }
}
