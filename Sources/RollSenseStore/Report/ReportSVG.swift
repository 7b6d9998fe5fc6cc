import Foundation
import RollSenseSignal

/// The lower edges of the zones, in newtons, for the chart's bands.
public struct ZoneEdges: Sendable, Equatable {
    /// Lower edge of the target zone (below it: light).
    public var targetNewtons: Double
    /// Lower edge of the caution zone.
    public var cautionNewtons: Double
    /// Lower edge of the stop zone.
    public var stopNewtons: Double

    /// Makes edges; they should rise.
    public init(targetNewtons: Double, cautionNewtons: Double, stopNewtons: Double) {
        self.targetNewtons = targetNewtons
        self.cautionNewtons = cautionNewtons
        self.stopNewtons = stopNewtons
    }
}

/// An SVG chart of force over time: the zone bands shaded behind the force envelope (min/max per
/// pixel column, so an 8-hour session stays a few hundred kilobytes), alerts marked, axes in
/// seconds or minutes and newtons, and a legend. Self-contained: no scripts, fonts or images.
public enum ReportSVG {
    /// Chart size in pixels; 960 wide fits a laptop screen and a printed page.
    public static let widthPixels = 960
    /// Chart height in pixels.
    public static let heightPixels = 440
    /// Height of the body map added below the chart when the session has positions.
    public static let bodyMapHeightPixels = 210
    /// Alert markers drawn at most: one per 3-pixel slot of the plot (the report lists them all).
    public static let maximumAlertMarkers = 300

    static let marginLeft = 72, marginRight = 24, marginTop = 76, marginBottom = 56

