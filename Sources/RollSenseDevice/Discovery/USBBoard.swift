/// A kind of board or USB-serial bridge recognised from its USB vendor and product id, before
/// any byte is read; what the firmware itself reports is `FirmwareBoard` (RollSenseWire).
public struct USBBoard: Sendable, Equatable, Hashable {
    /// A short name for people, e.g. "Arduino Uno".
    public var name: String
    /// Whether a rising DTR resets the microcontroller (boards with a bridge chip and auto-reset).
    /// Native-USB boards (Leonardo, Micro) don't reset on open; they reset on a 1200-baud touch.
    public var resetsOnOpen: Bool

    /// Makes a board description.
    public init(name: String, resetsOnOpen: Bool) {
        self.name = name
        self.resetsOnOpen = resetsOnOpen
    }
}

/// The boards RollSense recognises.
///
/// Sources: Arduino ids from `boards.txt` of the Arduino AVR core 1.8.7 (Debian package
/// arduino-core-avr, `uno.vid.N/pid.N`, `leonardo...`, `micro...`, `mega...`); bridge ids from
/// the Linux drivers (drivers/usb/serial/ch341.c, ftdi_sio_ids.h, cp210x.c) and the linux-usb
/// usb.ids list. 0x2341 is Arduino SA (arduino.cc), 0x2a03 the former Arduino Srl (arduino.org).
public enum BoardTable {
    private static let arduinoCC: UInt16 = 0x2341
    private static let arduinoOrg: UInt16 = 0x2a03

    /// Exact vendor and product matches.
    static let exact: [UInt32: USBBoard] = {
        var table: [UInt32: USBBoard] = [:]
        func add(_ vendor: UInt16, _ products: [UInt16], _ board: USBBoard) {
            for product in products { table[key(vendor, product)] = board }
        }
        let uno = USBBoard(name: "Arduino Uno", resetsOnOpen: true)
        add(arduinoCC, [0x0043, 0x0001, 0x0243, 0x006a], uno)
        add(arduinoOrg, [0x0043], uno)
        // The 0x00xx ids are the Caterina bootloader, 0x80xx the running sketch.
        let leonardo = USBBoard(name: "Arduino Leonardo", resetsOnOpen: false)
        add(arduinoCC, [0x0036, 0x8036], leonardo)
        add(arduinoOrg, [0x0036, 0x8036], leonardo)
        let micro = USBBoard(name: "Arduino Micro", resetsOnOpen: false)
        add(arduinoCC, [0x0037, 0x8037, 0x0237, 0x8237], micro)
        add(arduinoOrg, [0x0037, 0x8037], micro)
        let mega = USBBoard(name: "Arduino Mega 2560", resetsOnOpen: true)
        add(arduinoCC, [0x0010, 0x0042, 0x0210, 0x0242], mega)
        add(arduinoOrg, [0x0010, 0x0042], mega)
        add(0x1a86, [0x7523], USBBoard(name: "CH340 serial (Nano/Uno clone)", resetsOnOpen: true))
        add(0x1a86, [0x55d4], USBBoard(name: "CH9102 serial (Nano/ESP clone)", resetsOnOpen: true))
        add(0x0403, [0x6001], USBBoard(name: "FTDI FT232R serial (Nano, Duemilanove, adapter)", resetsOnOpen: true))
        add(0x0403, [0x6015], USBBoard(name: "FTDI FT231X serial (adapter)", resetsOnOpen: true))
        add(0x10c4, [0xea60], USBBoard(name: "CP210x serial (clone or adapter)", resetsOnOpen: true))
        return table
    }()

    /// The board for a vendor and product id, nil when unknown. Any other product of the two
    /// Arduino vendors is still an Arduino board.
    public static func board(vendorID: UInt16, productID: UInt16) -> USBBoard? {
        if let board = exact[key(vendorID, productID)] { return board }
        switch vendorID {
        case arduinoCC: return USBBoard(name: "Arduino board (arduino.cc)", resetsOnOpen: true)
        case arduinoOrg: return USBBoard(name: "Arduino board (arduino.org)", resetsOnOpen: true)
        default: return nil
        }
    }

    private static func key(_ vendor: UInt16, _ product: UInt16) -> UInt32 {
        UInt32(vendor) << 16 | UInt32(product)
    }
}
