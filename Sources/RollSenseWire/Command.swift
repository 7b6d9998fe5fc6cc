/// A command from the host to the device (docs/PROTOCOL.md, "Commands from the host").
public enum Command: Sendable, Hashable {
    /// PING data limit (docs/PROTOCOL.md: "up to 32 bytes").
    public static let maxPingDataCount = 32
    /// The rates SET_RATE accepts (docs/PROTOCOL.md: "1 to 1000").
    public static let sampleRateRangeHz = 1...1000
    /// The most body bytes after the tag that fit in one frame.
    public static let maxArgumentCount = WireFormat.maxBodyCount - 1

    /// Ask for a reply echoing `data`.
    case ping(data: [UInt8] = [])
    /// Ask for a HELLO.
    case getInfo
    /// Start streaming samples.
    case start
    /// Stop streaming samples.
    case stop
    /// Set the sampling rate.
    case setRate(hz: Int)
    /// Switch between binary frames and Serial Plotter text.
    case setMode(DeviceMode)
    /// Any command by type code with its body after the tag: future commands, or deliberately
    /// bad ones in tests.
    case raw(type: UInt8, body: [UInt8])

    /// Reads a command from its type code and the body after the tag. Known types with a body of
    /// the wrong length or an unknown argument come back as `.raw`, so a device can answer
    /// BAD_LENGTH or BAD_ARGUMENT.
    public init(type: UInt8, arguments: UnsafeRawBufferPointer) {
        let count = arguments.count
        switch type {
        case WireFormat.CommandType.ping where count <= Self.maxPingDataCount:
            self = .ping(data: Array(arguments))
        case WireFormat.CommandType.getInfo where count == 0:
            self = .getInfo
        case WireFormat.CommandType.start where count == 0:
            self = .start
        case WireFormat.CommandType.stop where count == 0:
            self = .stop
        case WireFormat.CommandType.setRate where count == 2
            && Self.sampleRateRangeHz.contains(Int(arguments.loadLittleEndianUInt16(at: 0))):
            self = .setRate(hz: Int(arguments.loadLittleEndianUInt16(at: 0)))
        case WireFormat.CommandType.setMode where count == 1 && DeviceMode(rawValue: arguments[0]) != nil:
            self = .setMode(DeviceMode(rawValue: arguments[0])!)
        default:
            self = .raw(type: type, body: Array(arguments))
        }
    }

    /// The command's type code.
    public var type: UInt8 {
        switch self {
        case .ping: WireFormat.CommandType.ping
        case .getInfo: WireFormat.CommandType.getInfo
        case .start: WireFormat.CommandType.start
        case .stop: WireFormat.CommandType.stop
        case .setRate: WireFormat.CommandType.setRate
        case .setMode: WireFormat.CommandType.setMode
        case .raw(let type, _): type
        }
    }

    /// The body after the tag, checked against the protocol's limits.
    public func arguments() throws(CommandEncodingError) -> [UInt8] {
        switch self {
        case .ping(let data):
            guard data.count <= Self.maxPingDataCount else {
                throw .pingDataTooLong(count: data.count, limit: Self.maxPingDataCount)
            }
            return data
        case .getInfo, .start, .stop:
            return []
        case .setRate(let hz):
            guard Self.sampleRateRangeHz.contains(hz) else {
                throw .sampleRateOutOfRange(hz: hz, range: Self.sampleRateRangeHz)
            }
            var bytes: [UInt8] = []
            bytes.appendLittleEndian(UInt16(hz))
            return bytes
        case .setMode(let mode):
            return [mode.rawValue]
        case .raw(let type, let body):
            guard type >= WireFormat.CommandType.first else { throw .notACommandType(type) }
            guard body.count <= Self.maxArgumentCount else {
                throw .bodyTooLong(count: body.count, limit: Self.maxArgumentCount)
            }
            return body
        }
    }

    /// The complete wire frame for this command with `tag`, ready to write to the port.
    public func encoded(tag: UInt8) throws(CommandEncodingError) -> [UInt8] {
        WireFormat.frame(type: type, body: [tag] + (try arguments()))
    }
}
