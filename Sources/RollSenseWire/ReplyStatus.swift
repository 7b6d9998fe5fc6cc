/// How a device answered a command (REPLY `status`, docs/PROTOCOL.md).
public enum ReplyStatus: Sendable, Hashable {
    /// Done.
    case ok
    /// The firmware does not know this command type: it is older than the host.
    case unknownCommand
    /// An argument is out of range (for example a rate outside 1-1000 Hz).
    case badArgument
    /// The command body has the wrong length.
    case badLength
    /// A status this host does not know yet.
    case other(UInt8)

    /// Makes the status for a wire code.
    public init(code: UInt8) {
        switch code {
        case 0: self = .ok
        case 1: self = .unknownCommand
        case 2: self = .badArgument
        case 3: self = .badLength
        default: self = .other(code)
        }
    }

    /// The wire code.
    public var code: UInt8 {
        switch self {
        case .ok: 0
        case .unknownCommand: 1
        case .badArgument: 2
        case .badLength: 3
        case .other(let code): code
        }
    }
}
