import CUdev
import Glibc
import RollSenseSystem

/// Why libudev could not answer.
public enum DiscoveryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A libudev call failed; `function` names it.
    case udevFailed(function: String, errno: Errno?)

    /// A message for the user.
    public var description: String {
        switch self {
        case .udevFailed(let function, let code):
            let reason = code.map { ": \($0)" } ?? ""
            return "Could not list devices through udev (\(function) failed\(reason)). "
                + "Is /sys mounted and libudev1 installed?"
        }
    }
}

/// An owned libudev context; unreferenced when released. Not thread-safe (libudev(3)): each
/// thread makes its own.
final class UdevContext {
    let pointer: OpaquePointer

    init() throws(DiscoveryError) {
        guard let pointer = udev_new() else { throw .udevFailed(function: "udev_new", errno: Errno(errno)) }
        self.pointer = pointer
    }

    deinit { udev_unref(pointer) }
}

/// A libudev device. Owned devices are unreferenced when released; a borrowed parent keeps its
/// child alive instead, since libudev frees parents together with the child
/// (`udev_device_get_parent_with_subsystem_devtype` returns a borrowed pointer).
final class UdevDevice {
    let pointer: OpaquePointer
    private let owned: Bool
    private let owner: UdevDevice?
    private let context: UdevContext

    init(owning pointer: OpaquePointer, context: UdevContext) {
        self.pointer = pointer
        self.owned = true
        self.owner = nil
        self.context = context
    }

    private init(borrowing pointer: OpaquePointer, from owner: UdevDevice) {
        self.pointer = pointer
        self.owned = false
        self.owner = owner
        self.context = owner.context
    }

    deinit {
        if owned { udev_device_unref(pointer) }
    }

    var sysPath: String? { string(udev_device_get_syspath(pointer)) }
    var deviceNode: String? { string(udev_device_get_devnode(pointer)) }
    var subsystem: String? { string(udev_device_get_subsystem(pointer)) }
    var driver: String? { string(udev_device_get_driver(pointer)) }
    var action: String? { string(udev_device_get_action(pointer)) }

    func property(_ name: String) -> String? { string(udev_device_get_property_value(pointer, name)) }

    /// A sysfs attribute with surrounding white space removed (sysfs values end in a newline).
    func attribute(_ name: String) -> String? {
        guard let value = string(udev_device_get_sysattr_value(pointer, name)) else { return nil }
        let trimmed = value.trimmingWhiteSpace()
        return trimmed.isEmpty ? nil : trimmed
    }

    var parent: UdevDevice? {
        udev_device_get_parent(pointer).map { UdevDevice(borrowing: $0, from: self) }
    }

    func parent(subsystem: String, deviceType: String?) -> UdevDevice? {
        udev_device_get_parent_with_subsystem_devtype(pointer, subsystem, deviceType).map {
            UdevDevice(borrowing: $0, from: self)
        }
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

extension String {
    func trimmingWhiteSpace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
