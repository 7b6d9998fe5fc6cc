// Over 400 lines by a few: the session's rules (link, hello, pain marks, gone time) are one
// state machine over one stream; its parts share that state.
import RollSenseWire

/// What a session core tells its driver and sinks, in stream order.
public enum SessionOutput: Sendable {
    /// The device said who it is (a HELLO that differs from the last one).
    case identified(DeviceInfo)
    /// One processed sample and its reading; `shown` when it passes the display throttle
    /// (`SessionConfiguration.readingIntervalMicroseconds`). `sessionSeconds` is device time
    /// since the session's first sample.
    case sample(Sample, Reading, sessionSeconds: Double, shown: Bool)
    /// An event from the signal pipeline.
    case event(SignalEvent, sessionSeconds: Double)
    /// The link went down or came back (the pipeline's `link` events follow as `.event`).
    case link(LinkState)
    /// Bytes the driver must write to the device: the probe (`WritePolicy.probe`) before the
    /// device said HELLO, encoded commands after.
    case send([UInt8])
    /// A text device's lines settled on these labelled values as channels.
    case textChannels(TextChannels)
    /// A REPLY from the device (commands such as `calibrate` look for theirs).
    case reply(CommandReply)
    /// The session's figures, once, when it is finished.
    case summary(SessionStatistics)
    /// The core needs no more input (the driver stops reading).
    case finished(SessionEnd)
}

/// Why a session core finished by itself.
public enum SessionEnd: Sendable, Equatable {
    /// `maximumDurationSeconds` passed since the first sample: device time, plus host time while
    /// a live device is disconnected (its clock stops with it).
    case durationReached
    /// A live device sent nothing decodable for `seconds` of host time.
    case silentDevice(seconds: Double, bytesReceived: Int)
    /// The profile or calibration does not make a valid pipeline.
    case invalidProfile(ProfileError)
}

/// The heart of a session between the bytes and every output: decodes, runs the signal
/// pipeline, follows the link and the device's HELLO, asks for the stream, and aggregates the
/// figures. Pure: host time comes in as an argument, commands go out as `.send` outputs, so every
/// rule (HELLO wait, probe, duration, silence) is tested without a device or a clock.
///
/// It writes only what `WritePolicy` allows (docs/PROTOCOL.md, "Writing to a device"): before a
/// HELLO, nothing but the probe, and only while the device is silent or sends frames; never
/// anything to a device whose bytes are text. After a HELLO: START, and GET_INFO and START again
/// after a reconnect.
/// Live, record, demo, replay, report and export all run through it.
public struct SessionCore: Sendable {
    /// How long a live session ignores samples while waiting for the device's HELLO.
    public static let helloWaitMicroseconds: Int64 = 2_000_000
    /// How long a text sketch may print nothing before the session gives up: two of the slowest
    /// sample intervals RollSense reads (`SampleIntervalTracker.slowestIntervalMicroseconds`).
    public static let textSilenceSeconds = 2 * Double(SampleIntervalTracker.slowestIntervalMicroseconds) * 1e-6

    // Two stored parts, so the decoder's callback may change the rest while the decoder runs.
    private var decoder = WireDecoder()
    private var rules: SessionRules

    /// A core for `configuration`; nothing happens until `start`.
    public init(configuration: SessionConfiguration) {
        rules = SessionRules(configuration: configuration)
    }

    /// What it runs with.
    public var configuration: SessionConfiguration { rules.configuration }
    /// The device's HELLO, once seen.
    public var deviceInfo: DeviceInfo? { rules.deviceInfo }
    /// The figures so far (complete after `finish`).
    public var statistics: SessionStatistics { rules.statistics }
    /// Why it finished by itself (nil while it wants more input).
    public var end: SessionEnd? { rules.end }
    /// Bytes fed so far.
    public var bytesReceived: Int { rules.bytesReceived }
    /// The decoder's counters so far.
    public var wireCounters: WireCounters { decoder.counters }
    /// What the device speaks, once decided.
    public var protocolKind: WireProtocolKind? { decoder.protocolKind }

    /// Begins the session at host time `now` (microseconds, any origin, never going back): a
    /// live session asks for the device's HELLO and the stream.
    public mutating func start(hostTimeMicroseconds now: Int64, _ output: (SessionOutput) -> Void) {
        rules.start(at: now, output)
    }

