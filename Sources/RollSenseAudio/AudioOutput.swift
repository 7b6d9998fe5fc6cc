import Foundation
import RollSenseCues
import RollSenseKit
import RollSenseSignal
import RollSenseSystem

/// What the output thread did, for the session's summary and the benchmark.
public struct AudioOutputStatistics: Sendable, Equatable {
    /// Cues whose first sample reached the device.
    public var cuesPlayed = 0
    /// Cues dropped because the queue was full or a higher-ranked cue cut in.
    public var cuesDropped = 0
    /// Per played cue: microseconds of host time from the event reaching the sink to ALSA
    /// accepting the cue's first sample.
    public var firstSampleLatenciesMicroseconds: [Int64] = []
    /// Set when the device failed mid-session (unplugged headset): cues stopped there.
    public var failure: AudioDeviceError?
}

/// Plays cues and the pressure tone on an ALSA device from its own thread.
///
/// The session's reader only ever appends to a bounded queue under a short lock: a slow or
/// stalled device drops cues, never samples. The thread writes 20 ms chunks and keeps at most
/// `AudioDevice.latencyMicroseconds` ahead of real time even on a device that never blocks
/// (ALSA's `null`), so a cue that cuts in is heard at once.
public final class AudioOutput: @unchecked Sendable {
    /// Cues waiting at most; one more drops the oldest of the lowest rank.
    public static let queueCapacity = 4
    static let chunkMicroseconds: Int64 = 20_000

    /// The ALSA device name it plays on.
    public let deviceName: String
    /// Samples per second.
    public let sampleRate: Int
    private let tone: Bool
    private let device: AudioDevice
    private let condition = NSCondition()
    private let finished = DispatchSemaphore(value: 0)

    private struct Queued {
        var samples: [Int16]
        var priority: CuePriority
        var eventHostMicroseconds: Int64
    }

    // Guarded by `condition`.
    private var queue: [Queued] = []
    private var interruptRequested = false
    private var zone: Zone = .none
    private var stopping = false
    private var statistics = AudioOutputStatistics()

    /// Opens `deviceName` (ALSA: `default`, `null`, `hw:0`, `plughw:1,0`, ...) and starts the thread.
    public init(deviceName: String, sampleRate: Int, tone: Bool) throws(AudioDeviceError) {
        device = try AudioDevice(name: deviceName, sampleRate: sampleRate)
        self.deviceName = deviceName
        self.sampleRate = sampleRate
        self.tone = tone
        Thread.detachNewThread { [self] in
            run()
            finished.signal()
        }
    }

    /// Queues a cue; never waits for the device. `interrupts` cuts off what is playing and
    /// everything queued. `eventHostMicroseconds` is `hostMonotonicMicroseconds()` when its event arrived.
    public func play(_ samples: [Int16], priority: CuePriority, interrupts: Bool, eventHostMicroseconds: Int64) {
        condition.lock()
        defer { condition.unlock() }
        if interrupts {
            statistics.cuesDropped += queue.count
            queue.removeAll(keepingCapacity: true)
            interruptRequested = true
        }
        if queue.count >= Self.queueCapacity {
            let lowest = queue.map(\.priority).min()!
            if priority < lowest {
                statistics.cuesDropped += 1
                return
            }
            queue.remove(at: queue.firstIndex { $0.priority == lowest }!)
            statistics.cuesDropped += 1
        }
        queue.append(Queued(samples: samples, priority: priority, eventHostMicroseconds: eventHostMicroseconds))
        condition.signal()
    }

    /// The pressure zone now, for the tone; cheap enough to call for every reading.
    public func setZone(_ zone: Zone) {
        condition.lock()
        if zone != self.zone {
            self.zone = zone
            condition.signal()
        }
        condition.unlock()
    }

    /// The figures so far, while it plays.
    public func statisticsSnapshot() -> AudioOutputStatistics {
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    /// Stops the thread (what is still queued is not played), closes the device, returns the figures.
    public func close() -> AudioOutputStatistics {
        condition.lock()
        let wasRunning = !stopping
        stopping = true
        condition.signal()
        condition.unlock()
        if wasRunning { finished.wait() }
        device.close()
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    private func run() {
        let chunkFrames = Int(Int64(sampleRate) * Self.chunkMicroseconds / 1_000_000)
        var chunk = [Int16](repeating: 0, count: chunkFrames)
        var current: Queued?
        var position = 0
        var currentReported = false
        var toneZone = Zone.none
        var zoneSample = 0
        var writtenUntil: Int64 = 0
        let lead = Int64(AudioDevice.latencyMicroseconds)
        let speechGain = PressureTone.speechGain(toneEnabled: tone)

        while true {
            condition.lock()
            while !stopping && !interruptRequested && current == nil && queue.isEmpty
                    && !(tone && PressureTone.pattern(for: zone) != nil) {
                condition.wait()
            }
            if stopping {
                condition.unlock()
                return
            }
            let interrupt = interruptRequested
            interruptRequested = false
            if interrupt, current != nil { current = nil }
            if current == nil, !queue.isEmpty {
                current = queue.removeFirst()
                position = 0
                currentReported = false
            }
            let zoneNow = zone
            condition.unlock()

            if interrupt {
                device.discard()
                writtenUntil = 0
            }
            if zoneNow != toneZone {
                toneZone = zoneNow
                zoneSample = 0
            }
            for i in 0..<chunkFrames { chunk[i] = 0 }
            var speechFrames = 0
            if let cue = current {
                speechFrames = min(chunkFrames, cue.samples.count - position)
                for i in 0..<speechFrames {
                    chunk[i] = Int16((Double(cue.samples[position + i]) * speechGain).rounded())
                }
            }
            if tone {
                chunk.withUnsafeMutableBufferPointer {
                    PressureTone.add(zone: toneZone, firstSample: zoneSample, sampleRate: sampleRate, into: $0)
                }
                zoneSample += chunkFrames
            }

            // Keep at most `lead` ahead of the moment it is heard, as a card's own buffer would.
            var now = hostMonotonicMicroseconds()
            if writtenUntil < now { writtenUntil = now }
            if writtenUntil - now > lead { usleep(UInt32(writtenUntil - now - lead)) }
            var failure: AudioDeviceError?
            chunk.withUnsafeBufferPointer { buffer in
                do throws(AudioDeviceError) { try device.write(buffer) } catch { failure = error }
            }
            if let failure {
                condition.lock()
                statistics.failure = failure
                statistics.cuesDropped += queue.count + (current == nil ? 0 : 1)
                queue.removeAll()
                stopping = true
                condition.unlock()
                return
            }
            writtenUntil += Self.chunkMicroseconds
            now = hostMonotonicMicroseconds()
            if let cue = current {
                if !currentReported {
                    currentReported = true
                    condition.lock()
                    statistics.cuesPlayed += 1
                    statistics.firstSampleLatenciesMicroseconds.append(now - cue.eventHostMicroseconds)
                    condition.unlock()
                }
                position += speechFrames
                if position >= cue.samples.count { current = nil }
            }
        }
    }
}

