import RollSenseSignal
import RollSenseStore

/// Lays out the live view as lines of text for a terminal of a given size.
///
/// Pure: the same model and size give the same lines, so it is tested without a terminal.
struct LiveViewRenderer {
    var width: Int
    var height: Int
    var color: Bool

    /// The narrowest terminal the full-screen view is laid out for; below it, one line.
    static let minimumFullWidth = 40

    /// The screen's lines, each at most `width` visible columns, with ANSI colour when `color`.
    /// From 40 columns a full screen (rows dropped, least needed first, to fit the height); below
    /// 40 columns a one-line view.
    func render(_ model: LiveViewModel) -> [String] {
        let width = max(self.width, 1)
        if width < Self.minimumFullWidth { return [oneLine(model, width: width)] }
        let height = max(self.height, 1)
        var status: String = ""
        if let linkStatus = model.linkStatus {
            status = paint(fit("  " + linkStatus, width: width), model.stale ? "7;35" : "7;33")
        }
        let time = clock(model.sessionSeconds)
        let title = paint(fit(Self.title(model.title, room: width - time.count - 1), right: time, width: width), "1")
        let gaugeLine = gauge(model, width: width)
        let scaleLine = scale(model, width: width)
        let figures: String
        if model.stale {
            // Old values must not read as current: no number, no zone, in grey.
            figures = paint("  -- N   -- kPa   NO SIGNAL", "2")
        } else {
            let forceText = model.inContact ? format(model.forceNewtons, digits: 0) + " N" : "no contact"
            // Pressure is force over a modelled contact area: an estimate (docs/SAFETY.md).
            var pressureText = "~" + format(model.pressureKilopascals, digits: 1) + " kPa est."
            // Out of contact the force already says so: no zone label to repeat it (and 40 columns hold it).
            let zoneWords = model.inContact ? model.zoneLabel.uppercased() : ""
            // An alert that outlasts its load sits beside the zone now, in its own colour.
            let latchedWords = model.inContact ? model.latchedAlert.map { " (\($0.rawValue) alert)" } ?? "" : ""
            let fixed = 2 + forceText.count + (zoneWords.isEmpty ? 0 : 3 + zoneWords.count) + latchedWords.count
            if fixed + 3 + pressureText.count > width { pressureText = "~" + format(model.pressureKilopascals, digits: 1) + " kPa" }
            let pressurePart = fixed + 3 + pressureText.count > width ? "" : "   " + paint(pressureText, "1")
            let zoneText = zoneWords.isEmpty ? "" : "   " + paint(zoneWords, "1;" + model.zone.ansiColor)
                + (model.latchedAlert.map { paint(latchedWords, "1;" + $0.ansiColor) } ?? "")
            figures = "  " + paint(forceText, "1") + pressurePart + zoneText
        }
        let dailyLine = holdAndToday(model, width: width)
        let sparkText = sparkline(model.recentGaugeValues, width: width - 4, maximum: model.gaugeMaximumValue)
        let spark = "  " + (model.stale ? paint(sparkText, "2") : sparkText)
        let banner: (text: String, sgr: String)
        if model.stale {
            banner = ("NO SIGNAL: values are not current", "7;35")
        } else if let alert = model.alert {
            banner = (alert.text.uppercased(), "7;" + alert.style.ansiColor)
        } else {
            banner = (model.inContact ? "keep rolling" : "lie on the roller to start", "2")
        }
        let prominent = model.stale || model.alert != nil
        let spineLine = model.spineObservable ? nil : paint(fit("  spine: cannot tell with this rig", width: width), "2")

        // Rows in screen order with how much each is needed; a short terminal loses the least
        // needed first: blank rows, the Ctrl-C hint, the banner's padding, the sparkline, the
        // sound note, the spine line and last the pain hint. The figures and today's time stay.
        var rows: [(line: String, need: Int)] = [(title, Need.always)]
        if let phrase = model.sourcePhrases.first(where: { $0.count + 2 <= width }) ?? model.sourcePhrases.last {
            rows.append((paint(fit("  " + phrase, width: width), "2"), Need.source))
        }
        // The stop limit and where it came from, under what is measured.
        if let limits = model.limitsLine { rows.append((paint(fit("  " + limits, width: width), "2"), Need.limits)) }
        rows += [
            (status, Need.always), (gaugeLine, Need.always), (scaleLine, Need.always),
            (figures, Need.always),
        ]
        if let fault = model.faultBeside { rows.append((paint(fit("  also: " + fault, width: width), "1;35"), Need.always)) }
        rows += [
            (dailyLine, Need.always), (spark, Need.sparkline),
            // The strip of the back with a rotation sensor; a blank row without one.
            (backStrip(model, width: width), model.position == nil ? Need.blank : Need.backStrip),
        ]
        // A ball's grid: the row it is on, across the back.
        if model.position?.isTwoDimensional == true { rows.append((acrossStrip(model, width: width), Need.acrossStrip)) }
        if prominent {
            rows += bannerLines(banner, rows: 3, width: width).map { ($0.line, $0.padding ? Need.padding : Need.always) }
        } else {
            // A quiet banner's words sit on its middle row; the spine line shares the row below.
            rows += [("", Need.padding), (paint(fit("  " + banner.text, width: width), banner.sgr), Need.always),
                     spineLine.map { ($0, Need.spine) } ?? ("", Need.padding)]
        }
        rows.append(("", Need.blank))
        // Whole words at any width: cut at 40 columns the full hint lost "signal" mid-word.
        let painHint = width >= 44 ? "  p: it hurts more. Pain is your stop signal" : "  p: it hurts more. Pain means stop"
        // After a mark its confirmation takes the hint's row: the person sees what was stored.
        if let note = model.painNote {
            rows.append((paint(fit("  " + note, width: width), "1"), Need.painHint))
        } else {
            rows.append((paint(fit(painHint, width: width), "2"), Need.painHint))
        }
        if let note = model.soundNote { rows.append((paint(fit("  " + note, width: width), "2"), Need.soundNote)) }
        rows.append((paint(fit("  Ctrl-C ends the session", width: width), "2"), Need.quitHint))
        while rows.count > height, let least = rows.indices.min(by: { rows[$0].need < rows[$1].need }),
              rows[least].need < Need.always {
            rows.remove(at: least)
        }
        return Array(rows.map(\.line).prefix(height))
    }

