import Foundation
import RollSenseKit
import RollSenseSignal
import RollSenseWire

/// Calibrations per board in `$XDG_CONFIG_HOME/rollsense/calibrations.json`, keyed by USB serial
/// number (`usb:SERIAL`) or, for boards without one (a pty), by the HELLO device id (`device:HEX`).
struct CalibrationStore {
    var path: String

    init(environment: [String: String]) {
        path = UserConfig.directory(environment: environment) + "/calibrations.json"
    }

    static func key(usbSerial: String?, info: DeviceInfo?) -> String? {
        if let usbSerial, !usbSerial.isEmpty { return "usb:" + usbSerial }
        if let info, info.deviceID != 0 { return "device:" + String(info.deviceID, radix: 16) }
        return nil
    }

    func all() throws(CommandFailure) -> [String: Calibration] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        do { return try JSONDecoder().decode([String: Calibration].self, from: data) } catch {
            throw .data("\(path) is damaged (\(error)): remove it and run `rollsense calibrate` again.")
        }
    }

    func save(_ calibration: Calibration, key: String) throws(CommandFailure) {
        var entries = try all()
        entries[key] = calibration
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(entries).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .data("Could not write \(path) (\(error)): check that the folder is writable.")
        }
    }

    /// The calibration for a board: stored by serial, stored by device id, the virtual device's
    /// own, or identity (counts read as newtons) with `known` false.
    func calibration(usbSerial: String?, info: DeviceInfo?, stored: [String: Calibration]) -> (Calibration, known: Bool) {
        if let serial = usbSerial, let found = stored["usb:" + serial] { return (found, true) }
        if let info, info.deviceID != 0, let found = stored["device:" + String(info.deviceID, radix: 16)] { return (found, true) }
        if info?.board == .virtualDevice { return (VirtualDevice.calibration, true) }
        return (.identity, false)
    }
}
