import RollSenseDevice
import Synchronization
import RollSenseSignal
import RollSenseStore
import RollSenseSystem
import RollSenseWire
import Synchronization

/// Why a session could not run or went wrong; each case says what to do.
public enum SessionError: Error, CustomStringConvertible {
    /// The profile or calibration does not make a valid pipeline.
    case invalidProfile(ProfileError)
    /// The device sent nothing the decoder understood for `seconds`.
    case silentDevice(seconds: Double, bytesReceived: Int)
    /// A text sketch printed lines, then nothing for `seconds`.
    case silentSketch(seconds: Double)
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
            if bytes == 0 {
                return "The device sent nothing in \(Int(seconds)) s: check that it runs the RollSense firmware (Firmware/README.md) at the same --baud."
            }
            // Bytes that are neither frames nor lines are mostly a wrong rate: say how to find it.
            return "The device sent \(bytes) bytes in \(Int(seconds)) s, but neither RollSense frames nor text lines: the rate is probably wrong. "
                + "`--baud auto` finds a sketch's rate (its Serial.begin); the RollSense firmware runs at 115200 (Firmware/README.md)."
        case .silentSketch(let seconds):
            return "The sketch printed lines, then nothing for \(Int(seconds)) s: check that it still runs (its serial monitor shows the same), or reset the board."
        case .source(let error):
            return "Reading the device failed: \(error)"
        case .capture(let error):
            return "Writing the recording failed: \(error)"
        }
    }
}

/// Drives one session: reads a `ByteSource` on the calling thread, tees the raw bytes to an
/// optional recording, feeds a `SessionCore` with the host time of an injected clock, writes the
/// commands it asks for and hands its outputs to the sink. Every rule lives in the core; this is
/// only I/O. Live, record, demo, replay, report and export all run through it.
public final class SessionRunner {
    /// Bytes read per call; a full second of 4-channel samples at 1 kHz is 23 kB, so several
    /// reads a second at most even at the top rate.
    public static let readBufferCount = 4096
    /// How long one read waits, so a stop request is seen within this time.
    public static let readTimeoutMilliseconds = 100

    private let source: any ByteSource
    private let capture: CaptureWriter?
    // Strong: a sink passed inline must live as long as the session.
    private let sink: any SessionSink
    private let clock: () -> Int64
    private var core: SessionCore

    /// The device's HELLO, once seen.
    public var deviceInfo: DeviceInfo? { core.deviceInfo }
    /// The decoder's counters.
    public var wireCounters: WireCounters { core.wireCounters }
    /// The figures so far (complete after `run` returns).
    public var statistics: SessionStatistics { core.statistics }
    /// Replies received, in order (commands such as `calibrate` look for theirs).
    public private(set) var replies: [CommandReply] = []
    /// Why the recording stopped, if it did; the session went on without it (a full disk must
    /// not cost the live view, the alerts and the day's history).
    public private(set) var recordingFailure: CaptureWriteError?
    /// Session seconds of the last sample processed before the recording stopped.
    public private(set) var recordingStoppedAtSeconds: Double?

    /// Pain marks asked for (from any thread) and not yet handed to the core.
    private let painMarkRequests = Atomic<Int>(0)

    /// The person pressed the pain key: marked at the next read, recorded in the capture. Safe
    /// from any thread.
    public func requestPainMark() {
        painMarkRequests.add(1, ordering: .relaxed)
    }

    /// Makes a runner; it does not own `capture` (the caller closes it). `clock` gives host time
    /// in microseconds (monotonic).
    public init(
        source: any ByteSource, configuration: SessionConfiguration, capture: CaptureWriter? = nil, sink: any SessionSink,
        clock: @escaping () -> Int64 = hostMonotonicMicroseconds
    ) {
        self.source = source
        self.capture = capture
        self.sink = sink
        self.clock = clock
        core = SessionCore(configuration: configuration)
    }

