import PropertyBased
import Testing
@testable import RollSenseWire

@Suite struct COBSTests {
    @Test(arguments: [
        ([UInt8](), [UInt8]([0x01])),
        ([0x00], [0x01, 0x01]),
        ([0x00, 0x00], [0x01, 0x01, 0x01]),
        ([0x11, 0x22, 0x00, 0x33], [0x03, 0x11, 0x22, 0x02, 0x33]),
        ([0x11, 0x00, 0x00, 0x00], [0x02, 0x11, 0x01, 0x01, 0x01]),
    ])
    func knownEncodings(_ payload: [UInt8], _ encoded: [UInt8]) throws {
        // Examples from Cheshire & Baker 1999 / the Wikipedia COBS article's table.
        #expect(COBS.encode(payload) == encoded)
        #expect(try COBS.decode(encoded) == payload)
    }

    @Test(arguments: [253, 254, 255, 508, 509, 600])
    func longBlocksRoundTrip(_ count: Int) throws {
        // 254 non-zero bytes fill a block (code 0xFF, no implied zero); 255 start a second one.
        let payload = (0..<count).map { UInt8($0 % 255 + 1) }
        let encoded = COBS.encode(payload)
        #expect(!encoded.contains(0))
        #expect(encoded.count == COBS.maxEncodedCount(forPayloadCount: count))
        #expect(try COBS.decode(encoded) == payload)
        if count == 254 { #expect(encoded == [0xFF] + payload + [0x01]) }
        if count == 255 { #expect(encoded.first == 0xFF && encoded[255] == 0x02) }
    }

    @Test func decodingRejectsCodesPastTheEndAndZeros() {
        #expect(throws: COBS.DecodingError.codePastEnd(offset: 0)) { try COBS.decode([0x05, 0x01, 0x02]) }
        #expect(throws: COBS.DecodingError.zeroByte(offset: 1)) { try COBS.decode([0x03, 0x00, 0x02]) }
        #expect(throws: COBS.DecodingError.zeroByte(offset: 0)) { try COBS.decode([0x00]) }
    }

    @Test func anyPayloadRoundTripsWithoutZeros() async {
        await propertyCheck(count: 300, input: Gen<UInt8>.uint8().array(of: 0...700)) { payload in
            let encoded = COBS.encode(payload)
            #expect(!encoded.contains(0))
            #expect(encoded.count <= COBS.maxEncodedCount(forPayloadCount: payload.count))
            #expect((try? COBS.decode(encoded)) == payload)
        }
    }
}
