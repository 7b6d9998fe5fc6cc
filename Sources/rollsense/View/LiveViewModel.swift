import RollSenseSignal

/// How a zone is drawn: its colour and the words shown for it.
enum ZoneStyle: String, Sendable, CaseIterable {
    case none, light, target, caution, stop, fault

    /// ANSI SGR colour code of the zone's band and label.
    var ansiColor: String {
        switch self {
        case .none: "2"  // dim
        case .light: "36"  // cyan
        case .target: "32"  // green
        case .caution: "33"  // yellow
        case .stop: "31"  // red
        case .fault: "35"  // magenta
        }
    }
}

/// Everything the live view shows at one redraw; built from the pipeline's latest reading.
struct LiveViewModel: Sendable {
    /// One band of the gauge: where it starts in the gauge's unit (`gaugeUnit`: kPa or N), and its zone.
    struct Band: Sendable, Equatable {
        var fromGaugeValue: Double
        var style: ZoneStyle
    }

    var title: String
    var forceNewtons: Double
    var pressureKilopascals: Double
    /// The value on the gauge: pressure for kPa zones, force for newton zones.
    var gaugeValue: Double
    /// "kPa" or "N".
    var gaugeUnit: String
    /// The zone of the load now.
    var zone: ZoneStyle
    var zoneLabel: String
    /// A caution or stop alert still latched (or waiting out its off-delay) above the zone now:
    /// shown beside it, never as it.
    var latchedAlert: ZoneStyle? = nil
    /// Bands in rising order, in the gauge's unit; the last runs to `gaugeMaximumValue`.
    var bands: [Band]
    /// The gauge's full scale, in its unit.
    var gaugeMaximumValue: Double
    var inContact: Bool
    var holdSeconds: Double
    var areaName: String
    var dailySeconds: Double
    var dailyLimitSeconds: Double
    /// Today's total at which the daily bar turns to caution (the profile's daily warning).
    var dailyWarningSeconds: Double
    var sessionSeconds: Double
    /// Recent gauge values (pressure or force, as `gaugeValue`), oldest first, for the sparkline.
    var recentGaugeValues: [Double]
    /// The active alert in plain words, if any, and how serious it is.
    var alert: (text: String, style: ZoneStyle)?
    /// The alert's shorter forms, longest first, the last at most `EventWording.shortestFormCharacters`: a terminal under
    /// 40 columns shows the longest that fits rather than cutting a word.
    var alertShortForms: [String] = []
    /// A status line about the connection ("disconnected, waiting for the board").
    var linkStatus: String?
    /// The signal is lost: the pressure, zone and hold are old and must not look current.
    var stale: Bool = false
    /// Whether the rig can see a load on the spine (else the view says it cannot tell).
    var spineObservable = true
    /// Whether to flash the screen this redraw (an alert just started).
    var flash: Bool
    /// Where the tool is on the back (rotation sensor), nil without one.
    var position: PositionReading? = nil
    /// Contact seconds per band of the back so far, and the band width.
    var bandSeconds: [Int: Double] = [:]
    var bandMillimetres = 20.0
    /// A ball's contact seconds per grid cell so far (cells `bandMillimetres` square).
    var cellSeconds: [PositionCell: Double] = [:]
    /// Why cues are not heard ("no sound device: cues are off"), shown for the whole session:
    /// the line printed before the view opened is hidden by it.
    var soundNote: String? = nil
    /// The stop limit and where it came from, under the title.
    var limitsLine: String? = nil
    /// The last pain mark, confirmed with its force and how to undo it.
    var painNote: String? = nil
    /// A sensor fault still open while a more serious alert holds the banner: shown beside it,
    /// never hidden (a fault can make the tool more careful, never quieter).
    var faultBeside: String? = nil
    /// What a text sketch's values became, longest wording first; the header shows the longest
    /// that fits (empty for a RollSense board).
    var sourcePhrases: [String] = []
}
