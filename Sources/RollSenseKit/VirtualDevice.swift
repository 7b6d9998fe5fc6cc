import Foundation
import RollSenseSignal
import RollSenseWire

/// The device side of the protocol, without I/O: a virtual RollSense board with four HX711 load
/// cells playing a `SyntheticScenario`. It answers commands like the firmware does and produces
/// the bytes a board would send; `PseudoTerminalDevice` serves it on a pty.
public struct VirtualDevice: Sendable {
    /// The HX711 zero of each virtual load cell, in counts (a typical unloaded bridge offset).
    public static let offsetCounts: [Double] = [8_120, -12_440, 5_310, 15_760]
    /// Newtons per count of each virtual cell: 420 counts per kilogram, a round scale for the
    /// simulator, not a particular cell (the reference rig's 500 kg 2 mV/V cells give about
    /// 8 600 counts per kilogram at gain 128; the host reads either through its calibration).
    public static let newtonsPerCount = standardGravityMetresPerSecondSquared / 420
    /// The calibration that turns this device's counts back into newtons: what a host uses for
    /// a board that says it is the virtual device.
    public static let calibration = Calibration(
        offsetCounts: offsetCounts,
        curves: Array(repeating: .linear(newtonsPerCount: newtonsPerCount), count: 4))
    /// The firmware version it claims.
    public static let firmwareVersion = FirmwareVersion(major: 1, minor: 0, patch: 0)
    /// Its device id (HELLO `device_id`): fixed, so stored calibrations find it again.
    public static let deviceID: UInt32 = 0x5253_5644  // "RSVD"

    /// The session it plays.
    public let scenario: SyntheticScenario
    /// Samples per second now.
    public private(set) var sampleRateHz: Int
    /// Whether SAMPLE frames are being sent.
    public private(set) var isStreaming = true
    /// Whether it prints Serial Plotter text instead of frames.
    public private(set) var isTextMode = false
    /// Device time of the next sample, in microseconds since boot.
    public private(set) var deviceTimeMicroseconds: Int64 = 0
    private var sequence: UInt64 = 0
    private var commands = CommandDecoder()
    private var noiseState: UInt64 = 0x9E37_79B9_7F4A_7C15
    // A scenario's sensor fault: when it started, when it was last reported, and the readings
    // from just before it (what a frozen or not-ready channel repeats).
    private var faultStartMicroseconds: Int64?
    private var faultReportedMicroseconds: Int64?
    private var lastGoodCounts = SIMD4<Double>.zero

    /// Makes a device at boot.
    public init(scenario: SyntheticScenario = .lowerBackRoller) {
        self.scenario = scenario
        sampleRateHz = scenario.sampleRateHz
        isForeignSketch = scenario.textMode ?? false
        isTextMode = isForeignSketch
    }

    /// Whether it plays a foreign Serial Plotter sketch: no HELLO, commands ignored.
    public let isForeignSketch: Bool

    /// What it says about itself.
    public var info: DeviceInfo {
        DeviceInfo(firmwareVersion: Self.firmwareVersion, board: .virtualDevice, deviceID: Self.deviceID,
                   sampleRateHz: sampleRateHz, isStreaming: isStreaming, isTextMode: isTextMode,
                   sensorKinds: Array(repeating: .hx711LoadCell, count: 4),
                   extraKinds: playsRotation ? [.rotationAngle] : [])
    }

    /// Whether it also plays the reference roller's AS5600 (the scenario gives a roller radius).
    var playsRotation: Bool { scenario.rollerRadiusMillimetres != nil && !isForeignSketch }

    /// The AS5600's raw angle at `seconds`: the roller turns by travel / radius (rolling without
    /// slipping, docs/HARDWARE.md), 4096 counts a turn, wrapped as the sensor wraps.
    func angleCounts(atSeconds seconds: Double) -> Int32 {
        guard let radius = scenario.rollerRadiusMillimetres, radius > 0 else { return ExtraReadings.noReading }
        let turns = scenario.contactPositionMillimetres(atSeconds: seconds) / radius / (2 * Double.pi)
        let counts = Int32((turns * 4096).rounded(.toNearestOrEven).truncatingRemainder(dividingBy: 4096))
        return counts < 0 ? counts + 4096 : counts
    }

