import Testing
@testable import RollSenseWire

@Suite struct CommandTests {
    static let commands: [Command] = [
        .ping(), .ping(data: Array("abc".utf8)), .ping(data: [UInt8](repeating: 0, count: 32)),
        .getInfo, .start, .stop, .setRate(hz: 1), .setRate(hz: 100), .setRate(hz: 1000),
        .setMode(.binary), .setMode(.text),
        .raw(type: 0x99, body: []), .raw(type: 0xFF, body: [0, 1, 2, 0]),
        .raw(type: 0x85, body: [1]),  // SET_RATE with a short body: how a device sees BAD_LENGTH
        .raw(type: 0x90, body: [UInt8](repeating: 0xAB, count: Command.maxArgumentCount)),
    ]

    @Test(arguments: commands)
    func commandRoundTripsThroughTheDeviceDecoder(_ command: Command) throws {
        let tag: UInt8 = 0x5A
        let wire = try command.encoded(tag: tag)
        #expect(wire.last == 0 && !wire.dropLast().contains(0))
        for (label, chunks) in Chunking.all(wire, randomCount: 5) {
            var decoder = CommandDecoder()
            var received: [ReceivedCommand] = []
            for chunk in chunks { decoder.feed(chunk) { received.append($0) } }
            #expect(received == [ReceivedCommand(tag: tag, command: command)], "\(label)")
            #expect(decoder.counters.frames == 1)
        }
    }

    @Test func commandVectorsDecodeAsTheReference() {
        let vectors = ProtocolVector.all.filter(\.isCommandCase)
        #expect(vectors.count >= 3)
        for vector in vectors {
            var decoder = CommandDecoder()
            var frames: [ProtocolVector.Frame] = []
            decoder.feed(vector.input) { received in
                let arguments = (try? received.command.arguments()) ?? []
                frames.append(ProtocolVector.Frame(type: received.command.type, body: [received.tag] + arguments))
            }
            #expect(frames == vector.frames, "\(vector.name)")
            #expect(decoder.counters.referenceNames == vector.counters, "\(vector.name)")
        }
    }

    @Test func encodingMatchesTheVectors() throws {
        let input = { (name: String) in ProtocolVector.all.first { $0.name == name }!.input }
        #expect(try Command.ping(data: Array("abc".utf8)).encoded(tag: 9) == input("command ping"))
        #expect(try Command.setRate(hz: 1000).encoded(tag: 4) == input("command set rate 1000"))
        #expect(try Command.setMode(.text).encoded(tag: 5) == input("command set mode text"))
    }

    @Test func encodingRefusesWhatTheProtocolForbids() {
        #expect(throws: CommandEncodingError.pingDataTooLong(count: 33, limit: 32)) {
            try Command.ping(data: [UInt8](repeating: 1, count: 33)).encoded(tag: 0)
        }
        #expect(throws: CommandEncodingError.sampleRateOutOfRange(hz: 0, range: 1...1000)) {
            try Command.setRate(hz: 0).encoded(tag: 0)
        }
        #expect(throws: CommandEncodingError.sampleRateOutOfRange(hz: 1001, range: 1...1000)) {
            try Command.setRate(hz: 1001).encoded(tag: 0)
        }
        #expect(throws: CommandEncodingError.notACommandType(0x02)) { try Command.raw(type: 0x02, body: []).encoded(tag: 0) }
        #expect(throws: CommandEncodingError.bodyTooLong(count: 61, limit: 60)) {
            try Command.raw(type: 0x90, body: [UInt8](repeating: 1, count: 61)).encoded(tag: 0)
        }
    }

    @Test func deviceFramesCountAsUnknownOnTheDeviceSide() {
        var decoder = CommandDecoder()
        var received = 0
        decoder.feed(DeviceFrame.reply(CommandReply(command: 0x81, tag: 1, status: .ok)).encoded) { _ in received += 1 }
        decoder.feed(WireFormat.frame(type: 0x81, body: [])) { _ in received += 1 }  // no tag
        #expect(received == 0)
        #expect(decoder.counters.unknownFrames == 1)
        #expect(decoder.counters.malformedFrames == 1)
    }
}
