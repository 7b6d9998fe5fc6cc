/// The device side's decoder: reads command frames from the host (for the virtual device and
/// tests). Same framing and counters as `FrameDecoder`; device frame types count as unknown.
public struct CommandDecoder: Sendable {
    private var deframer = Deframer()

    /// A decoder that has seen nothing yet.
    public init() {}

    /// What it has counted so far (no sequence counters: commands have none).
    public var counters: FrameCounters { deframer.counters }

    /// Decodes `bytes`, calling `onCommand` for each command in order.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ onCommand: (ReceivedCommand) -> Void) {
        deframer.feed(bytes) { type, body in
            guard type >= WireFormat.CommandType.first else { return .unknown }
            guard body.count >= 1 else { return .malformed }
            let arguments = UnsafeRawBufferPointer(rebasing: body[1...])
            onCommand(ReceivedCommand(tag: body[0], command: Command(type: type, arguments: arguments)))
            return .accepted
        }
    }

    /// Decodes a byte array, calling `onCommand` for each command in order.
    public mutating func feed(_ bytes: [UInt8], _ onCommand: (ReceivedCommand) -> Void) {
        bytes.withUnsafeBytes { feed($0, onCommand) }
    }
}
