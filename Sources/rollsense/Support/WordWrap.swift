/// `text` in lines of at most `width` characters, broken between words; a word longer than a
/// line (a long path) is cut, since a line past the terminal's edge wraps mid-word anyway.
/// `firstWidth` is the first line's room when it differs (a prefix wider than the indent).
func wordWrap(_ text: String, width: Int, firstWidth: Int? = nil) -> [String] {
    let width = max(width, 1)
    var lines: [String] = []
    var current = ""
    var room: Int { lines.isEmpty ? max(firstWidth ?? width, 1) : width }
    for word in text.split(separator: " ") {
        var word = Substring(word)
        if current.isEmpty || current.count + 1 + word.count > room {
            if !current.isEmpty { lines.append(current) }
            while word.count > room {
                lines.append(String(word.prefix(room)))
                word = word.dropFirst(lines.last!.count)
            }
            current = String(word)
        } else {
            current += " " + word
        }
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
}

/// `text` wrapped to `columns` with `firstPrefix` before its first line and `indent` spaces
/// before the others; unwrapped when `columns` is nil (a file or a pipe keeps whole lines).
/// The first line has the room the prefix leaves; when not even its first word fits there,
/// the prefix stands on a line of its own rather than the terminal breaking the word.
func hangingWrap(_ text: String, firstPrefix: String, indent: Int, columns: Int?) -> [String] {
    guard let columns else { return [firstPrefix + text] }
    let firstRoom = columns - firstPrefix.count
    let firstWord = text.split(separator: " ").first?.count ?? 0
    if firstRoom < min(firstWord, columns - indent) {
        let trimmed = String(firstPrefix.reversed().drop { $0 == " " }.reversed())
        return [trimmed] + hangingWrap(text, firstPrefix: String(repeating: " ", count: indent), indent: indent, columns: columns)
    }
    let lines = wordWrap(text, width: columns - indent, firstWidth: firstRoom)
    return lines.enumerated().map { index, line in (index == 0 ? firstPrefix : String(repeating: " ", count: indent)) + line }
}

/// The width to wrap text for standard output to: the terminal's, or nil for a file or pipe.
func standardOutputColumns() -> Int? {
    standardOutputIsTerminal() ? TerminalDisplay.size().columns : nil
}
