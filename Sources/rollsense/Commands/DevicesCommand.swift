import ArgumentParser
import Foundation
import RollSenseDevice

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
            print(Self.table(devices))
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

    static func table(_ devices: [SerialDevice]) -> String {
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

    @Option(parsing: .unconditional, help: "Line speed in bits per second (any rate the adapter supports).")
    var baud: Int = SerialPortOptions.protocolBaudRate

    @Flag(help: "Do not reset the board on open: leave DTR alone and keep it high on close.")
    var noReset = false

    /// The device chosen by `--device`, or the only board.
    func chosenDevice() throws -> SerialDevice {
        try Discovery.select(device, from: Discovery.serialDevices())
    }

    /// Opens the chosen device as a reconnecting connection.
    func connect() throws -> Connection {
        let port = SerialPortOptions(baudRate: baud, dtrPolicy: noReset ? .leaveUnchanged : .resetBoard)
        return try Connection(device: chosenDevice(), options: ConnectionOptions(port: port))
    }

    func validate() throws {
        guard baud > 0 else { throw ValidationError("--baud must be a positive number of bits per second.") }
    }
}
