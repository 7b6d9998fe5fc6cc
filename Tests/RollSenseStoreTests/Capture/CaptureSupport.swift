import Foundation
@testable import RollSenseStore

/// A small capture with every record kind, and what a reader must give back from it.
struct SmallCapture {
    static let start = Date(timeIntervalSince1970: 1_795_000_000.25)
    static let metadata = CaptureMetadata(
        programVersion: "0.1.0-test",
        timeZoneIdentifier: "Europe/Berlin",
        device: JSONValue(jsonText: #"{"board":5,"deviceID":305419896,"channels":[1,1]}"#),
        calibration: JSONValue(jsonText: #"{"countsPerNewton":[1234.5,1200]}"#),
        profileName: "gentle",
        profile: JSONValue(jsonText: #"{"maxForceNewtons":200,"dailyLimitSeconds":300}"#),
        area: "lower-back-left",
        tool: "roller"
    )
    static let chunkSizes = [23, 1, 0, 46, 5]

    /// The records written after the header's metadata, in order.
    static func body() -> [CaptureRecord] {
        var records: [CaptureRecord] = []
        for (index, size) in chunkSizes.enumerated() {
            records.append(.chunk(CaptureChunk(hostTimeMicroseconds: Int64(index) * 10_000 + 7, bytes: patternBytes(index: index, count: size))))
            if index == 1 {
                records.append(.event(CaptureEvent(hostTimeMicroseconds: 15_000, kind: .disconnected, note: "read: EIO")))
                records.append(.event(CaptureEvent(hostTimeMicroseconds: 16_000, kind: .reconnected)))
                records.append(.metadata(CaptureMetadata(fields: ["device": .object(["board": .integer(5), "firmware": .string("1.2.3")])])))
            }
        }
        return records
    }

    static func write(to path: String) throws {
        let writer = try CaptureWriter(path: path, metadata: metadata, startWallClock: start)
        for record in body() {
            switch record {
            case .chunk(let chunk): try writer.append(bytes: chunk.bytes, hostTimeMicroseconds: chunk.hostTimeMicroseconds)
            case .event(let event): try writer.append(event: event)
            case .metadata(let more): try writer.append(metadata: more)
            default: break
            }
        }
        try writer.close()
    }
}

/// Reads every record of a capture, and the warnings.
func readAll(_ path: String, readBlockByteCount: Int = CaptureReader.defaultReadBlockByteCount) throws -> (records: [CaptureRecord], warnings: [CaptureWarning], reader: CaptureReader) {
    let reader = try CaptureReader(path: path, readBlockByteCount: readBlockByteCount)
    var records: [CaptureRecord] = []
    while let record = try reader.nextRecord() { records.append(record) }
    return (records, reader.warnings, reader)
}

/// Offsets where records start in a capture's bytes, and the file's end, by walking the length
/// fields (docs/RECORDING.md) independently of the reader.
func recordBoundaries(_ bytes: [UInt8]) -> [Int] {
    var offsets = [CaptureFormat.fileHeaderByteCount]
    var offset = CaptureFormat.fileHeaderByteCount
    while offset < bytes.count {
        let length = Int(bytes[offset + 5]) | Int(bytes[offset + 6]) << 8 | Int(bytes[offset + 7]) << 16 | Int(bytes[offset + 8]) << 24
        offset += 13 + length
        offsets.append(offset)
    }
    return offsets
}

/// Read block sizes that make records straddle reads at many offsets, and the default.
let readBlockSizes = [1, 7, 64, CaptureReader.defaultReadBlockByteCount]
