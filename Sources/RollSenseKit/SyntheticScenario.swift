import Foundation
import RollSenseSignal
import RollSenseWire

/// A synthetic session for the virtual device: a sequence of segments, each ramping the total
/// load (percent of body weight) and the load centroid along the roller, with optional rolling
/// strokes on top. Deterministic: the same scenario gives the same samples on every run.
public struct SyntheticScenario: Codable, Sendable, Equatable {
    /// One stretch of the session.
    public struct Segment: Codable, Sendable, Equatable {
        /// What it shows (for people reading the scenario).
        public var label: String
        /// Its length in seconds.
        public var seconds: Double
        /// Total load at its start and end, in percent of body weight (linear in between).
        public var fromLoadPercent: Double
        public var toLoadPercent: Double
        /// Load centroid along the roller, in mm from its centre (negative: left), at start and end.
        public var fromCentroidMillimetres: Double
        public var toCentroidMillimetres: Double
        /// Rolling strokes: amplitude in percent of body weight and frequency (0: none).
        public var strokePercent: Double
        public var strokeHertz: Double
        /// Width of the load along the roller in mm, spread evenly about the centroid over the
        /// rig's segments (docs/HARDWARE.md); absent or 0: a point load shared by the two cells
        /// either side of it. A back across the roller is about 300 mm wide.
        public var spreadMillimetres: Double?
        /// A sensor fault for the whole segment, as the firmware shows it (absent: none).
        public var fault: Fault?

        /// A failing sensor on one channel, played as the firmware plays it (docs/PROTOCOL.md, FAULT).
        public struct Fault: Codable, Sendable, Equatable {
            /// What goes wrong.
            public enum Kind: String, Codable, Sendable, CaseIterable {
                /// The reading sits at the HX711's full scale (0x7FFFFF), with SATURATED faults.
                case saturated
                /// The HX711 stopped converting (unplugged, unpowered): its last reading repeats,
                /// with SENSOR_NOT_READY faults once it is 100 ms late.
                case notReady
                /// The reading froze with no fault from the board (a wedged ADC, a broken wire on a
                /// board that cannot tell): only the host's flat-line check can see it.
                case stuck
            }
            /// What goes wrong.
            public var kind: Kind
            /// The channel, 0 to 3.
            public var channel: Int

            /// Makes a fault.
            public init(_ kind: Kind, channel: Int) {
                self.kind = kind
                self.channel = channel
            }
        }

        /// Makes a segment.
        public init(_ label: String, seconds: Double, load: (Double, Double), centroid: (Double, Double),
                    strokePercent: Double = 0, strokeHertz: Double = 0, spread: Double? = nil) {
            self.label = label
            self.seconds = seconds
            fromLoadPercent = load.0
            toLoadPercent = load.1
            fromCentroidMillimetres = centroid.0
            toCentroidMillimetres = centroid.1
            self.strokePercent = strokePercent
            self.strokeHertz = strokeHertz
            spreadMillimetres = spread
        }
    }

    /// The person's body mass in kilograms.
    public var bodyMassKilograms: Double
    /// Samples per second the device starts with.
    public var sampleRateHz: Int
    /// Whether the session starts again after its last segment.
    public var repeats: Bool
    /// Peak-to-peak sensor noise in newtons per channel.
    public var noiseNewtons: Double
    /// The stretches, in order.
    public var segments: [Segment]
    /// Plays a foreign Serial Plotter sketch instead of a RollSense board: tab-separated
    /// `chN_N:value` lines in newtons, no HELLO, commands ignored (absent: false).
    public var textMode: Bool?
    /// Lines such a sketch printed before the port was opened, sent in one burst when it is
    /// (absent: 0).
    public var startupBurstLines: Int?
    /// Seconds since the start at which the person presses the board's pain button (a BUTTON
    /// frame, docs/PROTOCOL.md); absent: never.
    public var painButtonSeconds: [Double]?
    /// The roller's radius in mm when the board also plays the reference roller's AS5600
    /// (Hardware/rigs/roller.json): its angle follows the contact's travel along the back
    /// (`contactPositionMillimetres`); absent: no rotation sensor.
    public var rollerRadiusMillimetres: Double?

