// Decoder benchmark: decodes a capture file (made by
// `python3 Tools/wire_reference.py --make-bench-stream FILE`) in 4 KiB chunks, as the serial
// port hands them over, and prints one JSON line. Run by Tools/bench/10-wire-decoder.sh.
import Foundation
import RollSenseWire

/// Chunk size of a serial read (the ByteSource reads up to 4 KiB at a time).
let chunkByteCount = 4096
/// Best of this many decodes of the whole file, to step over scheduler noise on a shared machine.
let repetitions = 10

let arguments = CommandLine.arguments
guard arguments.count == 2, let data = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: bench-wire FILE (a readable stream from wire_reference.py --make-bench-stream)\n".utf8))
    exit(2)
}
let bytes = [UInt8](data)

var bestSeconds = Double.infinity
var lastCounters = WireCounters()
var lastSampleCount = 0
var checksum = 0.0  // uses every sample so the optimizer cannot drop the decoding
let clock = ContinuousClock()
for _ in 0..<repetitions {
    var decoder = WireDecoder()
    var sampleCount = 0
    let elapsed = clock.measure {
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(offset + chunkByteCount, all.count)
                decoder.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]), hostTimeMicroseconds: 0) { event in
                    if case .sample(let sample) = event {
                        sampleCount += 1
                        checksum += sample.values[0]
                    }
                }
                offset = end
            }
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    bestSeconds = min(bestSeconds, seconds)
    lastCounters = decoder.counters
    lastSampleCount = sampleCount
}

let counters = lastCounters.binary
let frames = counters.frames
let report: [String: Any] = [
    "implementation": "swift",
    "bytes": bytes.count,
    "frames": frames,
    "samples": lastSampleCount,
    "seconds": bestSeconds,
    "mb_per_s": Double(bytes.count) / bestSeconds / 1e6,
    "frames_per_s": Double(frames) / bestSeconds,
    "repetitions": repetitions,
    "checksum": checksum,
    "counters": [
        "frames": counters.frames, "crc": counters.crcFailures, "oversize": counters.oversizeFrames,
        "malformed": counters.malformedFrames, "unknown": counters.unknownFrames, "gaps": counters.sequenceGaps,
        "missing": counters.missingSamples, "discarded": counters.discardedBytes,
    ],
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
