/// Force over time as min/max per time bucket, in constant memory whatever the session's length:
/// when the buckets run out, neighbours merge and each bucket covers twice the time. A chart then
/// draws every column from the buckets it covers, so peaks are never lost to downsampling.
public struct ForceEnvelope: Sendable {
    /// One bucket: the lowest and highest force in it.
    public struct Bucket: Sendable, Equatable {
        /// Lowest force in the bucket.
        public var minimumNewtons: Double
        /// Highest force in the bucket.
        public var maximumNewtons: Double
    }

    /// Buckets kept at most; 4096 is four times a wide chart's columns, so every column still
    /// averages several buckets.
    public static let maximumBucketCount = 4096
    /// The first bucket width: 10 ms, a sample at 100 Hz.
    public static let initialBucketMicroseconds: Int64 = 10_000

    /// The buckets from `startMicroseconds`, each `bucketMicroseconds` long; nil for an empty one.
    public private(set) var buckets: [Bucket?] = []
    /// The time each bucket covers.
    public private(set) var bucketMicroseconds: Int64 = ForceEnvelope.initialBucketMicroseconds
    /// Device time of the first sample.
    public private(set) var startMicroseconds: Int64?
    /// Device time of the last sample.
    public private(set) var endMicroseconds: Int64 = 0

    /// An empty envelope.
    public init() {}

    /// Adds one force value at a device time (times in order).
    public mutating func add(forceNewtons: Double, atMicroseconds t: Int64) {
        guard forceNewtons.isFinite else { return }
        let start = startMicroseconds ?? t
        startMicroseconds = start
        endMicroseconds = max(endMicroseconds, t)
        var index = Int(max(0, t - start) / bucketMicroseconds)
        while index >= Self.maximumBucketCount {
            mergePairs()
            index = Int(max(0, t - start) / bucketMicroseconds)
        }
        while buckets.count <= index { buckets.append(nil) }
        if var bucket = buckets[index] {
            bucket.minimumNewtons = min(bucket.minimumNewtons, forceNewtons)
            bucket.maximumNewtons = max(bucket.maximumNewtons, forceNewtons)
            buckets[index] = bucket
        } else {
            buckets[index] = Bucket(minimumNewtons: forceNewtons, maximumNewtons: forceNewtons)
        }
    }

    private mutating func mergePairs() {
        var merged: [Bucket?] = []
        merged.reserveCapacity(buckets.count / 2 + 1)
        var i = 0
        while i < buckets.count {
            let a = buckets[i], b = i + 1 < buckets.count ? buckets[i + 1] : nil
            switch (a, b) {
            case let (a?, b?): merged.append(Bucket(minimumNewtons: min(a.minimumNewtons, b.minimumNewtons), maximumNewtons: max(a.maximumNewtons, b.maximumNewtons)))
            case let (a?, nil): merged.append(a)
            case let (nil, b?): merged.append(b)
            case (nil, nil): merged.append(nil)
            }
            i += 2
        }
        buckets = merged
        bucketMicroseconds *= 2
    }

    /// Min/max per column for `columnCount` columns across the whole session (nil: no sample).
    public func columns(_ columnCount: Int) -> [Bucket?] {
        guard let start = startMicroseconds, columnCount > 0 else { return [] }
        let span = max(endMicroseconds - start, 1)
        var result = [Bucket?](repeating: nil, count: columnCount)
        for (index, bucket) in buckets.enumerated() {
            guard let bucket else { continue }
            let t = Int64(index) * bucketMicroseconds
            let column = min(columnCount - 1, Int(Double(t) / Double(span) * Double(columnCount)))
            if let existing = result[column] {
                result[column] = Bucket(minimumNewtons: min(existing.minimumNewtons, bucket.minimumNewtons),
                                        maximumNewtons: max(existing.maximumNewtons, bucket.maximumNewtons))
            } else {
                result[column] = bucket
            }
        }
        return result
    }
}