    /// Makes a scenario.
    public init(bodyMassKilograms: Double, sampleRateHz: Int, repeats: Bool, noiseNewtons: Double, segments: [Segment]) {
        self.bodyMassKilograms = bodyMassKilograms
        self.sampleRateHz = sampleRateHz
        self.repeats = repeats
        self.noiseNewtons = noiseNewtons
        self.segments = segments
    }

    /// Load-cell positions along the roller, mm from its centre: the default profile's layout.
    public static let channelPositionsMillimetres: [Double] = Profile.foamRollerLowerBack.spine.channelPositionsMillimetres

    /// A foam roller under the lower back of a 75 kg person, built so that the default profile's
    /// alerts fire within the first minute: ordinary rolling (Baumgart et al. 2019: 32-34 % of
    /// body weight; 0.3 Hz strokes) stays target, a narrow load on the centre line warns of the
    /// spine, and a sudden push to 70 % (past the 65 % stop) is a jump and a stop. The 8 s hold is
    /// under the 90 s still-hold limit.
    public static let lowerBackRoller = SyntheticScenario(
        bodyMassKilograms: 75, sampleRateHz: 80, repeats: true, noiseNewtons: 1,
        segments: [
            Segment("rest, nothing on the roller", seconds: 1, load: (0, 0), centroid: (-90, -90)),
            Segment("approach: lowering onto the roller", seconds: 1, load: (0, 28), centroid: (-90, -90)),
            Segment("rolling strokes left of the spine", seconds: 18, load: (28, 28), centroid: (-90, -90),
                    strokePercent: 5, strokeHertz: 0.3),
            Segment("a hold on one spot", seconds: 8, load: (30, 30), centroid: (-90, -70)),
            Segment("load drifting onto the spine", seconds: 3, load: (30, 32), centroid: (-70, 0)),
            Segment("on the spine centre line", seconds: 5, load: (32, 32), centroid: (0, 5)),
            Segment("moving to the right side", seconds: 3, load: (32, 30), centroid: (5, 90)),
            Segment("sudden push: over-pressure", seconds: 0.15, load: (30, 70), centroid: (90, 90)),
            Segment("over the stop level", seconds: 3, load: (70, 70), centroid: (90, 90)),
            Segment("easing off", seconds: 2, load: (70, 28), centroid: (90, 90)),
            Segment("rolling strokes right of the spine", seconds: 18.35, load: (28, 28), centroid: (90, 90),
                    strokePercent: 5, strokeHertz: 0.3),
            Segment("lift-off", seconds: 1, load: (28, 0), centroid: (90, 90)),
            Segment("rest", seconds: 6, load: (0, 0), centroid: (90, 90)),
        ])

    /// Total length of one pass, in seconds.
    public var periodSeconds: Double { segments.reduce(0) { $0 + $1.seconds } }

