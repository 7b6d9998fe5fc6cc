import RollSenseSystem
/// Why a capture could not be written; each case says what to do.
public enum CaptureWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists already; captures are never overwritten.
    case alreadyExists(path: String)
    /// The directory to hold the file does not exist.
    case directoryMissing(path: String)
    /// Permissions or a read-only file system forbid writing there.
    case notWritable(path: String, errno: Errno)
    /// The disk, a quota or the file size limit is full; what was written before is readable.
    case diskFull(path: String, errno: Errno, durableByteCount: Int64)
    /// Another system error while writing; what was written before is readable.
    case ioFailed(path: String, operation: String, errno: Errno)
    /// A metadata or event record larger than a record may be.
    case recordTooLarge(byteCount: Int)
    /// The writer was closed (or failed) before this call.
    case closed(path: String)

    /// One line for a person, saying what happened and what to do.
    public var description: String {
        switch self {
        case .alreadyExists(let path):
            "\(path) already exists: captures are never overwritten; choose another file name or delete it first"
        case .directoryMissing(let path):
            "cannot create \(path): its directory \(parentDirectory(of: path)) does not exist; create it first"
        case .notWritable(let path, let errno):
            "cannot write \(path): \(errno) (check the directory's permissions, or that its file system is not read-only)"
        case .diskFull(let path, let errno, let durableByteCount):
            "recording to \(path) stopped: \(errno) (disk full, quota or file size limit); the first \(durableByteCount) bytes are safe and readable; free some space and record again"
        case .ioFailed(let path, let operation, let errno):
            "recording to \(path) failed in \(operation): \(errno); what was written before is readable"
        case .recordTooLarge(let byteCount):
            "a capture record of \(byteCount) bytes is over the limit of \(CaptureFormat.maxPayloadByteCount) bytes; shorten the metadata or note"
        case .closed(let path):
            "the capture \(path) is already closed or stopped after an error"
        }
    }

    static func classify(path: String, operation: String, errno: Errno, durableByteCount: Int64) -> CaptureWriteError {
        if errno.meansNoSpace { return .diskFull(path: path, errno: errno, durableByteCount: durableByteCount) }
        if errno.meansNotWritable { return .notWritable(path: path, errno: errno) }
        return .ioFailed(path: path, operation: operation, errno: errno)
    }
}
