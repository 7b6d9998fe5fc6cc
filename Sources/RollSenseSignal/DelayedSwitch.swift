/// A boolean with hysteresis and delays (ISA-18.2 alarm practice): it turns on once the "on"
/// condition has held for `onDelayMicroseconds` and off once the "off" condition has held for
/// `offDelayMicroseconds`, so a value sitting on a threshold with noise never chatters.
public struct DelayedSwitch: Sendable, Equatable {
    /// Delay before turning on.
    public var onDelayMicroseconds: Int64
    /// Delay before turning off.
    public var offDelayMicroseconds: Int64
    /// The current state.
    public private(set) var isOn = false
    private var pendingSinceMicroseconds: Int64 = .min

    /// Makes a switch, off.
    public init(onDelayMicroseconds: Int64, offDelayMicroseconds: Int64) {
        self.onDelayMicroseconds = onDelayMicroseconds
        self.offDelayMicroseconds = offDelayMicroseconds
    }

    /// Turns it off at once, without a transition.
    public mutating func reset() {
        isOn = false
        pendingSinceMicroseconds = .min
    }

    /// Feeds one observation; returns true when the state changed at `timeMicroseconds`.
    /// `onCondition` is tested while off, `offCondition` while on.
    @inline(__always)
    public mutating func update(onCondition: Bool, offCondition: Bool, timeMicroseconds: Int64) -> Bool {
        let wanted = isOn ? offCondition : onCondition
        guard wanted else {
            pendingSinceMicroseconds = .min
            return false
        }
        if pendingSinceMicroseconds == .min { pendingSinceMicroseconds = timeMicroseconds }
        let delay = isOn ? offDelayMicroseconds : onDelayMicroseconds
        guard timeMicroseconds - pendingSinceMicroseconds >= delay else { return false }
        isOn.toggle()
        pendingSinceMicroseconds = .min
        return true
    }
}