    /// Checks the values; the error names the key.
    public func validate() throws(ScenarioError) {
        guard bodyMassKilograms > 0, bodyMassKilograms.isFinite else { throw ScenarioError(key: "bodyMassKilograms", problem: "must be a positive number") }
        guard (1...1000).contains(sampleRateHz) else { throw ScenarioError(key: "sampleRateHz", problem: "must be 1 to 1000") }
        guard noiseNewtons >= 0, noiseNewtons.isFinite else { throw ScenarioError(key: "noiseNewtons", problem: "must be zero or more") }
        if let radius = rollerRadiusMillimetres {
            guard radius > 0, radius <= 500 else { throw ScenarioError(key: "rollerRadiusMillimetres", problem: "must be above 0 and at most 500 mm") }
            guard textMode != true else { throw ScenarioError(key: "rollerRadiusMillimetres", problem: "needs a RollSense board (a text sketch sends no angle)") }
        }
        if let lines = startupBurstLines {
            guard (0...10_000).contains(lines) else { throw ScenarioError(key: "startupBurstLines", problem: "must be 0 to 10000") }
        }
        guard !segments.isEmpty else { throw ScenarioError(key: "segments", problem: "needs at least one segment") }
        if let presses = painButtonSeconds {
            guard textMode != true || presses.isEmpty else { throw ScenarioError(key: "painButtonSeconds", problem: "needs a RollSense board (a text sketch has no button)") }
            for (i, t) in presses.enumerated() where !(t >= 0 && t.isFinite) {
                throw ScenarioError(key: "painButtonSeconds[\(i)]", problem: "must be zero or more seconds")
            }
        }
        for (i, s) in segments.enumerated() {
            guard s.seconds > 0, s.seconds.isFinite else { throw ScenarioError(key: "segments[\(i)].seconds", problem: "must be positive") }
            for (key, v) in [("fromLoadPercent", s.fromLoadPercent), ("toLoadPercent", s.toLoadPercent), ("strokePercent", s.strokePercent)] {
                guard v >= 0, v <= 300 else { throw ScenarioError(key: "segments[\(i)].\(key)", problem: "must be 0 to 300") }
            }
            for (key, v) in [("fromCentroidMillimetres", s.fromCentroidMillimetres), ("toCentroidMillimetres", s.toCentroidMillimetres)] {
                guard abs(v) <= 150 else { throw ScenarioError(key: "segments[\(i)].\(key)", problem: "must be within -150 to 150 mm (the outer load cells)") }
            }
            guard s.strokeHertz >= 0, s.strokeHertz <= 10 else { throw ScenarioError(key: "segments[\(i)].strokeHertz", problem: "must be 0 to 10") }
            if let fault = s.fault {
                guard (0..<4).contains(fault.channel) else { throw ScenarioError(key: "segments[\(i)].fault.channel", problem: "must be 0 to 3") }
                guard textMode != true else { throw ScenarioError(key: "segments[\(i)].fault", problem: "needs a RollSense board (a text sketch sends no FAULT frames)") }
            }
            if let w = s.spreadMillimetres {
                guard w >= 0, w <= 400 else { throw ScenarioError(key: "segments[\(i)].spreadMillimetres", problem: "must be 0 to 400") }
            }
        }
    }

