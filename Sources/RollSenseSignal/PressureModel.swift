/// Turns total force into mean contact pressure through a model of the tool's contact area.
///
/// Pressure = force / area. Rollers keep a roughly constant contact patch (Curran et al. 2008
/// measured 68 cm² for a foam roller and 47 cm² for a rigid one); a ball's patch grows with
/// force as in Hertz contact, area ∝ force^(2/3), scaled through one reference point.
public struct PressureModel: Sendable, Equatable {
    /// Contact area at `referenceForceNewtons`, in cm².
    public let referenceAreaSquareCentimetres: Double
    /// Force at which the reference area holds (ignored by a fixed area).
    public let referenceForceNewtons: Double
    /// Whether the area grows with force (balls) or is fixed (rollers, custom).
    public let growsWithForce: Bool
    // P[kPa] = k × F (fixed) or k × cbrt(F) (Hertz); 1 N/cm² = 10 kPa.
    private let coefficient: Double

    /// Foam roller: 68 cm² (Curran et al. 2008, J Sport Rehabil 17:432).
    public static let foamRollerAreaSquareCentimetres = 68.0
    /// Rigid roller: 47 cm² (Curran et al. 2008).
    public static let rigidRollerAreaSquareCentimetres = 47.0
    /// Tennis ball: about 13 cm² at 80 N (estimate from the ITF 80 N deflection test).
    public static let tennisBallAreaSquareCentimetres = 13.0
    /// Lacrosse ball: about 5 cm² at 80 N (estimate: solid rubber, far stiffer than a tennis ball).
    public static let lacrosseBallAreaSquareCentimetres = 5.0
    /// The force the ball areas are given at (ITF rules' 80 N test load).
    public static let ballReferenceForceNewtons = 80.0

    /// A fixed contact area.
    public init(fixedAreaSquareCentimetres: Double) {
        referenceAreaSquareCentimetres = fixedAreaSquareCentimetres
        referenceForceNewtons = 0
        growsWithForce = false
        coefficient = 10 / fixedAreaSquareCentimetres
    }

    /// An area that grows as force^(2/3) through (`referenceForceNewtons`, `areaSquareCentimetres`).
    public init(hertzianAreaSquareCentimetres area: Double, atNewtons referenceForceNewtons: Double) {
        referenceAreaSquareCentimetres = area
        self.referenceForceNewtons = referenceForceNewtons
        growsWithForce = true
        // P = 10 F / (A_ref (F / F_ref)^(2/3)) = (10 F_ref^(2/3) / A_ref) F^(1/3)
        let r = PressureModel.cubeRoot(referenceForceNewtons)
        coefficient = 10 * r * r / area
    }

    /// The model for a tool; `customAreaSquareCentimetres` is used by `.custom` only.
    public init(tool: Tool, customAreaSquareCentimetres: Double) {
        switch tool {
        case .foamRoller: self.init(fixedAreaSquareCentimetres: PressureModel.foamRollerAreaSquareCentimetres)
        case .rigidRoller: self.init(fixedAreaSquareCentimetres: PressureModel.rigidRollerAreaSquareCentimetres)
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
        return growsWithForce ? coefficient * PressureModel.cubeRoot(forceNewtons) : coefficient * forceNewtons
    }

    /// Contact area in cm² at a force.
    public func areaSquareCentimetres(forceNewtons: Double) -> Double {
        guard growsWithForce else { return referenceAreaSquareCentimetres }
        guard forceNewtons > 0 else { return 0 }
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
