/// What a sample's values measure.
public enum SampleQuantity: UInt8, Sendable, Equatable {
    /// Raw sensor counts (HX711 output, ADC value or a plain number in text) that need a calibration.
    case rawCounts = 0
    /// Force already in newtons (a text label that carried a unit such as `force_N` or `load_kg`).
    case newtons = 1
}

/// The extra channels' readings of one sample (docs/PROTOCOL.md, "Rotation").
public struct ExtraReadings: Sendable, Equatable {
    /// The most extra channels a device sends.
    public static let maxCount = 4
    /// A reading that says the sensor gave none this sample (it failed; a FAULT says why).
    public static let noReading: Int32 = -1
    /// The same for the motion kinds, whose -1 is a motion: the i24's lowest value.
    public static let noMotionReading: Int32 = -8_388_608
    /// No extra channels.
    public static let none = ExtraReadings(count: 0, values: .zero)

    /// Extra channels in this sample, 0 to `maxCount`.
    public var count: Int
    /// One raw reading per extra channel; lanes past `count` are zero.
    public var values: SIMD4<Int32>

    /// Makes a set of extra readings.
    public init(count: Int, values: SIMD4<Int32>) {
        self.count = count
        self.values = values
    }

    /// The reading of extra channel `index`, nil when it is absent or `noReading`.
    public func reading(_ index: Int) -> Int32? {
        guard index >= 0, index < count, values[index] != Self.noReading else { return nil }
        return values[index]
    }

    /// The counts of motion channel `index`, nil when it is absent or `noMotionReading`.
    public func motionCounts(_ index: Int) -> Int32? {
        guard index >= 0, index < count, values[index] != Self.noMotionReading else { return nil }
        return values[index]
    }
}

/// One reading of every channel at one instant of device time.
///
/// A value type of fixed size so that the signal pipeline can process samples without allocating.
public struct Sample: Sendable, Equatable {
    /// The most channels a device sends (docs/PROTOCOL.md: 1 to 4).
    public static let maxChannelCount = 4

    /// Sample counter unwrapped to 64 bits; for text input, the line count.
    public var sequence: UInt64
    /// Device time unwrapped to a monotonic 64-bit count of microseconds; for text input, the
    /// host receive time given to the parser.
    public var deviceTimeMicroseconds: Int64
    /// Channels in use, 1 to `maxChannelCount`; lanes past it in `values` are zero.
    public var channelCount: Int
    /// One value per channel, in the unit `quantity` names.
    public var values: SIMD4<Double>
    /// Whether `values` are raw counts or newtons.
    public var quantity: SampleQuantity
    /// The extra channels (rotation) that came with this sample; `.none` for most devices.
    public var extras: ExtraReadings

    /// Makes a sample; `values` lanes past `channelCount` should be zero.
    public init(
        sequence: UInt64,
        deviceTimeMicroseconds: Int64,
        channelCount: Int,
        values: SIMD4<Double>,
        quantity: SampleQuantity = .rawCounts,
        extras: ExtraReadings = .none
    ) {
        self.sequence = sequence
        self.deviceTimeMicroseconds = deviceTimeMicroseconds
        self.channelCount = channelCount
        self.values = values
        self.quantity = quantity
        self.extras = extras
    }
}

/// The kinds of fault a device reports in a FAULT frame (docs/PROTOCOL.md).
public enum FaultCode: UInt8, Sendable, Equatable {
    /// An HX711 did not signal ready within its timeout.
    case sensorNotReady = 1
    /// A reading sat at the top or bottom of the sensor's range.
    case saturated = 2
    /// A sensor reads as disconnected (an FSR divider open circuit).
    case disconnected = 3
    /// Samples were dropped because the device's transmit buffer was full.
    case droppedSamples = 4
    /// The device restarted after its watchdog fired.
    case watchdogReset = 5
    /// An angle encoder's magnet is missing, too weak or too strong (`value`: its STATUS register).
    case magnet = 6
}

/// A button on the board (docs/PROTOCOL.md, BUTTON).
public enum BoardButton: UInt8, Sendable, Equatable {
    /// "It hurts more": the host marks pain, as its own pain key does.
    case pain = 0
}

/// A press of a button on the board, with the device time it was pressed at.
public struct ButtonPress: Sendable, Equatable {
    /// Device time unwrapped to 64 bits, in microseconds.
    public var deviceTimeMicroseconds: Int64
    /// Which button.
    public var button: BoardButton

    /// Makes a press record.
    public init(deviceTimeMicroseconds: Int64, button: BoardButton) {
        self.deviceTimeMicroseconds = deviceTimeMicroseconds
        self.button = button
    }
}

/// A fault reported by the device, with the device time it happened at.
public struct DeviceFault: Sendable, Equatable {
    /// Channel value meaning "the whole device" rather than one channel.
    public static let deviceChannel: UInt8 = 0xFF

    /// Device time unwrapped to 64 bits, in microseconds.
    public var deviceTimeMicroseconds: Int64
    /// What went wrong.
    public var code: FaultCode
    /// The channel (0-based), or `deviceChannel`.
    public var channel: UInt8
    /// Code-specific value: milliseconds waited, the raw reading, or the count of dropped samples.
    public var value: UInt32

    /// Makes a fault record.
    public init(deviceTimeMicroseconds: Int64, code: FaultCode, channel: UInt8, value: UInt32) {
        self.deviceTimeMicroseconds = deviceTimeMicroseconds
        self.code = code
        self.channel = channel
        self.value = value
    }
}