    /// How much a row of the full view is needed: the lowest goes first when rows do not fit.
    private enum Need {
        static let blank = 0
        static let quitHint = 1
        static let padding = 2
        static let sparkline = 3
        static let backStrip = 3
        static let acrossStrip = 3
        static let soundNote = 4
        static let source = 4
        static let spine = 5
        static let painHint = 6
        static let limits = 5
        static let always = 100
    }

    /// One line for a terminal under 40 columns: the figures that matter, most important first.
    private func oneLine(_ model: LiveViewModel, width: Int) -> String {
        let today = "\(clock(model.dailySeconds))/\(clock(model.dailyLimitSeconds))"
        // Today's time stays whole at the right; the words take what is left, in the longest
        // form that fits whole (an alert's short forms, NO SIGNAL's), never cut mid-word.
        let room = width - today.count - 1
        guard room >= 4 else { return fitPlain(today, width: width) }
        func longestFitting(_ forms: [String]) -> String {
            forms.first { $0.count <= room } ?? fitPlain(forms.last ?? "", width: room)
        }
        if model.stale {
            return paint(longestFitting(["NO SIGNAL -- N", "NO SIGNAL", "NO SIG"]), "7;35") + " " + today
        }
        let what: String
        let style: ZoneStyle
        if let alert = model.alert {
            (what, style) = (longestFitting(([alert.text] + model.alertShortForms).map { $0.uppercased() }), alert.style)
        } else {
            let figures = model.inContact ? [format(model.forceNewtons, digits: 0) + " N " + model.zoneLabel.uppercased(), model.zoneLabel.uppercased()]
                : ["no contact"]
            (what, style) = (longestFitting(figures), model.zone)
        }
        return paint(fitPlain(what, width: room), model.alert == nil ? "1;" + style.ansiColor : "1;7;" + style.ansiColor) + " " + today
    }

