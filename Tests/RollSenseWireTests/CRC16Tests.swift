import Testing
@testable import RollSenseWire

@Suite struct CRC16Tests {
    @Test func checkValueMatchesTheCatalogue() {
        // CRC-16/CCITT-FALSE check value (docs/PROTOCOL.md, "Layers").
        #expect(CRC16.checksum(Array("123456789".utf8)) == 0x29B1)
    }

    @Test func vectorsCRCLinesMatch() {
        let checks = ProtocolVector.all.flatMap(\.crcChecks)
        #expect(!checks.isEmpty)
        for check in checks {
            #expect(CRC16.checksum(Array(check.text.utf8)) == check.crc, "\(check.text)")
        }
    }

    @Test func emptyInputIsTheInitialValue() {
        #expect(CRC16.checksum([UInt8]()) == 0xFFFF)
    }

    @Test func tableMatchesTheBitwiseDefinition() {
        func bitwise(_ bytes: [UInt8]) -> UInt16 {
            var crc: UInt16 = 0xFFFF
            for byte in bytes {
                crc ^= UInt16(byte) << 8
                for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
            }
            return crc
        }
        let bytes = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for count in [1, 2, 63, 64, 255, 600] {
            #expect(CRC16.checksum(bytes.prefix(count)) == bitwise(Array(bytes.prefix(count))))
        }
    }

    @Test func updateInPiecesEqualsWhole() {
        let bytes = Array("RollSense frames".utf8)
        let whole = CRC16.checksum(bytes)
        for split in 0...bytes.count {
            let first = bytes[..<split].withUnsafeBytes { CRC16.update(CRC16.initialValue, with: $0) }
            let both = bytes[split...].withUnsafeBytes { CRC16.update(first, with: $0) }
            #expect(both == whole)
        }
    }
}
