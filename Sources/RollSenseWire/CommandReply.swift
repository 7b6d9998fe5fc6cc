/// A device's answer to one command: the content of a REPLY frame (docs/PROTOCOL.md).
public struct CommandReply: Sendable, Hashable {
    /// REPLY body bytes before the command-specific data.
    static let fixedBodyCount = 3

    /// The type code of the command answered (`WireFormat.CommandType`).
    public var command: UInt8
    /// The tag the host put in the command, echoed so replies can be matched to commands.
    public var tag: UInt8
    /// How it went.
    public var status: ReplyStatus
    /// Command-specific data: PING's echo, SET_RATE's rate in force.
    public var data: [UInt8]

    /// Makes a reply.
    public init(command: UInt8, tag: UInt8, status: ReplyStatus, data: [UInt8] = []) {
        self.command = command
        self.tag = tag
        self.status = status
        self.data = data
    }

    /// Reads a REPLY body; nil when it is shorter than its fixed fields.
    public init?(body: UnsafeRawBufferPointer) {
        guard body.count >= Self.fixedBodyCount else { return nil }
        self.init(
            command: body[0],
            tag: body[1],
            status: ReplyStatus(code: body[2]),
            data: Array(body[Self.fixedBodyCount...])
        )
    }

    /// The REPLY body.
    public var body: [UInt8] { [command, tag, status.code] + data }

    /// The rate in force that a SET_RATE reply carries, or nil for any other reply.
    public var sampleRateHz: Int? {
        guard command == WireFormat.CommandType.setRate, data.count >= 2 else { return nil }
        return Int(data[0]) | Int(data[1]) << 8
    }
}