    /// The SVG document for a session; `message` words an alert's event for its tooltip.
    public static func render(
        title: String, envelope: ForceEnvelope, report: SessionStatistics, zones: ZoneEdges?, message: (SignalEvent) -> String
    ) -> String {
        let plotWidth = widthPixels - marginLeft - marginRight
        let plotHeight = heightPixels - marginTop - marginBottom
        let durationSeconds = max(report.durationSeconds, Double(envelope.endMicroseconds - (envelope.startMicroseconds ?? 0)) * 1e-6, 1)
        let columns = envelope.columns(plotWidth)
        let dataMaximum = columns.compactMap { $0?.maximumNewtons }.max() ?? 0
        let zoneTop = zones.map { $0.stopNewtons * 1.25 } ?? 0
        let (yStep, yMaximum) = niceScale(maximum: max(dataMaximum * 1.08, zoneTop, 10))
        let (xStep, _) = niceScale(maximum: durationSeconds < 120 ? durationSeconds : durationSeconds / 60, targetTicks: 8)
        let inMinutes = durationSeconds >= 120

        func x(_ seconds: Double) -> Double { Double(marginLeft) + seconds / durationSeconds * Double(plotWidth) }
        func y(_ newtons: Double) -> Double {
            Double(marginTop) + Double(plotHeight) * (1 - min(max(newtons, 0), yMaximum) / yMaximum)
        }

        let totalHeight = heightPixels + (!report.positionCells.isEmpty ? bodyGridHeight(report)
                                          : report.positionBands.isEmpty ? 0 : bodyMapHeightPixels)
        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(widthPixels)" height="\(totalHeight)" viewBox="0 0 \(widthPixels) \(totalHeight)" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
            <title>\(escape(title))</title>
            <rect x="0" y="0" width="\(widthPixels)" height="\(totalHeight)" fill="#ffffff"/>
            <text x="\(marginLeft)" y="24" font-size="16" font-weight="bold" fill="#222">\(escape(title))</text>

            """
        // Zone bands, light to stop.
        if let zones {
            let bands: [(String, Double, Double, String)] = [
                ("light", 0, zones.targetNewtons, "#dbe9f6"),
                ("target", zones.targetNewtons, zones.cautionNewtons, "#d3efd3"),
                ("caution", zones.cautionNewtons, zones.stopNewtons, "#fbe7c2"),
                ("stop", zones.stopNewtons, yMaximum, "#f8d0cc"),
            ]
            svg += "<g id=\"zones\">\n"
            for (name, low, high, colour) in bands where high > low && low < yMaximum {
                svg += "<rect class=\"zone-\(name)\" x=\"\(marginLeft)\" y=\(attr(y(high))) width=\"\(plotWidth)\" height=\(attr(y(low) - y(high))) fill=\"\(colour)\"/>\n"
            }
            svg += "</g>\n"
        }
        // Grid and axes.
        svg += "<g id=\"axes\" stroke=\"#888\" stroke-width=\"1\">\n"
        var tick = 0.0
        while tick <= yMaximum + yStep * 1e-9 {
            svg += "<line x1=\"\(marginLeft)\" y1=\(attr(y(tick))) x2=\"\(marginLeft + plotWidth)\" y2=\(attr(y(tick))) stroke=\"#000\" stroke-opacity=\"0.08\"/>\n"
            svg += "<text x=\"\(marginLeft - 8)\" y=\(attr(y(tick) + 4)) text-anchor=\"end\" stroke=\"none\" fill=\"#333\">\(label(tick))</text>\n"
            tick += yStep
        }
        tick = 0
        let xLimit = inMinutes ? durationSeconds / 60 : durationSeconds
        while tick <= xLimit + xStep * 1e-9 {
            let px = x(inMinutes ? tick * 60 : tick)
            svg += "<line x1=\(attr(px)) y1=\"\(marginTop + plotHeight)\" x2=\(attr(px)) y2=\"\(marginTop + plotHeight + 5)\"/>\n"
            svg += "<text x=\(attr(px)) y=\"\(marginTop + plotHeight + 19)\" text-anchor=\"middle\" stroke=\"none\" fill=\"#333\">\(label(tick))</text>\n"
            tick += xStep
        }
        svg += "<rect x=\"\(marginLeft)\" y=\"\(marginTop)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\"/>\n"
        svg += "<text x=\"\(marginLeft + plotWidth / 2)\" y=\"\(heightPixels - 12)\" text-anchor=\"middle\" stroke=\"none\" fill=\"#222\">Time (\(inMinutes ? "min" : "s"))</text>\n"
        svg += "<text transform=\"translate(18 \(marginTop + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\" stroke=\"none\" fill=\"#222\">Force (N)</text>\n"
        svg += "</g>\n"
        // Force: the min-max envelope per column and a line through the maxima.
        var envelopePath = "", linePath = ""
        for (index, column) in columns.enumerated() {
            guard let column else { continue }
            let px = Double(marginLeft) + Double(index) + 0.5
            envelopePath += "M\(coordinate(px)) \(coordinate(y(column.maximumNewtons)))V\(coordinate(y(column.minimumNewtons) + 0.01))"
            linePath += (linePath.isEmpty ? "M" : "L") + "\(coordinate(px)) \(coordinate(y(column.maximumNewtons)))"
        }
        svg += "<g id=\"force\" fill=\"none\" stroke=\"#1f4e79\">\n"
        if !envelopePath.isEmpty {
            svg += "<path d=\"\(envelopePath)\" stroke-width=\"1\" stroke-opacity=\"0.55\"/>\n"
            svg += "<path d=\"\(linePath)\" stroke-width=\"1.4\" stroke-linejoin=\"round\"/>\n"
        }
        svg += "</g>\n"
        // Alerts: a dashed line and a triangle at the top of the plot, coloured by level.
        svg += "<g id=\"alerts\">\n"
        // One marker per 3-pixel slot (a stop outranks a caution), so a long session with many
        // alerts stays readable and every part of it still shows where alerts were.
        var slots: [Int: SessionStatistics.Alert] = [:]
        for alert in report.alerts {
            let slot = Int(x(alert.sessionSeconds) / 3)
            if let kept = slots[slot], kept.level == "stop" || alert.level != "stop" { continue }
            slots[slot] = alert
        }
        let marked = slots.sorted { $0.key < $1.key }.map(\.value)
        let lineOpacity = marked.count > 40 ? "0.35" : "0.9"
        for alert in marked.prefix(maximumAlertMarkers) {
            let colour = alert.level == "stop" ? "#c0392b" : "#e67e22"
            let px = x(alert.sessionSeconds)
            svg += "<g class=\"alert-\(alert.level)\"><title>\(escape(clock(alert.sessionSeconds) + " " + alert.level + ": " + message(alert.event)))</title>"
            svg += "<line x1=\(attr(px)) y1=\"\(marginTop)\" x2=\(attr(px)) y2=\"\(marginTop + plotHeight)\" stroke=\"\(colour)\" stroke-opacity=\"\(lineOpacity)\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>"
            svg += "<path d=\"M\(coordinate(px - 5)) \(marginTop - 9)h10l-5 8z\" fill=\"\(colour)\"/></g>\n"
        }
        svg += "</g>\n"
        // Pain marks: a purple ring at the force the person marked, with a line to the top; the
        // person's own stop signal, so never thinned like alerts.
        if !report.painMarks.isEmpty {
            svg += "<g id=\"pain-marks\">\n"
            for mark in report.painMarks.prefix(maximumAlertMarkers) {
                let px = x(mark.sessionSeconds)
                svg += "<g class=\"pain-mark\"><title>\(escape(clock(mark.sessionSeconds) + " pain mark at \(Int(mark.event.forceNewtons.rounded())) N"))</title>"
                svg += "<line x1=\(attr(px)) y1=\"\(marginTop)\" x2=\(attr(px)) y2=\(attr(y(mark.event.forceNewtons))) stroke=\"#7d3c98\" stroke-width=\"1.2\"/>"
                svg += "<circle cx=\(attr(px)) cy=\(attr(y(mark.event.forceNewtons))) r=\"5\" fill=\"#ffffff\" stroke=\"#7d3c98\" stroke-width=\"2.5\"/></g>\n"
            }
            svg += "</g>\n"
        }
        // Legend above the plot.
        var legendX = Double(marginLeft)
        let legendY = 44
        svg += "<g id=\"legend\" font-size=\"11\" fill=\"#333\">\n"
        func item(_ swatch: String, _ text: String) {
            svg += swatch.replacingPlaceholder(x: legendX, y: Double(legendY))
            svg += "<text x=\(attr(legendX + 18)) y=\"\(legendY + 9)\">\(escape(text))</text>\n"
            legendX += 18 + Double(text.count) * 6.4 + 16
        }
        item("<path d=\"M{x} {y5}h14\" stroke=\"#1f4e79\" stroke-width=\"2\"/>", "force")
        if let zones {
            item("<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"10\" fill=\"#dbe9f6\"/>", "light < \(label(zones.targetNewtons)) N")
            item("<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"10\" fill=\"#d3efd3\"/>", "target")
            item("<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"10\" fill=\"#fbe7c2\"/>", "caution \u{2265} \(label(zones.cautionNewtons)) N")
            item("<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"10\" fill=\"#f8d0cc\"/>", "stop \u{2265} \(label(zones.stopNewtons)) N")
        }
        item("<path d=\"M{x} {y}h10l-5 8z\" fill=\"#e67e22\"/>", "caution alert")
        item("<path d=\"M{x} {y}h10l-5 8z\" fill=\"#c0392b\"/>", "stop alert")
        if !report.painMarks.isEmpty {
            item("<circle cx=\"{x5}\" cy=\"{y5}\" r=\"4\" fill=\"#ffffff\" stroke=\"#7d3c98\" stroke-width=\"2\"/>", "pain mark")
        }
        svg += "</g>\n"
        if !report.positionCells.isEmpty {
            svg += bodyGrid(report, top: heightPixels)
        } else if !report.positionBands.isEmpty {
            svg += bodyMap(report, top: heightPixels)
        }
        svg += "</svg>\n"
        return svg
    }

    /// The back as a strip of bands from where the first contact began: a bar per band as tall as
    /// its contact time, shaded by its peak pressure, both written on it.
    static func bodyMap(_ report: SessionStatistics, top: Int) -> String {
        let bands = report.positionBands.sorted { $0.key < $1.key }
        let first = bands.first!.key, last = bands.last!.key
        let plotWidth = widthPixels - marginLeft - marginRight
        let barTop = Double(top + 64), barHeight = 86.0  // room above the tallest bar for its label
        let baseline = barTop + barHeight
        let slot = Double(plotWidth) / Double(last - first + 1)
        let longest = bands.map(\.value.seconds).max() ?? 1
        let peak = max(bands.map(\.value.peakKilopascals).max() ?? 1, 1)
        let bandCentimetres = report.bandMillimetres / 10
        var svg = bodyMapHeading(report, top: top, what: "\(label(bandCentimetres)) cm of back", parts: "bands")
        for (band, totals) in bands {
            let x = Double(marginLeft) + Double(band - first) * slot
            let height = max(1, totals.seconds / longest * barHeight)
            let shade = 0.25 + 0.75 * min(totals.peakKilopascals / peak, 1)
            let tip = "\(label(Double(band) * bandCentimetres))-\(label(Double(band + 1) * bandCentimetres)) cm: "
                + "\(label((totals.seconds * 10).rounded() / 10)) s, peak \(label((totals.peakKilopascals * 10).rounded() / 10)) kPa"
            svg += "<g class=\"band\"><title>\(escape(tip))</title>"
            svg += "<rect x=\(attr(x + 1)) y=\(attr(baseline - height)) width=\(attr(max(slot - 2, 1))) height=\(attr(height)) fill=\"#8e44ad\" fill-opacity=\(attr(shade))/>"
            if slot >= 26 {
                svg += "<text x=\(attr(x + slot / 2)) y=\(attr(baseline - height - 4)) text-anchor=\"middle\" font-size=\"10\" fill=\"#333\">\(label(totals.seconds.rounded())) s</text>"
                svg += "<text x=\(attr(x + slot / 2)) y=\(attr(baseline + 26)) text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">\(label(totals.peakKilopascals.rounded()))</text>"
            }
            svg += "</g>\n"
        }
        svg += "<line x1=\"\(marginLeft)\" y1=\(attr(baseline)) x2=\"\(marginLeft + plotWidth)\" y2=\(attr(baseline)) stroke=\"#888\"/>\n"
        // Ticks every band, labelled where there is room.
        let labelEvery = max(1, Int((40 / slot).rounded(.up)))
        for band in first...(last + 1) where (band - first) % labelEvery == 0 {
            let x = Double(marginLeft) + Double(band - first) * slot
            svg += "<text x=\(attr(x)) y=\(attr(baseline + 13)) text-anchor=\"middle\" font-size=\"10\" fill=\"#333\">\(label(Double(band) * bandCentimetres))</text>\n"
        }
        svg += "<text x=\"\(marginLeft + plotWidth / 2)\" y=\(attr(baseline + 44)) text-anchor=\"middle\" fill=\"#222\">"
            + "Position along the back (cm); bar: contact time, shade and lower figure: peak pressure (kPa)</text>\n"
        svg += "</g>\n"
        return svg
    }

    /// A grid cell's side in pixels: room for its figure, smaller when the grid is wide or tall.
    static func bodyGridCellPixels(_ report: SessionStatistics) -> Double {
        let columns = report.positionCells.keys.map(\.column), bands = report.positionCells.keys.map(\.band)
        let plotWidth = Double(widthPixels - marginLeft - marginRight)
        let across = Double((columns.max() ?? 0) - (columns.min() ?? 0) + 1)
        let along = Double((bands.max() ?? 0) - (bands.min() ?? 0) + 1)
        return max(6, min(26, plotWidth / 2 / across, 600 / along))
    }

    /// The height the grid body map takes: its heading, the rows and the labels under them.
    static func bodyGridHeight(_ report: SessionStatistics) -> Int {
        let bands = report.positionCells.keys.map(\.band)
        let rows = Double((bands.max() ?? 0) - (bands.min() ?? 0) + 1)
        return Int((80 + rows * bodyGridCellPixels(report)).rounded(.up))
    }

    /// The body map's group, title and note (origin, re-placing, unknown time).
    static func bodyMapHeading(_ report: SessionStatistics, top: Int, what: String, parts: String) -> String {
        var svg = "<g id=\"body-map\">\n"
        svg += "<text x=\"\(marginLeft)\" y=\"\(top + 22)\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">"
            + escape("Body map: contact time and peak pressure per \(what)") + "</text>\n"
        var note = "0 = where the first contact began"
        if report.positionReanchors > 0 {
            note += "; re-placed \(report.positionReanchors)x, so later \(parts) are relative to where the tool was put back"
        }
        if report.positionUnknownSeconds > 0 { note += "; position unknown \(label((report.positionUnknownSeconds * 10).rounded() / 10)) s" }
        svg += "<text x=\"\(marginLeft)\" y=\"\(top + 40)\" font-size=\"11\" fill=\"#555\">\(escape(note))</text>\n"
        return svg
    }

    /// A ball's back as a grid from where the first contact began (up the page: along the
    /// spine; right: across): a square per cell, its colour as deep as its contact time, with
    /// its time written on it where there is room and time and peak pressure in its tooltip.
    static func bodyGrid(_ report: SessionStatistics, top: Int) -> String {
        let cells = report.positionCells.sorted { $0.key < $1.key }
        let columns = cells.map(\.key.column), bands = cells.map(\.key.band)
        let firstColumn = columns.min()!, lastColumn = columns.max()!
        let firstBand = bands.min()!, lastBand = bands.max()!
        let gridTop = Double(top + 50)
        let side = bodyGridCellPixels(report)
        let left = Double(marginLeft) + 30
        let longest = cells.map(\.value.seconds).max() ?? 1
        let cellCentimetres = report.bandMillimetres / 10
        var svg = bodyMapHeading(report, top: top, what: "\(label(cellCentimetres)) x \(label(cellCentimetres)) cm of back", parts: "cells")
        for (cell, totals) in cells {
            let x = left + Double(cell.column - firstColumn) * side
            let y = gridTop + Double(lastBand - cell.band) * side
            let tip = "across \(label(Double(cell.column) * cellCentimetres)) to \(label(Double(cell.column + 1) * cellCentimetres)) cm, "
                + "along \(label(Double(cell.band) * cellCentimetres)) to \(label(Double(cell.band + 1) * cellCentimetres)) cm: "
                + "\(label((totals.seconds * 10).rounded() / 10)) s, peak \(label((totals.peakKilopascals * 10).rounded() / 10)) kPa"
            svg += "<g class=\"cell\"><title>\(escape(tip))</title>"
            svg += "<rect x=\(attr(x)) y=\(attr(y)) width=\(attr(side - 1)) height=\(attr(side - 1)) fill=\"#8e44ad\" fill-opacity=\(attr(0.1 + 0.9 * totals.seconds / longest))/>"
            if side >= 24 {
                svg += "<text x=\(attr(x + side / 2)) y=\(attr(y + side / 2 + 4)) text-anchor=\"middle\" font-size=\"10\" fill=\"#111\">\(label(totals.seconds.rounded()))</text>"
            }
            svg += "</g>\n"
        }
        // The origin's row and column labelled, so the grid reads in centimetres.
        let originX = left + Double(-firstColumn) * side, originY = gridTop + Double(lastBand + 1) * side
        svg += "<text x=\(attr(originX)) y=\(attr(originY + 12)) text-anchor=\"middle\" font-size=\"10\" fill=\"#333\">0</text>\n"
        svg += "<text x=\(attr(left - 4)) y=\(attr(gridTop + Double(lastBand + 1) * side - Double(-firstBand) * side + 3)) text-anchor=\"end\" font-size=\"10\" fill=\"#333\">0</text>\n"
        let legendX = left + Double(lastColumn - firstColumn + 1) * side + 20
        svg += "<text x=\(attr(legendX)) y=\(attr(gridTop + 12)) font-size=\"11\" fill=\"#222\">up the page: along the spine (cm); right: across</text>\n"
        svg += "<text x=\(attr(legendX)) y=\(attr(gridTop + 28)) font-size=\"11\" fill=\"#222\">deeper colour: more contact time; figure: seconds</text>\n"
        let hottest = cells.max { $0.value.peakKilopascals < $1.value.peakKilopascals }!
        svg += "<text x=\(attr(legendX)) y=\(attr(gridTop + 44)) font-size=\"11\" fill=\"#222\">"
            + escape("peak \(label((hottest.value.peakKilopascals * 10).rounded() / 10)) kPa at \(label(Double(hottest.key.column) * cellCentimetres)), \(label(Double(hottest.key.band) * cellCentimetres)) cm")
            + "</text>\n"
        svg += "</g>\n"
        return svg
    }

    /// A round step (1, 2 or 5 times a power of ten) giving about `targetTicks` ticks, and the
    /// axis maximum rounded up to it.
    static func niceScale(maximum: Double, targetTicks: Double = 6) -> (step: Double, maximum: Double) {
        let raw = max(maximum, 1e-9) / targetTicks
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? power * 10
        return (step, (maximum / step).rounded(.up) * step)
    }

    static func label(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : coordinate(rounded)
    }

    static func coordinate(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    static func attr(_ value: Double) -> String { "\"\(coordinate(value))\"" }

    static func clock(_ seconds: Double) -> String {
        let total = Int(max(seconds, 0))
        return "\(total / 60):\(total % 60 < 10 ? "0" : "")\(total % 60)"
    }

    /// Text made safe for XML character data and attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension String {
    /// Fills the legend swatch placeholders `{x}`, `{y}` and `{y5}` (the swatch's middle).
    fileprivate func replacingPlaceholder(x: Double, y: Double) -> String {
        var text = self
        for (key, value) in [("{x5}", x + 5), ("{x}", x), ("{y5}", y + 5), ("{y}", y)] {
            while let range = text.range(of: key) { text.replaceSubrange(range, with: ReportSVG.coordinate(value)) }
        }
        return text + "\n"
    }
}
