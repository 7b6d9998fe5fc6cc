/// One frame from the device, as it is on the wire: SAMPLE and FAULT carry the 16-bit sequence
/// and 32-bit time unchanged (`FrameDecoder` unwraps them in its events).
public enum DeviceFrame: Sendable, Equatable {
    /// SAMPLE body bytes before the readings: `seq u16`, `t_us u32`.
    static let sampleHeaderCount = 6
    /// Bytes per reading (`i24`).
    static let readingByteCount = 3
    /// FAULT body bytes: `t_us u32`, `code u8`, `channel u8`, `value u32`.
    static let faultBodyCount = 10
    /// BUTTON body bytes: `t_us u32`, `button u8`.
    static let buttonBodyCount = 5
    /// The range of an `i24` reading.
    static let readingRange: ClosedRange<Int32> = -0x80_0000...0x7F_FFFF

    /// HELLO.
    case hello(DeviceInfo)
    /// SAMPLE; `sequence` and `deviceTimeMicroseconds` hold the wire's `seq` and `t_us`.
    case sample(Sample)
    /// FAULT; `deviceTimeMicroseconds` holds the wire's `t_us`.
    case fault(DeviceFault)
    /// REPLY.
    case reply(CommandReply)
    /// SAMPLE_EXTRA: the wire's `seq` and the extra channels' readings.
    case sampleExtra(sequence: UInt16, readings: ExtraReadings)
    /// BUTTON; `deviceTimeMicroseconds` holds the wire's `t_us`.
    case button(ButtonPress)

    /// Why a frame with a good CRC was not turned into a `DeviceFrame`.
    public enum Rejection: Error, Sendable, Equatable {
        /// A type (or FAULT code, or button) this host does not know: counted and ignored.
        case unknownType
        /// A body of the wrong length for its type.
        case malformed
    }

    /// Reads a frame from its type code and body (CRC already checked and removed).
    public init(type: UInt8, body: UnsafeRawBufferPointer) throws(Rejection) {
        switch type {
        case WireFormat.DeviceFrameType.hello:
            guard let info = DeviceInfo(body: body) else { throw .malformed }
            self = .hello(info)
        case WireFormat.DeviceFrameType.sample:
            guard let channelCount = Self.sampleChannelCount(bodyCount: body.count) else { throw .malformed }
            self = .sample(Sample(
                sequence: UInt64(body.loadLittleEndianUInt16(at: 0)),
                deviceTimeMicroseconds: Int64(body.loadLittleEndianUInt32(at: 2)),
                channelCount: channelCount,
                values: Self.readings(body, channelCount: channelCount)
            ))
        case WireFormat.DeviceFrameType.fault:
            guard body.count >= Self.faultBodyCount else { throw .malformed }
            guard let code = FaultCode(rawValue: body[4]) else { throw .unknownType }
            self = .fault(DeviceFault(
                deviceTimeMicroseconds: Int64(body.loadLittleEndianUInt32(at: 0)),
                code: code,
                channel: body[5],
                value: body.loadLittleEndianUInt32(at: 6)
            ))
        case WireFormat.DeviceFrameType.reply:
            guard let reply = CommandReply(body: body) else { throw .malformed }
            self = .reply(reply)
        case WireFormat.DeviceFrameType.sampleExtra:
            guard let readings = Self.extraReadings(body) else { throw .malformed }
            self = .sampleExtra(sequence: body.loadLittleEndianUInt16(at: 0), readings: readings)
        case WireFormat.DeviceFrameType.button:
            guard body.count >= Self.buttonBodyCount else { throw .malformed }
            guard let button = BoardButton(rawValue: body[4]) else { throw .unknownType }
            self = .button(ButtonPress(deviceTimeMicroseconds: Int64(body.loadLittleEndianUInt32(at: 0)), button: button))
        default:
            throw .unknownType
        }
    }

