import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under the system temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/rollsense-store-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: \(errno)")
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// A subdirectory no one may write to, for a child that drops to `nobody` (root ignores
    /// permission bits); this directory is opened to `nobody` so the child can reach it.
    func readOnlySubdirectory() -> String {
        #expect(chmod(path, 0o755) == 0)
        let readOnly = file("read-only")
        #expect(mkdir(readOnly, 0o555) == 0)
        #expect(chmod(readOnly, 0o555) == 0)
        return readOnly
    }

    deinit {
        _ = chmod(path, 0o755)
        try? FileManager.default.removeItem(atPath: path)
    }
}

func readBytes(_ path: String) -> [UInt8] {
    (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
}

func writeBytes(_ bytes: [UInt8], to path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

/// A deterministic byte pattern for chunk `index`, so any chunk read back can be checked alone.
func patternBytes(index: Int, count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index &* 7 &+ 1) }
}

/// Directory of the built products (the test binary sits beside `store-test-tool`).
func builtProductsDirectory() -> String {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = executable.deletingLastPathComponent()
    // On macOS the test binary is inside a .xctest bundle: climb out of it.
    while directory.pathComponents.contains(where: { $0.hasSuffix(".xctest") }) {
        directory = directory.deletingLastPathComponent()
    }
    return directory.path
}
