/// Standard gravity in m/s² (CGPM 1901, as used by ISO 80000-4): the one conversion between
/// kilograms-force (body mass, calibration weights, `kg` labels) and newtons.
public let standardGravityMetresPerSecondSquared = 9.80665

/// A force unit a Serial Plotter label may carry (docs/PROTOCOL.md, "Text mode").
public enum ForceUnit: Sendable, Hashable {
    /// `N`, `newton`, `newtons`.
    case newtons
    /// `kg` (kilogram-force).
    case kilograms
    /// `g` (gram-force).
    case grams
    /// `lb`, `lbs` (pound-force).
    case pounds

    /// Newtons in one pound-force (NIST SP 811: 1 lbf = 4.448222 N).
    public static let newtonsPerPoundForce = 4.448222

    /// The unit's usual symbol, for showing which unit a device sends.
    public var symbol: String {
        switch self {
        case .newtons: "N"
        case .kilograms: "kg"
        case .grams: "g"
        case .pounds: "lb"
        }
    }

    /// A small number per unit, for hashing a line's layout.
    var code: Int {
        switch self {
        case .newtons: 1
        case .kilograms: 2
        case .grams: 3
        case .pounds: 4
        }
    }

    /// Newtons per one of this unit.
    public var newtonsPerUnit: Double {
        switch self {
        case .newtons: 1
        case .kilograms: standardGravityMetresPerSecondSquared
        case .grams: standardGravityMetresPerSecondSquared / 1000
        case .pounds: Self.newtonsPerPoundForce
        }
    }

    /// The unit a label names: its last `_`-separated part or the whole label, in any case;
    /// nil if it names none (`force_N` and `lbs` do, `sensor_1` does not).
    public init?(label: UnsafeRawBufferPointer) {
        var start = label.count
        while start > 0 && label[start - 1] != UInt8(ascii: "_") { start -= 1 }
        let unit = UnsafeRawBufferPointer(rebasing: label[start...])
        func matches(_ name: StaticString) -> Bool {
            guard unit.count == name.utf8CodeUnitCount else { return false }
            let expected = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            for index in 0..<unit.count where unit[index] | 0x20 != expected[index] {
                return false
            }
            return true
        }
        if matches("n") || matches("newton") || matches("newtons") {
            self = .newtons
        } else if matches("kg") {
            self = .kilograms
        } else if matches("g") {
            self = .grams
        } else if matches("lb") || matches("lbs") {
            self = .pounds
        } else {
            return nil
        }
    }

    /// Convenience for a label held in a string.
    public init?(label: String) {
        var label = label
        guard let unit = label.withUTF8({ ForceUnit(label: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = unit
    }
}
