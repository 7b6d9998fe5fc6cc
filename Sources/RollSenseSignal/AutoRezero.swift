/// Tracks slow zero drift while out of contact and still: after each still stretch of
/// `windowMicroseconds`, the stretch's mean becomes part of the zero, but the total correction
/// per channel never exceeds `maxDriftNewtons` (a larger drift means the tare is wrong or a
/// load is resting on the sensor, so it is reported instead of hidden).
public struct AutoRezero: Sendable, Equatable {
    /// Length of the averaged stretch.
    public let windowMicroseconds: Int64
    /// Largest peak-to-peak span per channel that counts as still.
    public let stillNewtons: Double
    /// Bound on the total correction per channel.
    public let maxDriftNewtons: Double
    /// Current zero correction per channel, subtracted from calibrated forces.
    public private(set) var zeroNewtons = SIMD4<Double>(repeating: 0)
    private var windowStart: Int64 = .min
    private var sum = SIMD4<Double>(repeating: 0)
    private var count = 0.0
    private var minimum = SIMD4<Double>(repeating: .infinity)
    private var maximum = SIMD4<Double>(repeating: -.infinity)

    /// Makes a re-zero with no correction.
    public init(windowMicroseconds: Int64, stillNewtons: Double, maxDriftNewtons: Double) {
        self.windowMicroseconds = max(1, windowMicroseconds)
        self.stillNewtons = stillNewtons
        self.maxDriftNewtons = maxDriftNewtons
    }

    /// Drops the stretch being collected (contact, a fault, or movement broke it).
    @inline(__always)
    public mutating func breakStretch() {
        windowStart = .min
    }

    /// Adds a force sample (zero already removed) taken out of contact. Returns the correction
    /// that was clamped, per channel, when the bound was hit at this sample; nil otherwise.
    @inline(__always)
    public mutating func add(_ forces: SIMD4<Double>, timeMicroseconds t: Int64) -> SIMD4<Double>? {
        if windowStart == .min {
            windowStart = t
            sum = .zero
            count = 0
            minimum = SIMD4(repeating: .infinity)
            maximum = SIMD4(repeating: -.infinity)
        }
        sum += forces
        count += 1
        minimum = minimum.lanesMin(forces)
        maximum = maximum.lanesMax(forces)
        guard t - windowStart >= windowMicroseconds else { return nil }
        windowStart = .min
        guard all(maximum - minimum .<= SIMD4(repeating: stillNewtons)) else { return nil }
        let wanted = zeroNewtons + sum / count
        let bound = SIMD4<Double>(repeating: maxDriftNewtons)
        zeroNewtons = wanted.lanesMax(-bound).lanesMin(bound)
        return any(zeroNewtons .!= wanted) ? wanted : nil
    }
}