    /// Feeds bytes read at host time `now`; `receivedAtMicroseconds` stamps text samples (a
    /// recording's own receive time on replay, else `now`).
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer, hostTimeMicroseconds now: Int64, receivedAtMicroseconds: Int64? = nil,
        _ output: (SessionOutput) -> Void
    ) {
        guard rules.end == nil else { return }
        rules.bytesReceived += bytes.count
        decoder.feed(bytes, hostTimeMicroseconds: receivedAtMicroseconds ?? now) { event in
            rules.handle(event, now: now, output)
        }
        // A slow sketch's lines count as life even while its layout waits to repeat.
        if decoder.protocolKind == .text && !bytes.isEmpty { rules.heard(at: now) }
        rules.checkDuration(output)
        rules.tick(at: now, decoder: decoder, output)
    }

    /// Feeds an array of bytes (tests, small writes).
    public mutating func feed(_ bytes: [UInt8], hostTimeMicroseconds now: Int64, _ output: (SessionOutput) -> Void) {
        bytes.withUnsafeBytes { feed($0, hostTimeMicroseconds: now, output) }
    }

    /// Host time passed with no bytes (a read timed out): retries GET_INFO, notices silence,
    /// and ends a live session whose duration passes while the device is gone.
    public mutating func tick(hostTimeMicroseconds now: Int64, _ output: (SessionOutput) -> Void) {
        rules.tick(at: now, decoder: decoder, output)
    }

    /// The link to the device went away at host time `now`.
    public mutating func linkLost(hostTimeMicroseconds now: Int64, _ output: (SessionOutput) -> Void) {
        decoder.linkLost()
        rules.linkLost(at: now, output)
    }

    /// The device is back after `gapMicroseconds`: the stream is asked for again. The pipeline
    /// closes the link's outage with the next sample.
    public mutating func linkRestored(gapMicroseconds: Int64, hostTimeMicroseconds now: Int64, _ output: (SessionOutput) -> Void) {
        rules.linkRestored(gapMicroseconds: gapMicroseconds, at: now, output)
    }

    /// The person marked pain (the live view's key, the live page's button, or a recorded mark on
    /// replay): a `painMark` event at the last sample's time with the force then. Nothing before
    /// the first sample.
    /// A second press less than `painMarkMergeSeconds` of device time after a mark is the same
    /// mark (a double press or a bounce), so it makes no event.
    public mutating func markPain(_ output: (SessionOutput) -> Void) {
        rules.markPain(output)
    }

    /// Presses closer than this (device time) are one pain mark (docs/SAFETY.md, "Pain marks").
    public static let painMarkMergeSeconds = 3.0

    /// Closes every open condition at the last sample's time and hands out the figures; returns them.
    @discardableResult
    public mutating func finish(_ output: (SessionOutput) -> Void) -> SessionStatistics {
        rules.finish(output)
    }
}

/// Everything of a session core but the decoder.
struct SessionRules: Sendable {
    let configuration: SessionConfiguration
    private(set) var deviceInfo: DeviceInfo?
    private(set) var statistics = SessionStatistics()
    private(set) var end: SessionEnd?
    var bytesReceived = 0

    private var pipeline: SignalPipeline?
    private var originTime: Int64?
    private var lastTime: Int64 = 0
    private var lastShownTime: Int64?
    private var commandTag: UInt8 = 0
    private var startHost: Int64 = 0
    private var lastDecodedHost: Int64 = 0
    private var linkDown = false
    // Host time the link went down: a live session's duration runs on in host time from here.
    private var linkLostHost: Int64 = 0
    // The latest host time seen: a session that ends with the board gone counts it to here.
    private var lastHost: Int64 = 0
    /// What may be written to the device: only the probe until it says HELLO.
    private var writes = WritePolicy(openedMicroseconds: 0)
    // A Serial Plotter sketch never says HELLO: its samples need not wait for one.
    private var speaksText = false
    // A HELLO after samples answers our GET_INFO or says the device rebooted: the next sample's
    // count tells which. Bytes alone decide it, so a replay gives the same events as live.
    private var helloMidStream = false
    private var lastSequence: UInt64?
    private var samplesSinceHello = false
    private var finished = false
    // Device time of the last pain mark: presses within SessionCore.painMarkMergeSeconds merge.
    private var lastPainMarkTime: Int64?

    init(configuration: SessionConfiguration) {
        self.configuration = configuration
    }

    mutating func start(at now: Int64, _ output: (SessionOutput) -> Void) {
        startHost = now
        lastDecodedHost = now
        writes = WritePolicy(openedMicroseconds: now)
    }

