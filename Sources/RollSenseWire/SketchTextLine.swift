/// The labelled values of one line as load-cell and FSR example sketches print them
/// (docs/PROTOCOL.md, "Sketch text"): `HX711 reading: 84111`, `Reading: 1.2 lbs`,
/// `Analog reading = 512 - Medium squeeze`, `Load_cell 1 output val: 1.20    Load_cell 2 output val: 3.40`.
///
/// A line is words separated by spaces or tabs. `:` and `=` mark the number after them as a
/// value; without any, a number is a value when it ends the line or is followed by a unit, a
/// break (`|`, `,`, `;`, `-`, `/`) or another number. Every other word, digits included, is label
/// text. A value's unit is the word after it, a suffix glued to it (`12kg`) or its label's last
/// word (`force_N`, `(kg)`). Values whose label names an aggregate (`average`, `max` …) of another
/// value on the line are not channels, nor are unitless values beside a force.
public struct SketchTextLine: Sendable, Equatable {
    /// One value kept as a channel.
    public struct Field: Sendable, Equatable {
        /// The label before the value, words joined by one space (may be empty).
        public var label: String
        /// The value as printed.
        public var value: Double
        /// The unit the value carries, nil for raw counts.
        public var unit: ForceUnit?
    }

    /// The channels, in line order (at most `Sample.maxChannelCount`).
    public var fields: [Field]
    /// Values past the fourth channel.
    public var ignoredValueCount: Int

