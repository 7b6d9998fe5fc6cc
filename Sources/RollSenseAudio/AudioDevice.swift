import CALSA
#if canImport(Glibc)
import Glibc
#endif

/// Why the sound device could not be used.
public enum AudioDeviceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ALSA has no such device, or it cannot be opened (no card, busy, no permission).
    case unavailable(device: String, reason: String)
    /// The device refused 16-bit mono at the speech rate.
    case unsupportedFormat(device: String, reason: String)

    /// One line: the cause.
    public var description: String {
        switch self {
        case .unavailable(let device, let reason): return "ALSA device '\(device)' cannot be opened: \(reason)"
        case .unsupportedFormat(let device, let reason): return "ALSA device '\(device)' refused 16-bit mono: \(reason)"
        }
    }
}

/// One ALSA playback stream, 16-bit mono. ALSA also reaches PipeWire and PulseAudio through
/// their ALSA plugins, so `default` is the desktop's sound server where there is one.
/// The corresponding C functions are `snd_pcm_open`, `snd_pcm_set_params`, `snd_pcm_writei`.
final class AudioDevice {
    /// How much audio ALSA may hold: a cue starts within this of being written.
    static let latencyMicroseconds: UInt32 = 60_000

    let name: String
    let sampleRate: Int
    private var pcm: OpaquePointer?

    init(name: String, sampleRate: Int) throws(AudioDeviceError) {
        rollsense_alsa_silence_errors()
        self.name = name
        self.sampleRate = sampleRate
        var handle: OpaquePointer?
        var result = snd_pcm_open(&handle, name, SND_PCM_STREAM_PLAYBACK, 0)
        guard result >= 0, let handle else { throw .unavailable(device: name, reason: Self.message(result)) }
        result = snd_pcm_set_params(handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                    UInt32(sampleRate), 1, Self.latencyMicroseconds)
        if result < 0 {
            snd_pcm_close(handle)
            throw .unsupportedFormat(device: name, reason: Self.message(result))
        }
        // snd_pcm_set_params starts playback only once the whole buffer is full, which would hold
        // a short phrase back: start as soon as one period is written instead.
        var software: OpaquePointer?
        if snd_pcm_sw_params_malloc(&software) >= 0, let software {
            var bufferFrames: snd_pcm_uframes_t = 0
            var periodFrames: snd_pcm_uframes_t = 0
            if snd_pcm_get_params(handle, &bufferFrames, &periodFrames) >= 0,
               snd_pcm_sw_params_current(handle, software) >= 0,
               snd_pcm_sw_params_set_start_threshold(handle, software, max(1, periodFrames)) >= 0 {
                _ = snd_pcm_sw_params(handle, software)
            }
            snd_pcm_sw_params_free(software)
        }
        pcm = handle
    }

    deinit { close() }

    /// Writes all of `samples`, recovering from an underrun (the stream idles between cues);
    /// throws when the device is gone.
    func write(_ samples: UnsafeBufferPointer<Int16>) throws(AudioDeviceError) {
        guard let pcm, let base = samples.baseAddress else { return }
        var offset = 0
        while offset < samples.count {
            let written = snd_pcm_writei(pcm, base + offset, snd_pcm_uframes_t(samples.count - offset))
            if written < 0 {
                let recovered = snd_pcm_recover(pcm, Int32(written), 1)
                if recovered < 0 { throw .unavailable(device: name, reason: Self.message(recovered)) }
                continue
            }
            offset += Int(written)
        }
    }

    /// Discards what ALSA still holds (a higher-ranked cue cuts in) and readies the stream.
    func discard() {
        guard let pcm else { return }
        snd_pcm_drop(pcm)
        snd_pcm_prepare(pcm)
    }

    /// Frames written but not yet played, or 0 when the device cannot say.
    func delayFrames() -> Int {
        guard let pcm else { return 0 }
        var delay: snd_pcm_sframes_t = 0
        return snd_pcm_delay(pcm, &delay) >= 0 ? Int(delay) : 0
    }

    func close() {
        if let pcm { snd_pcm_close(pcm) }
        pcm = nil
    }

    private static func message(_ code: Int32) -> String { String(cString: snd_strerror(code)) }
    private static func message(_ code: Int) -> String { message(Int32(code)) }
}
