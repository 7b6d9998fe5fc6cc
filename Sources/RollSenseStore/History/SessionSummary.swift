import Foundation
import RollSenseSignal
import RollSenseWire

/// Where a session's bytes came from.
public enum SessionSource: String, Sendable, Equatable {
    /// A device, as it happened.
    case live
    /// A capture file played back (recorded in the history only when asked).
    case replay
}

/// A stretch of time with the tool in contact with one body area.
public struct ContactInterval: Sendable, Equatable {
    /// Body area touched.
    public var area: String
    /// When contact began.
    public var start: Date
    /// When contact ended.
    public var end: Date

    /// Makes an interval.
    public init(area: String, start: Date, end: Date) {
        self.area = area
        self.start = start
        self.end = end
    }
}

/// Contact on one band of the back in one session (rotation sensor): the band runs from
/// `fromMillimetres` to `fromMillimetres + widthMillimetres` measured from where the session's
/// first contact began, since nothing tells where on the back that was.
public struct BandContact: Sendable, Equatable {
    /// Start of the band from the session's first contact, in millimetres (negative: below it).
    public var fromMillimetres: Double
    /// For a ball's grid cell, its start across the back from the first contact (the cell is
    /// `widthMillimetres` square); nil for a band.
    public var acrossFromMillimetres: Double? = nil
    /// Width of the band, in millimetres.
    public var widthMillimetres: Double
    /// Seconds of contact on the band.
    public var contactSeconds: Double
    /// Highest pressure read on the band, in kilopascals (an estimate, as everywhere).
    public var peakKilopascals: Double

    /// Makes a band's totals.
    public init(fromMillimetres: Double, widthMillimetres: Double, contactSeconds: Double, peakKilopascals: Double) {
        self.fromMillimetres = fromMillimetres
        self.widthMillimetres = widthMillimetres
        self.contactSeconds = contactSeconds
        self.peakKilopascals = peakKilopascals
    }
}

/// What the ledger keeps about one session.
public struct SessionSummary: Sendable, Equatable {
    /// Wall-clock start.
    public var start: Date
    /// Wall-clock end; nil while the session runs.
    public var end: Date?
    /// The host's time zone, which decides the local day each second of contact counts for.
    public var timeZone: TimeZone
    /// The device's id from its HELLO, as text.
    public var deviceID: String?
    /// Body area chosen for the session.
    public var area: String?
    /// Tool used.
    public var tool: String?
    /// Safety profile name.
    public var profileName: String?
    /// Live or replay.
    public var source: SessionSource
    /// Capture file written or replayed, if any.
    public var capturePath: String?
    /// The recording's own id (`CaptureMetadata.recordingID`): a recording is in the ledger once.
    public var recordingID: String?
    /// Largest force seen, newtons.
    public var peakForceNewtons: Double?
    /// Mean force during contact, newtons.
    public var meanForceNewtons: Double?
    /// Largest pressure seen, kilopascals.
    public var peakPressureKilopascals: Double?
    /// Alerts raised.
    public var alertCount: Int
    /// Holds counted.
    public var holdCount: Int
    /// Contact intervals, added to the daily totals when the summary is recorded.
    public var contacts: [ContactInterval]
    /// Contact per band of the back (empty without a rotation sensor), added to the day the
    /// session began when the summary is recorded.
    public var bands: [BandContact]
    /// Contact per grid cell of a ball's 2-D position (empty otherwise), kept as the bands are.
    public var cells: [BandContact] = []

    /// Makes a summary.
    public init(
        start: Date, end: Date? = nil, timeZone: TimeZone, deviceID: String? = nil, area: String? = nil,
        tool: String? = nil, profileName: String? = nil, source: SessionSource, capturePath: String? = nil,
        peakForceNewtons: Double? = nil, meanForceNewtons: Double? = nil, peakPressureKilopascals: Double? = nil,
        alertCount: Int = 0, holdCount: Int = 0, contacts: [ContactInterval] = [], bands: [BandContact] = [],
        recordingID: String? = nil
    ) {
        self.recordingID = recordingID
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.deviceID = deviceID
        self.area = area
        self.tool = tool
        self.profileName = profileName
        self.source = source
        self.capturePath = capturePath
        self.peakForceNewtons = peakForceNewtons
        self.meanForceNewtons = meanForceNewtons
        self.peakPressureKilopascals = peakPressureKilopascals
        self.alertCount = alertCount
        self.holdCount = holdCount
        self.contacts = contacts
        self.bands = bands
    }
}

