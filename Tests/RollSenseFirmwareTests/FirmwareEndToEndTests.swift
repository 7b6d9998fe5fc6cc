import Foundation
import Testing

// The real firmware (Firmware/build/sim-hx4: four HX711 load cells) under simavr, reached through
// the harness's pty. Firmware/Makefile builds both; Tools/run-swift-tests.sh makes their absence
// a failure on CI.

private let firmwareReady = FirmwareBuild.isBuilt || FirmwareBuild.isRequired

// docs/PROTOCOL.md codes.
private enum Command {
    static let ping: UInt8 = 0x81, getInfo: UInt8 = 0x82, start: UInt8 = 0x83, stop: UInt8 = 0x84
    static let setRate: UInt8 = 0x85, setMode: UInt8 = 0x86
}
private enum Status {
    static let ok: UInt8 = 0, unknownCommand: UInt8 = 1, badArgument: UInt8 = 2
}
private let sensorNotReady: UInt8 = 1, saturated: UInt8 = 2, disconnected: UInt8 = 3, droppedSamples: UInt8 = 4
private let simulatorBoard: UInt8 = 5
private let hx711Kind: UInt8 = 1

/// Fails with a build hint when the firmware is missing (the test runs only then if required).
/// With `waitingForHello` it returns once the device has booted and can take commands.
private func startDevice(
    firmware: URL = FirmwareBuild.loadCellFirmware,
    scenario: URL? = FirmwareBuild.steadyScenario,
    waitingForHello: Bool = true
) throws -> SimulatedDevice? {
    guard FirmwareBuild.isBuilt else {
        Issue.record(Comment(rawValue: FirmwareBuild.missingMessage))
        return nil
    }
    let device = try SimulatedDevice(firmware: firmware, scenario: scenario)
    if waitingForHello { _ = try device.waitForHello() }
    return device
}

/// Asserts consecutive sequence numbers and returns the mean period in device microseconds.
private func checkNoGaps(_ samples: [TestSample]) -> Double {
    for (previous, next) in zip(samples, samples.dropFirst()) {
        #expect(next.sequence == previous.sequence &+ 1, "sequence gap \(previous.sequence) -> \(next.sequence)")
    }
    guard let first = samples.first, let last = samples.last, samples.count > 1 else { return 0 }
    return Double(last.deviceTimeMicroseconds &- first.deviceTimeMicroseconds) / Double(samples.count - 1)
}

@Suite("Firmware end to end under simavr", .serialized, .enabled(if: firmwareReady, "run `make -C Firmware` to build the simulated firmware"))
struct FirmwareEndToEndTests {
    // MARK: - Hello and streaming

    @Test("the device says hello first, describing four HX711 channels at 100 Hz")
    func helloFirst() throws {
        guard let device = try startDevice(waitingForHello: false) else { return }
        let first = try device.nextFrame()
        guard case .hello(let hello) = first else {
            Issue.record("first frame was \(first), not a HELLO")
            return
        }
        #expect(hello.protocolVersion == 1)
        #expect(hello.board == simulatorBoard)
        #expect(hello.sampleRateHertz == 100)
        #expect(hello.flags & 0x01 != 0, "streaming flag")
        #expect(hello.sensorKinds == [hx711Kind, hx711Kind, hx711Kind, hx711Kind])
        #expect(hello.deviceID != 0)
    }

    @Test("samples stream at 100 Hz of device time with no sequence gaps and the scenario's loads")
    func streamsAtDefaultRate() throws {
        guard let device = try startDevice() else { return }
        let (samples, _) = try device.samples(120)
        let periodMicroseconds = checkNoGaps(samples)
        #expect(abs(periodMicroseconds - 10_000) < 50, "mean period \(periodMicroseconds) us")
        // e2e-steady.scenario: load cell 0 at 120000 +- 40 counts, 1 at -64000 +- 40, 3 at 10.
        let late = samples.last!
        #expect(late.readings.count == 4)
        #expect(abs(late.readings[0] - 120_000) <= 40)
        #expect(abs(late.readings[1] + 64_000) <= 40)
        #expect(late.readings[2] == 250_000)
        #expect(late.readings[3] == 10)
    }

