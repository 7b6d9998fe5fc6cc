import RollSenseDevice
import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// What a session runs with.
public struct SessionConfiguration: Sendable {
    /// The default display rate: 15 readings per second of device time (the live view redraws at
    /// 10-20 per second; faster is not readable, slower looks sluggish).
    public static let defaultReadingIntervalMicroseconds: Int64 = 66_667

    /// The safety profile the pipeline runs.
    public var profile: Profile
    /// The user's body mass, for profiles with zones in percent of body weight.
    public var bodyMassKilograms: Double?
    /// Today's contact time on the region before this session (from the history ledger).
    public var priorDailyMicroseconds: Int64
    /// Readings go to the sink at most once per this much device time.
    public var readingIntervalMicroseconds: Int64
    /// Stop after this much device time since the first sample (nil: until stopped or ended).
    public var maximumDurationSeconds: Double?
    /// Whether to send GET_INFO and START (live: yes; replaying a recording: no).
    public var sendsCommands: Bool
    /// Give up when a live device sends nothing decodable for this long (nil: never).
    public var silenceTimeoutSeconds: Double?
    /// The calibration for a device, given its HELLO (nil when it never said who it is).
    public var calibration: @Sendable (DeviceInfo?) -> Calibration

    /// Makes a configuration; the defaults suit a live session.
    public init(
        profile: Profile,
        bodyMassKilograms: Double? = nil,
        priorDailyMicroseconds: Int64 = 0,
        readingIntervalMicroseconds: Int64 = SessionConfiguration.defaultReadingIntervalMicroseconds,
        maximumDurationSeconds: Double? = nil,
        sendsCommands: Bool = true,
        silenceTimeoutSeconds: Double? = 10,
        calibration: @escaping @Sendable (DeviceInfo?) -> Calibration = { _ in .identity }
    ) {
        self.profile = profile
        self.bodyMassKilograms = bodyMassKilograms
        self.priorDailyMicroseconds = priorDailyMicroseconds
        self.readingIntervalMicroseconds = readingIntervalMicroseconds
        self.maximumDurationSeconds = maximumDurationSeconds
        self.sendsCommands = sendsCommands
        self.silenceTimeoutSeconds = silenceTimeoutSeconds
        self.calibration = calibration
    }
}

/// Why a session could not run or went wrong; each case says what to do.
public enum SessionError: Error, CustomStringConvertible {
    /// The profile or calibration does not make a valid pipeline.
    case invalidProfile(ProfileError)
    /// The device sent nothing the decoder understood for `seconds`.
    case silentDevice(seconds: Double, bytesReceived: Int)
    /// Reading from or writing to the source failed.
    case source(any Error)
    /// Writing the recording failed.
    case capture(CaptureWriteError)

    /// One line: the cause and what to do.
    public var description: String {
        switch self {
        case .invalidProfile(let error):
            return "Invalid profile: \(error). Fix that key in the profile or config file."
        case .silentDevice(let seconds, let bytes):
            let what = bytes == 0 ? "sent nothing" : "sent \(bytes) bytes but no RollSense frame"
            return "The device \(what) in \(Int(seconds)) s: check that it runs the RollSense firmware (Firmware/README.md) at the same --baud."
        case .source(let error):
            return "Reading the device failed: \(error)"
        case .capture(let error):
            return "Writing the recording failed: \(error)"
        }
    }
}

/// Runs one session: reads a `ByteSource` on the calling thread, decodes it, runs the signal
/// pipeline, tees the raw bytes to an optional recording and hands info, readings, events and
/// link changes to a sink. Live, record, demo and replay all run through it, so they give the
/// same events for the same bytes.
public final class SessionRunner {
    /// Bytes read per call; a full second of 4-channel samples at 1 kHz is 23 kB, so several
    /// reads a second at most even at the top rate.
    public static let readBufferCount = 4096
    /// How long one read waits, so a stop request is seen within this time.
    public static let readTimeoutMilliseconds = 100
    /// Resend GET_INFO this often while the device has not answered with a HELLO.
    static let infoRetryMicroseconds: Int64 = 1_000_000
    /// How long a live session ignores samples while waiting for the device's HELLO.
    static let helloWaitMicroseconds: Int64 = 2_000_000

