/// One alarm, annunciated the ISA-18.2 way: it is raised once its condition has held for
/// `onDelayMicroseconds`; once raised it stays latched at least `minimumLatchMicroseconds` and
/// clears only after its clear condition (the raise condition less a deadband, chosen by the
/// caller) has held for `offDelayMicroseconds`. It is raised again only after it cleared, so one
/// episode gives one alert whatever the stroke rate.
public struct Annunciator: Sendable, Equatable {
    /// What an update did.
    public enum Change: Sendable, Equatable {
        /// The alarm was raised now.
        case raised
        /// The alarm cleared now.
        case cleared
    }

    /// How long the raise condition must hold before the alarm is raised.
    public let onDelayMicroseconds: Int64
    /// How long the clear condition must hold before the alarm clears.
    public let offDelayMicroseconds: Int64
    /// The shortest time an alarm stays raised.
    public let minimumLatchMicroseconds: Int64
    /// Whether the alarm is raised.
    public private(set) var isActive = false
    /// When it was last raised (nil before the first time).
    public private(set) var raisedAtMicroseconds: Int64?
    /// When the raise condition began holding (the start of the episode), or nil.
    public private(set) var conditionSinceMicroseconds: Int64?
    private var clearSinceMicroseconds: Int64?

    /// Makes an alarm, clear.
    public init(onDelayMicroseconds: Int64, offDelayMicroseconds: Int64, minimumLatchMicroseconds: Int64) {
        self.onDelayMicroseconds = onDelayMicroseconds
        self.offDelayMicroseconds = offDelayMicroseconds
        self.minimumLatchMicroseconds = minimumLatchMicroseconds
    }

    /// Clears at once without waiting (contact ended, session finished); true when it was raised.
    public mutating func reset() -> Bool {
        let was = isActive
        isActive = false
        conditionSinceMicroseconds = nil
        clearSinceMicroseconds = nil
        return was
    }

    /// Feeds both conditions at `t`; returns the change, if any.
    @inline(__always)
    public mutating func update(raise: Bool, clear: Bool, timeMicroseconds t: Int64) -> Change? {
        if !isActive {
            guard raise else {
                conditionSinceMicroseconds = nil
                return nil
            }
            let since = conditionSinceMicroseconds ?? t
            conditionSinceMicroseconds = since
            guard t - since >= onDelayMicroseconds else { return nil }
            isActive = true
            raisedAtMicroseconds = t
            clearSinceMicroseconds = nil
            return .raised
        }
        guard clear else {
            clearSinceMicroseconds = nil
            return nil
        }
        let since = clearSinceMicroseconds ?? t
        clearSinceMicroseconds = since
        guard t - since >= offDelayMicroseconds, t - (raisedAtMicroseconds ?? t) >= minimumLatchMicroseconds else { return nil }
        isActive = false
        conditionSinceMicroseconds = nil
        clearSinceMicroseconds = nil
        return .cleared
    }
}