    // MARK: - Commands

    @Test("ping is answered with its data")
    func ping() throws {
        guard let device = try startDevice() else { return }
        let frames = try device.command(Command.ping, tag: 42, Array("roll".utf8))
        #expect(frames.last == .reply(command: Command.ping, tag: 42, status: Status.ok, data: Array("roll".utf8)))
    }

    @Test("set rate changes the sample period and is reported in the reply and the hello")
    func setRate() throws {
        guard let device = try startDevice() else { return }
        let frames = try device.command(Command.setRate, tag: 7, [250, 0])
        #expect(frames.last == .reply(command: Command.setRate, tag: 7, status: Status.ok, data: [250, 0]))
        let (samples, _) = try device.samples(200)
        // Skip the samples already on their way when the rate changed.
        let periodMicroseconds = checkNoGaps(Array(samples.dropFirst(20)))
        #expect(abs(periodMicroseconds - 4_000) < 40, "mean period \(periodMicroseconds) us")
        let info = try device.command(Command.getInfo, tag: 8)
        let hellos = info.compactMap { frame -> TestHello? in if case .hello(let h) = frame { h } else { nil } }
        #expect(hellos.map(\.sampleRateHertz) == [250])
    }

    @Test("a rate outside 1-1000 Hz is refused and the old rate stays")
    func badRate() throws {
        guard let device = try startDevice() else { return }
        let frames = try device.command(Command.setRate, tag: 3, [0xE9, 0x03])
        #expect(frames.last == .reply(command: Command.setRate, tag: 3, status: Status.badArgument, data: [100, 0]))
    }

    @Test("stop ends the stream, start resumes it without a sequence gap")
    func stopAndStart() throws {
        guard let device = try startDevice() else { return }
        _ = try device.samples(10)
        let untilStopped = try device.command(Command.stop, tag: 1)
        let lastBefore = untilStopped.compactMap { frame -> TestSample? in if case .sample(let s) = frame { s } else { nil } }.last
        // While stopped: nothing but the reply and hello to GET_INFO, which says "not streaming".
        let whileStopped = try device.command(Command.getInfo, tag: 2)
        #expect(!whileStopped.contains { if case .sample = $0 { true } else { false } })
        let hello = whileStopped.compactMap { frame -> TestHello? in if case .hello(let h) = frame { h } else { nil } }.first
        #expect(hello?.flags == 0)
        #expect(try device.command(Command.start, tag: 3).last == .reply(command: Command.start, tag: 3, status: Status.ok, data: []))
        let (samples, _) = try device.samples(20)
        _ = checkNoGaps(samples)
        if let lastBefore, let first = samples.first {
            #expect(first.sequence == lastBefore.sequence &+ 1, "sequence continues across stop/start")
        }
    }

    @Test("an unknown command is answered UNKNOWN_COMMAND with its tag")
    func unknownCommand() throws {
        guard let device = try startDevice() else { return }
        let frames = try device.command(0xA7, tag: 99, [1, 2, 3])
        #expect(frames.last == .reply(command: 0xA7, tag: 99, status: Status.unknownCommand, data: []))
    }

    @Test("set mode 1 switches to Serial Plotter text lines with one value per channel")
    func textMode() throws {
        guard let device = try startDevice() else { return }
        let frames = try device.command(Command.setMode, tag: 5, [1])
        #expect(frames.last == .reply(command: Command.setMode, tag: 5, status: Status.ok, data: []))
        let text = try device.readText(bytes: 400)
        let lines = text.split(separator: "\r\n").dropFirst().dropLast()
        #expect(lines.count >= 5)
        for line in lines {
            let labels = line.split(separator: " ").map { $0.split(separator: ":").first.map(String.init) ?? "" }
            #expect(labels == ["c1", "c2", "c3", "c4"], "line '\(line)'")
        }
    }

