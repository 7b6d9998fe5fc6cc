import RollSenseSignal

/// Lays out the live view as lines of text for a terminal of a given size.
///
/// Pure: the same model and size give the same lines, so it is tested without a terminal.
struct LiveViewRenderer {
    var width: Int
    var height: Int
    var color: Bool

    /// The screen's lines, each at most `width` visible columns, with ANSI colour when `color`.
    func render(_ model: LiveViewModel) -> [String] {
        let width = max(self.width, 20)
        var lines: [String] = []
        lines.append(paint(fit("RollSense  \(model.title)", right: clock(model.sessionSeconds), width: width), "1"))
        lines.append(model.linkStatus.map { paint(fit("  " + $0, width: width), "7;33") } ?? "")
        lines.append(gauge(model, width: width))
        lines.append(scale(model, width: width))
        let forceText = model.inContact ? format(model.forceNewtons, digits: 0) + " N" : "no contact"
        // Pressure is force over a modelled contact area: an estimate (docs/SAFETY.md).
        let pressureText = "~" + format(model.pressureKilopascals, digits: 1) + " kPa est."
        lines.append(
            "  " + paint(forceText, "1") + "   " + paint(pressureText, "1") + "   "
                + paint(model.zoneLabel.uppercased(), "1;" + model.zone.ansiColor))
        let hold = model.inContact ? clock(model.holdSeconds) : "-"
        let daily = "\(clock(model.dailySeconds)) / \(clock(model.dailyLimitSeconds))"
        let holdLine = "  Hold \(hold)   Today on \(model.areaName) \(daily) "
        // The bar takes what room is left (2 columns for its brackets), at most 20 cells.
        let dailyBarWidth = max(0, min(20, width - holdLine.count - 2))
        let dailyFraction = model.dailyLimitSeconds > 0 ? model.dailySeconds / model.dailyLimitSeconds : 0
        let dailyStyle: ZoneStyle = model.dailySeconds >= model.dailyLimitSeconds ? .stop
            : (model.dailySeconds >= model.dailyWarningSeconds ? .caution : .target)
        lines.append(
            (dailyBarWidth > 0 ? holdLine : fit(holdLine, width: width))
                + paint(bar(fraction: dailyFraction, width: dailyBarWidth), dailyStyle.ansiColor))
        lines.append("  " + sparkline(model.recentKilopascals, width: width - 4, maximum: model.gaugeMaximumKilopascals))
        lines.append(backStrip(model, width: width))
        if let alert = model.alert {
            // Three rows in the alert's colour, the words in capitals in the middle one: readable
            // from a roller on the floor.
            let text = "  " + alert.text.uppercased() + "  "
            let padded = String(repeating: " ", count: max(0, (width - text.count) / 2)) + text
            let blank = String(repeating: " ", count: width)
            lines.append(paint(blank, "7;" + alert.style.ansiColor))
            lines.append(paint(fit(padded, width: width), "1;7;" + alert.style.ansiColor))
            lines.append(paint(blank, "7;" + alert.style.ansiColor))
        } else {
            lines.append("")
            lines.append(paint(fit("  " + (model.inContact ? "keep rolling" : "lie on the roller to start"), width: width), "2"))
            lines.append(model.spineObservable ? "" : paint(fit("  spine: cannot tell with this rig", width: width), "2"))
        }
        lines.append(paint(fit("  p: it hurts more. Pain is your stop signal", width: width), "2"))
        if let note = model.soundNote { lines.append(paint(fit("  " + note, width: width), "2")) }
        lines.append(paint(fit("  Ctrl-C ends the session", width: width), "2"))
        return Array(lines.prefix(max(height, 1)))
    }

    // MARK: - Pieces