    /// Loads a scenario from a JSON file.
    public static func load(path: String) throws(ScenarioError) -> SyntheticScenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(key: path, problem: "cannot be read: check the path")
        }
        let scenario: SyntheticScenario
        do {
            scenario = try JSONDecoder().decode(SyntheticScenario.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ScenarioError(key: (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."), problem: "is missing")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw ScenarioError(key: context.codingPath.map(\.stringValue).joined(separator: "."), problem: "has a value it does not know (\(context.debugDescription))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ScenarioError(key: context.codingPath.map(\.stringValue).joined(separator: "."), problem: "has the wrong type")
        } catch {
            throw ScenarioError(key: path, problem: "is not valid JSON (\(error.localizedDescription))")
        }
        try scenario.validate()
        return scenario
    }

    /// The segment playing at `seconds` since the start and the time into it; nil after the
    /// end of a scenario that does not repeat.
    func segment(atSeconds seconds: Double) -> (segment: Segment, intoSeconds: Double)? {
        let period = periodSeconds
        var t = seconds
        if repeats { t = t.truncatingRemainder(dividingBy: period) } else if t >= period { return nil }
        var start = 0.0
        for candidate in segments {
            if t < start + candidate.seconds { return (candidate, t - start) }
            start += candidate.seconds
        }
        return (segments[segments.count - 1], t - start + segments[segments.count - 1].seconds)
    }

    /// The sensor fault at `seconds` since the start, if any.
    public func fault(atSeconds seconds: Double) -> Segment.Fault? {
        segment(atSeconds: seconds)?.segment.fault
    }

    /// Half of a rolling stroke's travel along the back, in mm: 12 cm passes, as the recorded
    /// rotation fixture's (Fixtures/README.md, `roller-rotation`).
    public static let strokeHalfTravelMillimetres = 60.0

    /// Where the roller touches the back, mm along it from where the session began: each stroke
    /// moves it back and forth by `strokeHalfTravelMillimetres` in step with the load's swing; a
    /// hold keeps it. Continuous across segments and repeats, so the roller never jumps.
    public func contactPositionMillimetres(atSeconds seconds: Double) -> Double {
        func travel(_ segment: Segment, _ into: Double) -> Double {
            segment.strokeHertz > 0 ? Self.strokeHalfTravelMillimetres * sin(2 * Double.pi * segment.strokeHertz * into) : 0
        }
        let period = periodSeconds
        var t = seconds
        var position = 0.0
        if repeats && period > 0 {
            let passes = (t / period).rounded(.down)
            position = passes * segments.reduce(0) { $0 + travel($1, $1.seconds) }
            t -= passes * period
        }
        var start = 0.0
        for segment in segments {
            if t < start + segment.seconds { return position + travel(segment, t - start) }
            position += travel(segment, segment.seconds)
            start += segment.seconds
        }
        return position
    }

    /// Force per channel in newtons at `seconds` since the start (noise not included).
    public func channelForcesNewtons(atSeconds seconds: Double) -> SIMD4<Double> {
        guard let (segment, into) = segment(atSeconds: seconds) else { return .zero }
        let fraction = min(max(into / segment.seconds, 0), 1)
        var percent = segment.fromLoadPercent + (segment.toLoadPercent - segment.fromLoadPercent) * fraction
        if segment.strokeHertz > 0 {
            percent += segment.strokePercent * sin(2 * Double.pi * segment.strokeHertz * into)
        }
        let total = max(0, percent) / 100 * bodyMassKilograms * standardGravityMetresPerSecondSquared
        let centroid = segment.fromCentroidMillimetres + (segment.toCentroidMillimetres - segment.fromCentroidMillimetres) * fraction
        if let spread = segment.spreadMillimetres, spread > 0 {
            return Self.spread(total, centroidMillimetres: centroid, widthMillimetres: spread)
        }
        return Self.split(total, centroidMillimetres: centroid)
    }

    /// Half the length of roller each load cell carries on the segmented reference rig: the
    /// cells sit at the centres of 100 mm segments (docs/HARDWARE.md).
    static let segmentHalfWidthMillimetres = 50.0

    /// Shares an evenly spread load of `widthMillimetres` about the centroid among the segments
    /// by overlap; load past the outer segments' ends goes to the outer segment.
    static func spread(_ total: Double, centroidMillimetres: Double, widthMillimetres: Double) -> SIMD4<Double> {
        let positions = channelPositionsMillimetres
        let low = centroidMillimetres - widthMillimetres / 2, high = centroidMillimetres + widthMillimetres / 2
        var forces = SIMD4<Double>.zero
        for (i, p) in positions.enumerated() {
            let segmentLow = i == 0 ? -Double.infinity : p - segmentHalfWidthMillimetres
            let segmentHigh = i == positions.count - 1 ? Double.infinity : p + segmentHalfWidthMillimetres
            let overlap = max(0, min(high, segmentHigh) - max(low, segmentLow))
            forces[i] = total * overlap / widthMillimetres
        }
        return forces
    }

    /// Shares `total` between the two load cells either side of the centroid, so the pipeline's
    /// centroid (force-weighted mean position) comes out at `centroidMillimetres` exactly.
    static func split(_ total: Double, centroidMillimetres: Double) -> SIMD4<Double> {
        let positions = channelPositionsMillimetres
        var forces = SIMD4<Double>.zero
        let c = min(max(centroidMillimetres, positions[0]), positions[positions.count - 1])
        var left = 0
        while left < positions.count - 2 && c > positions[left + 1] { left += 1 }
        let share = (c - positions[left]) / (positions[left + 1] - positions[left])
        forces[left] = total * (1 - share)
        forces[left + 1] = total * share
        return forces
    }
}

/// A scenario value that is out of range or missing; `key` names it.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON key (or file) at fault.
    public var key: String
    /// What is wrong with it.
    public var problem: String
    /// One line naming the key.
    public var description: String { "Scenario \(key) \(problem)." }
}
