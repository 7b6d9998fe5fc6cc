#if canImport(Glibc)
import Glibc
#endif
import RollSenseKit

/// A one-line progress bar on standard error, redrawn at most 10 times a second; nil (no bar)
/// when standard error is not a terminal, so logs and pipes stay clean.
final class ProgressBar {
    /// Bar width in characters (fits an 80-column terminal with the figures beside it).
    static let width = 40
    /// Redraw interval: 10 per second is smooth and costs nothing.
    static let redrawMicroseconds: Int64 = 100_000

    private let totalBytes: Int64
    private var lastDrawn: Int64?
    /// Narrower than `width` on a narrow terminal, so a redraw never wraps onto a new line.
    private let barWidth: Int

    init?(totalBytes: Int64, standardErrorIsTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        guard standardErrorIsTerminal, totalBytes > 0 else { return nil }
        self.totalBytes = totalBytes
        var size = winsize()
        let columns = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        // "[" + bar + "] 100%" must fit in columns - 1 (the last column would wrap on some terminals).
        barWidth = max(10, min(Self.width, columns - 8))
    }

    /// Redraws when 100 ms passed since the last time.
    func update(doneBytes: Int64) {
        let now = hostMonotonicMicroseconds()
        if let lastDrawn, now - lastDrawn < Self.redrawMicroseconds { return }
        lastDrawn = now
        draw(fraction: Double(min(doneBytes, totalBytes)) / Double(totalBytes))
    }

    /// Draws 100 % and moves to a fresh line.
    func finish() {
        draw(fraction: 1)
        printErrorRaw("\n")
    }

    private func draw(fraction: Double) {
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        printErrorRaw("\r[\(bar)] \(Int(fraction * 100))%")
    }
}

/// Writes `text` to standard error as is.
private func printErrorRaw(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}