    mutating func tick(at now: Int64, decoder: WireDecoder, _ output: (SessionOutput) -> Void) {
        lastHost = max(lastHost, now)
        guard end == nil, configuration.sendsCommands else { return }
        if linkDown {
            checkDurationWhileDisconnected(at: now, output)
            return
        }
        if writes.probeDue(
            atMicroseconds: now, protocolKind: decoder.protocolKind, bytesReceived: bytesReceived,
            framesDecoded: decoder.counters.binary.frames)
        {
            output(.send(WritePolicy.probe))
        }
        // A text sketch may print as seldom as the slowest rate RollSense reads (one line per
        // 10 s): two such intervals of quiet, not one, before it counts as silent.
        if var silence = configuration.silenceTimeoutSeconds {
            if speaksText { silence = max(silence, SessionCore.textSilenceSeconds) }
            guard Double(now - lastDecodedHost) * 1e-6 >= silence else { return }
            stop(.silentDevice(seconds: silence, bytesReceived: bytesReceived), output)
        }
    }

    mutating func heard(at now: Int64) { lastDecodedHost = now }

    mutating func linkLost(at now: Int64, _ output: (SessionOutput) -> Void) {
        guard end == nil, !linkDown else { return }
        linkDown = true
        linkLostHost = now
        lastHost = max(lastHost, now)
        output(.link(.disconnected))
        pipeline?.disconnect(atDeviceTimeMicroseconds: lastTime) { Self.emit($0, &statistics, originTime, output) }
    }

    mutating func linkRestored(gapMicroseconds: Int64, at now: Int64, _ output: (SessionOutput) -> Void) {
        guard end == nil else { return }
        if linkDown { statistics.addBoardGone(seconds: Double(gapMicroseconds) * 1e-6) }
        linkDown = false
        lastDecodedHost = now
        output(.link(.reconnected(gapMicroseconds: gapMicroseconds)))
        requestStream(at: now, output)
    }

    mutating func markPain(_ output: (SessionOutput) -> Void) {
        guard end == nil, !finished, originTime != nil else { return }
        if let previous = lastPainMarkTime, Double(lastTime - previous) < SessionCore.painMarkMergeSeconds * 1e6 { return }
        lastPainMarkTime = lastTime
        pipeline?.markPain { Self.emit($0, &statistics, originTime, output) }
    }

    mutating func finish(_ output: (SessionOutput) -> Void) -> SessionStatistics {
        guard !finished else { return statistics }
        finished = true
        if linkDown {
            linkDown = false
            statistics.addBoardGone(seconds: Double(lastHost - linkLostHost) * 1e-6)
        }
        if pipeline != nil {
            pipeline!.finish(atDeviceTimeMicroseconds: lastTime) { Self.emit($0, &statistics, originTime, output) }
            statistics.finish(pipeline: pipeline!)
        }
        output(.summary(statistics))
        return statistics
    }

    // MARK: - Rules

    mutating func handle(_ event: WireEvent, now: Int64, _ output: (SessionOutput) -> Void) {
        guard end == nil else { return }
        lastDecodedHost = now
        switch event {
        case .info(let info):
            // A GET_INFO answer repeats the boot HELLO: tell the sinks only what is new.
            if info != deviceInfo { output(.identified(info)) }
            deviceInfo = info
            if !writes.mayCommand {
                writes.observe(event)
                // A RollSense board: make sure it streams (an earlier session may have stopped it).
                if !info.isStreaming { send(.start, output) }
            }
            if pipeline == nil {
                makePipeline(info, channelCount: info.channelCount, output)
            } else if samplesSinceHello {
                // A board that resets when the port opens sends its boot HELLO and then answers
                // our GET_INFO with the same HELLO, which may come after samples. A device that
                // rebooted starts its sample count again: the next sample tells which it was.
                helloMidStream = true
            }
            pipeline?.identify(info)
            samplesSinceHello = false
        case .sample(let sample):
            process(sample, now: now, output)
        case .fault(let fault):
            pipeline?.process(fault: fault) { Self.emit($0, &statistics, originTime, output) }
        case .gap(let missing, let t):
            pipeline?.process(gap: SampleGap(missingSamples: missing, deviceTimeMicroseconds: t)) { Self.emit($0, &statistics, originTime, output) }
        case .reply(let reply):
            output(.reply(reply))
        case .protocolDetected(let kind):
            speaksText = kind == .text
            writes.observe(event)
        case .textChannels(let channels):
            writes.observe(event)
            output(.textChannels(channels))
        case .button(let press):
            // The board's pain button is the pain key on the board: the same mark, at the same
            // time (the last sample's). Its bytes are in a recording, so a replay marks it again.
            switch press.button {
            case .pain: markPain(output)
            }
        }
    }

