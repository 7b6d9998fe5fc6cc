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
    private var lastDrawn: Int64 = .min

    init?(totalBytes: Int64, standardErrorIsTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        guard standardErrorIsTerminal, totalBytes > 0 else { return nil }
        self.totalBytes = totalBytes
    }

    /// Redraws when 100 ms passed since the last time.
    func update(doneBytes: Int64) {
        let now = hostMonotonicMicroseconds()
        guard now - lastDrawn >= Self.redrawMicroseconds else { return }
        lastDrawn = now
        draw(fraction: Double(min(doneBytes, totalBytes)) / Double(totalBytes))
    }

    /// Draws 100 % and moves to a fresh line.
    func finish() {
        draw(fraction: 1)
        printErrorRaw("\n")
    }

    private func draw(fraction: Double) {
        let filled = Int((fraction * Double(Self.width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.width - filled)
        printErrorRaw("\r[\(bar)] \(Int(fraction * 100))%")
    }
}

/// Writes `text` to standard error as is.
private func printErrorRaw(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}
