// libFuzzer target: arbitrary bytes as a capture file, read by CaptureReader.
// Invariants: no crash, no hang (the script runs with -timeout); the reader either refuses the
// file with a CaptureReadError or returns records; it never returns more chunk bytes than the
// file holds, never a payload over the 1 MiB record limit, and reading twice gives the same result.
#if canImport(Glibc)
import Glibc
#endif
import RollSenseStore

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

/// One file per process, rewritten for every input (CaptureReader reads a path, not memory).
let capturePath: String = {
    let directory = String(cString: getenv("TMPDIR") ?? strdup("/tmp"))
    return "\(directory)/rollsense-fuzz-capture-\(getpid()).rscap"
}()

func writeFile(_ data: UnsafePointer<UInt8>, _ count: Int) {
    let fd = open(capturePath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    check(fd >= 0, "cannot create \(capturePath)")
    var written = 0
    while written < count {
        let result = write(fd, data + written, count - written)
        check(result > 0, "write failed")
        written += result
    }
    close(fd)
}

struct Summary: Equatable {
    var records = 0
    var chunkBytes = 0
    var warnings = 0
    var ended = false
    var error: CaptureReadError?
}

func readAll(fileByteCount: Int) -> Summary {
    var summary = Summary()
    do throws(CaptureReadError) {
        let reader = try CaptureReader(path: capturePath)
        while let record = try reader.nextRecord() {
            summary.records += 1
            if case .chunk(let chunk) = record {
                check(chunk.bytes.count <= CaptureFormatLimit.maxPayload, "chunk of \(chunk.bytes.count) bytes")
                summary.chunkBytes += chunk.bytes.count
            }
            check(summary.records <= fileByteCount, "more records than bytes")
        }
        check(summary.chunkBytes <= fileByteCount, "more chunk bytes than the file holds")
        summary.warnings = reader.warningCount
        summary.ended = reader.end != nil
        check(reader.warnings.count <= CaptureReader.maxKeptWarningCount, "kept warnings unbounded")
    } catch {
        summary.error = error
    }
    return summary
}

enum CaptureFormatLimit {
    /// docs/RECORDING.md: a record's payload is at most 1 MiB.
    static let maxPayload = 1 << 20
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCaptureReader(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    writeFile(data, count)
    let first = readAll(fileByteCount: count)
    let second = readAll(fileByteCount: count)
    check(first == second, "two reads of the same file differ")
    return 0
}
