import CUdev
import Glibc
import RollSenseSystem

/// A serial port appearing, disappearing or changing.
public struct HotplugEvent: Sendable, Equatable {
    /// What happened to the device.
    public enum Action: Sendable, Equatable {
        /// Plugged in (udev has applied its rules: permissions and by-id links are in place).
        case add
        /// Unplugged.
        case remove
        /// Attributes changed.
        case change
        /// Any other uevent action (`bind`, `unbind`, `move`, ...).
        case other(String)
    }

    /// What happened.
    public var action: Action
    /// The device as the event describes it.
    public var device: SerialDevice

    /// Makes an event.
    public init(action: Action, device: SerialDevice) {
        self.action = action
        self.device = device
    }
}

/// Watches udev for tty devices coming and going (`udev_monitor_new_from_netlink(udev, "udev")`,
/// so events arrive after udev has processed them).
///
/// One owner thread; not safe to share.
public final class HotplugMonitor {
    private let context: UdevContext
    private let monitor: OpaquePointer
    private let system: SystemCalls

    /// Starts listening; events from before this call are not seen.
    public convenience init() throws(DiscoveryError) {
        try self.init(system: .live)
    }

    init(system: SystemCalls) throws(DiscoveryError) {
        self.system = system
        context = try UdevContext()
        guard let monitor = udev_monitor_new_from_netlink(context.pointer, "udev") else {
            throw .udevFailed(function: "udev_monitor_new_from_netlink", errno: Errno(errno))
        }
        self.monitor = monitor
        udev_monitor_filter_add_match_subsystem_devtype(monitor, "tty", nil)
        let status = udev_monitor_enable_receiving(monitor)
        guard status >= 0 else {
            udev_monitor_unref(monitor)
            throw .udevFailed(function: "udev_monitor_enable_receiving", errno: Errno(-status))
        }
    }

    deinit { udev_monitor_unref(monitor) }

    /// The descriptor that polls readable when an event is waiting.
    public var fileDescriptor: Int32 { udev_monitor_get_fd(monitor) }

    /// The next event, waiting up to `timeoutMilliseconds` (negative: indefinitely); nil on timeout.
    public func nextEvent(timeoutMilliseconds: Int) -> HotplugEvent? {
        if let event = pendingEvent() { return event }
        let deadline = system.monotonicMicroseconds() + Int64(max(0, timeoutMilliseconds)) * 1_000
        while true {
            let remaining = timeoutMilliseconds < 0 ? -1 : Int32(max(0, (deadline - system.monotonicMicroseconds()) / 1_000))
            var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = withUnsafeMutablePointer(to: &descriptor) { pointer in
                system.poll(UnsafeMutableBufferPointer(start: pointer, count: 1), remaining)
            }
            guard case .success(let count) = ready, count > 0 else { return nil }
            if let event = pendingEvent() { return event }
            if remaining == 0 { return nil }
        }
    }

    /// An event already received, without waiting; nil when none is queued.
    public func pendingEvent() -> HotplugEvent? {
        // The monitor socket is non-blocking, so this answers nil at once when nothing is queued.
        while let pointer = udev_monitor_receive_device(monitor) {
            let device = UdevDevice(owning: pointer, context: context)
            guard let description = Discovery.describe(device) else { continue }
            let action: HotplugEvent.Action
            switch device.action ?? "" {
            case "add": action = .add
            case "remove": action = .remove
            case "change": action = .change
            case let other: action = .other(other)
            }
            return HotplugEvent(action: action, device: description)
        }
        return nil
    }
}
