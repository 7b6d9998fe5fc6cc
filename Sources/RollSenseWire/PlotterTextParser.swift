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
    /// The time given to the last sample.
    private var lastStampMicroseconds: Int64?
    /// The layout of sketch-text lines that give samples, once confirmed.
    private var settledShape: UInt64?
    /// The channel count and quantity of the last Serial Plotter line, to name its labels once.
    private var plotterLayout: (channelCount: Int, quantity: SampleQuantity)?
    /// Recent sketch-text lines of other layouts, oldest first.
    private var pendingLines: [PendingLine] = []

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
        feed(bytes, hostTimeMicroseconds: hostTimeMicroseconds, onChannels: { _ in }, onSample)
    }

    /// Parses `bytes`, calling `onChannels` when sketch-text lines settle on a layout of labelled
    /// values (before the first sample of that layout) and `onSample` for each sample.
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        hostTimeMicroseconds: Int64,
        onChannels: (TextChannels) -> Void,
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
                finish(UnsafeRawBufferPointer(rebasing: bytes[index..<lineEnd]), hostTimeMicroseconds, onChannels, onSample)
            } else {
                keep(UnsafeRawBufferPointer(rebasing: bytes[index..<lineEnd]))
                var copy = line
                let count = lineCount
                lineCount = 0
                withUnsafeBytes(of: &copy) {
                    finish(UnsafeRawBufferPointer(rebasing: $0[0..<count]), hostTimeMicroseconds, onChannels, onSample)
                }
            }
            index = lineEnd + 1
        }
    }

    /// Parses a byte array.
    public mutating func feed(_ bytes: [UInt8], hostTimeMicroseconds: Int64, _ onSample: (Sample) -> Void) {
        bytes.withUnsafeBytes { feed($0, hostTimeMicroseconds: hostTimeMicroseconds, onSample) }
    }

    /// Parses a byte array, reporting sketch-text layouts too.
    public mutating func feed(
        _ bytes: [UInt8], hostTimeMicroseconds: Int64, onChannels: (TextChannels) -> Void, _ onSample: (Sample) -> Void
    ) {
        bytes.withUnsafeBytes { feed($0, hostTimeMicroseconds: hostTimeMicroseconds, onChannels: onChannels, onSample) }
    }

    /// Forgets the unfinished line, counting its bytes as discarded: the link went away and its
    /// end will never come. The first line after the link returns is dropped too: a board with
    /// native USB (Leonardo, Micro) does not restart, so it may start mid-line, and a tail such
    /// as "0" of "300" would be a wrong number, not a stale one.
    mutating func dropPartialLine() {
        counters.discardedBytes += overflowed ? 0 : lineCount
        lineCount = 0
        overflowed = false
        isDroppingFirstLine = true
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
        _ onChannels: (TextChannels) -> Void,
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
        let parsed = Self.parseLine(content)
        if parsed == .malformed, let sketchLine = SketchTextLine.parse(content),
           settle(sketchLine, rawLine.count + 1, hostTimeMicroseconds, onChannels, onSample)
        {
            return
        }
        switch parsed {
        case .malformed:
            counters.malformedLines += 1
            counters.discardedBytes += rawLine.count + 1
        case let .sample(values, channelCount, quantity, ignoredValues):
            // Labelled Serial Plotter values (`ch0_N:12.3`) are named as sketch text is, once
            // per layout; the labels are read again only when the layout changes.
            if plotterLayout?.channelCount != channelCount || plotterLayout?.quantity != quantity {
                plotterLayout = (channelCount, quantity)
                if let channels = Self.plotterChannels(content, channelCount: channelCount) { onChannels(channels) }
            }
            emit(values, channelCount, quantity, ignoredValues, hostTimeMicroseconds, onSample)
        }
    }

    /// The labels of a Serial Plotter line's first `channelCount` values and the unit of the
    /// first, or nil when no value has a label (plain numbers name nothing).
    static func plotterChannels(_ content: UnsafeRawBufferPointer, channelCount: Int) -> TextChannels? {
        var labels: [String] = []
        var unit: ForceUnit?
        var anyLabel = false
        var index = 0
        let end = content.count
        while index < end && labels.count < channelCount {
            while index < end && isSeparator(content[index]) { index += 1 }
            guard index < end else { break }
            let tokenStart = index
            var colon: Int?
            while index < end && !isSeparator(content[index]) {
                if content[index] == UInt8(ascii: ":") && colon == nil { colon = index }
                index += 1
            }
            if let colon {
                let label = UnsafeRawBufferPointer(rebasing: content[tokenStart..<colon])
                labels.append(String(decoding: label, as: UTF8.self))
                if labels.count == 1 { unit = ForceUnit(label: label) }
                anyLabel = true
            } else {
                labels.append("")
            }
        }
        return anyLabel ? TextChannels(labels: labels, unit: unit) : nil
    }

    private mutating func emit(
        _ values: SIMD4<Double>, _ channelCount: Int, _ quantity: SampleQuantity, _ ignoredValues: Int,
        _ hostTimeMicroseconds: Int64, _ onSample: (Sample) -> Void
    ) {
        counters.samples += 1
        counters.ignoredValues += ignoredValues
        // Lines that came in one read share its receive time; each sample still needs a later
        // time than the one before, or the pipeline would take the repeat for a clock fault.
        let stamp = lastStampMicroseconds.map { max(hostTimeMicroseconds, $0 + 1) } ?? hostTimeMicroseconds
        lastStampMicroseconds = stamp
        onSample(Sample(
            sequence: samples,
            deviceTimeMicroseconds: stamp,
            channelCount: channelCount,
            values: values,
            quantity: quantity
        ))
        samples += 1
    }

    /// A sketch-text line waiting for its layout to be confirmed.
    struct PendingLine {
        var shape: UInt64
        var values: SIMD4<Double>
        var channelCount: Int
        var quantity: SampleQuantity
        var ignoredValues: Int
        var hostTimeMicroseconds: Int64
        var byteCount: Int
    }

    /// Sketch-text lines kept while no layout is settled (a block of lines per reading repeats
    /// within this many lines).
    static let pendingLineLimit = 8

    /// A sketch-text line gives samples only once its layout (labels and units) is confirmed:
    /// on two lines in a row, or for a force layout (a unit names it) twice within
    /// `pendingLineLimit` lines (sketches that print a block of lines per reading). Banners with
    /// numbers (`read average: 8316`) print once; a sketch's readings repeat. The confirming
    /// line's predecessor of the same layout is emitted then too, so no reading is lost; a new
    /// layout that is confirmed takes over. Returns false when the line gave no sample.
    private mutating func settle(
        _ sketchLine: SketchTextLine, _ byteCount: Int, _ hostTimeMicroseconds: Int64,
        _ onChannels: (TextChannels) -> Void, _ onSample: (Sample) -> Void
    ) -> Bool {
        let shape = sketchLine.shape
        var values = SIMD4<Double>()
        for (index, field) in sketchLine.fields.enumerated() { values[index] = field.value }
        let unit = sketchLine.fields[0].unit
        let line = PendingLine(
            shape: shape, values: values, channelCount: sketchLine.fields.count,
            quantity: unit == nil ? .rawCounts : .newtons, ignoredValues: sketchLine.ignoredValueCount,
            hostTimeMicroseconds: hostTimeMicroseconds, byteCount: byteCount)
        if shape != settledShape {
            let earlier = unit == nil ? (pendingLines.last?.shape == shape ? pendingLines.last : nil)
                : pendingLines.last { $0.shape == shape }
            guard let earlier else {
                if pendingLines.count == Self.pendingLineLimit { pendingLines.removeFirst() }
                pendingLines.append(line)
                return false
            }
            settledShape = shape
            pendingLines.removeAll(keepingCapacity: true)
            onChannels(TextChannels(labels: sketchLine.fields.map(\.label), unit: unit))
            // It was counted as skipped when it came; it is a reading after all.
            counters.malformedLines -= 1
            counters.discardedBytes -= earlier.byteCount
            counters.sketchLines += 1
            emit(earlier.values, earlier.channelCount, earlier.quantity, earlier.ignoredValues,
                 earlier.hostTimeMicroseconds, onSample)
        }
        counters.sketchLines += 1
        emit(line.values, line.channelCount, line.quantity, line.ignoredValues, hostTimeMicroseconds, onSample)
        return true
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
