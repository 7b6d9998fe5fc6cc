/// CRC-16/CCITT-FALSE (also catalogued as CRC-16/IBM-3740), the checksum on every frame.
///
/// Polynomial `0x1021`, initial value `0xFFFF`, not reflected, no final XOR; the CRC of the ASCII
/// bytes `123456789` is `0x29B1` (docs/PROTOCOL.md, "Layers").
public enum CRC16 {
    /// The initial register value.
    public static let initialValue: UInt16 = 0xFFFF
    /// The generator polynomial.
    public static let polynomial: UInt16 = 0x1021

    /// Bytes consumed per step of the sliced update.
    @usableFromInline
    static let sliceCount = 8

    /// Slicing-by-8 tables, flat: entry `k * 256 + v` is the register after byte `v` followed by
    /// `k` zero bytes, starting from zero. Table 0 is the classic byte table. The CRC is linear,
    /// so 8 input bytes become 8 independent lookups XORed together instead of a chain of 8
    /// dependent ones (the register's two bytes mix into the first two input bytes).
    @usableFromInline
    static let tables: [UInt16] = {
        var tables = [UInt16](repeating: 0, count: sliceCount * 256)
        for value in 0..<256 {
            var crc = UInt16(value) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ polynomial : crc << 1
            }
            tables[value] = crc
        }
        for slice in 1..<sliceCount {
            for value in 0..<256 {
                let previous = tables[(slice - 1) * 256 + value]
                tables[slice * 256 + value] = (previous << 8) ^ tables[Int(previous >> 8)]
            }
        }
        return tables
    }()

    /// Continues a CRC over `bytes`, starting from `crc` (use `initialValue` to start afresh).
    @inlinable
    public static func update(_ crc: UInt16, with bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc = crc
        tables.withUnsafeBufferPointer { tables in
            let count = bytes.count
            var index = 0
            while index + sliceCount <= count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                @inline(__always) func byte(_ position: UInt64) -> Int { Int(truncatingIfNeeded: (word >> (position * 8)) & 0xFF) }
                let high = Int(crc >> 8) ^ byte(0)
                let low = Int(crc & 0xFF) ^ byte(1)
                crc = tables[7 * 256 + high] ^ tables[6 * 256 + low]
                    ^ tables[5 * 256 + byte(2)] ^ tables[4 * 256 + byte(3)]
                    ^ tables[3 * 256 + byte(4)] ^ tables[2 * 256 + byte(5)]
                    ^ tables[1 * 256 + byte(6)] ^ tables[byte(7)]
                index += sliceCount
            }
            while index < count {
                crc = (crc << 8) ^ tables[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ bytes[index])]
                index += 1
            }
        }
        return crc
    }

    /// The CRC of `bytes`.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        update(initialValue, with: bytes)
    }

    /// The CRC of a byte collection.
    public static func checksum<C: Collection<UInt8>>(_ bytes: C) -> UInt16 {
        if let crc = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) {
            return crc
        }
        return Array(bytes).withUnsafeBytes { checksum($0) }
    }
}
