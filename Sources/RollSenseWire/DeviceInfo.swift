/// Who a device is and how it is set up: the content of a HELLO frame (docs/PROTOCOL.md).
public struct DeviceInfo: Sendable, Hashable {
    /// HELLO body bytes before the per-channel sensor kinds.
    static let fixedBodyCount = 13

    /// The protocol version the device speaks; `WireFormat.protocolVersion` for this host.
    public var protocolVersion: UInt8
    /// The firmware's version.
    public var firmwareVersion: FirmwareVersion
    /// The board.
    public var board: FirmwareBoard
    /// A number that stays the same for one board across power cycles; `0` when unknown.
    public var deviceID: UInt32
    /// The sampling rate in force.
    public var sampleRateHz: Int
    /// Whether the device is streaming SAMPLE frames.
    public var isStreaming: Bool
    /// Whether the device is set to print Serial Plotter text instead of frames.
    public var isTextMode: Bool
    /// What is connected to each channel, channel 0 first.
    public var sensorKinds: [SensorKind]
    /// The extra channels (rotation; docs/PROTOCOL.md, "Rotation"), empty for most devices.
    public var extraKinds: [SensorKind]

    /// The index of the rotation angle among the extra channels, if the device has one.
    public var rotationChannel: Int? { extraKinds.firstIndex(of: .rotationAngle) }

    /// The indices of a ball's x and y motion among the extra channels, if the device has both.
    public var motionChannels: (x: Int, y: Int)? {
        guard let x = extraKinds.firstIndex(of: .motionX), let y = extraKinds.firstIndex(of: .motionY) else { return nil }
        return (x, y)
    }

    /// The number of channels.
    public var channelCount: Int { sensorKinds.count }

    /// Makes a device description.
    public init(
        protocolVersion: UInt8 = WireFormat.protocolVersion,
        firmwareVersion: FirmwareVersion,
        board: FirmwareBoard,
        deviceID: UInt32,
        sampleRateHz: Int,
        isStreaming: Bool,
        isTextMode: Bool = false,
        sensorKinds: [SensorKind],
        extraKinds: [SensorKind] = []
    ) {
        self.protocolVersion = protocolVersion
        self.firmwareVersion = firmwareVersion
        self.board = board
        self.deviceID = deviceID
        self.sampleRateHz = sampleRateHz
        self.isStreaming = isStreaming
        self.isTextMode = isTextMode
        self.sensorKinds = sensorKinds
        self.extraKinds = extraKinds
    }

    /// Reads a HELLO body; nil when it is shorter than its fields, an optional extra-kinds list
    /// included (bytes after them are ignored).
    public init?(body: UnsafeRawBufferPointer) {
        guard body.count >= Self.fixedBodyCount else { return nil }
        let channelCount = Int(body[12])
        guard body.count >= Self.fixedBodyCount + channelCount else { return nil }
        let extrasAt = Self.fixedBodyCount + channelCount
        var extraKinds: [SensorKind] = []
        if body.count > extrasAt {
            let extraCount = Int(body[extrasAt])
            guard body.count >= extrasAt + 1 + extraCount else { return nil }
            extraKinds = (0..<extraCount).map { SensorKind(code: body[extrasAt + 1 + $0]) }
        }
        let flags = body[11]
        self.init(
            protocolVersion: body[0],
            firmwareVersion: FirmwareVersion(major: body[1], minor: body[2], patch: body[3]),
            board: FirmwareBoard(code: body[4]),
            deviceID: body.loadLittleEndianUInt32(at: 5),
            sampleRateHz: Int(body.loadLittleEndianUInt16(at: 9)),
            isStreaming: flags & 0x01 != 0,
            isTextMode: flags & 0x02 != 0,
            sensorKinds: (0..<channelCount).map { SensorKind(code: body[Self.fixedBodyCount + $0]) },
            extraKinds: extraKinds
        )
    }

    /// The HELLO body for this description (rate clamped to 16 bits, at most 255 channels).
    public var body: [UInt8] {
        var bytes: [UInt8] = [protocolVersion, firmwareVersion.major, firmwareVersion.minor, firmwareVersion.patch, board.code]
        bytes.appendLittleEndian(deviceID)
        bytes.appendLittleEndian(UInt16(clamping: sampleRateHz))
        bytes.append((isStreaming ? 0x01 : 0) | (isTextMode ? 0x02 : 0))
        let kinds = sensorKinds.prefix(Int(UInt8.max))
        bytes.append(UInt8(kinds.count))
        bytes.append(contentsOf: kinds.map(\.code))
        if !extraKinds.isEmpty {
            let extras = extraKinds.prefix(ExtraReadings.maxCount)
            bytes.append(UInt8(extras.count))
            bytes.append(contentsOf: extras.map(\.code))
        }
        return bytes
    }
}
