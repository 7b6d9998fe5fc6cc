#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseStore

/// The exit codes of README.md's table (BSD sysexits.h numbers).
enum ExitStatus {
    /// A wrong option or value, on the command line or in the config file.
    static let usage: Int32 = 64
    /// A file that is corrupt, truncated past recovery or of a newer version.
    static let data: Int32 = 65
    /// Device not found, busy, permission denied, silent or gone.
    static let device: Int32 = 69
    /// A bug.
    static let `internal`: Int32 = 70
}

/// A failure the command line reports: one line saying the cause and what to do, and its exit code.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32

    var description: String { message }

    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: ExitStatus.usage) }
    static func data(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: ExitStatus.data) }
    static func device(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: ExitStatus.device) }

    /// The class and message for any error a command may throw.
    static func classify(_ error: any Error) -> CommandFailure {
        switch error {
        case let failure as CommandFailure: return failure
        case let error as DeviceSelectionError: return .device(error.description)
        case let error as SerialPortError: return .device(error.description)
        case let error as DiscoveryError: return .device(error.description)
        case let error as PseudoTerminalError: return .device(error.description)
        case let error as ScenarioError: return .data(error.description)
        case let error as CaptureWriteError: return .data("Recording failed: \(error)")
        case let error as ProfileError: return .usage("Invalid profile value \(error.key): \(error.problem). Fix it in the profile file or config.json.")
        case let error as SessionError:
            switch error {
            case .invalidProfile(let profileError): return classify(profileError)
            case .silentDevice, .silentSketch: return .device(error.description)
            case .source(let inner): return classify(inner)
            case .capture(let inner): return classify(inner)
            }
        default:
            return CommandFailure(message: "Internal error: \(error). Please report it with the command you ran.", exitCode: ExitStatus.internal)
        }
    }
}

/// Writes `text` and a newline to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes `text` and a newline to standard output at once (unbuffered), so a reader of a pipe
/// sees each line as it happens.
func say(_ text: String) {
    writeToStandardOutput(text + "\n")
}

/// Writes all of `text` to standard output now, past short writes and interruptions; any other
/// error drops the rest (a closed pipe has no reader left to tell).
func writeToStandardOutput(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            offset += written
        }
    }
}
