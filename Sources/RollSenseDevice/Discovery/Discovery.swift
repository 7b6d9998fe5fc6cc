import CUdev
import RollSenseSystem

/// Finds serial ports through libudev and picks the one to use.
public enum Discovery {
    /// Every serial port with a device node, sorted by path. Virtual terminals and the unused
    /// placeholder ports of the 8250 driver are left out, as pyserial's `list_ports` does.
    public static func serialDevices() throws(DiscoveryError) -> [SerialDevice] {
        let context = try UdevContext()
        guard let enumerate = udev_enumerate_new(context.pointer) else {
            throw .udevFailed(function: "udev_enumerate_new", errno: nil)
        }
        defer { udev_enumerate_unref(enumerate) }
        udev_enumerate_add_match_subsystem(enumerate, "tty")
        let status = udev_enumerate_scan_devices(enumerate)
        guard status >= 0 else { throw .udevFailed(function: "udev_enumerate_scan_devices", errno: Errno(-status)) }
        var devices: [SerialDevice] = []
        var entry = udev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            defer { entry = udev_list_entry_get_next(current) }
            guard let sysPath = udev_list_entry_get_name(current),
                let pointer = udev_device_new_from_syspath(context.pointer, sysPath)
            else { continue }
            if let device = describe(UdevDevice(owning: pointer, context: context)) {
                devices.append(device)
            }
        }
        return devices.sorted { $0.path < $1.path }
    }

    /// The description of a tty udev device, nil when it is not a real serial port.
    static func describe(_ device: UdevDevice) -> SerialDevice? {
        guard let node = device.deviceNode else { return nil }
        if let sysPath = device.sysPath, sysPath.contains("/devices/virtual/") { return nil }
        let parent = device.parent
        // umockdev descriptions may carry the driver as a DRIVER property instead of a link.
        let parentDriver = parent?.driver ?? parent?.property("DRIVER")
        if let parent, parent.subsystem == "platform", parentDriver == "serial8250" { return nil }
        let interface = device.parent(subsystem: "usb", deviceType: "usb_interface")
        let links = (device.property("DEVLINKS") ?? "").split(separator: " ").map(String.init)
        var description = SerialDevice(
            path: node,
            byIDPath: links.filter { $0.hasPrefix("/dev/serial/by-id/") }.sorted().first,
            sysPath: device.sysPath,
            driver: device.property("ID_USB_DRIVER") ?? interface?.driver ?? interface?.property("DRIVER") ?? parentDriver
        )
        if let usb = device.parent(subsystem: "usb", deviceType: "usb_device") {
            // The USB strings as the device reports them; a missing one stays nil (udev would
            // substitute the vendor id for a missing manufacturer in ID_VENDOR).
            description.vendorID = hexID(usb.attribute("idVendor"))
            description.productID = hexID(usb.attribute("idProduct"))
            description.serialNumber = usb.attribute("serial")
            description.manufacturer = usb.attribute("manufacturer")
            description.product = usb.attribute("product")
        } else {
            // A remove event arrives after sysfs is gone: only udev's properties are left.
            description.vendorID = hexID(device.property("ID_VENDOR_ID"))
            description.productID = hexID(device.property("ID_MODEL_ID"))
            description.serialNumber = device.property("ID_SERIAL_SHORT")
            description.manufacturer = decodeUdevEscapes(device.property("ID_VENDOR_ENC"))
            description.product = decodeUdevEscapes(device.property("ID_MODEL_ENC"))
        }
        if let vendorID = description.vendorID, let productID = description.productID {
            description.board = BoardTable.board(vendorID: vendorID, productID: productID)
        }
        return description
    }

    /// A 4-digit hex id as sysfs and udev write it.
    static func hexID(_ text: String?) -> UInt16? {
        guard let text, text.count == 4 else { return nil }
        return UInt16(text, radix: 16)
    }

    /// udev's `*_ENC` properties escape unsafe bytes as `\xNN` (udev_util_encode_string).
    static func decodeUdevEscapes(_ text: String?) -> String? {
        guard let text else { return nil }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "\\"), index + 3 < source.count, source[index + 1] == UInt8(ascii: "x"),
                let value = UInt8(String(decoding: source[index + 2...index + 3], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        let decoded = String(decoding: bytes, as: UTF8.self).trimmingWhiteSpace()
        return decoded.isEmpty ? nil : decoded
    }

    // MARK: - Choosing a device

    /// The device to use: the one `query` names (a node path, a by-id path or a USB serial
    /// number), or with no query the only likely board.
    ///
    /// A path that udev does not list but that exists (a pty from the simulator) is used as is.
    public static func select(_ query: String?, from devices: [SerialDevice]) throws(DeviceSelectionError) -> SerialDevice {
        try select(query, from: devices, system: .live)
    }

    static func select(_ query: String?, from devices: [SerialDevice], system: SystemCalls) throws(DeviceSelectionError) -> SerialDevice {
        guard let query, !query.isEmpty else {
            let boards = devices.filter(\.isLikelyBoard)
            if boards.count == 1 { return boards[0] }
            if boards.isEmpty { throw .noBoard(otherPorts: devices) }
            throw .severalBoards(boards)
        }
        if let match = devices.first(where: { $0.path == query || $0.byIDPath == query || $0.serialNumber == query }) {
            return match
        }
        if query.hasPrefix("/") {
            // A symlink (by-id, by-path, a udev rule's name) to a listed node is that device.
            if let resolved = system.resolvePath(query),
                let match = devices.first(where: { system.resolvePath($0.path) == resolved })
            {
                return match
            }
            if system.exists(query) { return SerialDevice(path: query) }
        }
        throw .notFound(query: query, candidates: devices)
    }
}

/// Why no single device could be chosen; lists what there is, so the user can pick.
public enum DeviceSelectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No likely board is plugged in; `otherPorts` are serial ports that are not boards.
    case noBoard(otherPorts: [SerialDevice])
    /// Several likely boards are plugged in; one must be named with `--device`.
    case severalBoards([SerialDevice])
    /// Nothing matches the path, by-id path or serial number given.
    case notFound(query: String, candidates: [SerialDevice])

    /// A message for the user, with the candidates one per line.
    public var description: String {
        switch self {
        case .noBoard(let others):
            var text = "No Arduino board found: plug it in and check the cable (some cables carry only power)."
            if !others.isEmpty {
                text += " Other serial ports (name one with --device if it is the board):\n" + Self.list(others)
            }
            return text
        case .severalBoards(let boards):
            return "Several boards are plugged in; choose one with --device PATH, BY-ID-PATH or SERIAL:\n"
                + Self.list(boards)
        case .notFound(let query, let candidates):
            var text = "No serial device matches '\(query)' (a path, a /dev/serial/by-id path or a USB serial number)."
            text += candidates.isEmpty ? " No serial ports are present." : " Serial ports present:\n" + Self.list(candidates)
            return text
        }
    }

    private static func list(_ devices: [SerialDevice]) -> String {
        devices.map { device in
            var parts = ["  " + device.path]
            if let link = device.byIDPath { parts.append(link) }
            if let board = device.board { parts.append(board.name) }
            if let serial = device.serialNumber { parts.append("serial \(serial)") }
            return parts.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