    // MARK: - Faults

    @Test("an HX711 that stops answering is reported SENSOR_NOT_READY on its channel")
    func hx711StopsAnswering() throws {
        guard let device = try startDevice() else { return }
        // e2e-steady.scenario: load cell 2 goes silent at 1.5 s of simulated time.
        let frames = try device.frames(until: "a SENSOR_NOT_READY fault", within: 30) { frame in
            if case .fault(_, sensorNotReady, 2, _) = frame { return true }
            return false
        }
        guard case .fault(let timeMicroseconds, _, _, let waitedMilliseconds) = frames.last! else { return }
        #expect(timeMicroseconds > 1_500_000 && timeMicroseconds < 1_700_000, "fault at \(timeMicroseconds) us")
        #expect(waitedMilliseconds > 100 && waitedMilliseconds < 200)
        let samples = frames.compactMap { frame -> TestSample? in if case .sample(let s) = frame { s } else { nil } }
        _ = checkNoGaps(samples)
        #expect(!frames.dropLast().contains { if case .fault = $0 { true } else { false } }, "no fault before the HX711 went silent")
    }

    @Test("a saturated load cell and an unplugged FSR are reported on their channels")
    func saturatedAndDisconnected() throws {
        guard let device = try startDevice(firmware: FirmwareBuild.mixedFirmware, scenario: FirmwareBuild.faultScenario) else {
            return
        }
        // e2e-faults.scenario: at 1 s load cell 0 reads 0x7FFFFF and the FSR on A1 (channel 3) 0 V.
        var faults: [(time: UInt32, code: UInt8, channel: UInt8, value: UInt32)] = []
        let frames = try device.frames(until: "both faults", within: 30) { frame in
            if case .fault(let time, let code, let channel, let value) = frame { faults.append((time, code, channel, value)) }
            return Set(faults.map(\.code)).isSuperset(of: [saturated, disconnected])
        }
        for fault in faults {
            #expect(fault.time >= 1_000_000, "fault before the scenario's change: \(fault)")
        }
        #expect(faults.contains { $0.code == saturated && $0.channel == 0 && $0.value == 0x7F_FFFF })
        #expect(faults.contains { $0.code == disconnected && $0.channel == 3 && $0.value < 5 })
        let samples = frames.compactMap { frame -> TestSample? in if case .sample(let s) = frame { s } else { nil } }
        _ = checkNoGaps(samples)
    }

    @Test("past the link's capacity samples are dropped, never waited for, and the drops are reported")
    func dropsAreCountedAndReported() throws {
        guard let device = try startDevice() else { return }
        // 1000 Hz x 23 bytes is more than twice what 115200 baud carries (Firmware/README.md).
        _ = try device.command(Command.setRate, tag: 1, [0xE8, 0x03])
        var reportedDrops: UInt32 = 0
        var missing = 0
        var delivered = 0
        var previous: TestSample?
        var sampleSinceLastReport = true
        // Until a sample follows the last report: a report counts samples already dropped, whose
        // gap in the sequence numbers shows at the next sample delivered.
        while reportedDrops == 0 || delivered < 400 || !sampleSinceLastReport {
            let frame = try device.nextFrame()
            switch frame {
            case .sample(let sample):
                if let previous { missing += Int(sample.sequence &- previous.sequence &- 1) }
                previous = sample
                delivered += 1
                sampleSinceLastReport = true
            case .fault(_, droppedSamples, let channel, let count):
                #expect(channel == 0xFF)
                reportedDrops += count
                sampleSinceLastReport = false
            default:
                break
            }
        }
        #expect(Int(reportedDrops) <= missing, "reported \(reportedDrops) drops, sequence gaps \(missing)")
        #expect(missing > delivered / 2, "about half the samples cannot fit: \(missing) missing, \(delivered) delivered")
        #expect(reportedDrops > 0)
    }
}
