import CQRencode

/// A QR code as terminal text: two module rows per line with Unicode half blocks, light modules
/// drawn as blocks so it reads on the usual dark terminal; with `color`, ANSI black on white
/// makes it read on any theme.
public enum QRCodeText {
    /// Light modules around the code; scanners need a quiet zone, 2 keeps it within 40 columns
    /// for the page's URL.
    static let quietModules = 2

    /// The lines for `text`, or nil if libqrencode cannot encode it.
    public static func render(_ text: String, color: Bool) -> [String]? {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let modules = code.pointee.data!
        let size = width + 2 * quietModules
        func dark(_ row: Int, _ column: Int) -> Bool {
            let r = row - quietModules, c = column - quietModules
            guard (0..<width).contains(r), (0..<width).contains(c) else { return false }
            return modules[r * width + c] & 1 == 1
        }
        var lines: [String] = []
        for row in stride(from: 0, to: size, by: 2) {
            var line = color ? "\u{1B}[97;40m" : ""
            for column in 0..<size {
                let top = !dark(row, column), bottom = row + 1 >= size || !dark(row + 1, column)
                line += top ? (bottom ? "\u{2588}" : "\u{2580}") : (bottom ? "\u{2584}" : " ")
            }
            lines.append(line + (color ? "\u{1B}[0m" : ""))
        }
        return lines
    }
}