    private func gauge(_ model: LiveViewModel, width: Int) -> String {
        let cells = width - 2
        let maximum = max(model.gaugeMaximumKilopascals, 1)
        let filled = Int((min(max(model.gaugeValue, 0), maximum) / maximum * Double(cells)).rounded())
        var out = " "
        var runStyle: ZoneStyle?
        var run = ""
        for cell in 0..<cells {
            let kilopascals = (Double(cell) + 0.5) / Double(cells) * maximum
            let style = bandStyle(at: kilopascals, bands: model.bands)
            let glyph: Character = cell < filled ? "█" : "░"
            if style != runStyle, let previous = runStyle {
                out += paint(run, previous.ansiColor)
                run = ""
            }
            runStyle = style
            run.append(glyph)
        }
        if let runStyle { out += paint(run, runStyle.ansiColor) }
        return out
    }

    private func scale(_ model: LiveViewModel, width: Int) -> String {
        let cells = width - 2
        let maximum = max(model.gaugeMaximumKilopascals, 1)
        var line = [Character](repeating: " ", count: width)
        for band in model.bands where band.style != .none {
            let column = 1 + Int(band.fromKilopascals / maximum * Double(cells))
            for (offset, character) in band.style.rawValue.enumerated() where column + offset < width {
                line[column + offset] = character
            }
        }
        return paint(String(line), "2")
    }

    private func bandStyle(at kilopascals: Double, bands: [LiveViewModel.Band]) -> ZoneStyle {
        var style = ZoneStyle.none
        for band in bands where kilopascals >= band.fromKilopascals { style = band.style }
        return style
    }

    private func sparkline(_ values: [Double], width: Int, maximum: Double) -> String {
        let glyphs: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let shown = values.suffix(max(width, 0))
        let top = max(maximum, 1)
        return String(shown.map { value in
            glyphs[min(glyphs.count - 1, max(0, Int(value / top * Double(glyphs.count))))]
        })
    }

    /// The back as a strip of bands from where the first contact began, each cell as high as the
    /// time spent there, the tool's band in reverse video, then where it is: "Back ▂▅█▃ 12.4 cm".
    /// Empty for a rig without a rotation sensor.
    private func backStrip(_ model: LiveViewModel, width: Int) -> String {
        guard let position = model.position else { return "" }
        let place = position.millimetres.map { format($0 / 10, digits: 1) + " cm" + (position.isStill ? " still" : "") }
            ?? (model.inContact ? "position unknown" : "lifted")
        let prefix = "  Back "
        let room = width - prefix.count - place.count - 1
        let known = Array(model.bandSeconds.keys) + (position.band.map { [$0] } ?? [])
        guard room >= 3, var low = known.min(), var high = known.max() else { return fit(prefix + place, width: width) }
        if high - low + 1 > room {
            // Too many bands for the width: the window around the tool (or the far end).
            let centre = position.band ?? high
            low = max(low, centre - room / 2)
            high = low + room - 1
        }
        let glyphs: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let longest = max(model.bandSeconds.values.max() ?? 0, 1e-9)
        var cells = ""
        for band in low...high {
            let seconds = model.bandSeconds[band] ?? 0
            let glyph = seconds > 0 ? glyphs[min(glyphs.count - 1, Int(seconds / longest * Double(glyphs.count - 1)))] : "·"
            cells += band == position.band ? paint(String(glyph), "7") : String(glyph)
        }
        return prefix + cells + " " + place
    }

    private func bar(fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let filled = min(width, Int((min(max(fraction, 0), 1) * Double(width)).rounded()))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    private func paint(_ text: String, _ sgr: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(sgr)m\(text)\u{1B}[0m" : text
    }

    private func fit(_ left: String, right: String = "", width: Int) -> String {
        let room = width - right.count
        let clipped = left.count > room ? String(left.prefix(max(room - 1, 0))) + " " : left
        return clipped + String(repeating: " ", count: max(0, room - clipped.count)) + right
    }
}

/// `m:ss` for a number of seconds (negative shown as 0:00).
func clock(_ seconds: Double) -> String {
    let total = Int(max(seconds, 0))
    let remainder = total % 60
    return "\(total / 60):\(remainder < 10 ? "0" : "")\(remainder)"
}

/// A number with a fixed count of decimals, without Foundation's formatters.
func format(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    let sign = value < 0 && scaled > 0 ? "-" : ""
    guard digits > 0 else { return sign + String(whole) }
    let fractionText = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
}
