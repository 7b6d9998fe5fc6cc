/// CRC-16/CCITT-FALSE (also catalogued as CRC-16/IBM-3740), the checksum on every frame.
///
/// Polynomial `0x1021`, initial value `0xFFFF`, not reflected, no final XOR; the CRC of the ASCII
/// bytes `123456789` is `0x29B1` (docs/PROTOCOL.md, "Layers").
public enum CRC16 {
    /// The initial register value.
    public static let initialValue: UInt16 = 0xFFFF
    /// The generator polynomial.
    public static let polynomial: UInt16 = 0x1021

    /// One entry per high byte: the register change that byte causes, so the update is one
    /// lookup per byte instead of eight shifts.
    @usableFromInline
    static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ polynomial : crc << 1
        }
        return crc
    }

    /// Continues a CRC over `bytes`, starting from `crc` (use `initialValue` to start afresh).
    @inlinable
    public static func update(_ crc: UInt16, with bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc = crc
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
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
