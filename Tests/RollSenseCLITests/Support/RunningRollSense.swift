import Foundation
#if canImport(Glibc)
import Glibc
import RollSenseTestSupport
#endif

/// A `rollsense` child left running while a test talks to it: stdout lines and stderr collected
/// as they come.
final class RunningRollSense {
    let process = Process()
    private let out = Locked(Data())
    private let err = Locked(Data())
    private let group = DispatchGroup()

    init(_ rollsense: BuiltRollSense, _ arguments: [String]) throws {
        process.executableURL = BuiltRollSense.executable
        process.arguments = arguments
        process.environment = rollsense.environment
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (pipe, box) in [(outPipe, out), (errPipe, err)] {
            group.enter()
            let handle = pipe.fileHandleForReading
            DispatchQueue.global().async { [group] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    box.set(box.get() + chunk)
                }
                group.leave()
            }
        }
    }

    var stdout: String { String(decoding: out.get(), as: UTF8.self) }
    var stderr: String { String(decoding: err.get(), as: UTF8.self) }
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// The live page's link from stderr, waiting up to `timeoutSeconds` for it.
    func pageURL(timeoutSeconds: Double = 30) throws -> URL {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if let range = stderr.range(of: #"http://[^\s]+"#, options: .regularExpression), let url = URL(string: String(stderr[range])) {
                return url
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw RunError("no page link on stderr: \(stderr)")
    }

    /// Waits for the exit (killed after `timeoutSeconds`) and for the last output.
    @discardableResult
    func finish(timeoutSeconds: Double = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        stop(process)
        group.wait()
        return process.terminationStatus
    }
}

struct RunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