    /// "Hold 0:12   Today on lower back 3:30 / 5:00 [####....]", shortened to fit: the bar
    /// goes first, then the area name; today's time against the limit always stays.
    private func holdAndToday(_ model: LiveViewModel, width: Int) -> String {
        let hold = model.stale || !model.inContact ? "-" : clock(model.holdSeconds)
        let daily = "\(clock(model.dailySeconds)) / \(clock(model.dailyLimitSeconds))"
        let dailyFraction = model.dailyLimitSeconds > 0 ? model.dailySeconds / model.dailyLimitSeconds : 0
        let dailyStyle: ZoneStyle = model.dailySeconds >= model.dailyLimitSeconds ? .stop
            : (model.dailySeconds >= model.dailyWarningSeconds ? .caution : .target)
        let candidates = [
            "  Hold \(hold)   Today on \(model.areaName) \(daily) ",
            "  Hold \(hold)  Today \(daily) ",
            " Hold \(hold) Today \(daily)",
        ]
        for text in candidates {
            // The bar wants at least 5 cells (and 2 for its brackets) to be worth drawing.
            let barWidth = min(20, width - text.count - 2)
            if barWidth >= 5 { return text + paint(bar(fraction: dailyFraction, width: barWidth), dailyStyle.ansiColor) }
        }
        return fitPlain(candidates.first { $0.count <= width } ?? candidates.last!, width: width)
    }

    /// An alert or NO SIGNAL banner: the words centred (wrapped over all rows when long) in
    /// its colour, padded above and below to `rows`; `padding` marks the rows without words.
    private func bannerLines(_ banner: (text: String, sgr: String), rows: Int, width: Int) -> [(line: String, padding: Bool)] {
        var wrapped = wrap(banner.text, width: width - 2, rows: rows)
        if wrapped.count < rows {
            // Pad above and below so a short text sits in the middle row.
            let above = (rows - wrapped.count) / 2
            wrapped = Array(repeating: "", count: above) + wrapped + Array(repeating: "", count: rows - wrapped.count - above)
        }
        return wrapped.map { text in
            let padded = String(repeating: " ", count: max(0, (width - text.count) / 2)) + text
            return (paint(fitPlain(padded, width: width, padded: true), (text.isEmpty ? "" : "1;") + banner.sgr), text.isEmpty)
        }
    }

    /// Words into at most `rows` lines of at most `width` characters (the last one clipped).
    private func wrap(_ text: String, width: Int, rows: Int) -> [String] {
        var lines = wordWrap(text, width: width).filter { !$0.isEmpty }
        if lines.count > rows {
            lines = Array(lines.prefix(rows - 1)) + [lines[(rows - 1)...].joined(separator: " ")]
        }
        return lines.map { fitPlain($0, width: width) }
    }

    // MARK: - Pieces

