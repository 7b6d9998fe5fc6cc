import CUdev

extension Discovery {
    /// One udev property of a listed device (e.g. `ID_MM_DEVICE_IGNORE`, set by RollSense's
    /// rule), nil when the device has no such property or no sysfs path (a pty).
    public static func udevProperty(_ name: String, of device: SerialDevice) -> String? {
        guard let sysPath = device.sysPath, let context = try? UdevContext(),
            let pointer = udev_device_new_from_syspath(context.pointer, sysPath)
        else { return nil }
        return UdevDevice(owning: pointer, context: context).property(name)
    }
}
