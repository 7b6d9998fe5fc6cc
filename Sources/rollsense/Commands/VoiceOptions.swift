import ArgumentParser

/// Spoken cues and the pressure tone, shared by `live`, `record`, `demo` and `replay`.
struct VoiceOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Speak short cues (\"Ease off\", \"Move off the spine\"). Default: on for live sessions and the demo when a sound device exists, off for replay.")
    var voice: Bool?

    @Flag(help: "A parking-sensor tone for pressure: silent in target, slow beeps in caution, continuous in stop.")
    var tone = false

    @Option(help: ArgumentHelp("Speech rate in words per minute, \(VoiceSettings.wordsPerMinuteRange.lowerBound)-\(VoiceSettings.wordsPerMinuteRange.upperBound). Default: \(VoiceSettings.defaultWordsPerMinute).", valueName: "wpm"))
    var voiceRate: Int?

    @Option(help: ArgumentHelp("espeak-ng voice for the cues (`espeak-ng --voices` lists them; the phrases are English). Default: \(VoiceSettings.defaultLanguage).", valueName: "voice"))
    var language: String?

    @Option(help: ArgumentHelp("Also render every cue and tone, at its session time, to this WAV file (written whole or not at all).", valueName: "file.wav"))
    var audioOut: String?

    @Option(help: ArgumentHelp("ALSA device to play on (`aplay -L` lists them). Default: default.", valueName: "name"))
    var audioDevice: String?

    func validate() throws {
        if let voiceRate, !VoiceSettings.wordsPerMinuteRange.contains(voiceRate) {
            throw ValidationError("--voice-rate must be \(VoiceSettings.wordsPerMinuteRange.lowerBound) to \(VoiceSettings.wordsPerMinuteRange.upperBound) words per minute (got \(voiceRate)).")
        }
        if let audioOut, !audioOut.lowercased().hasSuffix(".wav") {
            throw ValidationError("--audio-out writes a WAV file: give it a name ending in .wav (got '\(audioOut)').")
        }
        if let language, language.isEmpty { throw ValidationError("--language needs an espeak-ng voice name, such as en or en-us.") }
        if let audioDevice, audioDevice.isEmpty { throw ValidationError("--audio-device needs an ALSA device name, such as default.") }
    }
}
