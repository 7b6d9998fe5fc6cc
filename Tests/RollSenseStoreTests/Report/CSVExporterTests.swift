import RollSenseSignal
import RollSenseStore
import RollSenseWire
import Testing

@Suite("CSVExporter")
struct CSVExporterTests {
    @Test func headerNamesEveryChannel() {
        #expect(CSVExporter(channelCount: 2).header == "time_s,raw_0,raw_1,force_n,pressure_kpa,zone,zone_now,contact,area")
        #expect(CSVExporter(channelCount: 4).header.split(separator: ",").count == 11)
    }

    @Test func rowHoldsTheKnownValues() {
        let exporter = CSVExporter(channelCount: 2)
        let sample = Sample(sequence: 7, deviceTimeMicroseconds: 1_500_000, channelCount: 2, values: SIMD4(-1500, 8_388_607, 0, 0))
        let reading = ReportTestData.reading(index: 150)
        let row = exporter.row(sample: sample, reading: reading, sessionSeconds: 1.5)
        #expect(row == "1.500000,-1500,8388607,100.000,10.000,target,target,1,lower-back.left")
    }

    /// As the terminal and the page show it: the alarms' zone (a stop alert still latched) and
    /// the load's zone this instant, each in its own column.
    @Test func heldZoneAndZoneNowAreTheirOwnColumns() {
        let sample = Sample(sequence: 7, deviceTimeMicroseconds: 1_500_000, channelCount: 1, values: SIMD4(1, 0, 0, 0))
        var reading = ReportTestData.reading(index: 150)
        reading.zone = .stop
        reading.currentZone = .target
        #expect(CSVExporter(channelCount: 1).row(sample: sample, reading: reading, sessionSeconds: 1.5).contains(",stop,target,1,"))
    }

    @Test func positionColumnsWithARotationSensor() {
        let exporter = CSVExporter(channelCount: 2, hasPosition: true)
        #expect(exporter.header.hasSuffix(",area,angle_counts,position_mm,band,still,drift_bound_mm"))
        let sample = Sample(sequence: 7, deviceTimeMicroseconds: 1_500_000, channelCount: 2, values: SIMD4(1, 2, 0, 0),
                            extras: ExtraReadings(count: 1, values: SIMD4(3071, 0, 0, 0)))
        var reading = ReportTestData.reading(index: 150)
        reading.position = PositionReading(millimetres: 43.25, band: 2, isStill: true, driftBoundMillimetres: 1.1,
                                           reanchors: 0, strokes: 3)
        #expect(exporter.row(sample: sample, reading: reading, sessionSeconds: 1.5).hasSuffix(",lower-back.left,3071,43.3,2,1,1.1"))
        // No angle this sample (the sensor failed) and no position: empty cells, never a zero.
        let failed = Sample(sequence: 8, deviceTimeMicroseconds: 1_510_000, channelCount: 2, values: SIMD4(1, 2, 0, 0),
                            extras: ExtraReadings(count: 1, values: SIMD4(-1, 0, 0, 0)))
        reading.position = .unknown
        #expect(exporter.row(sample: failed, reading: reading, sessionSeconds: 1.51).hasSuffix(",lower-back.left,,,,,"))
    }

    @Test func missingChannelIsAnEmptyCell() {
        let exporter = CSVExporter(channelCount: 2)
        let sample = Sample(sequence: 0, deviceTimeMicroseconds: 0, channelCount: 1, values: SIMD4(12.25, 0, 0, 0), quantity: .rawCounts)
        let row = exporter.row(sample: sample, reading: ReportTestData.reading(index: 0), sessionSeconds: 0)
        #expect(row == "0.000000,12.250000,,0.000,0.000,none,none,0,lower-back.left")
    }
}
