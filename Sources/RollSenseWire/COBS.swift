/// Consistent Overhead Byte Stuffing (Cheshire & Baker 1999): removes every zero from a payload
/// so that `0x00` can delimit frames on the wire (docs/PROTOCOL.md, "Layers").
public enum COBS {
    /// The longest run a code byte can announce: code `0xFF` means 254 data bytes, no zero after.
    public static let maxBlockLength = 254

    /// Why a byte string is not valid COBS.
    public enum DecodingError: Error, Sendable, Equatable {
        /// A zero byte inside the encoded data: a frame delimiter belongs outside it.
        case zeroByte(offset: Int)
        /// The code byte at `offset` announces more bytes than follow it: the frame was cut short.
        case codePastEnd(offset: Int)
    }

    /// The most bytes `encode` produces for `count` payload bytes (one code byte per 254).
    public static func maxEncodedCount(forPayloadCount count: Int) -> Int {
        count + count / maxBlockLength + 1
    }

    /// Appends the COBS encoding of `payload` to `output` (without a delimiter).
    public static func encode(_ payload: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var codeIndex = output.count
        output.append(0)  // placeholder for the first code byte
        var blockLength = 0
        for byte in payload {
            if byte == 0 {
                output[codeIndex] = UInt8(blockLength + 1)
                codeIndex = output.count
                output.append(0)
                blockLength = 0
            } else {
                output.append(byte)
                blockLength += 1
                if blockLength == maxBlockLength {
                    output[codeIndex] = 0xFF
                    codeIndex = output.count
                    output.append(0)
                    blockLength = 0
                }
            }
        }
        output[codeIndex] = UInt8(blockLength + 1)
    }

    /// The COBS encoding of `payload` (without a delimiter).
    public static func encode(_ payload: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(maxEncodedCount(forPayloadCount: payload.count))
        payload.withUnsafeBytes { encode($0, into: &output) }
        return output
    }

    /// Decodes `encoded` (one frame, delimiter removed) into `output`, which must hold at least
    /// `encoded.count` bytes; returns the decoded length.
    @inlinable
    public static func decode(
        _ encoded: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(DecodingError) -> Int {
        precondition(output.count >= encoded.count, "COBS.decode: output smaller than input")
        let count = encoded.count
        var readIndex = 0
        var writeIndex = 0
        while readIndex < count {
            let code = Int(encoded[readIndex])
            if code == 0 { throw .zeroByte(offset: readIndex) }
            let blockEnd = readIndex + code
            if blockEnd > count { throw .codePastEnd(offset: readIndex) }
            readIndex += 1
            while readIndex < blockEnd {
                let byte = encoded[readIndex]
                if byte == 0 { throw .zeroByte(offset: readIndex) }
                output[writeIndex] = byte
                writeIndex += 1
                readIndex += 1
            }
            if code != 0xFF && readIndex < count {
                output[writeIndex] = 0
                writeIndex += 1
            }
        }
        return writeIndex
    }

    /// `decode` for input known to hold no zero (the deframer split it at zeros): no zero checks,
    /// block copies. Returns nil when a code byte points past the end.
    @inline(__always)
    static func decodeZeroFree(_ encoded: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        let count = encoded.count
        guard let source = encoded.baseAddress, let destination = output.baseAddress, output.count >= count else {
            return count == 0 ? 0 : nil
        }
        var readIndex = 0
        var writeIndex = 0
        while readIndex < count {
            let code = Int(source.load(fromByteOffset: readIndex, as: UInt8.self))
            let blockEnd = readIndex + code
            guard blockEnd <= count else { return nil }
            let blockCount = code - 1
            // Blocks are short (a SAMPLE's are under 20 bytes): words, then bytes, beat a memmove call.
            var offset = 0
            while offset + 8 <= blockCount {
                let word = (source + readIndex + 1 + offset).loadUnaligned(as: UInt64.self)
                (destination + writeIndex + offset).storeBytes(of: word, as: UInt64.self)
                offset += 8
            }
            while offset < blockCount {
                let byte = source.load(fromByteOffset: readIndex + 1 + offset, as: UInt8.self)
                destination.storeBytes(of: byte, toByteOffset: writeIndex + offset, as: UInt8.self)
                offset += 1
            }
            writeIndex += blockCount
            readIndex = blockEnd
            if code != 0xFF && readIndex < count {
                destination.storeBytes(of: 0, toByteOffset: writeIndex, as: UInt8.self)
                writeIndex += 1
            }
        }
        return writeIndex
    }

    /// Decodes one frame (delimiter removed).
    public static func decode(_ encoded: [UInt8]) throws(DecodingError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: encoded.count)
        let result: Result<Int, DecodingError> = encoded.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                Result { () throws(DecodingError) -> Int in try decode(input, into: out) }
            }
        }
        let count = try result.get()
        output.removeLast(output.count - count)
        return output
    }
}
