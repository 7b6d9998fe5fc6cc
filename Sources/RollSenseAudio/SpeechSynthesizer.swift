import CEspeakNG
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Why speech could not be made; each case says what to do.
public enum SpeechError: Error, Sendable, Equatable, CustomStringConvertible {
    /// espeak-ng could not start (its data folder is missing).
    case unavailable
    /// No espeak-ng voice has this name; `known` lists some that exist.
    case unknownVoice(String, known: [String])
    /// Synthesis failed for a phrase.
    case synthesisFailed(String)

    /// One line: the cause and what to do.
    public var description: String {
        switch self {
        case .unavailable:
            return "espeak-ng could not start: install espeak-ng-data (Tools/setup.sh) or pass --no-voice."
        case .unknownVoice(let name, let known):
            // English first: the phrases are English.
            let shown = known.filter { $0.hasPrefix("en") } + known.filter { !$0.hasPrefix("en") }
            return "--language '\(name)' is not an espeak-ng voice; try one of \(shown.prefix(12).joined(separator: ", ")) (`espeak-ng --voices` lists all)."
        case .synthesisFailed(let text):
            return "espeak-ng could not synthesise \"\(text)\"."
        }
    }
}

/// Text to 16-bit mono PCM with espeak-ng, in this process (no sound device involved).
///
/// espeak-ng keeps one global state, so every call goes through one lock; phrases are made
/// before a session starts (`PhraseBank`), never on the reader's path.
public final class SpeechSynthesizer: Sendable {
    private static let engine = Mutex<Int?>(nil)

    /// espeak-ng's output rate (22 050 Hz for its voices).
    public let sampleRate: Int
    private let voice: String
    private let wordsPerMinute: Int

    /// Loudness below which a sample counts as silence when trimming (about -50 dBFS).
    static let silenceThreshold: Int16 = 100

    /// Prepares `voice` (an espeak-ng voice or language name, e.g. `en`, `en-us`, `de`) at
    /// `wordsPerMinute` (espeak-ng accepts 80-450).
    public init(voice: String, wordsPerMinute: Int) throws(SpeechError) {
        let rate: Int? = Self.engine.withLock { state in
            if state == nil {
                let rate = Int(rollsense_espeak_initialize())
                if rate > 0 { state = rate }
            }
            return state
        }
        guard let rate else { throw .unavailable }
        sampleRate = rate
        self.voice = voice
        self.wordsPerMinute = wordsPerMinute
        let found = Self.engine.withLock { _ in espeak_SetVoiceByName(voice) == EE_OK }
        guard found else { throw .unknownVoice(voice, known: Self.voiceNames()) }
    }

    /// The language names of espeak-ng's voices.
    public static func voiceNames() -> [String] {
        engine.withLock { _ -> [String] in
            guard var entry = espeak_ListVoices(nil) else { return [] }
            var names: [String] = []
            while let voice = entry.pointee {
                // `languages` is a priority byte followed by a NUL-terminated name, repeated.
                if let languages = voice.pointee.languages { names.append(String(cString: languages + 1)) }
                entry += 1
            }
            return names.sorted()
        }
    }

    /// Synthesises `text`, without the silence espeak-ng puts before and after it.
    public func synthesize(_ text: String) throws(SpeechError) -> [Int16] {
        var pcm = rollsense_pcm(samples: nil, count: 0, capacity: 0, failed: 0)
        defer { free(pcm.samples) }
        let result = Self.engine.withLock { _ -> Int32 in
            _ = espeak_SetVoiceByName(voice)
            _ = espeak_SetParameter(espeakRATE, Int32(wordsPerMinute), 0)
            return rollsense_espeak_synthesize(text, &pcm)
        }
        guard result == 0, let samples = pcm.samples, pcm.count > 0 else { throw .synthesisFailed(text) }
        let buffer = UnsafeBufferPointer(start: samples, count: Int(pcm.count))
        guard let first = buffer.firstIndex(where: { abs(Int32($0)) > Int32(Self.silenceThreshold) }),
              let last = buffer.lastIndex(where: { abs(Int32($0)) > Int32(Self.silenceThreshold) })
        else { throw .synthesisFailed(text) }
        return Array(buffer[first...last])
    }
}
