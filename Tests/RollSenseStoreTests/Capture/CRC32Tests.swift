import RollSenseStore
import Testing

@Suite struct CRC32Tests {
    @Test func checkValueMatchesTheCatalogue() {
        // CRC-32/ISO-HDLC check value from the CRC catalogue (reveng): 0xCBF43926.
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func emptyInputIsZero() {
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func matchesTheBitwiseDefinitionAtEveryLength() {
        // Every length 0-40 covers the 8-byte steps and every leftover count.
        let bytes = patternBytes(index: 11, count: 40)
        for length in 0...bytes.count {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes[..<length] {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            #expect(CRC32.checksum(bytes[..<length]) == crc ^ 0xFFFF_FFFF, "length \(length)")
        }
    }

    @Test func updatingInPiecesEqualsOneShot() {
        let bytes = patternBytes(index: 3, count: 1000)
        for split in [0, 1, 499, 999, 1000] {
            var crc = CRC32()
            crc.update(bytes[..<split])
            crc.update(bytes[split...])
            #expect(crc.value == CRC32.checksum(bytes))
        }
    }
}
