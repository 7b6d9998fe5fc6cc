import Testing
@testable import RollSenseWire

@Suite struct WritePolicyTests {
    /// The probe is GET_INFO after a flush byte, and holds no byte a sketch could take as a
    /// command: no printable character (letters, digits, signs, space) and no line end.
    @Test func probeIsGetInfoWithoutCommandBytes() throws {
        #expect(Array(WritePolicy.probe.dropFirst()) == (try Command.getInfo.encoded(tag: WritePolicy.probeTag)))
        #expect(WritePolicy.probe.first == 0x00)
        for byte in WritePolicy.probe {
            #expect(byte < 0x20 || byte > 0x7E, "byte \(byte) is printable")
            #expect(byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r") && byte != UInt8(ascii: "\t"))
        }
    }

    @Test func silentDeviceIsProbedAfterItsBootAtMostThreeTimes() {
        var policy = WritePolicy(openedMicroseconds: 0)
        do { let due = policy.probeDue(atMicroseconds: 1_000_000, protocolKind: nil, bytesReceived: 0, framesDecoded: 0); #expect(!due) }
        do { let due = policy.probeDue(atMicroseconds: 1_500_000, protocolKind: nil, bytesReceived: 0, framesDecoded: 0); #expect(due) }
        do { let due = policy.probeDue(atMicroseconds: 2_000_000, protocolKind: nil, bytesReceived: 0, framesDecoded: 0); #expect(!due) }
        do { let due = policy.probeDue(atMicroseconds: 2_500_000, protocolKind: nil, bytesReceived: 0, framesDecoded: 0); #expect(due) }
        do { let due = policy.probeDue(atMicroseconds: 3_500_000, protocolKind: nil, bytesReceived: 0, framesDecoded: 0); #expect(due) }
        do { let due = policy.probeDue(atMicroseconds: 9_500_000, protocolKind: nil, bytesReceived: 0, framesDecoded: 0); #expect(!due) }
        #expect(policy.probesSent == 3 && !policy.mayCommand)
    }

    @Test func framesWithoutHelloAreProbedAtOnceThenCommandsAfterHello() {
        var policy = WritePolicy(openedMicroseconds: 0)
        do { let due = policy.probeDue(atMicroseconds: 10, protocolKind: .binary, bytesReceived: 40, framesDecoded: 2); #expect(due) }
        policy.observe(.info(DeviceInfo(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0),
                                        board: .uno, deviceID: 1, sampleRateHz: 100, isStreaming: true, sensorKinds: [.hx711LoadCell])))
        #expect(policy.mayCommand)
        do { let due = policy.probeDue(atMicroseconds: 5_000_000, protocolKind: .binary, bytesReceived: 40, framesDecoded: 2); #expect(!due) }
    }

    /// Bytes that might be the start of text, text itself, or non-text that is not frames (a
    /// sketch at another rate): nothing is written, ever after for text.
    @Test func textOrUndecidedOrGarbledBytesGetNoProbe() {
        var undecided = WritePolicy(openedMicroseconds: 0)
        do { let due = undecided.probeDue(atMicroseconds: 5_000_000, protocolKind: nil, bytesReceived: 3, framesDecoded: 0); #expect(!due) }
        var garbled = WritePolicy(openedMicroseconds: 0)
        do { let due = garbled.probeDue(atMicroseconds: 5_000_000, protocolKind: .binary, bytesReceived: 300, framesDecoded: 0); #expect(!due) }
        var text = WritePolicy(openedMicroseconds: 0)
        text.observe(.protocolDetected(.text))
        do { let due = text.probeDue(atMicroseconds: 5_000_000, protocolKind: nil, bytesReceived: 0, framesDecoded: 0); #expect(!due) }
        // A later switch to frames does not lift it: the sketch was seen to speak text.
        do { let due = text.probeDue(atMicroseconds: 9_000_000, protocolKind: .binary, bytesReceived: 900, framesDecoded: 9); #expect(!due) }
        #expect(text.sawText && text.probesSent == 0)
    }
}

@Suite struct LineRateCheckTests {
    @Test func textLinesAreText() {
        var check = LineRateCheck()
        do { let verdict = check.feed(Array("ing: 84111\r\n".utf8)); #expect(verdict == nil) }
        #expect(check.verdict == .textSoFar)
        do { let verdict = check.feed(Array("HX711 reading: 84190\r\n".utf8)); #expect(verdict == .text) }
    }

    @Test func protocolFramesAreFrames() {
        var check = LineRateCheck()
        var bytes: [UInt8] = [0x00]
        for seq in 0..<3 {
            bytes += DeviceFrame.sample(Sample(sequence: UInt64(seq), deviceTimeMicroseconds: Int64(seq) * 10_000, channelCount: 1,
                                                values: SIMD4(100, 0, 0, 0), quantity: .rawCounts)).encoded
        }
        do { let verdict = check.feed(bytes); #expect(verdict == .frames) }
    }

    /// What a UART at 115200 makes of text sent at 9600 (each sent bit spans 12 received bits:
    /// runs of 0x00 framing errors and 0xFF/0x80-like bytes), and random noise: garbled, never text.
    @Test func wrongRateBytesAreGarbled() {
        var check = LineRateCheck()
        let smeared: [UInt8] = [0x00, 0x00, 0x80, 0xFF, 0x00, 0xF0, 0x00, 0xFE, 0x80, 0x00, 0x00, 0xE0, 0xFF, 0x00]
        var verdict: LineRateCheck.Verdict?
        for _ in 0..<20 { verdict = check.feed(smeared) ?? verdict }
        #expect(verdict == .garbled)
        var noise = LineRateCheck()
        var generator = SystemRandomNumberGenerator()
        let random = (0..<400).map { _ in UInt8.random(in: 0...255, using: &generator) }
        do { let verdict = noise.feed(random); #expect(verdict != .text) }
        #expect(noise.verdict != .text && noise.verdict != .textSoFar)
    }

    @Test func nothingIsNoVerdict() {
        #expect(LineRateCheck().verdict == nil)
    }
}
