/// What is wired to one channel (HELLO `sensor_kind`, docs/PROTOCOL.md).
public enum SensorKind: Sendable, Hashable, CustomStringConvertible {
    /// Nothing connected.
    case none
    /// An HX711 load-cell amplifier: 24-bit counts.
    case hx711LoadCell
    /// A force-sensing resistor in a voltage divider: 10-bit ADC counts.
    case forceSensingResistor
    /// Generated values (simulator, virtual device).
    case synthetic
    /// An extra channel: a rotation angle in AS5600 raw counts, 0-4095 a turn (docs/PROTOCOL.md, "Rotation").
    case rotationAngle
    /// An extra channel: a ball's motion across its sensor's x axis, counts since the previous sample (docs/PROTOCOL.md, "Ball motion").
    case motionX
    /// An extra channel: the same along the sensor's y axis.
    case motionY
    /// A code this host does not know yet.
    case other(UInt8)

    /// Makes the kind for a wire code.
    public init(code: UInt8) {
        switch code {
        case 0: self = .none
        case 1: self = .hx711LoadCell
        case 2: self = .forceSensingResistor
        case 3: self = .synthetic
        case 4: self = .rotationAngle
        case 5: self = .motionX
        case 6: self = .motionY
        default: self = .other(code)
        }
    }

    /// The wire code.
    public var code: UInt8 {
        switch self {
        case .none: 0
        case .hx711LoadCell: 1
        case .forceSensingResistor: 2
        case .synthetic: 3
        case .rotationAngle: 4
        case .motionX: 5
        case .motionY: 6
        case .other(let code): code
        }
    }

    /// A short name for people.
    public var description: String {
        switch self {
        case .none: "none"
        case .hx711LoadCell: "HX711 load cell"
        case .forceSensingResistor: "FSR"
        case .synthetic: "synthetic"
        case .rotationAngle: "rotation angle"
        case .motionX: "ball motion x"
        case .motionY: "ball motion y"
        case .other(let code): "sensor kind \(code)"
        }
    }
}
