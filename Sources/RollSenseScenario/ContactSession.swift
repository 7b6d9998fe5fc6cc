import RollSenseWire

/// A deterministic rolling session as wire bytes, generated a slice at a time so an 8-hour run
/// never sits in memory: alternating rest and contact periods of pseudo-random lengths, with
/// the contact time it contains known exactly.
///
/// Each channel reads `restCounts` plus a little noise (so no flat-line fault) at rest and
/// `contactCounts` plus noise in contact; with `calibration` that is ~0 N and 20 N total, far
/// from the contact thresholds (3 N on, 1.5 N off in the built-in ball profile).
public struct ContactSession: Sendable {
    /// Samples per second (1 kHz, the ADC-limited rate worth supporting: platform facts).
    public let sampleRateHz: Int
    /// Channels per sample, 1 to 4.
    public let channelCount: Int
    /// Samples in the whole session.
    public let totalSamples: Int
    /// Counts per channel at rest.
    public static let restCounts: Int32 = 0
    /// Counts per channel in contact.
    public static let contactCounts: Int32 = 500
    /// Newtons per count for every channel: 500 counts x 4 channels = 20 N.
    public static let newtonsPerCount = 0.01

    /// Samples generated so far.
    public private(set) var generatedSamples = 0
    /// Contact periods that have ended (a release sample was generated after them).
    public private(set) var completedContacts = 0
    /// Device time from each contact's first sample to its release sample, summed over completed contacts.
    public private(set) var contactMicroseconds: Int64 = 0

    private let startSequence: UInt16
    private let startTimeMicroseconds: UInt32
    private let minimumPeriodSamples: Int
    private let maximumPeriodSamples: Int
    private var random: UInt64
    private var inContact = false
    private var periodRemaining: Int
    private var contactStartIndex = 0

    /// A session of `seconds`; times start at `startTimeMicroseconds` (choose one near 2^32 to
    /// cross the device clock's wrap), sequence numbers at `startSequence`. Periods last
    /// `periodSeconds` (rest first); the last 2 s are always rest so every contact ends.
    public init(
        seconds: Int, sampleRateHz: Int = 1000, channelCount: Int = 4, seed: UInt64 = 1,
        startSequence: UInt16 = 0, startTimeMicroseconds: UInt32 = 0,
        periodSeconds: ClosedRange<Int> = 2...30
    ) {
        self.sampleRateHz = sampleRateHz
        self.channelCount = channelCount
        totalSamples = seconds * sampleRateHz
        self.startSequence = startSequence
        self.startTimeMicroseconds = startTimeMicroseconds
        minimumPeriodSamples = periodSeconds.lowerBound * sampleRateHz
        maximumPeriodSamples = periodSeconds.upperBound * sampleRateHz
        random = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        periodRemaining = 0
        periodRemaining = nextPeriod()
    }

    /// Whether every sample has been generated.
    public var isFinished: Bool { generatedSamples >= totalSamples }

    /// Microseconds between samples.
    public var intervalMicroseconds: Int { 1_000_000 / sampleRateHz }

    /// Appends up to `maxSamples` SAMPLE frames to `output`; returns how many it appended.
    @discardableResult
    public mutating func generate(maxSamples: Int, into output: inout [UInt8]) -> Int {
        let count = min(maxSamples, totalSamples - generatedSamples)
        let restTail = 2 * sampleRateHz
        for _ in 0..<count {
            let index = generatedSamples
            if periodRemaining == 0 {
                if inContact {
                    completedContacts += 1
                    contactMicroseconds += Int64(index - contactStartIndex) * Int64(intervalMicroseconds)
                    inContact = false
                } else if index + minimumPeriodSamples < totalSamples - restTail {
                    inContact = true
                    contactStartIndex = index
                }
                periodRemaining = nextPeriod()
                if inContact { periodRemaining = min(periodRemaining, totalSamples - restTail - index) }
            }
            periodRemaining -= 1
            let level = inContact ? Self.contactCounts : Self.restCounts
            let noise = nextRandom()
            var counts = SIMD4<Int32>(repeating: level)
            for channel in 0..<4 { counts[channel] &+= Int32((noise >> UInt64(8 * channel)) & 3) - 1 }
            SampleFrames.append(
                sequence: startSequence &+ UInt16(truncatingIfNeeded: index),
                timeMicroseconds: startTimeMicroseconds &+ UInt32(truncatingIfNeeded: index * intervalMicroseconds),
                counts: counts, channelCount: channelCount, to: &output)
            generatedSamples += 1
        }
        return count
    }

    private mutating func nextRandom() -> UInt64 {
        // PCG-style LCG step (Knuth's MMIX constants); the high bits are the well-mixed ones.
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return random >> 24
    }

    private mutating func nextPeriod() -> Int {
        let span = UInt64(maximumPeriodSamples - minimumPeriodSamples + 1)
        return minimumPeriodSamples + Int(nextRandom() % span)
    }
}
