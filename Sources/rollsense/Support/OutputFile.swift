#if canImport(Glibc)
import Glibc
#endif

/// A text file written through a 256 KiB buffer, so a row per sample costs no system call each.
///
/// Written to a hidden temporary file in the same directory and renamed over `path` only by
/// `commit()`, so an output appears complete or not at all: a failure part-way (a full disk,
/// another output that cannot be opened) leaves whatever was at `path` before untouched.
final class OutputFile {
    static let bufferByteCount = 256 * 1024

    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var committed = false

    /// Opens a temporary file beside `path`. `inputs` are the files the command reads: an output
    /// that is one of them (the same device and inode, whatever the spelling or link) is refused
    /// before anything is written, so no output ever replaces an input.
    init(path: String, option: String, inputs: [String]) throws {
        self.path = path
        if let input = inputs.first(where: { sameFile(path, $0) }) {
            throw CommandFailure.usage("\(option) \(path) is the input \(input): it would be overwritten. Choose another output path.")
        }
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw CommandFailure.usage("\(option) \(path) is a folder: give a file path.")
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array(((directory.isEmpty ? "" : directory + "/") + "." + name + ".tmp-XXXXXX").utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        if descriptor < 0 {
            throw CommandFailure.usage("Cannot write \(path): \(String(cString: strerror(errno))) (in \(absolutePath(directory))). Choose another path.")
        }
        // mkstemp makes the file 0600; an export is an ordinary file for the user's other tools.
        _ = fchmod(descriptor, 0o644 & ~currentUmask())
        buffer.reserveCapacity(Self.bufferByteCount)
    }

    /// An output not committed (the command failed) leaves no temporary file behind.
    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        if !committed { _ = unlink(temporaryPath) }
    }

    /// Appends `line` and a newline.
    func writeLine(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= Self.bufferByteCount { try flush() }
    }

    /// Writes what is buffered to the temporary file.
    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CommandFailure.data("Writing \(path) failed: \(String(cString: strerror(errno))); \(path) was left as it was.")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes out the rest, syncs it and renames it over `path`: the output is complete from here.
    func commit() throws {
        try flush()
        if fsync(descriptor) != 0 {
            throw CommandFailure.data("Writing \(path) failed: \(String(cString: strerror(errno))); \(path) was left as it was.")
        }
        _ = Glibc.close(descriptor)
        descriptor = -1
        if rename(temporaryPath, path) != 0 {
            throw CommandFailure.data("Cannot put \(path) in place: \(String(cString: strerror(errno))); \(path) was left as it was.")
        }
        committed = true
    }
}

/// Whether two paths name the same file (device and inode, through any symlinks and hard links).
func sameFile(_ first: String, _ second: String) -> Bool {
    var a = stat(), b = stat()
    guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino
}

/// `path` made absolute against the working directory (advice should name a path that works
/// wherever the person types it).
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let cwd = getcwd(nil, 0) else { return path }
    defer { free(cwd) }
    let base = String(cString: cwd)
    return path == "." ? base : base + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
}

private func currentUmask() -> mode_t {
    let mask = umask(0o022)
    umask(mask)
    return mask
}