    private let source: any ByteSource
    private let configuration: SessionConfiguration
    private let capture: CaptureWriter?
    private weak var sink: (any SessionSink)?

    /// The device's HELLO, once seen.
    public private(set) var deviceInfo: DeviceInfo?
    /// The decoder's counters at the end.
    public private(set) var wireCounters = WireCounters()
    /// The figures so far (complete after `run` returns).
    public private(set) var statistics = SessionStatistics()
    /// Replies received, in order (commands such as `calibrate` look for theirs).
    public private(set) var replies: [CommandReply] = []

    /// Makes a runner; it does not own `capture` (the caller closes it) but owns nothing else either.
    public init(source: any ByteSource, configuration: SessionConfiguration, capture: CaptureWriter? = nil, sink: any SessionSink) {
        self.source = source
        self.configuration = configuration
        self.capture = capture
        self.sink = sink
    }

    /// Reads until the source ends, `maximumDurationSeconds` of device time pass, or `shouldStop`
    /// answers true (polled every read, at least every 100 ms); then closes every open condition
    /// and returns the session's figures.
    public func run(shouldStop: () -> Bool = { false }) throws(SessionError) -> SessionStatistics {
        // Detects binary frames or Serial Plotter text from the first bytes (docs/PROTOCOL.md).
        var decoder = WireDecoder()
        let timedSource = source as? any ReceiveTimedByteSource
        var pipeline: SignalPipeline?
        var originTime: Int64?
        var lastTime: Int64 = 0
        var lastShownTime: Int64?
        var bytesReceived = 0
        var commandTag: UInt8 = 0
        let startHost = hostMonotonicMicroseconds()
        var lastDecodedHost = startHost
        var lastInfoRequestHost = Int64.min
        var linkDown = false
        var stats = SessionStatistics()
        let configuration = self.configuration
        let sink = self.sink

        func seconds(_ t: Int64) -> Double { Double(t - (originTime ?? t)) * 1e-6 }
        func emit(_ event: SignalEvent) {
            let s = seconds(event.deviceTimeMicroseconds)
            stats.add(event, sessionSeconds: s)
            sink?.sessionDidEmit(event, sessionSeconds: s)
        }
        func makePipeline(_ info: DeviceInfo?) throws(SessionError) {
            do {
                pipeline = try SignalPipeline(
                    profile: configuration.profile, calibration: configuration.calibration(info),
                    bodyMassKilograms: configuration.bodyMassKilograms,
                    priorDailyMicroseconds: configuration.priorDailyMicroseconds)
            } catch {
                throw .invalidProfile(error)
            }
        }
        func send(_ command: Command) throws(SessionError) {
            guard configuration.sendsCommands else { return }
            commandTag &+= 1
            do {
                try source.write(try command.encoded(tag: commandTag))
            } catch {
                throw .source(error)
            }
        }
        func requestStream() throws(SessionError) {
            lastInfoRequestHost = hostMonotonicMicroseconds()
            try send(.getInfo)
            try send(.start)
        }

        var failure: SessionError?
        // Samples past the duration are not processed, whatever the read chunking: a replay
        // ends on exactly the same sample as the live session did.
        var reachedLimit = false
        // A Serial Plotter sketch never says HELLO: its samples need not wait for one.
        var speaksText = false
        func handle(_ event: WireEvent) {
            guard failure == nil, !reachedLimit else { return }
            lastDecodedHost = hostMonotonicMicroseconds()
            do throws(SessionError) {
                switch event {
                case .info(let info):
                    // A GET_INFO answer repeats the boot HELLO: tell the sink only what is new.
                    if info != deviceInfo { sink?.sessionDidIdentify(info) }
                    deviceInfo = info
                    if pipeline == nil { try makePipeline(info) }
                    pipeline?.identify(info)
                case .sample(let sample):
                    // Live, the calibration depends on who the device is: samples before its
                    // HELLO (left in the port from an earlier session) wait for it, a while.
                    if pipeline == nil && deviceInfo == nil && configuration.sendsCommands && !speaksText
                        && hostMonotonicMicroseconds() - startHost < Self.helloWaitMicroseconds
                    {
                        return
                    }
                    if pipeline == nil { try makePipeline(deviceInfo) }
                    let t = sample.deviceTimeMicroseconds
                    if originTime == nil { originTime = t }
                    if let limit = configuration.maximumDurationSeconds, seconds(t) > limit {
                        reachedLimit = true
                        return
                    }
                    let reading = pipeline!.process(sample, emit: emit)
                    stats.add(reading)
                    lastTime = t
                    if lastShownTime == nil || t - lastShownTime! >= configuration.readingIntervalMicroseconds {
                        lastShownTime = t
                        sink?.sessionDidRead(reading, sessionSeconds: seconds(t))
                    }
                case .fault(let fault):
                    pipeline?.process(fault: fault, emit: emit)
                case .gap(let missing, let t):
                    pipeline?.process(gap: SampleGap(missingSamples: missing, deviceTimeMicroseconds: t), emit: emit)
                case .reply(let reply):
                    replies.append(reply)
                case .protocolDetected(let kind):
                    speaksText = kind == .text
                }
            } catch {
                failure = error
            }
        }

        try requestStream()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferCount, alignment: 16)
        defer { buffer.deallocate() }
        reading: while !shouldStop() && !reachedLimit {
            if let limit = configuration.maximumDurationSeconds, originTime != nil, seconds(lastTime) >= limit { break }
            let result: ByteSourceRead
            do {
                result = try source.read(into: buffer, timeoutMilliseconds: Self.readTimeoutMilliseconds)
            } catch {
                throw .source(error)
            }
            let now = hostMonotonicMicroseconds()
            switch result {
            case .bytes(let count):
                bytesReceived += count
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                if let capture {
                    do { try capture.append(bytes: chunk, hostTimeMicroseconds: now - startHost) } catch { throw .capture(error) }
                }
                let receivedAt = timedSource?.lastReadHostTimeMicroseconds ?? now - startHost
                decoder.feed(chunk, hostTimeMicroseconds: receivedAt, handle)
                if let failure { throw failure }
            case .timeout:
                break
            case .end:
                break reading
            case .disconnected:
                linkDown = true
                if let capture {
                    do { try capture.append(event: CaptureEvent(hostTimeMicroseconds: now - startHost, kind: .disconnected)) } catch { throw .capture(error) }
                }
                sink?.sessionLinkDidChange(.disconnected)
                pipeline?.disconnect(atDeviceTimeMicroseconds: lastTime, emit: emit)
            case .reconnected(let gap):
                linkDown = false
                lastDecodedHost = now
                if let capture {
                    do { try capture.append(event: CaptureEvent(hostTimeMicroseconds: now - startHost, kind: .reconnected)) } catch { throw .capture(error) }
                }
                sink?.sessionLinkDidChange(.reconnected(gapMicroseconds: gap))
                try requestStream()
            }
            if configuration.sendsCommands && !linkDown {
                if deviceInfo == nil && now - lastInfoRequestHost >= Self.infoRetryMicroseconds {
                    try requestStream()
                }
                if let silence = configuration.silenceTimeoutSeconds, Double(now - lastDecodedHost) * 1e-6 >= silence {
                    throw .silentDevice(seconds: silence, bytesReceived: bytesReceived)
                }
            }
        }
        wireCounters = decoder.counters
        if var pipeline {
            pipeline.finish(atDeviceTimeMicroseconds: lastTime, emit: emit)
            stats.finish(pipeline: pipeline)
        }
        statistics = stats
        return stats
    }
}