    /// The bytes it sends at boot: a lone delimiter that flushes a receiver, then HELLO. A
    /// foreign sketch instead sends the lines it printed before the port opened, in one burst.
    public mutating func bootBytes() -> [UInt8] {
        guard isForeignSketch else { return [WireFormat.delimiter] + DeviceFrame.hello(info).encoded }
        var bytes: [UInt8] = []
        for _ in 0..<(scenario.startupBurstLines ?? 0) { bytes += nextSampleBytes() }
        return bytes
    }

    /// Microseconds between samples at the current rate.
    public var sampleIntervalMicroseconds: Int64 { Int64(1_000_000 / sampleRateHz) }

    /// Takes the next sample (time advances whether or not it is streaming) and returns its
    /// bytes, empty when not streaming.
    public mutating func nextSampleBytes() -> [UInt8] {
        let t = deviceTimeMicroseconds
        deviceTimeMicroseconds += sampleIntervalMicroseconds
        let seq = sequence
        sequence &+= 1
        let forces = scenario.channelForcesNewtons(atSeconds: Double(t) * 1e-6)
        var counts = SIMD4<Double>.zero
        for channel in 0..<4 {
            let noise = scenario.noiseNewtons * (nextNoise() - 0.5)
            counts[channel] = (Self.offsetCounts[channel] + (forces[channel] + noise) / Self.newtonsPerCount).rounded()
        }
        let faultBytes = isForeignSketch ? [] : applyFault(scenario.fault(atSeconds: Double(t) * 1e-6), to: &counts, at: t)
            + buttonBytes(from: t, to: deviceTimeMicroseconds)
        guard isStreaming else { return [] }
        if isForeignSketch {
            let line = (0..<4).map { "ch\($0)_N:" + String(format: "%.2f", forces[$0] + scenario.noiseNewtons * (nextNoise() - 0.5)) }
                .joined(separator: "\t") + "\n"
            return Array(line.utf8)
        }
        if isTextMode {
            let line = (0..<4).map { String(Int(counts[$0])) }.joined(separator: "\t") + "\n"
            return Array(line.utf8)
        }
        let sample = Sample(sequence: seq, deviceTimeMicroseconds: t, channelCount: 4, values: counts)
        // The firmware sends the angle in a SAMPLE_EXTRA just before its SAMPLE (docs/PROTOCOL.md, "Rotation").
        let extraBytes = playsRotation
            ? DeviceFrame.sampleExtra(sequence: UInt16(truncatingIfNeeded: seq),
                                      readings: ExtraReadings(count: 1, values: SIMD4(angleCounts(atSeconds: Double(t) * 1e-6), 0, 0, 0))).encoded
            : []
        // The firmware sends a fault before the sample it concerns, and none in text mode.
        return faultBytes + extraBytes + DeviceFrame.sample(sample).encoded
    }

    /// A BUTTON frame for each of the scenario's pain-button presses in [from, to), as the
    /// firmware sends one: in binary mode, before the next sample.
    private func buttonBytes(from: Int64, to: Int64) -> [UInt8] {
        guard let presses = scenario.painButtonSeconds, !presses.isEmpty, isStreaming, !isTextMode else { return [] }
        var bytes: [UInt8] = []
        for press in presses {
            let at = Int64((press * 1_000_000).rounded())
            guard at >= from && at < to else { continue }
            bytes += DeviceFrame.button(ButtonPress(deviceTimeMicroseconds: at, button: .pain)).encoded
        }
        return bytes
    }

    /// The HX711's full-scale reading, where a saturated channel sits.
    static let fullScaleCounts = 8_388_607.0
    /// How late an HX711 may be before the firmware reports it not ready (RS_HX711_TIMEOUT_MS).
    static let notReadyAfterMicroseconds: Int64 = 100_000

