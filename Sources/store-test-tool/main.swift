// A child process for RollSenseStore's tests: things a test cannot do to itself (be killed with
// SIGKILL mid-write, drop root privileges, run under a file size limit, be a second process
// writing the ledger). Not shipped. Usage:
//   store-test-tool capture-forever PATH             write chunks until killed; prints "synced N"
//   store-test-tool capture-fill PATH LIMIT_BYTES    same, under RLIMIT_FSIZE = LIMIT_BYTES, until the write fails
//   store-test-tool capture-open PATH [--drop-privileges]   create a capture; prints "ok" or "error: ..."
//   store-test-tool ledger-open PATH [--drop-privileges]    open a ledger and add a contact; prints "ok" or "error: ..."
//   store-test-tool ledger-add PATH AREA COUNT       add COUNT one-second contacts at noon 2026-11-26 (UTC+2)
//   store-test-tool capture-generate PATH BYTES_PER_SECOND SECONDS CHUNK_BYTES   a long capture for the bench
//   store-test-tool capture-read PATH                read it all; prints JSON with peak memory (bench)
// Chunk i holds `1 + (i * 37) % 300` bytes, byte k being `(k * 31 + i * 7 + 1) mod 256`; the tests
// check what they read back against the same formula.
import Foundation
import RollSenseStore
#if canImport(Glibc)
import Glibc
#endif

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func chunk(_ index: Int) -> [UInt8] {
    let count = 1 + (index * 37) % 300
    return (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index &* 7 &+ 1) }
}

/// Writes chunks forever (until killed or a write fails), syncing every `syncEvery` chunks and
/// saying how many chunks are synced.
func writeChunks(path: String, syncEvery: Int) -> Int32 {
    do {
        let writer = try CaptureWriter(path: path, metadata: CaptureMetadata(programVersion: "store-test-tool", area: "lower-back"))
        var index = 0
        while true {
            try writer.append(bytes: chunk(index), hostTimeMicroseconds: Int64(index))
            index += 1
            if index % syncEvery == 0 {
                try writer.flush()
                say("synced \(index)")
            }
        }
    } catch {
        say("error: \(error.kindName): \(error)")
        return 3
    }
}

extension CaptureWriteError {
    var kindName: String {
        switch self {
        case .alreadyExists: "alreadyExists"
        case .directoryMissing: "directoryMissing"
        case .notWritable: "notWritable"
        case .diskFull: "diskFull"
        case .ioFailed: "ioFailed"
        case .recordTooLarge: "recordTooLarge"
        case .closed: "closed"
        }
    }
}

/// The process's peak resident memory (`VmHWM` in /proc/self/status), in KiB; 0 if unknown.
func peakResidentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
    return 0
}

let arguments = CommandLine.arguments

/// With `--drop-privileges` and run as root, becomes `nobody` (65534 on Debian): root ignores
/// permission bits, nobody does not.
func dropPrivilegesIfAsked() {
    guard arguments.contains("--drop-privileges"), geteuid() == 0 else { return }
    guard setgroups(0, nil) == 0, setgid(65534) == 0, setuid(65534) == 0 else {
        say("cannot drop privileges: \(errno)")
        exit(66)
    }
}
switch arguments.dropFirst().first {
case "capture-forever" where arguments.count == 3:
    exit(writeChunks(path: arguments[2], syncEvery: 50))
case "capture-fill" where arguments.count == 4:
    guard let limit = rlim_t(arguments[3]) else { exit(64) }
    // Without this the kernel kills the process with SIGXFSZ instead of failing the write.
    signal(SIGXFSZ, SIG_IGN)
    var rlimit = rlimit(rlim_cur: limit, rlim_max: limit)
    guard setrlimit(Int32(RLIMIT_FSIZE.rawValue), &rlimit) == 0 else {
        say("setrlimit failed: \(errno)")
        exit(65)
    }
    exit(writeChunks(path: arguments[2], syncEvery: 20))
case "capture-open" where arguments.count >= 3:
    dropPrivilegesIfAsked()
    do {
        let writer = try CaptureWriter(path: arguments[2], metadata: CaptureMetadata())
        try writer.close()
        say("ok")
        exit(0)
    } catch {
        say("error: \(error.kindName): \(error)")
        exit(3)
    }
case "ledger-open" where arguments.count >= 3:
    dropPrivilegesIfAsked()
    do {
        let ledger = try HistoryLedger(path: arguments[2])
        try ledger.addContact(area: "a", from: Date(), to: Date() + 1, timeZone: TimeZone(secondsFromGMT: 0)!)
        say("ok")
        exit(0)
    } catch {
        say("error: \(error)")
        exit(3)
    }
case "ledger-add" where arguments.count == 5:
    guard let count = Int(arguments[4]) else { exit(64) }
    let timeZone = TimeZone(secondsFromGMT: 2 * 3600)!
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let noon = calendar.date(from: DateComponents(year: 2026, month: 11, day: 26, hour: 12))!
    do {
        let ledger = try HistoryLedger(path: arguments[2])
        for index in 0..<count {
            let start = noon + Double(index)
            try ledger.addContact(area: arguments[3], from: start, to: start + 1, timeZone: timeZone)
        }
        say("ok")
        exit(0)
    } catch {
        say("error: \(error)")
        exit(3)
    }
case "capture-generate" where arguments.count == 6:
    guard let rate = Int(arguments[3]), let seconds = Int(arguments[4]), let chunkBytes = Int(arguments[5]), chunkBytes > 0 else { exit(64) }
    let started = Date()
    do {
        let writer = try CaptureWriter(path: arguments[2], metadata: CaptureMetadata(programVersion: "store-test-tool"))
        // One pattern buffer reused: the bench measures the store, not a byte generator.
        let pattern = (0..<(chunkBytes + 256)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        let total = rate * seconds
        var written = 0
        while written < total {
            let count = min(chunkBytes, total - written)
            let phase = written % 256
            try writer.append(bytes: pattern[phase..<(phase + count)], hostTimeMicroseconds: Int64(written) * 1_000_000 / Int64(rate))
            written += count
        }
        try writer.close()
        say(#"{"bytes":\#(written),"seconds":\#(Date().timeIntervalSince(started)),"peakRSSKiB":\#(peakResidentKiB())}"#)
        exit(0)
    } catch {
        say("error: \(error)")
        exit(3)
    }
case "capture-read" where arguments.count == 3:
    let started = Date()
    do {
        let reader = try CaptureReader(path: arguments[2])
        var chunks = 0, bytes = 0
        var checksum: UInt8 = 0
        while let chunk = try reader.nextChunk() {
            chunks += 1
            bytes += chunk.bytes.count
            checksum &+= chunk.bytes.first ?? 0
        }
        say(#"{"chunks":\#(chunks),"bytes":\#(bytes),"checksum":\#(checksum),"warnings":\#(reader.warningCount),"seconds":\#(Date().timeIntervalSince(started)),"peakRSSKiB":\#(peakResidentKiB())}"#)
        exit(0)
    } catch {
        say("error: \(error)")
        exit(3)
    }
default:
    FileHandle.standardError.write(Data("usage: see the comment at the top of Sources/store-test-tool/main.swift\n".utf8))
    exit(64)
}