    /// A number that identifies the line's layout: its channel labels and units, not its values.
    public var shape: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        for field in fields {
            for byte in field.label.utf8 { mix(byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0)) }
            mix(0x1F)
            mix(field.unit.map { UInt8($0.code) } ?? 0xFF)
        }
        return hash
    }

    private enum Token {
        case word(Range<Int>)
        case number(Double, Range<Int>, ForceUnit?)
        case assign
        case brk
    }

    /// Labels that name a summary of another value on the same line, not a sensor of its own.
    private static let aggregateWords: [StaticString] = ["average", "avg", "mean", "median", "max", "maximum", "min", "minimum", "peak"]
    /// What Arduino's `print` writes for a float it cannot print: a line holding one is broken.
    private static let badFloatWords: [StaticString] = ["nan", "inf", "ovf"]

    /// Parses one line without its line end; nil when it holds no labelled value by the grammar
    /// (banners, prompts, status lines) or holds a byte that is not printable ASCII.
    public static func parse(_ line: UnsafeRawBufferPointer) -> SketchTextLine? {
        guard let tokens = tokenize(line) else { return nil }
        let hasAssign = tokens.contains { if case .assign = $0 { true } else { false } }
        var fields: [Field] = []
        var labelWords: [Range<Int>] = []
        var sawAnyValue = false
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let next: Token? = index + 1 < tokens.count ? tokens[index + 1] : nil
            switch token {
            case .assign:
                // `:` or `=` must give a value: `Status: ready` is a status line, not a reading.
                guard case .number(let value, _, let glued)? = next else { return nil }
                index += 2
                var unit = glued
                if unit == nil, index < tokens.count, case .word(let range) = tokens[index],
                   let named = ForceUnit(label: UnsafeRawBufferPointer(rebasing: line[range]))
                {
                    unit = named
                    index += 1
                }
                fields.append(field(line, labelWords, value, unit))
                labelWords.removeAll(keepingCapacity: true)
                sawAnyValue = true
                continue
            case .number(let value, let range, let glued):
                var unitWord: ForceUnit?
                if case .word(let wordRange)? = next {
                    unitWord = ForceUnit(label: UnsafeRawBufferPointer(rebasing: line[wordRange]))
                }
                let endsValue: Bool
                switch next {
                case nil, .brk?, .number?: endsValue = true
                case .word?: endsValue = unitWord != nil || glued != nil
                case .assign?: endsValue = false
                }
                if hasAssign || !endsValue {
                    labelWords.append(range)
                    index += 1
                    continue
                }
                fields.append(field(line, labelWords, value, glued ?? unitWord))
                labelWords.removeAll(keepingCapacity: true)
                sawAnyValue = true
                index += unitWord != nil && glued == nil ? 2 : 1
                continue
            case .word(let range):
                let word = UnsafeRawBufferPointer(rebasing: line[range])
                if badFloatWords.contains(where: { matches(word, $0) }) { return nil }
                labelWords.append(range)
            case .brk:
                // A break ends a label that had no value: its words are commentary.
                if !sawAnyValue { labelWords.removeAll(keepingCapacity: true) }
            }
            index += 1
        }
        guard !fields.isEmpty else { return nil }
        // A force beside unitless numbers (`Reading: 1.2 lbs calibration_factor: -7050`): the
        // unitless ones are settings or counts, the force is the reading.
        let forces = fields.filter { $0.unit != nil }
        var kept = forces.isEmpty ? fields : forces
        let measured = kept.filter { !isAggregate($0.label) }
        if !measured.isEmpty { kept = measured }
        let ignored = max(0, kept.count - Sample.maxChannelCount)
        kept = Array(kept.prefix(Sample.maxChannelCount))
        return SketchTextLine(fields: kept, ignoredValueCount: ignored)
    }

    /// Convenience for a line held in a string.
    public static func parse(_ line: String) -> SketchTextLine? {
        var line = line
        return line.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    private static func field(_ line: UnsafeRawBufferPointer, _ words: [Range<Int>], _ value: Double, _ unit: ForceUnit?) -> Field {
        let label = words.map { String(decoding: UnsafeRawBufferPointer(rebasing: line[$0]), as: UTF8.self) }.joined(separator: " ")
        var unit = unit
        if unit == nil, let last = words.last {
            var word = UnsafeRawBufferPointer(rebasing: line[last])
            // `Force (N)`, `weight[kg]`: a bracketed unit ends the label.
            if let close = word.last, close == UInt8(ascii: ")") || close == UInt8(ascii: "]"),
               let open = word.lastIndex(where: { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[") })
            {
                word = UnsafeRawBufferPointer(rebasing: word[(open + 1)..<(word.count - 1)])
            }
            unit = ForceUnit(label: word)
        }
        return Field(label: label, value: value * (unit?.newtonsPerUnit ?? 1), unit: unit)
    }

    private static func isAggregate(_ label: String) -> Bool {
        label.split(separator: " ").contains { word in
            var word = String(word)
            return word.withUTF8 { bytes in aggregateWords.contains { matches(UnsafeRawBufferPointer(bytes), $0) } }
        }
    }

    private static func matches(_ word: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        guard word.count == name.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        for index in 0..<word.count where word[index] | 0x20 != expected[index] { return false }
        return true
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    @inline(__always)
    private static func isBreak(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "|") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";")
    }

    /// Words, numbers, `:`/`=` and breaks; nil for a byte outside printable ASCII and tab.
    private static func tokenize(_ line: UnsafeRawBufferPointer) -> [Token]? {
        var tokens: [Token] = []
        var index = 0
        let end = line.count
        while index < end {
            let byte = line[index]
            guard byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte < 0x7F) else { return nil }
            if isSpace(byte) {
                index += 1
                continue
            }
            if isBreak(byte) {
                tokens.append(.brk)
                index += 1
                continue
            }
            if byte == UInt8(ascii: ":") || byte == UInt8(ascii: "=") {
                tokens.append(.assign)
                index += 1
                continue
            }
            var wordEnd = index
            while wordEnd < end {
                let b = line[wordEnd]
                if isSpace(b) || isBreak(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: "=") { break }
                guard b >= 0x20 && b < 0x7F else { return nil }
                wordEnd += 1
            }
            let word = UnsafeRawBufferPointer(rebasing: line[index..<wordEnd])
            if word.count == 1 && (word[0] == UInt8(ascii: "-") || word[0] == UInt8(ascii: "/")) {
                tokens.append(.brk)
            } else if let value = DecimalNumber.parse(word) {
                tokens.append(.number(value, index..<wordEnd, nil))
            } else if let (value, unit) = numberWithUnit(word) {
                tokens.append(.number(value, index..<wordEnd, unit))
            } else {
                tokens.append(.word(index..<wordEnd))
            }
            index = wordEnd
        }
        return tokens
    }

    /// `12.5kg`, `3N`: a number with a force unit glued to it.
    private static func numberWithUnit(_ word: UnsafeRawBufferPointer) -> (Double, ForceUnit)? {
        var split = 0
        while split < word.count {
            let b = word[split]
            let numeric = (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".")
                || (split == 0 && (b == UInt8(ascii: "-") || b == UInt8(ascii: "+")))
            if !numeric { break }
            split += 1
        }
        guard split > 0, split < word.count,
              let value = DecimalNumber.parse(UnsafeRawBufferPointer(rebasing: word[0..<split])),
              let unit = ForceUnit(label: UnsafeRawBufferPointer(rebasing: word[split...]))
        else { return nil }
        return (value, unit)
    }
}
