#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RollSenseSystem

extension Errno {
    /// The disk, a quota or the process's file size limit (`RLIMIT_FSIZE`) is full.
    var meansNoSpace: Bool { code == ENOSPC || code == EDQUOT || code == EFBIG }
    /// Permissions or a read-only mount forbid writing.
    var meansNotWritable: Bool { code == EACCES || code == EPERM || code == EROFS }
}

/// The system calls the capture writer makes, in one place so tests can force an errno (a full
/// disk is hard to make on demand). The corresponding C functions are `open`, `write`, `fsync`,
/// `ftruncate`, `close`.
struct FileCalls: Sendable {
    var open: @Sendable (_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 = { path, flags, mode in
        Glibc.open(path, flags, mode)
    }
    var write: @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int = { fd, bytes in
        Glibc.write(fd, bytes.baseAddress, bytes.count)
    }
    var fsync: @Sendable (_ fd: Int32) -> Int32 = { fd in Glibc.fsync(fd) }
    var ftruncate: @Sendable (_ fd: Int32, _ length: off_t) -> Int32 = { fd, length in Glibc.ftruncate(fd, length) }
    var close: @Sendable (_ fd: Int32) -> Int32 = { fd in Glibc.close(fd) }

    static let system = FileCalls()

    /// Writes all of `bytes`, retrying short writes and EINTR; returns nil or the errno that stopped it
    /// with the count written before.
    func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> (written: Int, error: Errno?) {
        var offset = 0
        while offset < bytes.count {
            let result = write(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            if result < 0 {
                if errno == EINTR { continue }
                return (offset, Errno(errno))
            }
            if result == 0 { return (offset, Errno(EIO)) }
            offset += result
        }
        return (offset, nil)
    }
}

/// The directory part of a path (`.` for a bare file name).
func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
}
