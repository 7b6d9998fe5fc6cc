@testable import RollSenseSignal

/// A synthetic session with known answers, sampled every 10 ms:
/// 1 s out of contact at 0 N, 2 s on the left at 100 N (target, a hold growing to 2 s),
/// 1 s on the right at 300 N (caution), 0.5 s off again.
enum ReportTestData {
    static let stepMicroseconds: Int64 = 10_000
    static let left = Area(region: .lowerBack, side: .left)
    static let right = Area(region: .lowerBack, side: .right)

    static func reading(index: Int) -> Reading {
        let t = Int64(index) * stepMicroseconds
        let (force, zone, contact, area, holdStart): (Double, Zone, Bool, Area, Int?) = switch index {
        case ..<100: (0, .none, false, left, nil)
        case 100..<300: (100, .target, true, left, 100)
        case 300..<400: (300, .caution, true, right, 300)
        default: (0, .none, false, right, nil)
        }
        return Reading(
            deviceTimeMicroseconds: t, forceNewtons: force, channelForcesNewtons: SIMD4(force, 0, 0, 0),
            pressureKilopascals: force / 10, centroidMillimetres: nil, zone: zone, contact: contact, area: area,
            holdMicroseconds: holdStart.map { Int64(index - $0) * stepMicroseconds } ?? 0,
            // As the pipeline counts it: each step after a reading in contact (100 through 399).
            dailyMicroseconds: Int64(min(max(index - 100, 0), 300)) * stepMicroseconds, currentZone: zone)
    }

    static let readingCount = 450

    static func event(_ kind: EventKind, _ level: AlertLevel, _ phase: EventPhase, _ reason: EventReason, atIndex index: Int) -> SignalEvent {
        let r = reading(index: index)
        return SignalEvent(
            deviceTimeMicroseconds: r.deviceTimeMicroseconds, kind: kind, level: level, phase: phase, reason: reason,
            zone: r.zone, area: r.area, forceNewtons: r.forceNewtons, pressureKilopascals: r.pressureKilopascals,
            value: r.forceNewtons, limit: 0, channel: nil)
    }
}
