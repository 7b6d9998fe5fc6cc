// CUdev owns `struct stat` for this module (its shim includes <sys/stat.h>), so NodeKind needs it.
import CUdev
import Glibc
// `stat` and its fields come through libudev.h as well: with MemberImportVisibility the module
// that defines them must be imported here (main did not build without it).
import CUdev
import RollSenseSystem

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

    /// The rule file as an absolute path that works from any folder: the copy in the source tree
    /// the running program was built in (an ancestor of the executable), else the packaged one.
    public static var udevRuleAbsolutePath: String {
        var target = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &target, target.count - 1)
        let executable = length > 0
            ? String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : absolute(CommandLine.arguments.first ?? "")
        var folder = executable
        while let slash = folder.lastIndex(of: "/"), slash != folder.startIndex {
            folder = String(folder[..<slash])
            let candidate = folder + "/" + udevRulePath
            if access(candidate, R_OK) == 0 { return candidate }
        }
        return "/usr/share/rollsense/99-rollsense.rules"
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        return String(cString: cwd) + "/" + path
    }

    /// What sits at a path, for advice that fits it.
    enum NodeKind {
        case pseudoTerminal(owner: String?)
        case regularFile
        case other

        init(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { self = .other; return }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                self = .regularFile
            // Unix 98 pty slaves have majors 136-143 (Documentation/admin-guide/devices.txt).
            // glibc's major(): bits 8-19 and 32-43 of the device number.
            case S_IFCHR where (136...143).contains(Int((info.st_rdev >> 8) & 0xFFF | (info.st_rdev >> 32) & ~0xFFF)):
                var owner: String?
                if let entry = getpwuid(info.st_uid), let name = entry.pointee.pw_name { owner = String(cString: name) }
                self = .pseudoTerminal(owner: owner)
            default:
                self = .other
            }
        }
    }

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
            let absolute = Self.absolute(path)
            switch NodeKind(path: path) {
            case .pseudoTerminal(let owner):
                // A pty belongs to the user whose program made it; udev rules and groups do not apply.
                return "Permission denied opening \(absolute): it is a pseudo-terminal that belongs to "
                    + "\(owner.map { "user '\($0)'" } ?? "another user"). Run rollsense as that user, or have the "
                    + "program that made it (such as `rollsense simulate`) run as you."
            case .regularFile:
                return "Permission denied opening \(absolute): it is a file, not a serial port, and you may "
                    + "not read it (`ls -l \(absolute)` shows who may). Use `rollsense devices` to list serial ports."
            case .other:
                let rule = "install the udev rule: `sudo cp \(Self.udevRuleAbsolutePath) /etc/udev/rules.d/ && "
                    + "sudo udevadm control --reload && sudo udevadm trigger`, then unplug and replug the board."
                guard let group, group != "root" else {
                    return "Permission denied opening \(absolute): only root may open it. To allow your user, " + rule
                }
                return "Permission denied opening \(absolute): the node belongs to group '\(group)'. "
                    + "Join it with `sudo usermod -aG \(group) $USER`, then log out and in again "
                    + "(group changes apply to new logins). Or " + rule
            }
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
