#if canImport(Glibc)
import Glibc
#endif

/// Why a WAV file was not written.
public enum WAVFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path is one of the session's inputs (a recording being replayed).
    case wouldOverwriteInput(String)
    /// A system call failed.
    case system(path: String, reason: String)

    /// One line: the cause and what to do.
    public var description: String {
        switch self {
        case .wouldOverwriteInput(let path): return "--audio-out \(path) is an input of this session: choose another file name."
        case .system(let path, let reason): return "Cannot write \(path): \(reason). Choose another path."
        }
    }
}

/// A 16-bit mono PCM WAV file, written whole or not at all: into a temporary file beside the
/// target, synced, then renamed over it.
public enum WAVFile {
    /// The RIFF/WAVE header for `sampleCount` 16-bit mono samples at `sampleRate`.
    public static func header(sampleCount: Int, sampleRate: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        func text(_ s: String) { bytes += Array(s.utf8) }
        func u32(_ v: Int) { bytes += withUnsafeBytes(of: UInt32(v).littleEndian, Array.init) }
        func u16(_ v: Int) { bytes += withUnsafeBytes(of: UInt16(v).littleEndian, Array.init) }
        let dataBytes = sampleCount * 2
        text("RIFF"); u32(36 + dataBytes); text("WAVE")
        text("fmt "); u32(16); u16(1); u16(1); u32(sampleRate); u32(sampleRate * 2); u16(2); u16(16)
        text("data"); u32(dataBytes)
        return bytes
    }

    /// Refuses a path that names the same file as one of `inputs` (or a recording the session is
    /// about to create), or whose folder cannot be written: checked before the session runs, so
    /// a mistake costs nothing.
    public static func checkNotInput(_ path: String, inputs: [String]) throws(WAVFileError) {
        var target = stat()
        let exists = stat(path, &target) == 0
        for input in inputs {
            var other = stat()
            if exists && stat(input, &other) == 0 && other.st_dev == target.st_dev && other.st_ino == target.st_ino {
                throw .wouldOverwriteInput(path)
            }
            if canonical(input) == canonical(path) { throw .wouldOverwriteInput(path) }
        }
        // The folder must take the temporary file: known before a long session, not after it.
        let folder = canonical(path).split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if access(folder.isEmpty ? "/" : folder, W_OK) != 0 {
            throw .system(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// The path with its folder resolved (the file itself need not exist yet).
    static func canonical(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(folder.isEmpty ? "/" : folder, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + name
    }

    /// Writes `samples` to `path` atomically.
    public static func write(_ samples: [Int16], sampleRate: Int, to path: String) throws(WAVFileError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(path: path, reason: String(cString: strerror(errno))) }
        func fail() -> WAVFileError {
            let reason = String(cString: strerror(errno))
            _ = close(fd)
            unlink(temporary)
            return .system(path: path, reason: reason)
        }
        let little = samples.map { $0.littleEndian }
        let ok = header(sampleCount: samples.count, sampleRate: sampleRate).withUnsafeBytes { writeAll(fd, $0) }
            && little.withUnsafeBytes { writeAll(fd, $0) }
        guard ok, fsync(fd) == 0 else { throw fail() }
        guard close(fd) == 0 else {
            unlink(temporary)
            throw .system(path: path, reason: String(cString: strerror(errno)))
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .system(path: path, reason: reason)
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