    /// Reads until the source ends, the core finishes (duration reached, silent device) or
    /// `shouldStop` answers true (polled every read, at least every 100 ms); then closes every
    /// open condition and returns the session's figures.
    public func run(shouldStop: () -> Bool = { false }) throws(SessionError) -> SessionStatistics {
        let timedSource = source as? any ReceiveTimedByteSource
        let startHost = clock()
        var failure: SessionError?
        func deliver(_ output: SessionOutput) {
            switch output {
            case .identified(let info): sink.sessionDidIdentify(info)
            case .sample(let sample, let reading, let seconds, let shown):
                sink.sessionDidProcess(sample, reading: reading, sessionSeconds: seconds)
                if shown { sink.sessionDidRead(reading, sessionSeconds: seconds) }
            case .event(let event, let seconds): sink.sessionDidEmit(event, sessionSeconds: seconds)
            case .link(let state): sink.sessionLinkDidChange(state)
            case .send(let bytes):
                guard failure == nil else { return }
                do { try source.write(bytes) } catch { failure = .source(error) }
            case .reply(let reply): replies.append(reply)
            case .textChannels(let channels): sink.sessionDidNameChannels(channels)
            case .summary: break
            case .finished(let end):
                switch end {
                case .durationReached: break
                case .silentDevice(let seconds, let bytes): failure = failure ?? .silentDevice(seconds: seconds, bytesReceived: bytes)
                case .invalidProfile(let error): failure = failure ?? .invalidProfile(error)
                }
            }
        }
        // The recording is a tee: when it fails it stops, and the session goes on.
        func tee(_ write: (CaptureWriter) throws(CaptureWriteError) -> Void) {
            guard let capture, recordingFailure == nil else { return }
            do { try write(capture) } catch {
                let seconds = core.statistics.durationSeconds
                recordingFailure = error
                recordingStoppedAtSeconds = seconds
                sink.sessionRecordingDidStop(error, sessionSeconds: seconds)
            }
        }
        func record(_ kind: CaptureEventKind, at now: Int64) {
            tee { capture throws(CaptureWriteError) in try capture.append(event: CaptureEvent(hostTimeMicroseconds: now, kind: kind)) }
        }

        core.start(hostTimeMicroseconds: 0, deliver)
        if let failure { throw failure }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferCount, alignment: 16)
        defer { buffer.deallocate() }
        reading: while !shouldStop() && core.end == nil {
            let result: ByteSourceRead
            do {
                result = try source.read(into: buffer, timeoutMilliseconds: Self.readTimeoutMilliseconds)
            } catch {
                throw .source(error)
            }
            // Host time since the session started: the recording's clock and the core's.
            let now = clock() - startHost
            switch result {
            case .bytes(let count):
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                tee { capture throws(CaptureWriteError) in try capture.append(bytes: chunk, hostTimeMicroseconds: now) }
                core.feed(chunk, hostTimeMicroseconds: now, receivedAtMicroseconds: timedSource?.lastReadHostTimeMicroseconds, deliver)
            case .timeout:
                core.tick(hostTimeMicroseconds: now, deliver)
            case .end:
                break reading
            case .disconnected:
                record(.disconnected, at: now)
                core.linkLost(hostTimeMicroseconds: now, deliver)
            case .reconnected(let gap):
                record(.reconnected, at: now)
                core.linkRestored(gapMicroseconds: gap, hostTimeMicroseconds: now, deliver)
            }
            let marks = painMarkRequests.exchange(0, ordering: .relaxed) + ((source as? any PainMarkSource)?.takePainMarks() ?? 0)
            for _ in 0..<marks {
                record(.painMark, at: now)
                core.markPain(deliver)
            }
            if let failure {
                // Said apart: a text sketch that went quiet is not a board without the firmware.
                if case .silentDevice(let seconds, _) = failure, core.protocolKind == .text { throw .silentSketch(seconds: seconds) }
                throw failure
            }
        }
        return core.finish(deliver)
    }
}
