// Over 400 lines: one suite for the session core's rules, each case run over several byte
// splittings by the same helpers; split, the helpers would be shared across files for nothing.
import Testing
@testable import RollSenseSignal
import RollSenseWire

/// The session core's rules, fed wire bytes and host times by hand: HELLO wait and GET_INFO
/// retry, START once, the duration to the sample, silence, link loss and return, and the figures.
/// Deterministic, and for the byte stream in several chunkings (the outputs must not care).
@Suite struct SessionCoreTests {
    static let period: Int64 = 12_500
    static let info = DeviceInfo(
        firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), board: .uno, deviceID: 7,
        sampleRateHz: 80, isStreaming: true, sensorKinds: Array(repeating: .hx711LoadCell, count: 4))

    static func hello() -> [UInt8] { [WireFormat.delimiter] + DeviceFrame.hello(info).encoded }

    /// `count` SAMPLE frames from sequence `first`, every channel at `counts` (newtons under
    /// the identity calibration), 80 Hz from `startMicroseconds`.
    static func samples(from first: Int, count: Int, counts: Double = 50, startMicroseconds: Int64 = 0) -> [UInt8] {
        var bytes: [UInt8] = []
        for i in first..<(first + count) {
            let t = startMicroseconds + Int64(i - first) * period
            bytes += DeviceFrame.sample(Sample(sequence: UInt64(i), deviceTimeMicroseconds: t, channelCount: 4,
                                               values: SIMD4(repeating: counts), quantity: .rawCounts)).encoded
        }
        return bytes
    }

    static func configuration(live: Bool = true, durationSeconds: Double? = nil, silenceSeconds: Double? = 10) -> SessionConfiguration {
        SessionConfiguration(profile: .foamRollerLowerBack, readingIntervalMicroseconds: 0, maximumDurationSeconds: durationSeconds,
                             sendsCommands: live, silenceTimeoutSeconds: silenceSeconds, calibration: { _ in .identity })
    }

    /// Ways to cut bytes: whole, bytewise, and fixed and cycling sizes.
    static func chunkings(_ bytes: [UInt8]) -> [(String, [[UInt8]])] {
        func cut(_ sizes: [Int]) -> [[UInt8]] {
            var chunks: [[UInt8]] = []
            var index = 0
            var turn = 0
            while index < bytes.count {
                let end = min(bytes.count, index + sizes[turn % sizes.count])
                chunks.append(Array(bytes[index..<end]))
                index = end
                turn += 1
            }
            return chunks
        }
        return [("whole", [bytes]), ("bytewise", cut([1])), ("3", cut([3])), ("17", cut([17])), ("4096", cut([4096])),
                ("cycling 1...9", cut(Array(1...9))), ("cycling 0,5,1,64", cut([0, 5, 1, 64]).filter { !$0.isEmpty })]
    }

    /// A recorder of outputs.
    struct Run {
        var core: SessionCore
        var outputs: [SessionOutput] = []

        init(_ configuration: SessionConfiguration) { core = SessionCore(configuration: configuration) }

        mutating func start(at t: Int64 = 0) { core.start(hostTimeMicroseconds: t) { outputs.append($0) } }
        mutating func feed(_ bytes: [UInt8], at t: Int64) { core.feed(bytes, hostTimeMicroseconds: t) { outputs.append($0) } }
        mutating func tick(at t: Int64) { core.tick(hostTimeMicroseconds: t) { outputs.append($0) } }
        mutating func finish() { core.finish { outputs.append($0) } }

        var sends: [[UInt8]] { outputs.compactMap { if case .send(let bytes) = $0 { bytes } else { nil } } }
        var samples: [Sample] { outputs.compactMap { if case .sample(let sample, _, _, _) = $0 { sample } else { nil } } }
        var events: [SignalEvent] { outputs.compactMap { if case .event(let event, _) = $0 { event } else { nil } } }
        var ends: [SessionEnd] { outputs.compactMap { if case .finished(let end) = $0 { end } else { nil } } }
        var summaries: [SessionStatistics] { outputs.compactMap { if case .summary(let stats) = $0 { stats } else { nil } } }
        var identified: [DeviceInfo] { outputs.compactMap { if case .identified(let info) = $0 { info } else { nil } } }
    }

    static func request(tags: UInt8) -> [[UInt8]] {
        [try! Command.getInfo.encoded(tag: tags), try! Command.start.encoded(tag: tags + 1)]
    }

    // MARK: - Pain marks (the live page's button; interim path until issue 12's key lands)

    @Test func aPainMarkIsAnInstantEventAtTheLastSampleWithItsForce() {
        var run = Run(Self.configuration())
        run.start()
        run.core.markPain { run.outputs.append($0) }
        #expect(run.events.isEmpty, "nothing to mark before the first sample")
        run.feed(Self.hello() + Self.samples(from: 0, count: 80, counts: 60), at: 50_000)
        run.core.markPain { run.outputs.append($0) }
        let mark = run.events.last
        #expect(mark?.kind == .pain && mark?.reason == .painMark && mark?.phase == .instant)
        #expect(mark?.deviceTimeMicroseconds == 79 * Self.period)
        #expect(mark.map { abs($0.value - run.core.statistics.peakForceNewtons) < 1 } == true, "the force of that moment")
        run.finish()
        run.core.markPain { run.outputs.append($0) }
        #expect(run.events.filter { $0.reason == .painMark }.count == 1, "nothing after the session ended")
    }

    // MARK: - HELLO wait, GET_INFO retry, START

    /// A RollSense board says HELLO at boot: nothing is written to it, before or after.
    @Test func liveStartWritesNothingToABoardThatSaysHello() {
        var run = Run(Self.configuration())
        run.start()
        #expect(run.sends.isEmpty)
        run.feed(Self.hello() + Self.samples(from: 0, count: 80), at: 50_000)
        run.tick(at: 5_000_000)
        #expect(run.sends.isEmpty, "a streaming board needs no START")
        #expect(run.identified == [Self.info])
        #expect(run.samples.count == 80)
    }

    /// A silent device gets the probe after the boot delay, at most three times a second apart,
    /// and nothing after its HELLO.
    @Test func silentDeviceGetsOnlyTheProbe() {
        var run = Run(Self.configuration(silenceSeconds: nil))
        run.start()
        run.tick(at: 1_499_999)
        #expect(run.sends.isEmpty)
        run.tick(at: 1_500_000)
        #expect(run.sends == [WritePolicy.probe])
        run.tick(at: 2_000_000)
        run.tick(at: 2_500_000)
        run.tick(at: 3_500_000)
        run.tick(at: 4_500_000)
        #expect(run.sends == Array(repeating: WritePolicy.probe, count: WritePolicy.maximumProbes))
        run.feed(Self.hello(), at: 4_600_000)
        run.tick(at: 9_000_000)
        #expect(run.sends.count == WritePolicy.maximumProbes)
    }

    /// Text, even before it is a whole line, gets nothing at all, ever.
    @Test func textDeviceGetsNothing() {
        var run = Run(Self.configuration(silenceSeconds: nil))
        run.start()
        run.feed(Array("ing: 84111\r\n".utf8), at: 100_000)
        for t in stride(from: Int64(200_000), to: 9_000_000, by: 100_000) { run.tick(at: t) }
        run.feed(Array("HX711 reading: 84111\r\nHX711 reading: 84112\r\n".utf8), at: 9_100_000)
        for t in stride(from: Int64(9_200_000), to: 20_000_000, by: 100_000) { run.tick(at: t) }
        #expect(run.sends.isEmpty)
        #expect(run.samples.count == 2)
        let named = run.outputs.compactMap { if case .textChannels(let channels) = $0 { channels } else { nil } }
        #expect(named == [TextChannels(labels: ["HX711 reading"], unit: nil)])
    }

    @Test func samplesWaitForTheHelloInEveryChunking() {
        // Samples left in the port before the HELLO are not run with a calibration chosen blind.
        let bytes = Self.samples(from: 0, count: 40) + Self.hello() + Self.samples(from: 40, count: 40, startMicroseconds: 500_000)
        for (label, chunks) in Self.chunkings(bytes) {
            var run = Run(Self.configuration())
            run.start()
            for chunk in chunks { run.feed(chunk, at: 100_000) }
            #expect(run.samples.map(\.sequence) == Array(40..<80).map(UInt64.init), "\(label)")
            #expect(run.identified == [Self.info], "\(label)")
        }
    }

    @Test func withoutAHelloSamplesRunAfterTwoSeconds() {
        var run = Run(Self.configuration())
        run.start()
        run.feed(Self.samples(from: 0, count: 10), at: SessionCore.helloWaitMicroseconds - 1)
        #expect(run.samples.isEmpty)
        run.feed(Self.samples(from: 10, count: 10, startMicroseconds: 125_000), at: SessionCore.helloWaitMicroseconds)
        #expect(run.samples.count == 10)
        #expect(run.identified.isEmpty)
    }

    @Test func aRecordingSendsNothingAndWaitsForNothing() {
        var run = Run(Self.configuration(live: false, silenceSeconds: nil))
        run.start()
        run.feed(Self.samples(from: 0, count: 10), at: 0)
        run.tick(at: 60_000_000)
        #expect(run.sends.isEmpty)
        #expect(run.samples.count == 10)
        #expect(run.ends.isEmpty)
    }

    @Test func aTextDeviceNeedsNoHello() {
        // A Serial Plotter sketch never says who it is: its lines run at once, stamped with host time.
        let text = Array((0..<30).map { "\($0 % 5 + 10)\t20\n" }.joined().utf8)
        for (label, chunks) in Self.chunkings(text) {
            var run = Run(Self.configuration())
            run.start()
            for (i, chunk) in chunks.enumerated() { run.feed(chunk, at: Int64(i) * 1_000) }
            #expect(run.samples.count >= 29, "\(label)")  // the last line may wait for its end
            #expect(run.identified.isEmpty, "\(label)")
        }
    }

    // MARK: - Restarts

    @Test func anUnaskedHelloMidStreamIsARestart() {
        let bytes = Self.hello() + Self.samples(from: 0, count: 40) + Self.hello() + Self.samples(from: 0, count: 40, startMicroseconds: 600_000)
        for (label, chunks) in Self.chunkings(bytes) {
            var run = Run(Self.configuration())
            run.start()
            for chunk in chunks { run.feed(chunk, at: 100_000) }
            #expect(run.events.filter { $0.reason == .deviceRestarted }.count == 1, "\(label)")
            #expect(run.identified == [Self.info], "the same device: identified once (\(label))")
            #expect(run.samples.count == 80, "\(label)")
        }
    }

    @Test func aHelloAnsweringGetInfoIsNoRestart() {
        var run = Run(Self.configuration())
        run.start()
        run.feed(Self.hello() + Self.samples(from: 0, count: 40), at: 100_000)
        run.core.linkLost(hostTimeMicroseconds: 200_000) { run.outputs.append($0) }
        run.core.linkRestored(gapMicroseconds: 300_000, hostTimeMicroseconds: 500_000) { run.outputs.append($0) }
        // The stream was asked for again; samples arrive before the GET_INFO answer does.
        run.feed(Self.samples(from: 40, count: 5, startMicroseconds: 800_000) + Self.hello(), at: 600_000)
        #expect(!run.events.contains { $0.reason == .deviceRestarted })
        #expect(run.sends == Self.request(tags: 1), "GET_INFO and START after the reconnect, to a board identified before")
    }

    @Test func theBootHelloThenTheGetInfoAnswerIsNoRestart() {
        // What a board (and `simulate`) does: HELLO when the port opens, samples, then the
        // answer to our GET_INFO: a HELLO followed by its REPLY. No restart, in every chunking.
        let reply = DeviceFrame.reply(CommandReply(command: WireFormat.CommandType.getInfo, tag: 1, status: .ok, data: [])).encoded
        let bytes = Self.hello() + Self.samples(from: 0, count: 10) + Self.hello() + reply
            + Self.samples(from: 10, count: 10, startMicroseconds: 10 * Self.period)
        for live in [true, false] {
            for (label, chunks) in Self.chunkings(bytes) {
                // The same for the live session and for the replay of its recording.
                var run = Run(Self.configuration(live: live, silenceSeconds: live ? 10 : nil))
                run.start()
                for chunk in chunks { run.feed(chunk, at: 100_000) }
                #expect(!run.events.contains { $0.reason == .deviceRestarted }, "\(label), live \(live)")
                #expect(run.samples.count == 20, "\(label)")
            }
        }
        // Once answered, a HELLO mid-stream is a restart again.
        var run = Run(Self.configuration())
        run.start()
        run.feed(bytes + Self.hello() + Self.samples(from: 0, count: 5, startMicroseconds: 300_000), at: 100_000)
        #expect(run.events.filter { $0.reason == .deviceRestarted }.count == 1)
    }

    // MARK: - Duration

    @Test func durationEndsOnTheExactSampleInEveryChunking() {
        let bytes = Self.hello() + Self.samples(from: 0, count: 300)
        for (label, chunks) in Self.chunkings(bytes) {
            var run = Run(Self.configuration(durationSeconds: 1))
            run.start()
            for chunk in chunks where run.core.end == nil { run.feed(chunk, at: 100_000) }
            run.finish()
            // 0 through 1.000 s inclusive: 81 samples at 80 Hz.
            #expect(run.samples.last?.deviceTimeMicroseconds == 1_000_000, "\(label)")
            #expect(run.samples.count == 81, "\(label)")
            #expect(run.ends == [.durationReached], "\(label)")
            #expect(run.summaries.first?.durationSeconds == 1, "\(label)")
        }
    }

    @Test func nothingIsProcessedAfterTheEnd() {
        var run = Run(Self.configuration(durationSeconds: 0.5))
        run.start()
        run.feed(Self.hello() + Self.samples(from: 0, count: 100), at: 0)
        let count = run.samples.count
        run.feed(Self.samples(from: 100, count: 10, startMicroseconds: 1_250_000), at: 10_000)
        #expect(run.samples.count == count)
        #expect(run.ends == [.durationReached])
    }

    @Test func aLiveDurationRunsOnInHostTimeWhileTheDeviceIsGone() {
        // 1 s of device time, then the device is gone for good: its clock stops, the host's
        // runs on, and the 3 s duration ends the session 2 s of host time after the loss.
        var run = Run(Self.configuration(durationSeconds: 3))
        run.start()
        run.feed(Self.hello() + Self.samples(from: 0, count: 81), at: 100_000)
        run.core.linkLost(hostTimeMicroseconds: 1_100_000) { run.outputs.append($0) }
        run.tick(at: 3_099_999)
        #expect(run.ends.isEmpty)
        run.tick(at: 3_100_000)
        #expect(run.ends == [.durationReached])
        run.finish()
        #expect(run.summaries.count == 1)
        #expect(run.summaries.first?.durationSeconds == 1, "the figures stay device time")
    }

    @Test func aDeviceThatReturnsInTimeContinuesOnItsOwnClock() {
        var run = Run(Self.configuration(durationSeconds: 3))
        run.start()
        run.feed(Self.hello() + Self.samples(from: 0, count: 81), at: 100_000)
        run.core.linkLost(hostTimeMicroseconds: 1_100_000) { run.outputs.append($0) }
        run.tick(at: 2_000_000)
        run.core.linkRestored(gapMicroseconds: 1_000_000, hostTimeMicroseconds: 2_100_000) { run.outputs.append($0) }
        // Connected again: only device time counts, however long the host waits for data.
        run.tick(at: 9_000_000)
        #expect(run.ends.isEmpty)
        run.feed(Self.hello() + Self.samples(from: 81, count: 300, startMicroseconds: 1_012_500), at: 9_100_000)
        #expect(run.ends == [.durationReached])
        #expect(run.samples.last?.deviceTimeMicroseconds == 3_000_000)
    }

    /// Unplugged in the middle of a frame: its first half can never be completed (the board
    /// restarts), so it is forgotten, not joined to the new boot's bytes as a CRC failure
    /// (HarnessRestartTests saw one when the pty closed mid-frame). The same for a text line,
    /// and the first line after the return, which may be a tail (a Leonardo does not restart).
    @Test func aFrameOrLineCutByTheUnplugIsForgottenNotAFailure() {
        var run = Run(Self.configuration())
        run.start()
        let next = Self.samples(from: 81, count: 1, startMicroseconds: 1_012_500)
        run.feed(Self.hello() + Self.samples(from: 0, count: 81) + next.prefix(next.count / 2), at: 100_000)
        run.core.linkLost(hostTimeMicroseconds: 1_100_000) { run.outputs.append($0) }
        run.core.linkRestored(gapMicroseconds: 1_000_000, hostTimeMicroseconds: 2_100_000) { run.outputs.append($0) }
        run.feed(Self.hello() + Self.samples(from: 0, count: 10), at: 2_200_000)
        #expect(run.core.wireCounters.binary.crcFailures == 0)
        #expect(run.core.wireCounters.binary.malformedFrames == 0)
        #expect(run.samples.count == 91)

        var text = Run(Self.configuration())
        text.start()
        text.feed(Array("10\n20\n30\n4".utf8), at: 100_000)
        text.core.linkLost(hostTimeMicroseconds: 200_000) { text.outputs.append($0) }
        text.core.linkRestored(gapMicroseconds: 100_000, hostTimeMicroseconds: 300_000) { text.outputs.append($0) }
        text.feed(Array("0\n50\n60\n".utf8), at: 400_000)
        #expect(text.samples.map(\.values.x) == [20, 30, 50, 60], "the first line may be a tail when the port opens; after the return neither the cut 4, nor 40, nor the tail 0")
        #expect(text.core.wireCounters.text.malformedLines == 0)
    }

    @Test func aReplayNeverEndsOnHostTime() {
        var run = Run(Self.configuration(live: false, durationSeconds: 3, silenceSeconds: nil))
        run.start()
        run.feed(Self.hello() + Self.samples(from: 0, count: 81), at: 0)
        run.core.linkLost(hostTimeMicroseconds: 0) { run.outputs.append($0) }
        run.tick(at: 100_000_000)
        #expect(run.ends.isEmpty)
    }

    // MARK: - Silence

    @Test func aSilentDeviceEndsTheSessionAfterTheTimeout() {
        var run = Run(Self.configuration(silenceSeconds: 10))
        run.start()
        run.feed([0x41, 0x42, 0x43], at: 1_000)  // bytes, but nothing decodable
        run.tick(at: 9_999_999)
        #expect(run.ends.isEmpty)
        run.tick(at: 10_000_000)
        #expect(run.ends == [.silentDevice(seconds: 10, bytesReceived: 3)])
        run.tick(at: 20_000_000)
        #expect(run.ends.count == 1)
    }

    /// A sketch printing every 5 s (bogde's HX711_full_example) is slow, not silent: text
    /// sessions wait two of the slowest intervals (20 s) before giving up.
    @Test func aTextSketchGetsTwentySecondsOfQuiet() {
        var run = Run(Self.configuration(silenceSeconds: 10))
        run.start()
        run.feed(Array("one reading:\t1.2\t| average:\t1.3\r\none reading:\t1.2\t| average:\t1.3\r\n".utf8), at: 1_000)
        run.tick(at: 15_000_000)
        #expect(run.ends.isEmpty)
        run.tick(at: 20_001_000)
        #expect(run.ends == [.silentDevice(seconds: 20, bytesReceived: 66)])
    }

    @Test func decodedFramesKeepTheSessionAlive() {
        var run = Run(Self.configuration(silenceSeconds: 10))
        run.start()
        run.feed(Self.hello(), at: 9_000_000)
        run.tick(at: 18_999_999)
        #expect(run.ends.isEmpty)
        run.tick(at: 19_000_000)
        #expect(run.ends.count == 1)
    }

    @Test func silenceIsNotCountedWhileTheLinkIsDown() {
        var run = Run(Self.configuration(silenceSeconds: 10))
        run.start()
        run.feed(Self.hello(), at: 0)
        run.core.linkLost(hostTimeMicroseconds: 1_000_000) { run.outputs.append($0) }
        run.tick(at: 60_000_000)
        #expect(run.ends.isEmpty)
        run.core.linkRestored(gapMicroseconds: 59_000_000, hostTimeMicroseconds: 60_000_000) { run.outputs.append($0) }
        run.tick(at: 69_999_999)
        #expect(run.ends.isEmpty)
        run.tick(at: 70_000_000)
        #expect(run.ends.count == 1)
    }

    // MARK: - Link

    @Test func linkLossAndReturn() {
        var run = Run(Self.configuration())
        run.start()
        run.feed(Self.hello() + Self.samples(from: 0, count: 80), at: 100_000)
        run.core.linkLost(hostTimeMicroseconds: 1_000_000) { run.outputs.append($0) }
        run.core.linkLost(hostTimeMicroseconds: 1_100_000) { run.outputs.append($0) }  // said twice: once
        let links = run.outputs.compactMap { if case .link(let state) = $0 { state } else { nil } }
        #expect(links == [.disconnected])
        let lost = run.events.filter { $0.reason == .deviceDisconnected }
        #expect(lost.map(\.phase) == [.start])
        #expect(lost.first?.deviceTimeMicroseconds == 79 * Self.period)
        #expect(run.events.contains { $0.kind == .contact && $0.phase == .end })
        run.core.linkRestored(gapMicroseconds: 2_000_000, hostTimeMicroseconds: 3_000_000) { run.outputs.append($0) }
        #expect(run.sends.count == 2, "GET_INFO and START to the board that said HELLO")
        run.feed(Self.hello() + Self.samples(from: 80, count: 10, startMicroseconds: 4_000_000), at: 3_100_000)
        let back = run.events.filter { $0.reason == .deviceDisconnected }
        #expect(back.map(\.phase) == [.start, .end])
        #expect(back.last?.deviceTimeMicroseconds == 4_000_000)
        #expect(!run.events.contains { $0.reason == .clockJump })
    }

    /// Issue 25: the figures say how long the board was gone: the gaps it came back from, and
    /// the last one when the session ends without it.
    @Test func theTimeTheBoardWasGoneIsCounted() {
        var run = Run(Self.configuration())
        run.start()
        run.feed(Self.hello() + Self.samples(from: 0, count: 80), at: 100_000)
        run.core.linkLost(hostTimeMicroseconds: 1_000_000) { run.outputs.append($0) }
        run.core.linkRestored(gapMicroseconds: 2_000_000, hostTimeMicroseconds: 3_000_000) { run.outputs.append($0) }
        run.feed(Self.hello() + Self.samples(from: 80, count: 10, startMicroseconds: 4_000_000), at: 3_100_000)
        run.core.linkLost(hostTimeMicroseconds: 5_000_000) { run.outputs.append($0) }
        run.core.tick(hostTimeMicroseconds: 12_500_000) { run.outputs.append($0) }
        run.finish()
        let stats = run.summaries.last
        #expect(stats?.boardGoneCount == 2)
        #expect(stats?.boardGoneSeconds == 2 + 7.5)
    }

    // MARK: - Figures

    @Test func summaryFiguresComeOnceAtTheEnd() {
        // 100 s still at 200 N on the foam roller: one contact, one hold past its 90 s caution.
        var run = Run(Self.configuration())
        run.start()
        let bytes = Self.hello() + Self.samples(from: 0, count: 80 * 100)
        for start in stride(from: 0, to: bytes.count, by: 4096) {
            run.feed(Array(bytes[start..<min(start + 4096, bytes.count)]), at: 100_000)
        }
        #expect(run.summaries.isEmpty)
        run.finish()
        run.finish()
        #expect(run.summaries.count == 1)
        let stats = run.summaries[0]
        #expect(stats.sampleCount == 80 * 100)
        #expect(abs(stats.durationSeconds - Double(80 * 100 - 1) * 0.0125) < 1e-9)
        #expect(abs(stats.contactSeconds - (stats.durationSeconds - 0.2)) <= 0.0125 + 1e-9)
        #expect(stats.holdCount == 1)
        #expect(stats.alerts.map(\.kind).contains("hold"))
        #expect(stats.contactIntervals.count == 1)
        #expect(stats.peakForceNewtons == 200)
    }
}