    /// Plays a scenario fault on `counts` as the firmware would: the reading it gives and the
    /// FAULT frame, sent when the fault starts and at most once a second while it lasts.
    private mutating func applyFault(_ fault: SyntheticScenario.Segment.Fault?, to counts: inout SIMD4<Double>, at t: Int64) -> [UInt8] {
        guard let fault else {
            faultStartMicroseconds = nil
            faultReportedMicroseconds = nil
            lastGoodCounts = counts
            return []
        }
        let start = faultStartMicroseconds ?? t
        faultStartMicroseconds = start
        let code: FaultCode?
        var value: UInt32 = 0
        switch fault.kind {
        case .saturated:
            counts[fault.channel] = Self.fullScaleCounts
            code = .saturated
            value = UInt32(Self.fullScaleCounts)
        case .notReady:
            counts[fault.channel] = lastGoodCounts[fault.channel]
            let waited = t - start
            code = waited > Self.notReadyAfterMicroseconds ? .sensorNotReady : nil
            value = UInt32(waited / 1000)
        case .stuck:
            counts[fault.channel] = lastGoodCounts[fault.channel]
            code = nil
        }
        lastGoodCounts = counts
        guard let code, isStreaming, !isTextMode else { return [] }
        if let reported = faultReportedMicroseconds, t - reported < 1_000_000 { return [] }
        faultReportedMicroseconds = t
        return DeviceFrame.fault(DeviceFault(deviceTimeMicroseconds: t, code: code, channel: UInt8(fault.channel), value: value)).encoded
    }

    /// Feeds bytes from the host; returns the bytes to send back (replies, HELLO for GET_INFO).
    public mutating func receive(_ bytes: [UInt8]) -> [UInt8] {
        // Someone else's sketch does not speak the protocol.
        guard !isForeignSketch else { return [] }
        var received: [ReceivedCommand] = []
        commands.feed(bytes) { received.append($0) }
        var out: [UInt8] = []
        for command in received { out += answer(command) }
        return out
    }

    private mutating func answer(_ received: ReceivedCommand) -> [UInt8] {
        let command = received.command
        func reply(_ status: ReplyStatus, _ data: [UInt8] = []) -> [UInt8] {
            DeviceFrame.reply(CommandReply(command: command.type, tag: received.tag, status: status, data: data)).encoded
        }
        switch command {
        case .ping(let data):
            return reply(.ok, data)
        case .getInfo:
            return DeviceFrame.hello(info).encoded + reply(.ok)
        case .start:
            isStreaming = true
            return reply(.ok)
        case .stop:
            isStreaming = false
            return reply(.ok)
        case .setRate(let hz):
            sampleRateHz = hz
            return reply(.ok, [UInt8(hz & 0xFF), UInt8(hz >> 8)])
        case .setMode(let mode):
            // The reply goes out in the old mode, then the switch happens (docs/PROTOCOL.md).
            let bytes = reply(.ok)
            isTextMode = mode == .text
            return bytes
        case .raw(let type, _):
            let known: [UInt8] = [WireFormat.CommandType.ping, WireFormat.CommandType.getInfo, WireFormat.CommandType.start,
                                  WireFormat.CommandType.stop, WireFormat.CommandType.setRate, WireFormat.CommandType.setMode]
            guard known.contains(type) else { return reply(.unknownCommand) }
            return reply(type == WireFormat.CommandType.setRate || type == WireFormat.CommandType.setMode ? .badArgument : .badLength)
        }
    }

    /// Uniform 0..<1 from a fixed-seed xorshift, so every run sends the same counts.
    private mutating func nextNoise() -> Double {
        noiseState ^= noiseState << 13
        noiseState ^= noiseState >> 7
        noiseState ^= noiseState << 17
        return Double(noiseState >> 11) / Double(1 << 53)
    }
}
