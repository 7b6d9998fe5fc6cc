#if canImport(Glibc)
import Glibc
#endif
import RollSenseKit
import RollSenseSystem

/// A one-line progress bar on standard error, redrawn at most 10 times a second; nil (no bar)
/// when standard error is not a terminal, so logs and pipes stay clean.
final class ProgressBar {
    /// Bar width in characters (fits an 80-column terminal with the figures beside it).
    static let width = 40
    /// Redraw interval: 10 per second is smooth and costs nothing.
    static let redrawMicroseconds: Int64 = 100_000

    private let totalBytes: Int64
    private let write: (String) -> Void
    private let clock: () -> Int64
    private var lastDrawn: Int64?
    private var fraction = 0.0
    // Whether the bar is on the terminal's current line now.
    private var onScreen = false
    /// Narrower than `width` on a narrow terminal, so a redraw never wraps onto a new line.
    private let barWidth: Int

    /// `write` receives the terminal text (standard error by default), `clock` host microseconds;
    /// `columns` is the terminal's width (read from standard error when nil).
    init?(totalBytes: Int64, standardErrorIsTerminal: Bool = isatty(STDERR_FILENO) == 1,
          columns: Int? = nil, write: @escaping (String) -> Void = printErrorRaw,
          clock: @escaping () -> Int64 = hostMonotonicMicroseconds) {
        guard standardErrorIsTerminal, totalBytes > 0 else { return nil }
        self.totalBytes = totalBytes
        self.write = write
        self.clock = clock
        // "[" + bar + "] 100%" must fit in columns - 1 (the last column would wrap on some terminals).
        barWidth = max(10, min(Self.width, (columns ?? Self.standardErrorColumns()) - 8))
    }

    /// Redraws when 100 ms passed since the last time, or at once when a line cleared it.
    func update(doneBytes: Int64) {
        fraction = Double(min(doneBytes, totalBytes)) / Double(totalBytes)
        let now = clock()
        if onScreen, let lastDrawn, now - lastDrawn < Self.redrawMicroseconds { return }
        lastDrawn = now
        draw(fraction: fraction)
    }

    /// Erases the bar's line so another line can be printed there; the next update redraws it.
    func clear() {
        guard onScreen else { return }
        write("\r\u{1B}[K")
        onScreen = false
    }

    /// Draws the final state and moves to a fresh line: 100 % when `complete`, else where it
    /// stopped (an interrupted replay did not reach the end).
    func finish(complete: Bool = true) {
        draw(fraction: complete ? 1 : fraction)
        write("\n")
        onScreen = false
    }

    private static func standardErrorColumns() -> Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    private func draw(fraction: Double) {
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        write("\r[\(bar)] \(Int(fraction * 100))%")
        onScreen = true
    }
}

/// Writes `text` to standard error as is.
func printErrorRaw(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}
