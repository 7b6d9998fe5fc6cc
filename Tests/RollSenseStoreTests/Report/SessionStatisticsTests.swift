import RollSenseSignal
import RollSenseStore
import Testing

@Suite("SessionStatistics")
struct SessionStatisticsTests {
    static func built() -> SessionStatistics {
        var report = SessionStatistics()
        for index in 0..<ReportTestData.readingCount {
            report.add(ReportTestData.reading(index: index))
        }
        report.add(ReportTestData.event(.hold, .info, .start, .holdNotice, atIndex: 150), sessionSeconds: 1.5)
        report.add(ReportTestData.event(.zone, .caution, .start, .zoneCaution, atIndex: 300), sessionSeconds: 3.0)
        report.add(ReportTestData.event(.zone, .caution, .end, .zoneCaution, atIndex: 400), sessionSeconds: 4.0)
        return report
    }

    @Test func timesAreTheKnownAnswers() {
        let report = Self.built()
        #expect(report.sampleCount == 450)
        #expect(abs(report.durationSeconds - 4.49) < 1e-9)
        // Readings 100..399 are in contact: 300 steps of 10 ms, each counted with the reading it starts at.
        #expect(abs(report.contactSeconds - 3.0) < 1e-9)
        #expect(abs(report.contactSecondsByArea["lower-back.left"]! - 2.0) < 1e-9)
        #expect(abs(report.contactSecondsByArea["lower-back.right"]! - 1.0) < 1e-9)
        #expect(abs(report.secondsByZone["target"]! - 2.0) < 1e-9)
        #expect(abs(report.secondsByZone["caution"]! - 1.0) < 1e-9)
        #expect(report.secondsByZone["none"] == nil)
    }

    @Test func timeInAZoneIsTheLoadsNotALatchedAlertsZone() {
        var report = SessionStatistics()
        for index in 0..<200 {
            var reading = ReportTestData.reading(index: 100 + index % 200)
            reading.deviceTimeMicroseconds = Int64(index) * ReportTestData.stepMicroseconds
            reading.dailyMicroseconds = reading.deviceTimeMicroseconds
            // The stop alert stays latched for the second half while the load is back in target.
            reading.zone = index < 100 ? .target : .stop
            reading.currentZone = .target
            report.add(reading)
        }
        #expect(abs(report.secondsByZone["target"]! - 1.99) < 1e-9)
        #expect(report.secondsByZone["stop"] == nil)
    }

    @Test func forcesArePeakAndTimeWeightedMeanInContact() {
        let report = Self.built()
        #expect(report.peakForceNewtons == 300)
        #expect(report.peakPressureKilopascals == 30)
        #expect(abs(report.meanForceNewtons - (100.0 * 2 + 300 * 1) / 3) < 1e-9)
        #expect(abs(report.meanPressureKilopascals - (10.0 * 2 + 30 * 1) / 3) < 1e-9)
    }

    @Test func holdsAndAlerts() {
        let report = Self.built()
        #expect(report.holdCount == 1)
        #expect(abs(report.longestHoldSeconds - 1.99) < 1e-9)
        // The info hold notice and the end of the caution are not alerts.
        #expect(report.alertCount == 1)
        #expect(report.alerts.map(\.sessionSeconds) == [3.0])
        #expect(report.alerts.first?.level == "caution")
        #expect(report.alerts.first?.kind == "zone")
    }

    @Test func aHoldPassingNoticeThenCautionIsOneHold() {
        var stats = Self.built()
        stats.add(ReportTestData.event(.hold, .caution, .start, .holdCaution, atIndex: 200), sessionSeconds: 2.0)
        #expect(stats.holdCount == 1)
        // The next contact's hold is a second one.
        stats.add(ReportTestData.event(.contact, .info, .start, .contact, atIndex: 420), sessionSeconds: 4.2)
        stats.add(ReportTestData.event(.hold, .info, .start, .holdNotice, atIndex: 440), sessionSeconds: 4.4)
        #expect(stats.holdCount == 2)
    }

    @Test func alertsAreCappedButCounted() {
        var stats = SessionStatistics()
        let event = ReportTestData.event(.jump, .caution, .instant, .jump, atIndex: 150)
        for _ in 0..<(SessionStatistics.maximumKeptAlertCount + 5) { stats.add(event, sessionSeconds: 1.5) }
        #expect(stats.alerts.count == SessionStatistics.maximumKeptAlertCount)
        #expect(stats.alertCount == SessionStatistics.maximumKeptAlertCount + 5)
    }

    @Test func aGapLongerThanASecondIsNotContactTime() {
        var report = SessionStatistics()
        var first = ReportTestData.reading(index: 150)
        first.deviceTimeMicroseconds = 0
        var second = first
        second.deviceTimeMicroseconds = 5_000_000
        report.add(first)
        report.add(second)
        #expect(report.contactSeconds == 0)
        #expect(report.durationSeconds == 5)
    }

    @Test func envelopeStaysBoundedAndKeepsThePeak() {
        // An 8-hour session at 100 Hz: 2.88 million values, one 900 N spike in the middle.
        var envelope = ForceEnvelope()
        let count = 8 * 3600 * 100
        for index in 0..<count {
            envelope.add(forceNewtons: index == count / 2 ? 900 : 100, atMicroseconds: Int64(index) * 10_000)
        }
        #expect(envelope.buckets.count <= ForceEnvelope.maximumBucketCount)
        let columns = envelope.columns(800)
        #expect(columns.count == 800)
        #expect(columns.compactMap { $0?.maximumNewtons }.max() == 900)
        #expect(columns.compactMap { $0?.minimumNewtons }.min() == 100)
        #expect(columns.filter { $0?.maximumNewtons == 900 }.count == 1)
        #expect(columns.allSatisfy { $0 != nil })
    }
}
