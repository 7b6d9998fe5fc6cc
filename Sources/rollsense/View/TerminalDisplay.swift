#if canImport(Glibc)
import Glibc
#endif

/// Whether standard output is a terminal that the full-screen view can draw on.
func standardOutputIsTerminal() -> Bool {
    isatty(STDOUT_FILENO) == 1
}

/// Whether standard error is a terminal (the page's QR code gets explicit colours there).
func standardErrorIsTerminal() -> Bool {
    isatty(STDERR_FILENO) == 1
}

/// Whether to use colour: a terminal, and NO_COLOR unset or empty (https://no-color.org).
func colorEnabled(environment: [String: String]) -> Bool {
    guard let noColor = environment["NO_COLOR"] else { return true }
    return noColor.isEmpty
}

/// Draws full frames on the terminal's alternate screen and restores the terminal when closed.
final class TerminalDisplay {
    private var isOpen = false
    private var flashing = false

    /// Switches to the alternate screen and hides the cursor.
    func open() {
        guard !isOpen else { return }
        isOpen = true
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J")
    }

    /// The terminal's size in columns and rows, read anew each time so a resize is picked up.
    func size() -> (columns: Int, rows: Int) { Self.size() }

    /// Standard output's terminal size; 80x24 when it is not a terminal.
    static func size() -> (columns: Int, rows: Int) {
        var window = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 {
            return (Int(window.ws_col), Int(window.ws_row))
        }
        return (80, 24)
    }

    /// Replaces the screen with `lines`; `bell` rings the terminal bell, `flash` reverses the
    /// screen for this frame as a visible bell.
    func draw(_ lines: [String], bell: Bool, flash: Bool) {
        var frame = "\u{1B}[H"
        if flash != flashing {
            frame += flash ? "\u{1B}[?5h" : "\u{1B}[?5l"
            flashing = flash
        }
        // No line end after the last line: on the bottom row it would scroll the screen.
        frame += lines.joined(separator: "\u{1B}[K\r\n") + "\u{1B}[K\u{1B}[J"
        if bell { frame += "\u{07}" }
        write(frame)
    }

    /// Leaves the alternate screen and shows the cursor again.
    func close() {
        guard isOpen else { return }
        isOpen = false
        write((flashing ? "\u{1B}[?5l" : "") + "\u{1B}[?25h\u{1B}[?1049l")
    }

    deinit { close() }

    private func write(_ text: String) {
        writeToStandardOutput(text)
    }
}
