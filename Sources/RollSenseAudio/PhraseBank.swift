import RollSenseCues
import RollSenseSignal

/// Every phrase a session can say, synthesised before it starts: speaking then costs a lookup,
/// and the planner knows each phrase's exact length.
public struct PhraseBank: Sendable {
    /// Samples per second of every phrase.
    public let sampleRate: Int
    private let audio: [CuePhrase: [Int16]]
    /// Words joined into phrases whose number is known only in the session (`spokenParts`).
    private let parts: [String: [Int16]]

    /// Synthesises `phrases` with `synthesizer`, and the words of the pain confirmation.
    public init(phrases: [CuePhrase], synthesizer: SpeechSynthesizer) throws(SpeechError) {
        sampleRate = synthesizer.sampleRate
        var audio: [CuePhrase: [Int16]] = [:]
        for phrase in phrases where audio[phrase] == nil && phrase.spokenParts == nil {
            audio[phrase] = try synthesizer.synthesize(phrase.text)
        }
        var parts: [String: [Int16]] = [:]
        for word in CuePhrase.painNotedVocabulary where parts[word] == nil {
            parts[word] = try synthesizer.synthesize(word)
        }
        self.audio = audio
        self.parts = parts
    }

    /// espeak-ng's rate, used for a tone-only session too so both sound alike.
    public static let toneSampleRate = 22_050

    /// A bank with no phrases, for a tone without words.
    public init(sampleRate: Int) {
        self.sampleRate = sampleRate
        audio = [:]
        parts = [:]
    }

    /// The phrase's samples (empty for a phrase not made: it is then never said).
    public func samples(_ phrase: CuePhrase) -> [Int16] {
        guard let words = phrase.spokenParts else { return audio[phrase] ?? [] }
        let pieces = words.map { parts[$0] ?? [] }
        // A phrase missing a word is not said at all: never a number with a part left out.
        return pieces.contains(where: \.isEmpty) ? [] : Array(pieces.joined())
    }

    /// The phrase's length in microseconds.
    public func durationMicroseconds(_ phrase: CuePhrase) -> Int64 {
        Int64(samples(phrase).count) * 1_000_000 / Int64(sampleRate)
    }
}
