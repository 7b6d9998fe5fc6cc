import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `rollsense` binary, run as a user would: arguments, environment, exit status,
/// stdout and stderr. Each run gets its own config and data folders so no test sees another's
/// (or the user's) settings and history.
struct BuiltRollSense {
    /// The repository root, from this file's path (Tests/RollSenseCLITests/Support/...).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable next to the test bundle in .build/<triple>/debug.
    static var executable: URL {
        let bundle = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        return bundle.deletingLastPathComponent().appendingPathComponent("rollsense")
    }

    /// A temporary home for one test: config (XDG_CONFIG_HOME) and data folders.
    let home: URL
    var configDirectory: URL { home.appendingPathComponent("config/rollsense") }
    var dataDirectory: URL { home.appendingPathComponent("data") }

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-cli-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
    }

    func removeHome() { try? FileManager.default.removeItem(at: home) }

    /// The environment every run gets: the test's folders, no colour settings from outside.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        environment["ROLLSENSE_DATA_DIR"] = dataDirectory.path
        environment["HOME"] = home.path
        environment.removeValue(forKey: "NO_COLOR")
        // Tests run under umockdev-wrapper: the children see the real /dev (their ptys), not a testbed.
        environment.removeValue(forKey: "LD_PRELOAD")
        environment.removeValue(forKey: "UMOCKDEV_DIR")
        return environment
    }

    /// Writes config.json.
    func writeConfig(_ text: String) throws {
        try text.write(to: configDirectory.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// Runs `rollsense ARGS` to the end (killed after `timeoutSeconds`), under `launcher` (a
    /// command and its arguments before the binary, e.g. umockdev-run) when given, with `extraEnvironment`.
    func run(_ arguments: [String], timeoutSeconds: Double = 120, launcher: [String] = [], extraEnvironment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = launcher.first.map { URL(fileURLWithPath: $0) } ?? Self.executable
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [Self.executable.path] + arguments
        process.environment = environment.merging(extraEnvironment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while it runs so a full pipe never blocks it.
        let outData = Locked(Data())
        let errData = Locked(Data())
        let group = DispatchGroup()
        for (pipe, box) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                box.set(data)
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        stop(process)
        group.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData.get(), as: UTF8.self),
                      stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// Starts `rollsense simulate ARGS` and waits for the pty path it prints.
    func startSimulator(_ arguments: [String]) throws -> (process: Process, path: String) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["simulate"] + arguments
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let path = String(decoding: line, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return (process, path)
    }
}

/// A value shared between threads behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}

/// One JSON line as a dictionary.
func jsonObject(_ line: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
}

/// The events of a JSON-lines output.
struct OutputEvent {
    var t: Double
    var kind: String
    var level: String
    var phase: String
    var reason: String
    var message: String
}

func events(in lines: [String]) -> [OutputEvent] {
    lines.compactMap(jsonObject).filter { $0["type"] as? String == "event" }.map {
        OutputEvent(t: $0["t"] as? Double ?? -1, kind: $0["kind"] as? String ?? "", level: $0["level"] as? String ?? "",
                    phase: $0["phase"] as? String ?? "", reason: $0["reason"] as? String ?? "", message: $0["message"] as? String ?? "")
    }
}

/// Ends a child: SIGTERM (rollsense ends cleanly on it), then SIGKILL if it is still there after
/// five seconds, so a stuck child can never hang the test run.
func stop(_ process: Process) {
    guard process.isRunning else { process.waitUntilExit(); return }
    process.terminate()
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
}
