#if canImport(Glibc)
import Glibc
#endif

/// A text file written through a 256 KiB buffer, so a row per sample costs no system call each.
/// Created or truncated (an export is regenerated at will); errors name the path.
final class OutputFile {
    static let bufferByteCount = 256 * 1024

    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw CommandFailure.usage("Cannot write \(path): \(String(cString: strerror(errno))). Choose another path.")
        }
        buffer.reserveCapacity(Self.bufferByteCount)
    }

    deinit { _ = Glibc.close(descriptor) }

    /// Appends `line` and a newline.
    func writeLine(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= Self.bufferByteCount { try flush() }
    }

    /// Writes what is buffered.
    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CommandFailure.data("Writing \(path) failed: \(String(cString: strerror(errno))).")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
