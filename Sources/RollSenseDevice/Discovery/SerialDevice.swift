/// A serial port the system knows about, with what udev says of the USB device behind it.
public struct SerialDevice: Sendable, Equatable, Hashable {
    /// The device node, e.g. `/dev/ttyACM0`.
    public var path: String
    /// The stable `/dev/serial/by-id/...` link, when udev made one (USB devices only).
    public var byIDPath: String?
    /// The sysfs path, e.g. `/sys/devices/.../tty/ttyACM0`.
    public var sysPath: String?
    /// USB vendor id (`idVendor`), nil for ports that are not USB.
    public var vendorID: UInt16?
    /// USB product id (`idProduct`).
    public var productID: UInt16?
    /// The USB serial number string, when the device has one (genuine Arduinos do; CH340 clones don't).
    public var serialNumber: String?
    /// The USB manufacturer string.
    public var manufacturer: String?
    /// The USB product string.
    public var product: String?
    /// The kernel driver: `cdc_acm`, `ch341`, `ftdi_sio`, `cp210x`, ...
    public var driver: String?
    /// The board recognised from the vendor and product id, nil when unknown.
    public var board: USBBoard?

    /// Makes a description; only `path` is required (a pty given by path has nothing else).
    public init(
        path: String, byIDPath: String? = nil, sysPath: String? = nil, vendorID: UInt16? = nil, productID: UInt16? = nil,
        serialNumber: String? = nil, manufacturer: String? = nil, product: String? = nil, driver: String? = nil,
        board: USBBoard? = nil
    ) {
        self.path = path
        self.byIDPath = byIDPath
        self.sysPath = sysPath
        self.vendorID = vendorID
        self.productID = productID
        self.serialNumber = serialNumber
        self.manufacturer = manufacturer
        self.product = product
        self.driver = driver
        self.board = board
    }

    /// Whether this is probably a RollSense board: an Arduino or a bridge chip Arduino clones use.
    public var isLikelyBoard: Bool { board != nil }

    /// `vendor:product` as 4-digit lower-case hex, e.g. `2341:0043`; nil for non-USB ports.
    public var usbID: String? {
        guard let vendorID, let productID else { return nil }
        return "\(vendorID.hex4):\(productID.hex4)"
    }

    /// What identifies this board across unplug and replug: its USB serial number, else its
    /// by-id path (which encodes vendor, product and interface), else the node path.
    public var identity: DeviceIdentity {
        if let serialNumber, !serialNumber.isEmpty { return .serialNumber(serialNumber) }
        if let byIDPath { return .byIDPath(byIDPath) }
        return .path(path)
    }
}

/// How a board is recognised again after it reappears.
public enum DeviceIdentity: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The USB serial number.
    case serialNumber(String)
    /// The `/dev/serial/by-id` link.
    case byIDPath(String)
    /// The device node only (nothing stabler is known).
    case path(String)

    /// Whether `device` is the same board.
    public func matches(_ device: SerialDevice) -> Bool {
        switch self {
        case .serialNumber(let serial): return device.serialNumber == serial
        case .byIDPath(let link): return device.byIDPath == link
        case .path(let path): return device.path == path
        }
    }

    /// Readable form for messages.
    public var description: String {
        switch self {
        case .serialNumber(let serial): return "serial number \(serial)"
        case .byIDPath(let link): return link
        case .path(let path): return path
        }
    }
}

extension UInt16 {
    /// 4-digit lower-case hex, the form lsusb and udev use.
    public var hex4: String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
