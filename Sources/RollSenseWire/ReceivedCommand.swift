/// A command as a device receives it: the host's tag and the command.
public struct ReceivedCommand: Sendable, Hashable {
    /// The tag to echo in the REPLY.
    public var tag: UInt8
    /// The command.
    public var command: Command

    /// Makes a received command.
    public init(tag: UInt8, command: Command) {
        self.tag = tag
        self.command = command
    }
}
