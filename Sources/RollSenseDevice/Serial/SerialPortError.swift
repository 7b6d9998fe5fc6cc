import Glibc

/// Why a serial port could not be opened, configured, read or written; each message says what to do.
public enum SerialPortError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path (ENOENT, ENODEV): the board is unplugged or the name is wrong.
    case noSuchDevice(path: String, errno: Errno)
    /// The user may not open the node (EACCES, EPERM); `group` owns it (usually `dialout`).
    case permissionDenied(path: String, group: String?, errno: Errno)
    /// Another process holds the port (EBUSY from TIOCEXCL, EWOULDBLOCK from flock).
    /// `holderProcessIDs` lists the processes that have it open, when /proc tells.
    case busy(path: String, holderProcessIDs: [Int32], errno: Errno)
    /// The device went away while open (EIO, ENXIO, ENODEV, POLLHUP): it was unplugged or reset.
    case deviceGone(path: String, errno: Errno?)
    /// The path is not a terminal device (ENOTTY from tcgetattr): a plain file or another device.
    case notATerminal(path: String)
    /// The baud rate is not a standard one and the driver refused an arbitrary rate.
    case unsupportedBaudRate(path: String, baudRate: Int, errno: Errno?)
    /// A write could not complete within its timeout (the device stopped reading, or flow stopped).
    case writeTimedOut(path: String, bytesWritten: Int)
    /// The port was already closed by this process.
    case closed(path: String)
    /// Any other failure of a system call, named by its C function.
    case systemCall(path: String, function: String, errno: Errno)

    /// The udev rule file the firmware ships for access without the `dialout` group.
    public static let udevRulePath = "Firmware/99-rollsense.rules"

    /// The errno behind the error, when there is one.
    public var errno: Errno? {
        switch self {
        case .noSuchDevice(_, let code), .permissionDenied(_, _, let code), .busy(_, _, let code),
            .systemCall(_, _, let code):
            return code
        case .deviceGone(_, let code), .unsupportedBaudRate(_, _, let code):
            return code
        case .notATerminal:
            return Errno(ENOTTY)
        case .writeTimedOut, .closed:
            return nil
        }
    }

    /// A message for the user: what happened and what to do about it.
    public var description: String {
        switch self {
        case .noSuchDevice(let path, _):
            return "No device at \(path): plug the board in (or check the cable), then run "
                + "`rollsense devices` to see the serial ports that exist."
        case .permissionDenied(let path, let group, _):
            let rule = "install the udev rule: `sudo cp \(Self.udevRulePath) /etc/udev/rules.d/ && "
                + "sudo udevadm control --reload && sudo udevadm trigger`, then unplug and replug the board."
            guard let group, group != "root" else {
                return "Permission denied opening \(path): only root may open it. To allow your user, " + rule
            }
            return "Permission denied opening \(path): the node belongs to group '\(group)'. "
                + "Join it with `sudo usermod -aG \(group) $USER`, then log out and in again "
                + "(group changes apply to new logins). Or " + rule
        case .busy(let path, let holders, _):
            let who =
                holders.isEmpty
                ? "another program"
                : "process " + holders.map { String($0) }.joined(separator: ", ")
            return "\(path) is busy: \(who) has it open (a serial monitor, another rollsense, "
                + "ModemManager or brltty). Close that program and try again"
                + (holders.isEmpty ? "." : " (`ps -p \(holders.map { String($0) }.joined(separator: ","))` shows it).")
        case .deviceGone(let path, _):
            return "The device at \(path) went away (unplugged or reset). Check the cable and plug it back in."
        case .notATerminal(let path):
            return "\(path) is not a serial port (terminal device). Run `rollsense devices` to list serial ports."
        case .unsupportedBaudRate(let path, let baudRate, _):
            return "\(path) refused \(baudRate) baud. Use a standard rate such as 115200."
        case .writeTimedOut(let path, let written):
            return "Writing to \(path) timed out after \(written) bytes: the device stopped reading. "
                + "Unplug and replug the board."
        case .closed(let path):
            return "\(path) is closed."
        case .systemCall(let path, let function, let code):
            return "\(function) failed on \(path): \(code) (errno \(code.code))."
        }
    }
}
