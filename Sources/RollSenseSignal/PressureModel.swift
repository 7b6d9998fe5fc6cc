/// Turns total force into mean contact pressure through a model of the tool's contact area.
///
/// Pressure = force / area, an estimate. A roller on soft tissue is a line contact whose width
/// grows about as √force, so area ∝ force^0.5, through Curran et al. 2008's means (68 cm² at
/// 33 kPa for a foam roller, 47 cm² at 52 kPa for a rigid one, on the lateral thigh); a ball's
/// patch grows as in Hertz contact, area ∝ force^(2/3). Each curve passes through one
/// reference point.
public struct PressureModel: Sendable, Equatable {
    /// Contact area at `referenceForceNewtons`, in cm².
    public let referenceAreaSquareCentimetres: Double
    /// Force at which the reference area holds (ignored by a fixed area).
    public let referenceForceNewtons: Double
    /// Whether the area grows with force (rollers, balls) or is fixed (custom).
    public var growsWithForce: Bool { growth != .fixed }
    /// How the area grows with force.
    public let growth: Growth
    // P[kPa] = k × F (fixed), k × √F (line contact) or k × cbrt(F) (Hertz); 1 N/cm² = 10 kPa.
    private let coefficient: Double

    /// How a contact area grows with force.
    public enum Growth: Sendable, Equatable {
        /// A fixed area.
        case fixed
        /// A cylinder on a soft surface: area ∝ force^0.5.
        case lineContact
        /// A sphere on a soft surface: area ∝ force^(2/3).
        case hertz
    }

    /// Foam roller: 68 cm² (Curran et al. 2008, J Sport Rehabil 17:432) ...
    public static let foamRollerAreaSquareCentimetres = 68.0
    /// ... at its mean load, 33 kPa × 68 cm².
    public static let foamRollerReferenceForceNewtons = 224.4
    /// Rigid roller: 47 cm² (Curran et al. 2008) ...
    public static let rigidRollerAreaSquareCentimetres = 47.0
    /// ... at 52 kPa × 47 cm².
    public static let rigidRollerReferenceForceNewtons = 244.4
    /// Tennis ball: about 6.5 cm² at 80 N on a flat plate (the ITF 80 N deflection is across a
    /// diameter, so each flat is about 0.33 cm deep; estimate).
    public static let tennisBallAreaSquareCentimetres = 6.5
    /// Lacrosse ball: about 5 cm² at 80 N (estimate: solid rubber, far stiffer than a tennis ball).
    public static let lacrosseBallAreaSquareCentimetres = 5.0
    /// The force the ball areas are given at (ITF rules' 80 N test load).
    public static let ballReferenceForceNewtons = 80.0

    /// A fixed contact area.
    public init(fixedAreaSquareCentimetres: Double) {
        referenceAreaSquareCentimetres = fixedAreaSquareCentimetres
        referenceForceNewtons = 0
        growth = .fixed
        coefficient = 10 / fixedAreaSquareCentimetres
    }

    /// A line contact: area grows as force^0.5 through (`referenceForceNewtons`, `area`).
    public init(lineContactAreaSquareCentimetres area: Double, atNewtons referenceForceNewtons: Double) {
        referenceAreaSquareCentimetres = area
        self.referenceForceNewtons = referenceForceNewtons
        growth = .lineContact
        // P = 10 F / (A_ref (F / F_ref)^(1/2)) = (10 √F_ref / A_ref) √F
        coefficient = 10 * referenceForceNewtons.squareRoot() / area
    }

    /// An area that grows as force^(2/3) through (`referenceForceNewtons`, `areaSquareCentimetres`).
    public init(hertzianAreaSquareCentimetres area: Double, atNewtons referenceForceNewtons: Double) {
        referenceAreaSquareCentimetres = area
        self.referenceForceNewtons = referenceForceNewtons
        growth = .hertz
        // P = 10 F / (A_ref (F / F_ref)^(2/3)) = (10 F_ref^(2/3) / A_ref) F^(1/3)
        let r = PressureModel.cubeRoot(referenceForceNewtons)
        coefficient = 10 * r * r / area
    }

    /// The model for a tool; `customAreaSquareCentimetres` is used by `.custom` only.
    public init(tool: Tool, customAreaSquareCentimetres: Double) {
        switch tool {
        case .foamRoller:
            self.init(lineContactAreaSquareCentimetres: PressureModel.foamRollerAreaSquareCentimetres,
                      atNewtons: PressureModel.foamRollerReferenceForceNewtons)
        case .rigidRoller:
            self.init(lineContactAreaSquareCentimetres: PressureModel.rigidRollerAreaSquareCentimetres,
                      atNewtons: PressureModel.rigidRollerReferenceForceNewtons)
        case .tennisBall:
            self.init(hertzianAreaSquareCentimetres: PressureModel.tennisBallAreaSquareCentimetres,
                      atNewtons: PressureModel.ballReferenceForceNewtons)
        case .lacrosseBall:
            self.init(hertzianAreaSquareCentimetres: PressureModel.lacrosseBallAreaSquareCentimetres,
                      atNewtons: PressureModel.ballReferenceForceNewtons)
        case .custom: self.init(fixedAreaSquareCentimetres: customAreaSquareCentimetres)
        }
    }

    /// Mean pressure in kPa for a total force; 0 for no or negative force.
    @inline(__always)
    public func pressureKilopascals(forceNewtons: Double) -> Double {
        guard forceNewtons > 0 else { return 0 }
        switch growth {
        case .fixed: return coefficient * forceNewtons
        case .lineContact: return coefficient * forceNewtons.squareRoot()
        case .hertz: return coefficient * PressureModel.cubeRoot(forceNewtons)
        }
    }

    /// Contact area in cm² at a force.
    public func areaSquareCentimetres(forceNewtons: Double) -> Double {
        guard growsWithForce else { return referenceAreaSquareCentimetres }
        guard forceNewtons > 0 else { return 0 }
        if growth == .lineContact { return referenceAreaSquareCentimetres * (forceNewtons / referenceForceNewtons).squareRoot() }
        let r = PressureModel.cubeRoot(forceNewtons / referenceForceNewtons)
        return referenceAreaSquareCentimetres * r * r
    }

    /// Cube root of a positive finite number: a seed from the bit pattern (dividing the
    /// exponent by three, as in Kahan's cbrt), then Halley steps, which triple the correct
    /// digits each time (6 % → 1e-4 → 1e-12 → 1 ulp). Deterministic and without libm.
    @inline(__always)
    static func cubeRoot(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x > 0 ? x : 0 }
        guard x >= 0x1p-1000 else { return cubeRoot(x * 0x1p300) * 0x1p-100 }  // subnormal-safe seed
        // Adding two thirds of 1.0's bit pattern makes cbrt(1) seed at exactly 1; elsewhere the
        // seed is within 6 % (the mantissa is divided by three along with the exponent).
        var y = Double(bitPattern: x.bitPattern / 3 &+ 0x2AA0_0000_0000_0000)
        for _ in 0..<3 {
            let y3 = y * y * y
            y *= (y3 + 2 * x) / (2 * y3 + x)
        }
        return y
    }
}
