import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `rollsense` binary run as a user would, each test with its own config and data
/// folders (so no test sees another's, or the user's, settings and history).
struct RollSenseProcess {
    /// The repository root, from this file's path (Tests/RollSenseCommandsTests/Support/...).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable beside the test bundle in .build/<triple>/debug.
    static var executable: URL {
        let bundle = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        return bundle.deletingLastPathComponent().appendingPathComponent("rollsense")
    }

    static func fixture(_ name: String) -> String {
        root.appendingPathComponent("Fixtures/captures/\(name)").path
    }

    let home: URL
    var dataDirectory: URL { home.appendingPathComponent("data") }

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-commands-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("config/rollsense"), withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { home.appendingPathComponent(name).path }
    func removeHome() { try? FileManager.default.removeItem(at: home) }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        environment["ROLLSENSE_DATA_DIR"] = dataDirectory.path
        environment["HOME"] = home.path
        // Tests may run under umockdev-wrapper: the children see the real /dev (their ptys).
        environment.removeValue(forKey: "LD_PRELOAD")
        environment.removeValue(forKey: "UMOCKDEV_DIR")
        return environment
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// Starts `rollsense ARGS` with stdout and stderr to files in the test's home.
    func start(_ arguments: [String], name: String = UUID().uuidString) throws -> (process: Process, stdout: String, stderr: String) {
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

    /// Runs `rollsense ARGS` to the end (killed after `timeoutSeconds`).
    func run(_ arguments: [String], timeoutSeconds: Double = 120) throws -> Result {
        let (process, out, err) = try start(arguments)
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Starts `rollsense simulate ARGS --link LINK` and waits until the link exists.
    func startSimulator(_ arguments: [String], link: String) throws -> Process {
        let (process, _, _) = try start(["simulate", "--link", link] + arguments, name: "simulate-\(UUID().uuidString)")
        let deadline = Date().addingTimeInterval(30)
        while (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil && Date() < deadline && process.isRunning {
            usleep(20_000)
        }
        return process
    }
}

/// One JSON line as a dictionary.
func jsonObject(_ line: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
}

/// The lines of a JSON-lines output of one type, as printed.
func lines(ofType type: String, in lines: [String]) -> [String] {
    lines.filter { jsonObject($0)?["type"] as? String == type }
}
