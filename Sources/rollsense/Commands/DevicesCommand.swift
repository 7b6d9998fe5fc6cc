import ArgumentParser
import Foundation
import RollSenseDevice
import RollSenseWire

/// `rollsense devices`: lists serial ports and the boards recognised on them.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List serial ports and the Arduino boards recognised on them.",
        discussion: """
            Shows each serial port udev knows: its node, its stable /dev/serial/by-id link, USB \
            vendor and product id, the board recognised from them, the kernel driver, the USB \
            serial number and product name. Any of node, by-id path or serial number can be given \
            to --device in the other commands.

            Examples:
              rollsense devices
              rollsense devices --json | jq -r '.[] | select(.board != null) | .path'
              rollsense devices --device 75833353035351B0E1D0
            """
    )

    @Flag(help: "Print a JSON array of objects (path, byIdPath, vendorId, productId, serial, manufacturer, product, driver, board) instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("Show only the device this names (as the other commands would choose it).", valueName: "path|by-id|serial"))
    var device: String?

    func run() throws {
        var devices = try Discovery.serialDevices()
        if let device {
            devices = [try Discovery.select(device, from: devices)]
        }
        if json {
            print(try Self.json(devices))
        } else {
            print(Self.table(devices, named: device))
        }
    }

    // MARK: - JSON

    /// One device in the JSON output; absent values are written as null, not left out.
    struct Entry: Encodable {
        var path: String
        var byIdPath: String?
        var vendorId: String?
        var productId: String?
        var serial: String?
        var manufacturer: String?
        var product: String?
        var driver: String?
        var board: String?

        enum CodingKeys: String, CodingKey {
            case path, byIdPath, vendorId, productId, serial, manufacturer, product, driver, board
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(byIdPath, forKey: .byIdPath)
            try container.encode(vendorId, forKey: .vendorId)
            try container.encode(productId, forKey: .productId)
            try container.encode(serial, forKey: .serial)
            try container.encode(manufacturer, forKey: .manufacturer)
            try container.encode(product, forKey: .product)
            try container.encode(driver, forKey: .driver)
            try container.encode(board, forKey: .board)
        }
    }

    static func json(_ devices: [SerialDevice]) throws -> String {
        let entries = devices.map { device in
            Entry(
                path: device.path, byIdPath: device.byIDPath, vendorId: device.vendorID?.hex4,
                productId: device.productID?.hex4, serial: device.serialNumber, manufacturer: device.manufacturer,
                product: device.product, driver: device.driver, board: device.board?.name
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(entries), as: UTF8.self)
    }

    // MARK: - Table

    static func table(_ devices: [SerialDevice], named name: String? = nil) -> String {
        guard !devices.isEmpty else {
            return "No serial ports found. Plug the board in; if it still does not appear, try another "
                + "cable (some carry only power) and look at `sudo dmesg | tail`."
        }
        let header = ["PATH", "BY-ID", "VID:PID", "BOARD", "DRIVER", "SERIAL", "PRODUCT"]
        let rows = devices.map { device in
            [
                device.path, device.byIDPath ?? "-", device.usbID ?? "-", device.board?.name ?? "-",
                device.driver ?? "-", device.serialNumber ?? "-", device.product ?? "-",
            ]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var lines = [line(header)] + rows.map(line)
        // A port named with --device is used as given, recognised or not (a pty, the simulator,
        // an adapter of unknown ids): "no board recognised" would be wrong about it.
        if name != nil, let named = devices.first {
            lines.append("")
            lines.append("With --device, rollsense uses \(named.path)\(named.board.map { " (\($0.name))" } ?? ""); `rollsense doctor --device \(named.path)` checks its firmware.")
            return lines.joined(separator: "\n")
        }
        do {
            let chosen = try Discovery.select(nil, from: devices)
            lines.append("")
            lines.append("Without --device, rollsense uses \(chosen.path) (\(chosen.board?.name ?? "board")).")
        } catch {
            lines.append("")
            switch error {
            case .severalBoards: lines.append("Several boards: choose one with --device PATH, BY-ID-PATH or SERIAL.")
            default: lines.append("No Arduino board recognised: name the port with --device if it is one.")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// The options that pick and open a device, shared by the commands that read one (`--device`,
/// `--baud`, `--no-reset`).
struct DeviceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The device: a path (/dev/ttyACM0, a pty), a /dev/serial/by-id path or a USB serial number. Default: the only board plugged in.",
        valueName: "path|by-id|serial"))
    var device: String?

    @Option(name: .customLong("baud"), parsing: .unconditional, help: ArgumentHelp(
        "Line speed in bits per second (any rate the adapter supports), or auto: listen at 115200, 57600, 38400, 19200 and 9600 and take the rate whose bytes are frames or text lines.",
        valueName: "auto|rate"))
    var baudSetting: BaudSetting = .auto

    /// The rate to open the port at (auto starts at the protocol's).
    var baud: Int { baudSetting.rate ?? SerialPortOptions.protocolBaudRate }

    @Flag(help: "Do not reset the board on open: leave DTR alone and keep it high on close.")
    var noReset = false

    /// The device chosen by `--device`, or the only board.
    func chosenDevice() throws -> SerialDevice {
        try Discovery.select(device, from: Discovery.serialDevices())
    }

    /// Opens `device` and, with `--baud auto`, finds its line rate without writing to it; says
    /// on standard error what it found. Throws a device failure when every rate was garbled.
    func connectDetectingRate(_ device: SerialDevice) throws -> Connection {
        let connection = try connect(device)
        guard baudSetting == .auto else { return connection }
        let outcome: BaudRateSearch.Outcome
        do { outcome = try connection.detectBaudRate() } catch {
            connection.close()
            throw CommandFailure.device("\(error)")
        }
        let what: String
        switch outcome.verdict {
        case .frames?: what = "RollSense frames"
        case .text?: what = "text lines"
        case .textSoFar?: what = "text (no whole line yet)"
        case .garbled?:
            connection.close()
            let rates = BaudRateSearch.candidateRates.map(String.init).joined(separator: ", ")
            throw CommandFailure.device(
                "\(device.path) sends bytes that are neither text nor RollSense frames at \(rates) baud: pass the sketch's rate with --baud (its Serial.begin).")
        case nil: what = "nothing yet"
        }
        printError("rollsense: \(device.path) at \(outcome.baudRate) baud: \(what).")
        return connection
    }

    func validate() throws {
        if case .rate(let rate) = baudSetting, rate <= 0 {
            throw ValidationError("--baud must be auto or a positive number of bits per second.")
        }
    }
}

/// `--baud`: a fixed rate or `auto`.
enum BaudSetting: ExpressibleByArgument, Equatable {
    case auto
    case rate(Int)

    init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let rate = Int(argument) {
            self = .rate(rate)
        } else {
            return nil
        }
    }

    /// The fixed rate, nil for auto.
    var rate: Int? {
        if case .rate(let rate) = self { return rate }
        return nil
    }

    var defaultValueDescription: String {
        switch self {
        case .auto: "auto"
        case .rate(let rate): String(rate)
        }
    }
}
