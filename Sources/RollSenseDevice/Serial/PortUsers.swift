import Glibc

/// Who else has a serial port open, so a command can name the program to close.
public enum PortUsers {
    /// A process holding the port: its id and command name (`/proc/PID/comm`).
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        /// The process id.
        public var processID: Int32
        /// The command name, e.g. "screen" or "rollsense"; "?" when it cannot be read.
        public var name: String
        /// `name (pid N)`.
        public var description: String { "\(name) (pid \(processID))" }
    }

    /// The processes other than this one with the device at `path` open (all of one's own
    /// processes; other users' only when /proc lets us see their descriptors).
    public static func holders(of path: String) -> [Holder] {
        let system = SystemCalls.live
        guard case .success(let device) = system.deviceNumberOfPath(path) else { return [] }
        let own = system.processID()
        return SerialPort.processesHolding(deviceNumber: device, excludingOwnDescriptor: nil, system: system)
            .filter { $0 != own }
            .map { Holder(processID: $0, name: commandName($0) ?? "?") }
    }

    /// `/proc/PID/comm`: the command name, at most 15 bytes and a newline.
    private static func commandName(_ pid: Int32) -> String? {
        guard let file = fopen("/proc/\(pid)/comm", "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.hasSuffix("\n") ? String(name.dropLast()) : name
    }
}
