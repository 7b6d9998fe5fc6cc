import Foundation
import RollSenseWire

/// The firmware images this host flashes, where to find them, and a check of an Intel HEX file
/// before it goes near a board.
enum FirmwareImage {
    /// The firmware version this host was built with (Firmware/config.h `RS_FIRMWARE_*`).
    static let expectedVersion = FirmwareVersion(major: 1, minor: 0, patch: 0)

    /// Where images are looked for, first match wins: `$ROLLSENSE_FIRMWARE_DIR/VARIANT.hex`, the
    /// installed `PREFIX/share/rollsense/firmware/VARIANT.hex` beside `PREFIX/bin/rollsense`, and
    /// `Firmware/build/VARIANT/rollsense.hex` of a checkout the binary was built in (or the
    /// current folder).
    static func candidates(variant: String, executable: URL = executableURL) -> [URL] {
        var found: [URL] = []
        if let folder = ProcessInfo.processInfo.environment["ROLLSENSE_FIRMWARE_DIR"], !folder.isEmpty {
            found.append(URL(fileURLWithPath: folder).appendingPathComponent("\(variant).hex"))
        }
        let binFolder = executable.deletingLastPathComponent()
        found.append(binFolder.deletingLastPathComponent().appendingPathComponent("share/rollsense/firmware/\(variant).hex"))
        // .build/<triple>/debug/rollsense: the checkout is a few folders up.
        var folder = binFolder
        for _ in 0..<5 {
            folder = folder.deletingLastPathComponent()
            found.append(folder.appendingPathComponent("Firmware/build/\(variant)/rollsense.hex"))
        }
        found.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Firmware/build/\(variant)/rollsense.hex"))
        var seen = Set<String>()
        return found.map(\.standardizedFileURL).filter { seen.insert($0.path).inserted }
    }

    /// The first image that exists, or a failure naming where it looked and how to build one.
    static func locate(variant: String) throws -> URL {
        let places = candidates(variant: variant)
        if let hit = places.first(where: { FileManager.default.isReadableFile(atPath: $0.path) }) { return hit }
        throw CommandFailure.device(
            "No firmware image for the \(variant) build. Build it with `make -C Firmware` in the RollSense checkout, "
                + "install it with `make install`, or name a HEX file with --image. Looked in:\n"
                + places.map { "  " + $0.path }.joined(separator: "\n"))
    }

    static var executableURL: URL {
        URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
    }

    /// What a valid Intel HEX file holds.
    struct Summary: Equatable {
        /// Data bytes in the file.
        var dataBytes: Int
        /// One past the highest address written.
        var endAddress: Int
    }

    /// Reads an Intel HEX file strictly: every record's length, type and checksum, an end
    /// record, and data only below `limitBytes` (the flash the bootloader leaves free). Throws a
    /// data failure (65) naming the line.
    static func check(_ url: URL, limitBytes: Int) throws -> Summary {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CommandFailure.data("Cannot read the firmware image \(url.path).")
        }
        let text = String(decoding: data, as: UTF8.self)
        func damaged(_ line: Int, _ why: String) -> CommandFailure {
            .data("The firmware image \(url.path) is damaged (line \(line): \(why)); nothing was written to the board. "
                + "Rebuild it with `make -C Firmware` or download it again.")
        }
        var base = 0
        var summary = Summary(dataBytes: 0, endAddress: 0)
        var ended = false
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let number = index + 1
            if line.isEmpty { continue }
            if ended { throw damaged(number, "data after the end record") }
            guard line.first == ":" else { throw damaged(number, "a record must start with ':'") }
            let hex = Array(line.dropFirst().utf8)
            guard hex.count % 2 == 0, hex.count >= 10 else { throw damaged(number, "a record has an odd or too short length") }
            var bytes: [UInt8] = []
            for pair in stride(from: 0, to: hex.count, by: 2) {
                guard let byte = UInt8(String(decoding: hex[pair..<pair + 2], as: UTF8.self), radix: 16) else {
                    throw damaged(number, "'\(String(decoding: hex[pair..<pair + 2], as: UTF8.self))' is not hexadecimal")
                }
                bytes.append(byte)
            }
            let count = Int(bytes[0])
            guard bytes.count == count + 5 else { throw damaged(number, "the record says \(count) data bytes but has \(bytes.count - 5)") }
            guard bytes.reduce(0, { $0 &+ $1 }) == 0 else { throw damaged(number, "checksum mismatch") }
            let address = Int(bytes[1]) << 8 | Int(bytes[2])
            switch bytes[3] {
            case 0x00:
                let end = base + address + count
                guard end <= limitBytes else {
                    throw CommandFailure.data("The firmware image \(url.path) needs flash up to byte \(end), but this board has \(limitBytes) bytes "
                        + "beside its bootloader: it is built for another board (choose the image with --board).")
                }
                summary.dataBytes += count
                summary.endAddress = max(summary.endAddress, end)
            case 0x01: ended = true
            case 0x02: base = (Int(bytes[4]) << 8 | Int(bytes[5])) << 4
            case 0x04: base = (Int(bytes[4]) << 8 | Int(bytes[5])) << 16
            case 0x03, 0x05: break
            default: throw damaged(number, "unknown record type \(bytes[3])")
            }
        }
        guard ended else { throw damaged(text.split(whereSeparator: \.isNewline).count, "no end record: the file is cut short") }
        guard summary.dataBytes > 0 else { throw damaged(1, "no data") }
        return summary
    }
}
