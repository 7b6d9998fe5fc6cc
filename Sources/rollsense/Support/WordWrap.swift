/// `text` in lines of at most `width` characters, broken between words; a word longer than a
/// line (a long path) is cut, since a line past the terminal's edge wraps mid-word anyway.
func wordWrap(_ text: String, width: Int) -> [String] {
    let width = max(width, 1)
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ") {
        var word = Substring(word)
        if current.isEmpty || current.count + 1 + word.count > width {
            if !current.isEmpty { lines.append(current) }
            while word.count > width {
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
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
func hangingWrap(_ text: String, firstPrefix: String, indent: Int, columns: Int?) -> [String] {
    guard let columns else { return [firstPrefix + text] }
    let lines = wordWrap(text, width: columns - indent)
    return lines.enumerated().map { index, line in (index == 0 ? firstPrefix : String(repeating: " ", count: indent)) + line }
}

/// The width to wrap text for standard output to: the terminal's, or nil for a file or pipe.
func standardOutputColumns() -> Int? {
    standardOutputIsTerminal() ? TerminalDisplay.size().columns : nil
}
