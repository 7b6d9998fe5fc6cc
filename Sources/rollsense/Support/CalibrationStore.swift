import Foundation
import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseWire

/// Who a board is, for finding its calibration again next time: its USB serial number, else its
/// /dev/serial/by-id path (stable for one adapter in one USB port), else the device id its HELLO
/// reports (RollSense firmware), else the path it was opened by (a pty or a udev rule's name).
struct BoardIdentity {
    var usbSerial: String?
    var byIDPath: String?
    var path: String?

    init(usbSerial: String? = nil, byIDPath: String? = nil, path: String? = nil) {
        self.usbSerial = usbSerial
        self.byIDPath = byIDPath
        self.path = path
    }

    init(_ device: SerialDevice) {
        self.init(usbSerial: device.serialNumber, byIDPath: device.byIDPath, path: device.path)
    }

    /// The keys to look a calibration up by, most specific first.
    func keys(info: DeviceInfo?) -> [String] {
        var keys: [String] = []
        if let usbSerial, !usbSerial.isEmpty { keys.append("usb:" + usbSerial) }
        if let byIDPath, !byIDPath.isEmpty { keys.append("by-id:" + byIDPath) }
        if let info, info.deviceID != 0 { keys.append("device:" + String(info.deviceID, radix: 16)) }
        if let path, !path.isEmpty { keys.append("path:" + path) }
        return keys
    }
}

/// One board's calibration as stored, with the one it replaced (for `calibrate --undo`).
struct StoredCalibration: Codable, Equatable {
    var offsetCounts: [Double]
    var curves: [CalibrationCurve]
    /// When it was measured (absent in files written before this was kept).
    var savedAt: Date?
    /// The calibration this one replaced, restored by `calibrate --undo`.
    var previous: Calibration?

    var calibration: Calibration { Calibration(offsetCounts: offsetCounts, curves: curves) }

    init(_ calibration: Calibration, savedAt: Date?, previous: Calibration?) {
        offsetCounts = calibration.offsetCounts
        curves = calibration.curves
        self.savedAt = savedAt
        self.previous = previous
    }
}

/// Calibrations per board in `$XDG_CONFIG_HOME/rollsense/calibrations.json`, keyed as
/// `BoardIdentity.keys` says (`usb:SERIAL`, `by-id:PATH`, `device:HEX`, `path:PATH`).
struct CalibrationStore {
    var path: String

    init(environment: [String: String]) {
        path = UserConfig.directory(environment: environment) + "/calibrations.json"
    }

    func entries() throws(CommandFailure) -> [String: StoredCalibration] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode([String: StoredCalibration].self, from: data) } catch {
            throw .data("\(path) is damaged (\(error)): remove it and run `rollsense calibrate` again.")
        }
    }

    func all() throws(CommandFailure) -> [String: Calibration] {
        try entries().mapValues(\.calibration)
    }

    /// Stores `calibration` under `key`, keeping the one it replaces as its `previous`.
    func save(_ calibration: Calibration, key: String, now: Date = Date()) throws(CommandFailure) {
        var stored = try entries()
        stored[key] = StoredCalibration(calibration, savedAt: now, previous: stored[key]?.calibration)
        try write(stored)
    }

    /// Puts back the calibration `key` had before its last one; false when there is none.
    func undo(key: String) throws(CommandFailure) -> Calibration? {
        var stored = try entries()
        guard let previous = stored[key]?.previous else { return nil }
        stored[key] = StoredCalibration(previous, savedAt: nil, previous: nil)
        try write(stored)
        return previous
    }

    private func write(_ stored: [String: StoredCalibration]) throws(CommandFailure) {
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            // .atomic writes a temporary file and renames it: a failed save keeps the old file.
            try encoder.encode(stored).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .data("Could not write \(path) (\(error)): check that the folder is writable.")
        }
    }

    /// The key a board's calibration is found by: the first of `identity.keys` stored, else nil.
    static func storedKey(_ identity: BoardIdentity, info: DeviceInfo?, in stored: [String: Calibration]) -> String? {
        identity.keys(info: info).first { stored[$0] != nil }
    }

    /// The calibration for a board: the stored one, the virtual device's own, or identity
    /// (counts read as newtons) with `known` false.
    func calibration(_ identity: BoardIdentity, info: DeviceInfo?, stored: [String: Calibration]) -> (Calibration, known: Bool) {
        if let key = Self.storedKey(identity, info: info, in: stored) { return (stored[key]!, true) }
        if info?.board == .virtualDevice { return (VirtualDevice.calibration, true) }
        return (.identity, false)
    }
}
