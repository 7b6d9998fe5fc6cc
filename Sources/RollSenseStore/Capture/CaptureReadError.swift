import RollSenseSystem
/// Why a file cannot be read as a capture at all; each case says what to do. Damage inside a
/// capture is not an error: the reader skips it and reports a `CaptureWarning`.
public enum CaptureReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, errno: Errno)
    /// The file is empty: recording never got as far as writing its header.
    case emptyFile(path: String)
    /// The file does not start with the capture magic bytes.
    case notACapture(path: String)
    /// The file ends inside its header: recording stopped before it began.
    case truncatedHeader(path: String, byteCount: Int)
    /// The header's checksum does not match: the start of the file is damaged.
    case damagedHeader(path: String)
    /// Written by a newer program whose format this one cannot read.
    case newerVersion(path: String, major: UInt8, minor: UInt8)

    /// One line for a person, saying what happened and what to do.
    public var description: String {
        switch self {
        case .unreadable(let path, let errno):
            "cannot read \(path): \(errno)"
        case .emptyFile(let path):
            "\(path) is empty: the recording never started (nothing to replay)"
        case .notACapture(let path):
            "\(path) is not a RollSense capture (it does not start with the capture signature); record one with `rollsense record --out FILE`"
        case .truncatedHeader(let path, let byteCount):
            "\(path) ends inside its header (\(byteCount) of \(CaptureFormat.fileHeaderByteCount) bytes): the recording stopped before it began (nothing to replay)"
        case .damagedHeader(let path):
            "\(path) has a damaged header (checksum mismatch): the file's first \(CaptureFormat.fileHeaderByteCount) bytes were altered"
        case .newerVersion(let path, let major, let minor):
            "\(path) is capture format \(major).\(minor), newer than this program reads (\(CaptureFormat.majorVersion).x); update rollsense"
        }
    }
}

/// Something wrong inside a capture that the reader worked around; the records it could read are
/// still returned.
public enum CaptureWarning: Sendable, Equatable, CustomStringConvertible {
    /// Damaged bytes between good records were skipped.
    case skippedDamagedBytes(offset: Int64, byteCount: Int64)
    /// The file ends in the middle of a record (a crash or copy cut it short); the rest was read.
    case truncatedTail(offset: Int64, byteCount: Int64)
    /// No end record: the writer never closed the file (a crash, or it is still recording).
    case missingEndRecord
    /// A record with a good checksum whose contents do not fit its type.
    case malformedRecord(offset: Int64, type: UInt8)
    /// A record of a type from a newer minor version; returned as `.unknown`, otherwise ignored.
    case unknownRecordType(offset: Int64, type: UInt8)
    /// Bytes after the end record, ignored.
    case dataAfterEnd(offset: Int64, byteCount: Int64)

    /// One line for a person.
    public var description: String {
        switch self {
        case .skippedDamagedBytes(let offset, let byteCount):
            "skipped \(byteCount) damaged bytes at offset \(offset); reading resumed at the next good record"
        case .truncatedTail(let offset, let byteCount):
            "the file is cut short: its last \(byteCount) bytes (from offset \(offset)) are an incomplete record, ignored"
        case .missingEndRecord:
            "the capture was not closed cleanly (crash or still recording); everything up to the last complete record was read"
        case .malformedRecord(let offset, let type):
            "ignored a malformed record of type \(type) at offset \(offset)"
        case .unknownRecordType(let offset, let type):
            "ignored a record of unknown type \(type) at offset \(offset) (written by a newer rollsense)"
        case .dataAfterEnd(let offset, let byteCount):
            "ignored \(byteCount) bytes after the end record at offset \(offset)"
        }
    }
}
