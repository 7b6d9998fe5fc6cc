// Little-endian field access for frame bodies (docs/PROTOCOL.md: "every multi-byte integer is
// little-endian"). Internal helpers, not API.

extension UnsafeRawBufferPointer {
    @inline(__always)
    func loadLittleEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    func loadLittleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// A signed 24-bit two's complement value, sign-extended.
    @inline(__always)
    func loadLittleEndianInt24(at offset: Int) -> Int32 {
        let raw = UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
        return Int32(bitPattern: raw << 8) >> 8
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) {
            append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func appendLittleEndianInt24(_ value: Int32) {
        let raw = UInt32(bitPattern: value)
        append(UInt8(truncatingIfNeeded: raw))
        append(UInt8(truncatingIfNeeded: raw >> 8))
        append(UInt8(truncatingIfNeeded: raw >> 16))
    }
}
