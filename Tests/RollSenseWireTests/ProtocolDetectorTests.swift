import Testing
@testable import RollSenseWire

@Suite struct ProtocolDetectorTests {
    /// The decision and where it was made (1-based count of bytes examined).
    static func detect(_ bytes: [UInt8], startsAtLineStart: Bool = false) -> (WireProtocolKind?, Int, Int) {
        var detector = ProtocolDetector(startsAtLineStart: startsAtLineStart)
        for byte in bytes {
            if detector.examine(byte) != nil { break }
        }
        return (detector.decision, detector.examinedByteCount, detector.textStartOffset)
    }

    @Test func binaryFramesAreBinaryAtTheirFirstControlByte() {
        let frame = DeviceFrame.reply(CommandReply(command: 0x81, tag: 1, status: .ok)).encoded
        #expect(Self.detect(frame).0 == .binary)
        #expect(Self.detect([0x41, 0x42, 0x00]).0 == .binary)  // a zero decides even after letters
        #expect(Self.detect([0x41, 0x42, 0x00]).1 == 3)
    }

    @Test func textNeedsTwoLineEnds() {
        #expect(Self.detect(Array("12 34\n".utf8)).0 == nil)
        let (kind, examined, textStart) = Self.detect(Array("4 56\n12 34\r\n99".utf8))
        #expect(kind == .text)
        #expect(examined == 12)
        #expect(textStart == 5)
    }

    @Test func midStreamTextStartsAfterTheFirstLineEnd() {
        let (kind, _, textStart) = Self.detect(Array("ce_N:3.2\nforce_N:3.3\nforce_N:3.4\n".utf8))
        #expect(kind == .text)
        #expect(textStart == 9)
    }

    @Test func afterAModeSwitchTheFirstLineIsKept() {
        let (kind, _, textStart) = Self.detect(Array("1 2\n3 4\n".utf8), startsAtLineStart: true)
        #expect(kind == .text)
        #expect(textStart == 0)
    }

    @Test(arguments: [[UInt8]([0x80]), [0x01], [0x1B, 0x5B], Array("abc\u{7F}".utf8), Array("température\n".utf8)])
    func garbageIsBinary(_ bytes: [UInt8]) {
        #expect(Self.detect(bytes).0 == .binary)
    }

    @Test func undecidedAfter256BytesIsBinary() {
        let (kind, examined, _) = Self.detect([UInt8](repeating: UInt8(ascii: "a"), count: 400))
        #expect(kind == .binary)
        #expect(examined == ProtocolDetector.decisionByteLimit)
    }
}
