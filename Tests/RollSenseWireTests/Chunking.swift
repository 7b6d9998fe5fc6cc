import RollSenseTestSupport

/// Ways to cut a byte string into chunks, to check that decoders do not care (the idea of
/// swift-nio's ByteToMessageDecoderVerifier).
enum Chunking {
    /// Whole, one byte at a time, every split into two, and `randomCount` random cuttings.
    static func all(_ bytes: [UInt8], randomCount: Int = 20, seed: UInt64 = 1) -> [(label: String, chunks: [[UInt8]])] {
        var result: [(String, [[UInt8]])] = [("whole", [bytes]), ("bytewise", bytes.map { [$0] })]
        if bytes.count > 1 {
            for split in 1..<bytes.count {
                result.append(("split at \(split)", [Array(bytes[..<split]), Array(bytes[split...])]))
            }
        }
        var generator = SplitMix64(state: seed)
        for round in 0..<randomCount {
            var chunks: [[UInt8]] = []
            var index = 0
            while index < bytes.count {
                let count = Int.random(in: 0...min(9, bytes.count - index + 1), using: &generator)
                let end = min(bytes.count, index + count)
                chunks.append(Array(bytes[index..<end]))  // empty chunks too
                index = end
            }
            result.append(("random \(round)", chunks))
        }
        return result
    }
}
