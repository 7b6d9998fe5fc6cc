/// What a device sends: binary frames or Serial Plotter text (SET_MODE `mode`).
public enum DeviceMode: UInt8, Sendable, Hashable {
    /// COBS frames (the default).
    case binary = 0
    /// Arduino Serial Plotter text lines.
    case text = 1
}
