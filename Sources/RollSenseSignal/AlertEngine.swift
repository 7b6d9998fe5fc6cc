/// One alert the engine raises or closes, without the reading around it (the pipeline adds that).
struct AlertTransition: Sendable {
    var kind: EventKind
    var level: AlertLevel
    var phase: EventPhase
    var reason: EventReason
    /// The time that passed the limit, in seconds.
    var valueSeconds: Double
    /// The limit, in seconds.
    var limitSeconds: Double
}

/// The time-limit alerts: a hold on one spot (notice, caution) and the day's total on a region
/// (warning, limit, and reminders past the limit at each new contact). Each opens once when its
/// limit is passed and closes when the hold or the session ends. Kept apart from the signal
/// chain so the alarm rules (latching, re-annunciation) change in one place.
struct AlertEngine: Sendable {
    private let holdNoticeMicroseconds: Int64
    private let holdCautionMicroseconds: Int64
    private let dailyWarningMicroseconds: Int64
    private let dailyLimitMicroseconds: Int64
    private let reminderIntervalMicroseconds: Int64

    private var holdNoticeOpen = false
    private var holdCautionOpen = false
    private var dailyWarningOpen = false
    private var dailyLimitOpen = false
    private var lastReminder: Int64 = .min
    // 0 until the first check sets them from the limits.
    private var nextHoldAlertMicroseconds: Int64 = 0
    private var nextDailyAlertMicroseconds: Int64 = 0

    /// An engine for `limits` (seconds turned into whole microseconds).
    init(limits: TimeLimitProfile) {
        func micro(_ seconds: Double) -> Int64 { Int64((seconds * 1_000_000).rounded()) }
        holdNoticeMicroseconds = micro(limits.holdNoticeSeconds)
        holdCautionMicroseconds = micro(limits.holdCautionSeconds)
        dailyWarningMicroseconds = micro(limits.dailyWarningSeconds)
        dailyLimitMicroseconds = micro(limits.dailyLimitSeconds)
        reminderIntervalMicroseconds = micro(limits.reminderIntervalSeconds)
    }

    /// A contact started at `t`: past the daily limit, a reminder (at most one per interval).
    mutating func contactStarted(at t: Int64, dailyMicroseconds: Int64, _ emit: (AlertTransition) -> Void) {
        guard dailyLimitOpen && (lastReminder == .min || t - lastReminder >= reminderIntervalMicroseconds) else { return }
        lastReminder = t
        emit(AlertTransition(kind: .daily, level: .stop, phase: .instant, reason: .dailyLimitReminder,
                             valueSeconds: Double(dailyMicroseconds) * 1e-6, limitSeconds: Double(dailyLimitMicroseconds) * 1e-6))
    }

    /// In contact at `t` with this hold and day's total: opens the limits just passed.
    @inline(__always)
    mutating func check(holdMicroseconds hold: Int64, dailyMicroseconds daily: Int64, at t: Int64, _ emit: (AlertTransition) -> Void) {
        // One comparison each in the common case: the next hold or daily limit not yet passed.
        guard hold >= nextHoldAlertMicroseconds || daily >= nextDailyAlertMicroseconds else { return }
        open(holdMicroseconds: hold, dailyMicroseconds: daily, at: t, emit)
    }

    @inline(never)
    private mutating func open(holdMicroseconds hold: Int64, dailyMicroseconds daily: Int64, at t: Int64, _ emit: (AlertTransition) -> Void) {
        defer { refreshNextAlerts() }
        if holdNoticeMicroseconds > 0 && !holdNoticeOpen && hold >= holdNoticeMicroseconds {
            holdNoticeOpen = true
            emit(transition(.hold, .info, .start, .holdNotice, hold, holdNoticeMicroseconds))
        }
        if !holdCautionOpen && hold >= holdCautionMicroseconds {
            holdCautionOpen = true
            emit(transition(.hold, .caution, .start, .holdCaution, hold, holdCautionMicroseconds))
        }
        if !dailyWarningOpen && daily >= dailyWarningMicroseconds {
            dailyWarningOpen = true
            emit(transition(.daily, .caution, .start, .dailyWarning, daily, dailyWarningMicroseconds))
        }
        if !dailyLimitOpen && daily >= dailyLimitMicroseconds {
            dailyLimitOpen = true
            lastReminder = t
            emit(transition(.daily, .stop, .start, .dailyLimit, daily, dailyLimitMicroseconds))
        }
    }

    /// The hold ended (the load moved again, or the contact ended): its hold alerts close.
    mutating func holdEnded(holdMicroseconds hold: Int64, _ emit: (AlertTransition) -> Void) {
        if holdCautionOpen {
            holdCautionOpen = false
            emit(transition(.hold, .caution, .end, .holdCaution, hold, holdCautionMicroseconds))
        }
        if holdNoticeOpen {
            holdNoticeOpen = false
            emit(transition(.hold, .info, .end, .holdNotice, hold, holdNoticeMicroseconds))
        }
        refreshNextAlerts()
    }

    /// The session ended with this day's total: the daily alerts close.
    mutating func finish(dailyMicroseconds daily: Int64, _ emit: (AlertTransition) -> Void) {
        if dailyWarningOpen {
            dailyWarningOpen = false
            emit(transition(.daily, .caution, .end, .dailyWarning, daily, dailyWarningMicroseconds))
        }
        if dailyLimitOpen {
            dailyLimitOpen = false
            emit(transition(.daily, .stop, .end, .dailyLimit, daily, dailyLimitMicroseconds))
        }
        refreshNextAlerts()
    }

    private func transition(
        _ kind: EventKind, _ level: AlertLevel, _ phase: EventPhase, _ reason: EventReason, _ value: Int64, _ limit: Int64
    ) -> AlertTransition {
        AlertTransition(kind: kind, level: level, phase: phase, reason: reason,
                        valueSeconds: Double(value) * 1e-6, limitSeconds: Double(limit) * 1e-6)
    }

    private mutating func refreshNextAlerts() {
        var nextHold = Int64.max
        if holdNoticeMicroseconds > 0 && !holdNoticeOpen { nextHold = holdNoticeMicroseconds }
        if !holdCautionOpen { nextHold = min(nextHold, holdCautionMicroseconds) }
        nextHoldAlertMicroseconds = nextHold
        var nextDaily = Int64.max
        if !dailyWarningOpen { nextDaily = dailyWarningMicroseconds }
        if !dailyLimitOpen { nextDaily = min(nextDaily, dailyLimitMicroseconds) }
        nextDailyAlertMicroseconds = nextDaily
    }
}