    /// The readings of a SAMPLE_EXTRA body (`seq u16`, then 1 to 4 `i24`), nil if its length is wrong.
    static func extraReadings(_ body: UnsafeRawBufferPointer) -> ExtraReadings? {
        let readingBytes = body.count - 2
        guard readingBytes >= readingByteCount, readingBytes % readingByteCount == 0,
              readingBytes / readingByteCount <= ExtraReadings.maxCount else { return nil }
        var values = SIMD4<Int32>.zero
        for index in 0..<readingBytes / readingByteCount {
            values[index] = body.loadLittleEndianInt24(at: 2 + readingByteCount * index)
        }
        return ExtraReadings(count: readingBytes / readingByteCount, values: values)
    }

    /// The channel count of a SAMPLE body of `bodyCount` bytes, or nil if that length is wrong.
    @inline(__always)
    static func sampleChannelCount(bodyCount: Int) -> Int? {
        let readingBytes = bodyCount - sampleHeaderCount
        guard readingBytes >= readingByteCount, readingBytes % readingByteCount == 0 else { return nil }
        let channelCount = readingBytes / readingByteCount
        return channelCount <= Sample.maxChannelCount ? channelCount : nil
    }

    /// The readings of a SAMPLE body, unused lanes zero.
    @inline(__always)
    static func readings(_ body: UnsafeRawBufferPointer, channelCount: Int) -> SIMD4<Double> {
        var values = SIMD4<Double>()
        for channel in 0..<channelCount {
            values[channel] = Double(body.loadLittleEndianInt24(at: sampleHeaderCount + readingByteCount * channel))
        }
        return values
    }

    /// The frame's type code.
    public var type: UInt8 {
        switch self {
        case .hello: WireFormat.DeviceFrameType.hello
        case .sample: WireFormat.DeviceFrameType.sample
        case .fault: WireFormat.DeviceFrameType.fault
        case .reply: WireFormat.DeviceFrameType.reply
        case .sampleExtra: WireFormat.DeviceFrameType.sampleExtra
        case .button: WireFormat.DeviceFrameType.button
        }
    }

    /// The body as sent: sequence and time truncated to 16 and 32 bits, readings rounded and
    /// clamped to 24 bits, 1 to 4 channels, HELLO and REPLY cut to fit one frame.
    public var body: [UInt8] {
        var bytes: [UInt8] = []
        switch self {
        case .hello(let info):
            bytes = Array(info.body.prefix(WireFormat.maxBodyCount))
        case .sample(let sample):
            bytes.appendLittleEndian(UInt16(truncatingIfNeeded: sample.sequence))
            bytes.appendLittleEndian(UInt32(truncatingIfNeeded: sample.deviceTimeMicroseconds))
            for channel in 0..<min(max(sample.channelCount, 1), Sample.maxChannelCount) {
                let value = sample.values[channel]
                let reading = value.isNaN ? 0 : Int32(clamping: Int64(exactly: value.rounded()) ?? (value < 0 ? .min : .max))
                bytes.appendLittleEndianInt24(min(max(reading, Self.readingRange.lowerBound), Self.readingRange.upperBound))
            }
        case .fault(let fault):
            bytes.appendLittleEndian(UInt32(truncatingIfNeeded: fault.deviceTimeMicroseconds))
            bytes.append(fault.code.rawValue)
            bytes.append(fault.channel)
            bytes.appendLittleEndian(fault.value)
        case .reply(let reply):
            bytes = Array(reply.body.prefix(WireFormat.maxBodyCount))
        case .button(let press):
            bytes.appendLittleEndian(UInt32(truncatingIfNeeded: press.deviceTimeMicroseconds))
            bytes.append(press.button.rawValue)
        case .sampleExtra(let sequence, let readings):
            bytes.appendLittleEndian(sequence)
            for index in 0..<min(max(readings.count, 1), ExtraReadings.maxCount) {
                bytes.appendLittleEndianInt24(min(max(readings.values[index], Self.readingRange.lowerBound), Self.readingRange.upperBound))
            }
        }
        return bytes
    }

    /// The complete wire frame, as a device sends it.
    public var encoded: [UInt8] { WireFormat.frame(type: type, body: body) }
}
