/// What the layer above the framing made of a frame with a good CRC.
enum FrameDisposition {
    case accepted
    case malformed
    case unknown
}

/// The frame layer of docs/PROTOCOL.md: splits bytes at `0x00`, undoes COBS, checks size and
/// CRC, and hands `type` and `body` up, keeping the framing counters.
///
/// Bytes of a frame that spans chunks wait in a fixed inline buffer; a frame that lies whole in
/// one chunk is decoded straight from it. Nothing here allocates.
struct Deframer: Sendable {
    /// Fixed storage for one encoded frame: 9 × 8 = 72 bytes ≥ `WireFormat.maxEncodedCount`.
    typealias Storage = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    var counters = FrameCounters()
    private var pending: Storage = (0, 0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    /// Past `maxEncodedCount` bytes without a delimiter: dropping until the next `0x00`.
    private var overflowed = false

    /// Whether bytes of an unfinished frame are waiting.
    var hasPartialFrame: Bool { pendingCount > 0 || overflowed }

    /// Forgets any partial frame, as if a delimiter had arrived, without counting it.
    mutating func dropPartialFrame() {
        pendingCount = 0
        overflowed = false
    }

    @inline(__always)
    mutating func feed(
        _ input: UnsafeRawBufferPointer,
        _ handle: (_ type: UInt8, _ body: UnsafeRawBufferPointer) -> FrameDisposition
    ) {
        let end = input.count
        var index = 0
        while index < end {
            var delimiter = index
            while delimiter < end && input[delimiter] != WireFormat.delimiter { delimiter += 1 }
            let runCount = delimiter - index
            if delimiter == end {
                // No delimiter in the rest of the chunk: keep the bytes for the next one.
                if overflowed {
                    counters.discardedBytes += runCount
                } else if pendingCount + runCount > WireFormat.maxEncodedCount {
                    overflowed = true
                    counters.discardedBytes += pendingCount + runCount
                    pendingCount = 0
                } else {
                    append(UnsafeRawBufferPointer(rebasing: input[index..<end]))
                }
                return
            }
            if overflowed {
                counters.discardedBytes += runCount
                counters.oversizeFrames += 1
                overflowed = false
            } else if pendingCount == 0 {
                if runCount > 0 {
                    finish(UnsafeRawBufferPointer(rebasing: input[index..<delimiter]), handle)
                }
            } else if pendingCount + runCount > WireFormat.maxEncodedCount {
                counters.discardedBytes += pendingCount + runCount
                counters.oversizeFrames += 1
                pendingCount = 0
            } else {
                append(UnsafeRawBufferPointer(rebasing: input[index..<delimiter]))
                let count = pendingCount
                pendingCount = 0
                var copy = pending
                withUnsafeBytes(of: &copy) { finish(UnsafeRawBufferPointer(rebasing: $0[0..<count]), handle) }
            }
            index = delimiter + 1
        }
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let offset = pendingCount
        withUnsafeMutableBytes(of: &pending) { storage in
            UnsafeMutableRawBufferPointer(rebasing: storage[offset..<offset + bytes.count]).copyMemory(from: bytes)
        }
        pendingCount += bytes.count
    }

    /// One complete encoded frame, delimiter removed, at least one byte.
    @inline(__always)
    private mutating func finish(
        _ encoded: UnsafeRawBufferPointer,
        _ handle: (_ type: UInt8, _ body: UnsafeRawBufferPointer) -> FrameDisposition
    ) {
        guard encoded.count <= WireFormat.maxEncodedCount else {
            counters.oversizeFrames += 1
            counters.discardedBytes += encoded.count
            return
        }
        var scratch: Storage = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        let disposition: FrameDisposition? = withUnsafeMutableBytes(of: &scratch) { scratch in
            guard let payloadCount = try? COBS.decode(encoded, into: scratch), payloadCount >= 3 else {
                counters.malformedFrames += 1
                return nil
            }
            guard payloadCount <= WireFormat.maxPayloadCount else {
                counters.oversizeFrames += 1
                return nil
            }
            let payload = UnsafeRawBufferPointer(rebasing: scratch[0..<payloadCount - 2])
            let sentCRC = UInt16(scratch[payloadCount - 2]) | UInt16(scratch[payloadCount - 1]) << 8
            guard CRC16.checksum(payload) == sentCRC else {
                counters.crcFailures += 1
                return nil
            }
            return handle(payload[0], UnsafeRawBufferPointer(rebasing: payload[1...]))
        }
        switch disposition {
        case .accepted:
            counters.frames += 1
            return
        case .malformed:
            counters.malformedFrames += 1
        case .unknown:
            counters.unknownFrames += 1
        case nil:
            break
        }
        counters.discardedBytes += encoded.count
    }
}
