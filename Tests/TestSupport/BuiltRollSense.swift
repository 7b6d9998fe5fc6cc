import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `rollsense` binary, run as a user would: arguments, environment, exit status,
/// stdout and stderr. Each instance has its own config and data folders so no test sees
/// another's (or the user's) settings and history. Every test target that runs the binary uses
/// this one runner.
public struct BuiltRollSense {
    /// The repository root, from this file's path (Tests/TestSupport/...).
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable next to the test bundle in .build/<triple>/debug.
    public static var executable: URL {
        let bundle = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        return bundle.deletingLastPathComponent().appendingPathComponent("rollsense")
    }

    /// A recorded capture in Fixtures/captures/.
    public static func fixture(_ name: String) -> String {
        root.appendingPathComponent("Fixtures/captures/\(name)").path
    }

    /// A temporary home for one test: config (XDG_CONFIG_HOME) and data folders.
    public let home: URL
    public var configDirectory: URL { home.appendingPathComponent("config/rollsense") }
    public var dataDirectory: URL { home.appendingPathComponent("data") }

    public init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
    }

    /// A path inside the test's home.
    public func path(_ name: String) -> String { home.appendingPathComponent(name).path }

    public func removeHome() { try? FileManager.default.removeItem(at: home) }

    /// The environment every run gets: the test's folders, no colour settings from outside.
    public var environment: [String: String] {
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
    public func writeConfig(_ text: String) throws {
        try text.write(to: configDirectory.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
    }

    /// How a run ended and what it printed.
    public struct Result {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// Runs `rollsense ARGS` to the end (killed after `timeoutSeconds`), under `launcher` (a
    /// command and its arguments before the binary, e.g. umockdev-run) when given, with `extraEnvironment`.
    public func run(_ arguments: [String], timeoutSeconds: Double = 120, launcher: [String] = [],
                    extraEnvironment: [String: String] = [:]) throws -> Result {
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

    /// Starts `rollsense ARGS` with stdout and stderr to files in the test's home, for a test
    /// that reads them while it runs or after a kill.
    public func start(_ arguments: [String], name: String = UUID().uuidString) throws -> (process: Process, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment
        let out = path("\(name).out"), err = path("\(name).err")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Starts `rollsense simulate ARGS` and waits for the pty path it prints.
    public func startSimulator(_ arguments: [String]) throws -> (process: Process, path: String) {
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

    /// Starts `rollsense simulate ARGS --link LINK` and waits until the link exists.
    public func startSimulator(_ arguments: [String], link: String) throws -> Process {
        let (process, _, _) = try start(["simulate", "--link", link] + arguments, name: "simulate-\(UUID().uuidString)")
        let deadline = Date().addingTimeInterval(30)
        while (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil && Date() < deadline && process.isRunning {
            usleep(20_000)
        }
        return process
    }
}

/// A value shared between threads behind a lock.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    public init(_ value: Value) { self.value = value }
    public func get() -> Value { lock.withLock { value } }
    public func set(_ newValue: Value) { lock.withLock { value = newValue } }
}

/// One JSON line as a dictionary.
public func jsonObject(_ line: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
}

