// A minimal decoder of docs/PROTOCOL.md for these tests only, until RollSenseWire's decoder is on
// main: COBS, CRC-16/CCITT-FALSE, the four device frames. It checks what the firmware sends; it
// is not the project's decoder and does no resynchronisation accounting.

/// A SAMPLE frame's fields.
struct TestSample: Equatable {
    var sequence: UInt16
    var deviceTimeMicroseconds: UInt32
    var readings: [Int32]
}

/// A HELLO frame's fields.
struct TestHello: Equatable {
    var protocolVersion: UInt8
    var board: UInt8
    var deviceID: UInt32
    var sampleRateHertz: UInt16
    var flags: UInt8
    var sensorKinds: [UInt8]
}

/// One frame from the device.
enum DeviceFrame: Equatable {
    case hello(TestHello)
    case sample(TestSample)
    case fault(deviceTimeMicroseconds: UInt32, code: UInt8, channel: UInt8, value: UInt32)
    case reply(command: UInt8, tag: UInt8, status: UInt8, data: [UInt8])
    case other(type: UInt8, body: [UInt8])
}

struct TestFrameDecoder {
    private var buffer: [UInt8] = []
    /// Frames whose CRC or COBS failed; the firmware must never produce one.
    private(set) var badFrames = 0

    static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }

    static func encode(type: UInt8, body: [UInt8]) -> [UInt8] {
        var payload = [type] + body
        let crc = crc16(payload)
        payload += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        var out: [UInt8] = [0]
        var codeIndex = 0
        var code: UInt8 = 1
        for byte in payload {
            if byte == 0 {
                out[codeIndex] = code
                codeIndex = out.count
                out.append(0)
                code = 1
            } else {
                out.append(byte)
                code += 1
            }
        }
        out[codeIndex] = code
        return out + [0]
    }

    /// Bytes held while no delimiter has come (text mode reads them back).
    mutating func takeBufferedBytes() -> [UInt8] {
        defer { buffer.removeAll() }
        return buffer
    }

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [DeviceFrame] {
        var frames: [DeviceFrame] = []
        for byte in bytes {
            guard byte == 0 else { buffer.append(byte); continue }
            defer { buffer.removeAll() }
            if buffer.isEmpty { continue }
            guard let payload = Self.cobsDecode(buffer), payload.count >= 3 else { badFrames += 1; continue }
            let crc = UInt16(payload[payload.count - 2]) | UInt16(payload[payload.count - 1]) << 8
            guard crc == Self.crc16(payload.dropLast(2)) else { badFrames += 1; continue }
            frames.append(Self.parse(type: payload[0], body: Array(payload[1..<(payload.count - 2)])))
        }
        return frames
    }

    private static func cobsDecode(_ data: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var index = 0
        while index < data.count {
            let code = Int(data[index])
            if code == 0 || index + code > data.count { return nil }
            out += data[(index + 1)..<(index + code)]
            index += code
            if code != 0xFF && index < data.count { out.append(0) }
        }
        return out
    }

    private static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    private static func parse(type: UInt8, body: [UInt8]) -> DeviceFrame {
        switch type {
        case 0x01 where body.count >= 13 && body.count >= 13 + Int(body[12]):
            return .hello(TestHello(protocolVersion: body[0], board: body[4], deviceID: u32(body, 5),
                                    sampleRateHertz: u16(body, 9), flags: body[11],
                                    sensorKinds: Array(body[13..<(13 + Int(body[12]))])))
        case 0x02 where body.count >= 9 && (body.count - 6) % 3 == 0:
            let readings = stride(from: 6, to: body.count, by: 3).map { at -> Int32 in
                let raw = UInt32(body[at]) | UInt32(body[at + 1]) << 8 | UInt32(body[at + 2]) << 16
                return Int32(bitPattern: raw << 8) >> 8
            }
            return .sample(TestSample(sequence: u16(body, 0), deviceTimeMicroseconds: u32(body, 2), readings: readings))
        case 0x03 where body.count >= 10:
            return .fault(deviceTimeMicroseconds: u32(body, 0), code: body[4], channel: body[5], value: u32(body, 6))
        case 0x04 where body.count >= 3:
            return .reply(command: body[0], tag: body[1], status: body[2], data: Array(body[3...]))
        default:
            return .other(type: type, body: body)
        }
    }
}
