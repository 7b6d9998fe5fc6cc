/// What the layer above the framing made of a frame with a good CRC.
enum FrameDisposition {
    case accepted
    /// Accepted, and the caller wants the bytes after this frame back unread (a mode switch).
    case acceptedThenStop
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

    /// Forgets any partial frame, as if a delimiter had arrived, without counting it.
    mutating func dropPartialFrame() {
        pendingCount = 0
        overflowed = false
    }

    /// Deframes `input`; returns nil when it consumed all of it, or the offset after the frame
    /// whose handler asked to stop.
    @inline(__always)
    @discardableResult
    mutating func feed(
        _ input: UnsafeRawBufferPointer,
        _ handle: (_ type: UInt8, _ body: UnsafeRawBufferPointer) -> FrameDisposition
    ) -> Int? {
        let end = input.count
        var index = 0
        while index < end {
            let delimiter = Self.firstZero(in: input, from: index)
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
                return nil
            }
            var shouldStop = false
            if overflowed {
                counters.discardedBytes += runCount
                counters.oversizeFrames += 1
                overflowed = false
            } else if pendingCount == 0 {
                if runCount > 0 {
                    shouldStop = finish(UnsafeRawBufferPointer(rebasing: input[index..<delimiter]), handle)
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
                shouldStop = withUnsafeBytes(of: &copy) { finish(UnsafeRawBufferPointer(rebasing: $0[0..<count]), handle) }
            }
            index = delimiter + 1
            if shouldStop { return index }
        }
        return nil
    }

    /// The offset of the first zero at or after `start`, or `input.count`. Eight bytes at a time:
    /// `(w - 0x01…01) & ~w & 0x80…80` is non-zero exactly when the word has a zero byte, and its
    /// lowest set bit marks the first one (Mycroft's trick, as in many `memchr`s).
    @inline(__always)
    static func firstZero(in input: UnsafeRawBufferPointer, from start: Int) -> Int {
        let end = input.count
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= end {
            let word = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let zeros = (word &- ones) & ~word & highs
            if zeros != 0 { return index + zeros.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < end && input[index] != 0 { index += 1 }
        return index
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let offset = pendingCount
        withUnsafeMutableBytes(of: &pending) { storage in
            UnsafeMutableRawBufferPointer(rebasing: storage[offset..<offset + bytes.count]).copyMemory(from: bytes)
        }
        pendingCount += bytes.count
    }

    /// One complete encoded frame, delimiter removed, at least one byte; returns whether the
    /// handler asked to stop.
    @inline(__always)
    private mutating func finish(
        _ encoded: UnsafeRawBufferPointer,
        _ handle: (_ type: UInt8, _ body: UnsafeRawBufferPointer) -> FrameDisposition
    ) -> Bool {
        guard encoded.count <= WireFormat.maxEncodedCount else {
            counters.oversizeFrames += 1
            counters.discardedBytes += encoded.count
            return false
        }
        var scratch: Storage = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        let disposition: FrameDisposition? = withUnsafeMutableBytes(of: &scratch) { scratch in
            guard let payloadCount = COBS.decodeZeroFree(encoded, into: scratch), payloadCount >= 3 else {
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
            return false
        case .acceptedThenStop:
            counters.frames += 1
            return true
        case .malformed:
            counters.malformedFrames += 1
        case .unknown:
            counters.unknownFrames += 1
        case nil:
            break
        }
        counters.discardedBytes += encoded.count
        return false
    }
}
