import Foundation
import RollSenseSimulatorSupport
import RollSenseWire
import Testing

// The real firmware under simavr, reached through the harness's pty and decoded by RollSenseWire's
// FrameDecoder. Firmware/Makefile builds both (sim-hx4: four HX711 load cells; sim-mix: two load
// cells and two FSRs); Tools/run-swift-tests.sh makes their absence a failure on CI.

private let firmwareReady = FirmwareBuild.isBuilt || FirmwareBuild.isRequired

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
    if waitingForHello { try device.waitForHello() }
    return device
}

/// Asserts consecutive sequence numbers and returns the mean period in device microseconds.
private func checkNoGaps(_ samples: [Sample]) -> Double {
    for (previous, next) in zip(samples, samples.dropFirst()) {
        #expect(next.sequence == previous.sequence + 1, "sequence gap \(previous.sequence) -> \(next.sequence)")
    }
    guard let first = samples.first, let last = samples.last, samples.count > 1 else { return 0 }
    return Double(last.deviceTimeMicroseconds - first.deviceTimeMicroseconds) / Double(samples.count - 1)
}

private func samples(in events: [WireEvent]) -> [Sample] {
    events.compactMap { if case .sample(let sample) = $0 { sample } else { nil } }
}

private func infos(in events: [WireEvent]) -> [DeviceInfo] {
    events.compactMap { if case .info(let info) = $0 { info } else { nil } }
}

private func faults(in events: [WireEvent]) -> [DeviceFault] {
    events.compactMap { if case .fault(let fault) = $0 { fault } else { nil } }
}

@Suite("Firmware end to end under simavr", .serialized, .enabled(if: firmwareReady, "run `make -C Firmware` to build the simulated firmware"))
struct FirmwareEndToEndTests {
    // MARK: - Hello and streaming

    @Test("the device says hello first, describing four HX711 channels at 100 Hz")
    func helloFirst() throws {
        guard let device = try startDevice(waitingForHello: false) else { return }
        let first = try device.nextEvent()
        guard case .info(let info) = first else {
            Issue.record("first event was \(first), not a HELLO")
            return
        }
        #expect(info.protocolVersion == 1)
        #expect(info.board == .simulator)
        #expect(info.sampleRateHz == 100)
        #expect(info.isStreaming)
        #expect(!info.isTextMode)
        #expect(info.sensorKinds == Array(repeating: .hx711LoadCell, count: 4))
        #expect(info.deviceID != 0)
    }

    @Test("samples stream at 100 Hz of device time with no sequence gaps and the scenario's loads")
    func streamsAtDefaultRate() throws {
        guard let device = try startDevice() else { return }
        let (samples, _) = try device.samples(120)
        let periodMicroseconds = checkNoGaps(samples)
        #expect(abs(periodMicroseconds - 10_000) < 50, "mean period \(periodMicroseconds) us")
        #expect(device.decoder.counters.sequenceGaps == 0)
        #expect(device.decoder.counters.crcFailures == 0)
        // e2e-steady.scenario: load cell 0 at 120000 +- 40 counts, 1 at -64000 +- 40, 2 at 250000, 3 at 10.
        let late = samples.last!
        #expect(late.channelCount == 4)
        #expect(abs(late.values[0] - 120_000) <= 40)
        #expect(abs(late.values[1] + 64_000) <= 40)
        #expect(late.values[2] == 250_000)
        #expect(late.values[3] == 10)
    }

    // MARK: - Commands

    @Test("ping is answered with its data")
    func ping() throws {
        guard let device = try startDevice() else { return }
        let events = try device.command(.ping(data: Array("roll".utf8)), tag: 42)
        #expect(events.last == .reply(CommandReply(command: 0x81, tag: 42, status: .ok, data: Array("roll".utf8))))
    }

    @Test("set rate changes the sample period and is reported in the reply and the hello")
    func setRate() throws {
        guard let device = try startDevice() else { return }
        let events = try device.command(.setRate(hz: 250), tag: 7)
        guard case .reply(let reply) = events.last else {
            Issue.record("no reply came: \(events)")
            return
        }
        #expect(reply.status == .ok)
        #expect(reply.sampleRateHz == 250)
        let (samples, _) = try device.samples(200)
        // Skip the samples already on their way when the rate changed.
        let periodMicroseconds = checkNoGaps(Array(samples.dropFirst(20)))
        #expect(abs(periodMicroseconds - 4_000) < 40, "mean period \(periodMicroseconds) us")
        #expect(infos(in: try device.command(.getInfo, tag: 8)).map(\.sampleRateHz) == [250])
    }

