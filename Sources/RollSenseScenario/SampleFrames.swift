import RollSenseWire

/// Encodes device SAMPLE frames as the firmware sends them (docs/PROTOCOL.md: type 0x02,
/// `seq u16`, `t_us u32`, one `i24` per channel, CRC-16 little-endian, COBS, then 0x00).
public enum SampleFrames {
    /// Appends one encoded SAMPLE frame to `output`.
    public static func append(
        sequence: UInt16, timeMicroseconds: UInt32, counts: SIMD4<Int32>, channelCount: Int,
        to output: inout [UInt8]
    ) {
        // 1 type + 6 header + 3 per channel + 2 CRC: at most 21 bytes (docs/PROTOCOL.md).
        var payload: [UInt8] = [0x02, UInt8(sequence & 0xFF), UInt8(sequence >> 8)]
        payload.reserveCapacity(21)
        for shift in stride(from: 0, to: 32, by: 8) { payload.append(UInt8(truncatingIfNeeded: timeMicroseconds >> UInt32(shift))) }
        for channel in 0..<channelCount {
            let value = counts[channel]
            payload.append(UInt8(truncatingIfNeeded: value))
            payload.append(UInt8(truncatingIfNeeded: value >> 8))
            payload.append(UInt8(truncatingIfNeeded: value >> 16))
        }
        let crc = CRC16.checksum(payload)
        payload.append(UInt8(crc & 0xFF))
        payload.append(UInt8(crc >> 8))
        output.append(contentsOf: COBS.encode(payload))
        output.append(0)
    }
}
