// Soak run (issue 8): a deterministic session at 1 kHz x 4 channels, generated as wire bytes a
// second at a time, written to a capture, read back, decoded and processed by the signal
// pipeline. Prints one JSON line: contact time expected vs measured, and peak memory (VmHWM).
// Run by Tools/bench/70-soak.sh: `soak SECONDS CAPTURE_PATH`.
import Foundation
import RollSenseScenario
import RollSenseSignal
import RollSenseStore
import RollSenseWire

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("soak: \(message)\n".utf8))
    exit(1)
}

/// Peak resident set size in KiB (Linux /proc/self/status VmHWM).
func peakResidentKibibytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
    }
    return -1
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let seconds = Int(arguments[1]), seconds > 0 else {
    fail("usage: soak SECONDS CAPTURE_PATH (the capture must not exist yet; it is removed afterwards unless SOAK_KEEP_CAPTURE=1)")
}
let capturePath = arguments[2]
let clock = ContinuousClock()
let started = clock.now

// 1. Generate and record, one second of samples per chunk (as a serial read loop would).
// Times start 10 minutes before the device clock's 32-bit wrap, so long runs cross it.
var session = ContactSession(seconds: seconds, seed: 2026, startTimeMicroseconds: UInt32.max - 600_000_000)
do throws(CaptureWriteError) {
    let writer = try CaptureWriter(path: capturePath, metadata: CaptureMetadata())
    var buffer: [UInt8] = []
    buffer.reserveCapacity(session.sampleRateHz * 24)
    var hostTime: Int64 = 0
    while !session.isFinished {
        buffer.removeAll(keepingCapacity: true)
        session.generate(maxSamples: session.sampleRateHz, into: &buffer)
        hostTime += 1_000_000
        try writer.append(bytes: buffer, hostTimeMicroseconds: hostTime)
    }
    try writer.close()
} catch {
    fail("recording: \(error)")
}
let recorded = clock.now
let captureBytes = (try? FileManager.default.attributesOfItem(atPath: capturePath)[.size] as? Int) ?? -1

// 2. Replay: read, decode, process.
var profile = Profile.massageBallLowerBack
// Median 1 and no smoother: the contact switch moves exactly at its delays, so the expected time is exact.
profile.filter.medianLength = 1
profile.filter.smoother = .none
let calibration = Calibration(
    offsetCounts: [0, 0, 0, 0],
    curves: Array(repeating: .linear(newtonsPerCount: ContactSession.newtonsPerCount), count: 4))
var pipeline: SignalPipeline
do throws(ProfileError) {
    pipeline = try SignalPipeline(profile: profile, calibration: calibration)
} catch {
    fail("profile: \(error)")
}
var decoder = FrameDecoder()
var samples = 0
var gaps = 0
var eventCount = 0
var contactStarts = 0
var readingContactMicroseconds: Int64 = 0
var previousReading: Reading?
var lastTime: Int64 = 0
var faultEvents = 0
do throws(CaptureReadError) {
    let reader = try CaptureReader(path: capturePath)
    while let chunk = try reader.nextChunk() {
        decoder.feed(chunk.bytes) { event in
            switch event {
            case .sample(let sample):
                samples += 1
                lastTime = sample.deviceTimeMicroseconds
                let reading = pipeline.process(sample) { signal in
                    eventCount += 1
                    if signal.kind == .contact && signal.phase == .start { contactStarts += 1 }
                    if signal.kind == .fault { faultEvents += 1 }
                }
                // Contact time counted from readings too: the interval since the previous
                // reading belongs to the state at its start.
                if let previous = previousReading, previous.contact {
                    readingContactMicroseconds += reading.deviceTimeMicroseconds - previous.deviceTimeMicroseconds
                }
                previousReading = reading
            case .gap:
                gaps += 1
            default:
                break
            }
        }
    }
    if reader.warningCount > 0 { fail("capture read with \(reader.warningCount) warnings") }
} catch {
    fail("replay: \(error)")
}
pipeline.finish(atDeviceTimeMicroseconds: lastTime) { _ in eventCount += 1 }
let finished = clock.now
// SOAK_KEEP_CAPTURE=1 keeps the capture for the replay benchmark (Tools/bench/75-replay.sh).
if ProcessInfo.processInfo.environment["SOAK_KEEP_CAPTURE"] != "1" {
    try? FileManager.default.removeItem(atPath: capturePath)
}

let delayMicroseconds = Int64(((profile.contact.offDelaySeconds - profile.contact.onDelaySeconds) * 1_000_000).rounded())
let expected = session.contactMicroseconds + Int64(session.completedContacts) * delayMicroseconds
func secondsOf(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
let report: [String: Any] = [
    "simulated_seconds": seconds,
    "samples_generated": session.generatedSamples,
    "samples_decoded": samples,
    "gaps": gaps,
    "capture_bytes": captureBytes,
    "contacts": session.completedContacts,
    "contact_starts_seen": contactStarts,
    "generator_contact_us": session.contactMicroseconds,
    "expected_pipeline_contact_us": expected,
    "pipeline_contact_us": pipeline.sessionMicroseconds,
    "readings_contact_us": readingContactMicroseconds,
    "fault_events": faultEvents,
    "events": eventCount,
    "record_seconds": secondsOf(recorded - started),
    "replay_seconds": secondsOf(finished - recorded),
    "peak_rss_kib": peakResidentKibibytes(),
    "exact": expected == pipeline.sessionMicroseconds && expected == readingContactMicroseconds
        && samples == session.generatedSamples && contactStarts == session.completedContacts,
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
exit((report["exact"] as? Bool) == true ? 0 : 1)