    @Test("a rate outside 1-1000 Hz is refused and the old rate stays")
    func badRate() throws {
        guard let device = try startDevice() else { return }
        // Command.setRate refuses 1001 itself, so send the bytes raw.
        let events = try device.command(.raw(type: 0x85, body: [0xE9, 0x03]), tag: 3)
        guard case .reply(let reply) = events.last else {
            Issue.record("no reply came: \(events)")
            return
        }
        #expect(reply.status == .badArgument)
        #expect(reply.sampleRateHz == 100)
    }

    @Test("stop ends the stream, start resumes it without a sequence gap")
    func stopAndStart() throws {
        guard let device = try startDevice() else { return }
        _ = try device.samples(10)
        let lastBefore = samples(in: try device.command(.stop, tag: 1)).last
        // While stopped: nothing but GET_INFO's hello and reply, and the hello says "not streaming".
        let whileStopped = try device.command(.getInfo, tag: 2)
        #expect(samples(in: whileStopped).isEmpty)
        #expect(infos(in: whileStopped).map(\.isStreaming) == [false])
        #expect(try device.command(.start, tag: 3).last == .reply(CommandReply(command: 0x83, tag: 3, status: .ok)))
        let (resumed, _) = try device.samples(20)
        _ = checkNoGaps(resumed)
        if let lastBefore, let first = resumed.first {
            #expect(first.sequence == lastBefore.sequence + 1, "sequence continues across stop/start")
        }
        #expect(device.decoder.counters.sequenceGaps == 0)
    }

    @Test("an unknown command is answered UNKNOWN_COMMAND with its tag")
    func unknownCommand() throws {
        guard let device = try startDevice() else { return }
        let events = try device.command(.raw(type: 0xA7, body: [1, 2, 3]), tag: 99)
        #expect(events.last == .reply(CommandReply(command: 0xA7, tag: 99, status: .unknownCommand)))
    }

    @Test("set mode 1 switches to Serial Plotter text lines with one value per channel")
    func textMode() throws {
        guard let device = try startDevice() else { return }
        let events = try device.command(.setMode(.text), tag: 5)
        #expect(events.last == .reply(CommandReply(command: 0x86, tag: 5, status: .ok)))
        let text = try device.readText(bytes: 400)
        // The first and last pieces may be partial lines.
        let lines = text.split(separator: "\r\n").dropFirst().dropLast()
        #expect(lines.count >= 5)
        for line in lines {
            let labels = line.split(separator: " ").map { $0.split(separator: ":").first.map(String.init) ?? "" }
            #expect(labels == ["c1", "c2", "c3", "c4"], "line '\(line)'")
        }
        // And back: the reply to SET_MODE 0 comes through as a frame despite the text before it.
        let back = try device.command(.setMode(.binary), tag: 6)
        #expect(back.last == .reply(CommandReply(command: 0x86, tag: 6, status: .ok)))
        let (resumed, _) = try device.samples(20)
        _ = checkNoGaps(resumed)
    }

    // MARK: - Pain button

    @Test("the pain button sends one debounced BUTTON frame per press, none for a glitch")
    func painButton() throws {
        guard let device = try startDevice(scenario: FirmwareBuild.buttonScenario) else { return }
        // e2e-button.scenario: a bouncing press at 0.5 s (released, bouncing, at 0.8 s), a 10 ms
        // glitch at 1.2 s, a clean press at 1.6 s; the debounce is 30 ms (config.h).
        let events = try device.events(until: "2.2 s of device time", within: 30) { event in
            if case .sample(let sample) = event { return sample.deviceTimeMicroseconds >= 2_200_000 }
            return false
        }
        let presses = events.compactMap { event -> ButtonPress? in
            if case .button(let press) = event { return press }
            return nil
        }
        #expect(presses.map(\.button) == [.pain, .pain], "\(presses)")
        let times = presses.map(\.deviceTimeMicroseconds)
        #expect(times.count == 2 && (530_000...545_000).contains(times[0]) && (1_630_000...1_645_000).contains(times[1]), "\(times)")
        #expect(faults(in: events).isEmpty)
        _ = checkNoGaps(samples(in: events))
    }

    // MARK: - Faults

    @Test("an HX711 that stops answering is reported SENSOR_NOT_READY on its channel")
    func hx711StopsAnswering() throws {
        guard let device = try startDevice() else { return }
        // e2e-steady.scenario: load cell 2 goes silent at 1.5 s of simulated time.
        let events = try device.events(until: "a SENSOR_NOT_READY fault", within: 30) { event in
            if case .fault(let fault) = event { return fault.code == .sensorNotReady }
            return false
        }
        let fault = faults(in: events)
        #expect(fault.count == 1, "no other fault before it: \(fault)")
        let notReady = try #require(fault.last, "no SENSOR_NOT_READY fault came")
        #expect(notReady.channel == 2)
        #expect(notReady.deviceTimeMicroseconds > 1_500_000 && notReady.deviceTimeMicroseconds < 1_700_000)
        #expect(notReady.value > 100 && notReady.value < 200, "milliseconds waited: \(notReady.value)")
        _ = checkNoGaps(samples(in: events))
    }

