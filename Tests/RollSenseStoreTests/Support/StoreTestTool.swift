import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running `store-test-tool` child process (Sources/store-test-tool/main.swift).
final class StoreTestTool {
    let process = Process()
    private let output = Pipe()
    private var pending = Data()
    private(set) var lines: [String] = []

    static var executablePath: String { builtProductsDirectory() + "/store-test-tool" }

    static func launch(_ arguments: [String]) throws -> StoreTestTool {
        let tool = StoreTestTool()
        tool.process.executableURL = URL(fileURLWithPath: executablePath)
        tool.process.arguments = arguments
        tool.process.standardOutput = tool.output
        tool.process.standardError = tool.output
        try tool.process.run()
        return tool
    }

    /// Reads output lines until one satisfies `done` or the output ends; returns that line.
    func readLines(until done: (String) -> Bool) -> String? {
        while true {
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                lines.append(line)
                if done(line) { return line }
            }
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { return nil }
            pending.append(more)
        }
    }

    func kill(signal: Int32) {
        _ = Glibc.kill(process.processIdentifier, signal)
    }

    /// Waits for the child to end; its exit status and all its output.
    func wait() throws -> (status: Int32, output: String) {
        _ = readLines { _ in false }
        process.waitUntilExit()
        return (process.terminationStatus, lines.joined(separator: "\n"))
    }
}
