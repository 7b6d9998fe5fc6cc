import Foundation
@testable import RollSenseWire

/// One case of Fixtures/protocol/vectors.txt (format described at the top of that file).
struct ProtocolVector: Sendable, CustomStringConvertible {
    struct Frame: Sendable, Equatable {
        var type: UInt8
        var body: [UInt8]
    }

    var name: String
    var input: [UInt8] = []
    var frames: [Frame] = []
    var times: [Int64] = []
    var counters: [String: Int] = [:]
    var crcChecks: [(text: String, crc: UInt16)] = []

    var isCommandCase: Bool { name.hasPrefix("command") }
    var description: String { name }

    /// Every case in the file, read relative to this source file so tests run from any directory.
    static let all: [ProtocolVector] = {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/protocol/vectors.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("cannot read \(url.path): the vectors belong beside the tests")
        }
        return parse(text)
    }()

    static func parse(_ text: String) -> [ProtocolVector] {
        var vectors: [ProtocolVector] = []
        var current: ProtocolVector?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard let keyword = words.first else { continue }
            let rest = words.count > 1 ? words[1] : ""
            switch keyword {
            case "case":
                current = ProtocolVector(name: rest)
            case "in":
                current?.input += hexBytes(rest)
            case "frame":
                let parts = rest.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                let body = parts.count > 1 ? hexBytes(parts[1]) : []
                current?.frames.append(Frame(type: hexBytes(parts[0])[0], body: body))
            case "time":
                current?.times.append(Int64(rest)!)
            case "counters":
                for pair in rest.split(separator: " ") {
                    let kv = pair.split(separator: "=")
                    current?.counters[String(kv[0])] = Int(kv[1])!
                }
            case "crc":
                let parts = rest.split(separator: " ").map(String.init)
                current?.crcChecks.append((parts[0], UInt16(parts[1], radix: 16)!))
            case "end":
                if let done = current { vectors.append(done) }
                current = nil
            default:
                continue  // comments and words this reader does not know
            }
        }
        return vectors
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}

extension FrameCounters {
    /// The counters under the names Tools/wire_reference.py uses in the vectors.
    var referenceNames: [String: Int] {
        [
            "frames": frames, "crc": crcFailures, "oversize": oversizeFrames, "malformed": malformedFrames,
            "unknown": unknownFrames, "gaps": sequenceGaps, "missing": missingSamples, "discarded": discardedBytes,
        ]
    }
}