    @Test("a saturated load cell and an unplugged FSR are reported on their channels")
    func saturatedAndDisconnected() throws {
        guard let device = try startDevice(firmware: FirmwareBuild.mixedFirmware, scenario: FirmwareBuild.faultScenario) else {
            return
        }
        // e2e-faults.scenario: at 1 s load cell 0 reads 0x7FFFFF and the FSR on A1 (channel 3) 0 V.
        var seen: [DeviceFault] = []
        let events = try device.events(until: "both faults", within: 30) { event in
            if case .fault(let fault) = event { seen.append(fault) }
            return Set(seen.map(\.code.rawValue)).isSuperset(of: [FaultCode.saturated.rawValue, FaultCode.disconnected.rawValue])
        }
        for fault in seen {
            #expect(fault.deviceTimeMicroseconds >= 1_000_000, "fault before the scenario's change: \(fault)")
        }
        #expect(seen.contains { $0.code == .saturated && $0.channel == 0 && $0.value == 0x7F_FFFF })
        #expect(seen.contains { $0.code == .disconnected && $0.channel == 3 && $0.value < 5 })
        _ = checkNoGaps(samples(in: events))
    }

    @Test("past the link's capacity samples are dropped, never waited for, and the drops are reported")
    func dropsAreCountedAndReported() throws {
        guard let device = try startDevice() else { return }
        // 1000 Hz x 23 bytes is more than twice what 115200 baud carries (Firmware/README.md).
        _ = try device.command(.setRate(hz: 1000), tag: 1)
        var reportedDrops = 0
        var missing = 0
        var delivered = 0
        var sampleSinceLastReport = true
        // Until a sample follows the last report: a report counts samples already dropped, whose
        // gap in the sequence numbers shows at the next sample delivered.
        while reportedDrops == 0 || delivered < 400 || !sampleSinceLastReport {
            switch try device.nextEvent() {
            case .gap(let count, _):
                missing += count
            case .sample:
                delivered += 1
                sampleSinceLastReport = true
            case .fault(let fault) where fault.code == .droppedSamples:
                #expect(fault.channel == DeviceFault.deviceChannel)
                reportedDrops += Int(fault.value)
                sampleSinceLastReport = false
            default:
                break
            }
        }
        #expect(reportedDrops <= missing, "reported \(reportedDrops) drops, sequence gaps \(missing)")
        #expect(missing > delivered / 2, "about half the samples cannot fit: \(missing) missing, \(delivered) delivered")
        #expect(device.decoder.counters.crcFailures == 0)
    }

    @Test("when the loop hangs the watchdog resets the board, which says hello and WATCHDOG_RESET")
    func watchdogReset() throws {
        guard let device = try startDevice() else { return }
        let before = try device.samples(5).samples
        // 0xF0 hangs the loop in simulator builds only (Firmware/RollSense.cpp); the watchdog
        // fires after 250 ms and the firmware boots again.
        try device.send(.raw(type: 0xF0, body: []), tag: 1)
        let events = try device.events(until: "the WATCHDOG_RESET fault", within: 30) { event in
            if case .fault(let fault) = event { return fault.code == .watchdogReset }
            return false
        }
        #expect(infos(in: events).count == 1, "a HELLO after the reset")
        guard case .fault(let fault) = events.last, case .info = events.dropLast().last else {
            Issue.record("WATCHDOG_RESET must come right after the HELLO: \(events.suffix(3))")
            return
        }
        #expect(fault.channel == DeviceFault.deviceChannel)
        let (after, afterOthers) = try device.samples(50)
        _ = checkNoGaps(after)
        // docs/PROTOCOL.md: after a restart the host's time continues from the last time it had.
        let lastBeforeReset = samples(in: events).last ?? before.last!
        #expect(after.first!.deviceTimeMicroseconds >= lastBeforeReset.deviceTimeMicroseconds, "time continues after the restart")
        #expect(device.decoder.counters.sequenceGaps == 0, "a HELLO restarts sequence tracking")
        // The load cells come back with the board: no SENSOR_NOT_READY after the restart.
        #expect(faults(in: events).count == 1)
        #expect(faults(in: afterOthers).isEmpty, "\(faults(in: afterOthers))")
    }
}
