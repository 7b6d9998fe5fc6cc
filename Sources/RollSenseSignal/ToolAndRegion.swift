/// A value a person types and every output shows (JSON, CSV, the ledger, text) in one spelling,
/// kebab-case as Linux tools and the profile names are (`foam-roller`, `lower-back`). Captures,
/// profiles and ledgers written before that used camelCase (`foamRoller`) and still read.
public protocol Spelled: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

extension Spelled {
    /// The one spelling shown and written: the raw value.
    public var spelling: String { rawValue }

    /// The case spelled `text` as typed or stored, in any letter case: `lower-back`, or the old
    /// `lowerBack`.
    public init?(spelling text: String) {
        let typed = text.lowercased()
        guard let found = Self.allCases.first(where: { $0.rawValue == typed || Self.oldSpellingKey($0.rawValue) == typed }) else { return nil }
        self = found
    }

    /// Every spelling accepted, in the order of the cases.
    public static var spellings: [String] { allCases.map(\.rawValue) }

    /// `lower-back` -> `lowerback`: the old camelCase spelling, letter case aside.
    static func oldSpellingKey(_ spelling: String) -> String {
        String(spelling.filter { $0 != "-" })
    }

    /// Decodes the spelling or the old camelCase one; an unknown value is a data error naming it.
    static func decodeSpelling(from decoder: any Decoder) throws -> Self {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(spelling: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "'\(text)' is not one of \(spellings.joined(separator: ", "))")
        }
        return value
    }
}

/// The tool pressed against the body; it decides the contact-area model.
public enum Tool: String, Codable, Spelled {
    /// A foam roller (about 15 cm diameter).
    case foamRoller = "foam-roller"
    /// A rigid (hard plastic or "grid") roller.
    case rigidRoller = "rigid-roller"
    /// A tennis ball used as a massage ball.
    case tennisBall = "tennis-ball"
    /// A hard rubber (lacrosse) ball.
    case lacrosseBall = "lacrosse-ball"
    /// Anything else: the profile gives a fixed contact area.
    case custom

    /// Reads `foam-roller` and the older `foamRoller`.
    public init(from decoder: any Decoder) throws { self = try Self.decodeSpelling(from: decoder) }
}

/// The body region a profile is for; limits such as the daily time depend on it.
public enum BodyRegion: String, Codable, Spelled {
    /// Lumbar region, either side of the spine.
    case lowerBack = "lower-back"
    /// Thoracic region, either side of the spine.
    case upperBack = "upper-back"
    /// Gluteal muscles.
    case glutes
    /// Front, back or side of the thigh.
    case thigh
    /// Calf muscles.
    case calf

    /// Reads `lower-back` and the older `lowerBack`.
    public init(from decoder: any Decoder) throws { self = try Self.decodeSpelling(from: decoder) }
}