    private func gauge(_ model: LiveViewModel, width: Int) -> String {
        let cells = width - 2
        let maximum = max(model.gaugeMaximumValue, 1)
        let filled = model.stale ? 0 : Int((min(max(model.gaugeValue, 0), maximum) / maximum * Double(cells)).rounded())
        var out = " "
        var runStyle: ZoneStyle?
        var run = ""
        for cell in 0..<cells {
            let cellValue = (Double(cell) + 0.5) / Double(cells) * maximum
            let style = model.stale ? .none : bandStyle(at: cellValue, bands: model.bands)
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
        let maximum = max(model.gaugeMaximumValue, 1)
        var line = [Character](repeating: " ", count: width)
        let named = model.bands.filter { $0.style != .none }.map(\.style.rawValue)
        let columns = model.bands.filter { $0.style != .none }.map { 1 + Int($0.fromGaugeValue / maximum * Double(cells)) }
        func bandEnd(_ index: Int) -> Int { index + 1 < columns.count ? columns[index + 1] : width }
        var previousEnd = 0
        for (index, name) in named.enumerated() {
            // Each name starts at its band, or just after the name before it; it may reach into
            // the next band as far as that band's own name leaves room, with a space between.
            let start = max(columns[index], previousEnd + 1)
            var limit = bandEnd(index) - 1
            if index + 1 < columns.count {
                limit += max(0, bandEnd(index + 1) - columns[index + 1] - 1 - named[index + 1].count)
            }
            let room = min(limit, width) - start
            let label = name.count <= room ? name : (room >= 3 ? String(name.prefix(room - 1)) + "." : "")
            guard !label.isEmpty else { continue }
            for (offset, character) in label.enumerated() { line[start + offset] = character }
            previousEnd = start + label.count
        }
        return paint(String(line), "2")
    }

    private func bandStyle(at gaugeValue: Double, bands: [LiveViewModel.Band]) -> ZoneStyle {
        var style = ZoneStyle.none
        for band in bands where gaugeValue >= band.fromGaugeValue { style = band.style }
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
    /// A ball's place is 2-D: "Back ▂▅█▃ ↑12.4 →3.1 cm". Empty for a rig without a rotation sensor.
    private func backStrip(_ model: LiveViewModel, width: Int) -> String {
        guard let position = model.position else { return "" }
        // No signal: the time per spot stays (it happened), where the tool is now is not known.
        guard !model.stale else { return strip("  Back ", seconds: model.bandSeconds, at: nil, place: "-- cm", width: width) }
        let still = position.isStill ? " still" : ""
        let place: String
        if let along = position.millimetres {
            place = position.acrossMillimetres.map { "↑" + format(along / 10, digits: 1) + " →" + format($0 / 10, digits: 1) + " cm" + still }
                ?? format(along / 10, digits: 1) + " cm" + still
        } else {
            place = model.inContact ? "position unknown" : "lifted"
        }
        return strip("  Back ", seconds: model.bandSeconds, at: position.band, place: place, width: width)
    }

    /// A ball's row of the grid where it is now, across the back: "Across ▁█▃ (row 12 cm)".
    /// Empty for a roller, and while the ball's place is unknown or there is no signal.
    private func acrossStrip(_ model: LiveViewModel, width: Int) -> String {
        guard let position = model.position, position.isTwoDimensional, let band = position.band, !model.stale else { return "" }
        let row = model.cellSeconds.filter { $0.key.band == band }
        let seconds = Dictionary(uniqueKeysWithValues: row.map { ($0.key.column, $0.value) })
        let place = "row " + format(Double(band) * model.bandMillimetres / 10, digits: 0) + " cm"
        return strip("  Across ", seconds: seconds, at: position.column, place: place, width: width)
    }

    /// A strip of spots, each as high as the time spent there, `current` in reverse video.
    private func strip(_ prefix: String, seconds: [Int: Double], at current: Int?, place: String, width: Int) -> String {
        let room = width - prefix.count - place.count - 1
        let known = Array(seconds.keys) + (current.map { [$0] } ?? [])
        guard room >= 3, var low = known.min(), var high = known.max() else { return fit(prefix + place, width: width) }
        if high - low + 1 > room {
            // Too many spots for the width: the window around the tool (or the far end).
            let centre = current ?? high
            low = max(low, centre - room / 2)
            high = low + room - 1
        }
        let glyphs: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let longest = max(seconds.values.max() ?? 0, 1e-9)
        var cells = ""
        for spot in low...high {
            let time = seconds[spot] ?? 0
            let glyph = time > 0 ? glyphs[min(glyphs.count - 1, Int(time / longest * Double(glyphs.count - 1)))] : "·"
            cells += spot == current ? paint(String(glyph), "7") : String(glyph)
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

    /// Clips to `width` (no padding unless `padded`).
    private func fitPlain(_ text: String, width: Int, padded: Bool = false) -> String {
        let clipped = text.count > width ? String(text.prefix(width)) : text
        return padded ? clipped + String(repeating: " ", count: width - clipped.count) : clipped
    }

    /// The title in `room` columns: the name first goes, then the title's last comma-separated
    /// parts, so what is left reads whole ("demo: virtual board", not "demo: virtual board, foa").
    static func title(_ title: String, room: Int) -> String {
        var parts = title.split(separator: ",").map { $0.trimmingPrefix(" ") }
        if ("RollSense  " + title).count <= room { return "RollSense  " + title }
        while parts.count > 1 && parts.joined(separator: ", ").count > room { parts.removeLast() }
        return parts.joined(separator: ", ")
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

/// A number with a fixed count of decimals, without Foundation's formatters; `-` for NaN or infinity.
func format(_ value: Double, digits: Int) -> String {
    fixedDecimal(value, digits: digits) ?? "-"
}