    @inline(__always)
    private mutating func process(_ sample: Sample, now: Int64, _ output: (SessionOutput) -> Void) {
        if pipeline == nil {
            // Live, the calibration depends on who the device is: samples before its HELLO (left
            // in the port from an earlier session) wait for it, a while.
            if deviceInfo == nil && configuration.sendsCommands && !speaksText && now - startHost < SessionCore.helloWaitMicroseconds {
                return
            }
            makePipeline(deviceInfo, channelCount: deviceInfo?.channelCount ?? sample.channelCount, output)
            guard pipeline != nil else { return }
        }
        let t = sample.deviceTimeMicroseconds
        if originTime == nil { originTime = t }
        let seconds = sessionSeconds(t)
        // Samples past the duration are not processed, whatever the read chunking: a replay ends
        // on exactly the same sample as the live session did.
        if let limit = configuration.maximumDurationSeconds, seconds > limit {
            stop(.durationReached, output)
            return
        }
        samplesSinceHello = true
        if helloMidStream {
            helloMidStream = false
            // The decoder keeps counting after a HELLO: a rebooted device's count restarting at
            // 0 shows as a jump, an answer as the next number.
            if let last = lastSequence, sample.sequence != last &+ 1 {
                // Nobody asked: the device rebooted mid-stream. Filters start over.
                pipeline?.restart(atDeviceTimeMicroseconds: lastTime) { Self.emit($0, &statistics, originTime, output) }
            }
        }
        lastSequence = sample.sequence
        let reading = pipeline!.process(sample) { Self.emit($0, &statistics, originTime, output) }
        statistics.add(reading)
        lastTime = t
        let shown = lastShownTime == nil || t - lastShownTime! >= configuration.readingIntervalMicroseconds
        if shown { lastShownTime = t }
        output(.sample(sample, reading, sessionSeconds: seconds, shown: shown))
    }

    mutating func checkDuration(_ output: (SessionOutput) -> Void) {
        if let limit = configuration.maximumDurationSeconds, originTime != nil, end == nil, sessionSeconds(lastTime) >= limit {
            stop(.durationReached, output)
        }
    }

    /// A device that is gone sends no time: without this a `--duration` past the end of its
    /// data would wait for ever. Only live (a replay has no outage to wait out).
    private mutating func checkDurationWhileDisconnected(at now: Int64, _ output: (SessionOutput) -> Void) {
        guard let limit = configuration.maximumDurationSeconds else { return }
        let deviceSeconds = originTime == nil ? Double(linkLostHost - startHost) * 1e-6 : sessionSeconds(lastTime)
        if deviceSeconds + Double(now - linkLostHost) * 1e-6 >= limit {
            stop(.durationReached, output)
        }
    }

    private mutating func makePipeline(_ info: DeviceInfo?, channelCount: Int, _ output: (SessionOutput) -> Void) {
        var profile = configuration.profile
        // One load cell cannot tell left from right: the area is the whole region, and no
        // side or spine warning comes from a layout the rig does not have.
        if channelCount < 2 { profile.spine.channelPositionsMillimetres = [] }
        do {
            pipeline = try SignalPipeline(
                profile: profile, calibration: configuration.calibration(info),
                bodyMassKilograms: configuration.bodyMassKilograms,
                priorDailyMicroseconds: configuration.priorDailyMicroseconds)
        } catch {
            stop(.invalidProfile(error), output)
        }
    }

    /// After a reconnect: a board that said HELLO before is asked who it is and for the stream;
    /// any other device is left alone (the probe rules apply again).
    private mutating func requestStream(at now: Int64, _ output: (SessionOutput) -> Void) {
        guard configuration.sendsCommands else { return }
        guard writes.mayCommand else {
            writes = WritePolicy(openedMicroseconds: now)
            return
        }
        send(.getInfo, output)
        send(.start, output)
    }

    private mutating func send(_ command: Command, _ output: (SessionOutput) -> Void) {
        commandTag &+= 1
        // GET_INFO and START have no arguments, so they always encode.
        guard let bytes = try? command.encoded(tag: commandTag) else { return }
        output(.send(bytes))
    }

    private mutating func stop(_ reason: SessionEnd, _ output: (SessionOutput) -> Void) {
        guard end == nil else { return }
        end = reason
        output(.finished(reason))
    }

    private func sessionSeconds(_ t: Int64) -> Double { Double(t - (originTime ?? t)) * 1e-6 }

    // Static, and given only the parts it touches, so the pipeline may call it while it runs.
    private static func emit(
        _ event: SignalEvent, _ statistics: inout SessionStatistics, _ originTime: Int64?, _ output: (SessionOutput) -> Void
    ) {
        let seconds = Double(event.deviceTimeMicroseconds - (originTime ?? event.deviceTimeMicroseconds)) * 1e-6
        statistics.add(event, sessionSeconds: seconds)
        output(.event(event, sessionSeconds: seconds))
    }
}
