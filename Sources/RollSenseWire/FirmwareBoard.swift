/// The board the firmware says it runs on (HELLO `board`, docs/PROTOCOL.md); the USB side's
/// guess from vendor and product ids is `USBBoard` (RollSenseDevice).
public enum FirmwareBoard: Sendable, Hashable, CustomStringConvertible {
    /// The firmware did not say.
    case unknown
    /// Arduino Uno (ATmega328P behind a USB-serial bridge).
    case uno
    /// Arduino Nano (ATmega328P).
    case nano
    /// Arduino Leonardo (ATmega32u4, native USB).
    case leonardo
    /// Arduino Micro (ATmega32u4).
    case micro
    /// The real firmware running under simavr.
    case simulator
    /// The virtual device of `rollsense simulate`.
    case virtualDevice
    /// A code this host does not know yet (a newer firmware).
    case other(UInt8)

    /// Makes the board for a wire code.
    public init(code: UInt8) {
        switch code {
        case 0: self = .unknown
        case 1: self = .uno
        case 2: self = .nano
        case 3: self = .leonardo
        case 4: self = .micro
        case 5: self = .simulator
        case 6: self = .virtualDevice
        default: self = .other(code)
        }
    }

    /// The wire code.
    public var code: UInt8 {
        switch self {
        case .unknown: 0
        case .uno: 1
        case .nano: 2
        case .leonardo: 3
        case .micro: 4
        case .simulator: 5
        case .virtualDevice: 6
        case .other(let code): code
        }
    }

    /// A short name for people.
    public var description: String {
        switch self {
        case .unknown: "unknown board"
        case .uno: "Arduino Uno"
        case .nano: "Arduino Nano"
        case .leonardo: "Arduino Leonardo"
        case .micro: "Arduino Micro"
        case .simulator: "simavr simulator"
        case .virtualDevice: "virtual device"
        case .other(let code): "board \(code)"
        }
    }
}