/// One row of the history: contact time on one area during one local day.
public struct DailyAreaTotal: Sendable, Equatable {
    /// The local day.
    public var day: LocalDay
    /// The body area.
    public var area: String
    /// Seconds of contact that fell in that day.
    public var contactSeconds: Double

    /// Makes a row.
    public init(day: LocalDay, area: String, contactSeconds: Double) {
        self.day = day
        self.area = area
        self.contactSeconds = contactSeconds
    }
}

/// One row of the per-spot history: contact on one band of the back, on one area, during one
/// local day, summed over that day's sessions (each measured from its own first contact).
public struct DailyBandTotal: Sendable, Equatable {
    /// The local day the sessions began.
    public var day: LocalDay
    /// The body area.
    public var area: String
    /// The band, as in `BandContact`.
    public var fromMillimetres: Double
    /// A ball's grid cell's start across the back, as in `BandContact`; nil for a band.
    public var acrossFromMillimetres: Double? = nil
    /// Width of the band, in millimetres.
    public var widthMillimetres: Double
    /// Seconds of contact on the band that day.
    public var contactSeconds: Double
    /// Highest pressure read on the band that day, in kilopascals.
    public var peakKilopascals: Double

    /// Makes a row.
    public init(day: LocalDay, area: String, fromMillimetres: Double, widthMillimetres: Double, contactSeconds: Double, peakKilopascals: Double) {
        self.day = day
        self.area = area
        self.fromMillimetres = fromMillimetres
        self.widthMillimetres = widthMillimetres
        self.contactSeconds = contactSeconds
        self.peakKilopascals = peakKilopascals
    }
}

/// A session as stored, with its id.
public struct StoredSession: Sendable, Equatable {
    /// Row id in the ledger.
    public var id: Int64
    /// What was stored.
    public var summary: SessionSummary
    /// Total contact seconds recorded for the session.
    public var contactSeconds: Double
}

extension SessionSummary {
    /// The ledger's row for a session's figures, `start` being the wall clock of its first
    /// sample: live and replay record the same fields the same way.
    public init(
        statistics: SessionStatistics, start: Date, timeZone: TimeZone, deviceInfo: DeviceInfo?, profile: Profile,
        source: SessionSource, capturePath: String?, recordingID: String? = nil
    ) {
        let region = profile.region.rawValue
        self.init(
            start: start, end: start.addingTimeInterval(statistics.durationSeconds), timeZone: timeZone,
            deviceID: deviceInfo.map { String($0.deviceID, radix: 16) }, area: region, tool: profile.tool.rawValue,
            profileName: profile.name, source: source, capturePath: capturePath,
            peakForceNewtons: statistics.peakForceNewtons, meanForceNewtons: statistics.meanForceNewtons,
            peakPressureKilopascals: statistics.peakPressureKilopascals, alertCount: statistics.alertCount,
            holdCount: statistics.holdCount,
            contacts: statistics.contactIntervals.map {
                ContactInterval(area: region, start: start.addingTimeInterval($0.startSeconds), end: start.addingTimeInterval($0.endSeconds))
            },
            bands: statistics.positionBands.sorted { $0.key < $1.key }.map { band, totals in
                BandContact(fromMillimetres: Double(band) * statistics.bandMillimetres, widthMillimetres: statistics.bandMillimetres,
                            contactSeconds: totals.seconds, peakKilopascals: totals.peakKilopascals)
            },
            recordingID: recordingID)
        cells = statistics.positionCells.sorted { $0.key < $1.key }.map { cell, totals in
            var contact = BandContact(fromMillimetres: Double(cell.band) * statistics.bandMillimetres, widthMillimetres: statistics.bandMillimetres,
                                      contactSeconds: totals.seconds, peakKilopascals: totals.peakKilopascals)
            contact.acrossFromMillimetres = Double(cell.column) * statistics.bandMillimetres
            return contact
        }
    }
}
