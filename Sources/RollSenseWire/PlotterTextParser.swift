/// Parses the Arduino IDE Serial Plotter text convention into samples (docs/PROTOCOL.md, "Text
/// mode"): one sample per line ended by `\n` or `\r\n`; values separated by spaces, tabs or
/// commas; each value a number or `label:number`; a unit in the label makes it a force.
///
/// Text has no device clock: every sample is stamped with the host receive time the caller
/// passes in. A line waits in a fixed inline buffer, so parsing allocates nothing.
public struct PlotterTextParser: Sendable {
    /// The longest line accepted, line end excluded (docs/PROTOCOL.md: "over 256 bytes is oversize").
    public static let maxLineByteCount = 256

    /// Fixed storage for one line: 33 × 8 = 264 bytes ≥ `maxLineByteCount` + `\r`.
    typealias Storage = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// The result of one line.
    enum Line: Equatable {
        case sample(values: SIMD4<Double>, channelCount: Int, quantity: SampleQuantity, ignoredValues: Int)
        case malformed
    }

    private var line: Storage = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private var lineCount = 0
    /// More than fits in `line`: the line is oversize, dropping to its end.
    private var overflowed = false
    /// Still inside the first, possibly partial, line.
    private var isDroppingFirstLine: Bool
    private var samples: UInt64 = 0

    /// What it has counted so far.
    public private(set) var counters = PlotterTextCounters()

    /// A parser; `startsMidLine` drops everything up to the first line end, which may be the tail
    /// of a line sent before the port was opened.
    public init(startsMidLine: Bool = true) {
        isDroppingFirstLine = startsMidLine
    }

    /// Parses `bytes`, calling `onSample` for each complete line that holds a sample.
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        hostTimeMicroseconds: Int64,
        _ onSample: (Sample) -> Void
    ) {
        let end = bytes.count
        var index = 0
        while index < end {
            var lineEnd = index
            while lineEnd < end && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd == end {
                keep(UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                return
            }
            let runCount = lineEnd - index
            if isDroppingFirstLine {
                counters.discardedBytes += lineCount + runCount + 1
                lineCount = 0
                overflowed = false
                isDroppingFirstLine = false
            } else if overflowed || lineCount + runCount > MemoryLayout<Storage>.size {
                counters.oversizeLines += 1
                counters.discardedBytes += lineCount + runCount + 1
                lineCount = 0
                overflowed = false
            } else if lineCount == 0 {
                finish(UnsafeRawBufferPointer(rebasing: bytes[index..<lineEnd]), hostTimeMicroseconds, onSample)
            } else {
                keep(UnsafeRawBufferPointer(rebasing: bytes[index..<lineEnd]))
                var copy = line
                let count = lineCount
                lineCount = 0
                withUnsafeBytes(of: &copy) {
                    finish(UnsafeRawBufferPointer(rebasing: $0[0..<count]), hostTimeMicroseconds, onSample)
                }
            }
            index = lineEnd + 1
        }
    }

    /// Parses a byte array.
    public mutating func feed(_ bytes: [UInt8], hostTimeMicroseconds: Int64, _ onSample: (Sample) -> Void) {
        bytes.withUnsafeBytes { feed($0, hostTimeMicroseconds: hostTimeMicroseconds, onSample) }
    }

    /// Takes the bytes of the unfinished line (the start of binary frames after a mode switch).
    mutating func takePartialLine() -> [UInt8] {
        let count = overflowed ? 0 : lineCount
        var copy = line
        let bytes = withUnsafeBytes(of: &copy) { Array($0[0..<count]) }
        lineCount = 0
        overflowed = false
        return bytes
    }

    private mutating func keep(_ bytes: UnsafeRawBufferPointer) {
        if overflowed || lineCount + bytes.count > MemoryLayout<Storage>.size {
            // Count the bytes now; the line is counted as oversize at its end.
            if !overflowed { counters.discardedBytes += lineCount }
            counters.discardedBytes += bytes.count
            overflowed = true
            lineCount = 0
            return
        }
        let offset = lineCount
        withUnsafeMutableBytes(of: &line) { storage in
            UnsafeMutableRawBufferPointer(rebasing: storage[offset..<offset + bytes.count]).copyMemory(from: bytes)
        }
        lineCount += bytes.count
    }

    /// One complete line, `\n` removed.
    private mutating func finish(
        _ rawLine: UnsafeRawBufferPointer,
        _ hostTimeMicroseconds: Int64,
        _ onSample: (Sample) -> Void
    ) {
        var content = rawLine
        if let last = content.last, last == UInt8(ascii: "\r") {
            content = UnsafeRawBufferPointer(rebasing: content.dropLast())
        }
        guard content.count <= Self.maxLineByteCount else {
            counters.oversizeLines += 1
            counters.discardedBytes += rawLine.count + 1
            return
        }
        switch Self.parseLine(content) {
        case .malformed:
            counters.malformedLines += 1
            counters.discardedBytes += rawLine.count + 1
        case let .sample(values, channelCount, quantity, ignoredValues):
            counters.samples += 1
            counters.ignoredValues += ignoredValues
            onSample(Sample(
                sequence: samples,
                deviceTimeMicroseconds: hostTimeMicroseconds,
                channelCount: channelCount,
                values: values,
                quantity: quantity
            ))
            samples += 1
        }
    }

    @inline(__always)
    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: ",")
    }

    /// Parses one line without its line end.
    static func parseLine(_ content: UnsafeRawBufferPointer) -> Line {
        var values = SIMD4<Double>()
        var valueCount = 0
        var forceValueCount = 0
        var index = 0
        let end = content.count
        while index < end {
            while index < end && isSeparator(content[index]) { index += 1 }
            guard index < end else { break }
            let tokenStart = index
            var colon: Int?
            while index < end && !isSeparator(content[index]) {
                let byte = content[index]
                // Printable ASCII only: anything else is not a Serial Plotter line.
                guard byte >= 0x20 && byte < 0x7F else { return .malformed }
                if byte == UInt8(ascii: ":") && colon == nil { colon = index }
                index += 1
            }
            var number = UnsafeRawBufferPointer(rebasing: content[tokenStart..<index])
            var unit: ForceUnit?
            if let colon {
                unit = ForceUnit(label: UnsafeRawBufferPointer(rebasing: content[tokenStart..<colon]))
                number = UnsafeRawBufferPointer(rebasing: content[(colon + 1)..<index])
            }
            guard let value = DecimalNumber.parse(number) else { return .malformed }
            if valueCount < Sample.maxChannelCount {
                values[valueCount] = value * (unit?.newtonsPerUnit ?? 1)
                if unit != nil { forceValueCount += 1 }
            }
            valueCount += 1
        }
        let channelCount = min(valueCount, Sample.maxChannelCount)
        guard channelCount > 0 else { return .malformed }
        // One quantity per sample: all channels force, or all raw counts.
        guard forceValueCount == 0 || forceValueCount == channelCount else { return .malformed }
        return .sample(
            values: values,
            channelCount: channelCount,
            quantity: forceValueCount > 0 ? .newtons : .rawCounts,
            ignoredValues: valueCount - channelCount
        )
    }
}
