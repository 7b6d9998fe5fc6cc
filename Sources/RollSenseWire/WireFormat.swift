/// Sizes, type codes and the frame layer shared by every frame (docs/PROTOCOL.md, "Layers").
public enum WireFormat {
    /// The protocol version this module speaks (HELLO `protocol_version`).
    public static let protocolVersion: UInt8 = 1
    /// The most bytes in a payload: type + body + CRC (docs/PROTOCOL.md: `MAX_PAYLOAD = 64`).
    public static let maxPayloadCount = 64
    /// The most body bytes a frame can carry: `maxPayloadCount` less the type byte and the CRC.
    public static let maxBodyCount = maxPayloadCount - 3
    /// The most encoded bytes a receiver buffers before calling a frame oversize: the COBS
    /// encoding of a full payload plus one, as Tools/wire_reference.py does (`MAX_PAYLOAD + 2`).
    public static let maxEncodedCount = maxPayloadCount + 2
    /// The frame delimiter on the wire.
    public static let delimiter: UInt8 = 0x00

    /// Device frame type codes.
    public enum DeviceFrameType {
        /// HELLO: who the device is.
        public static let hello: UInt8 = 0x01
        /// SAMPLE: one reading per channel.
        public static let sample: UInt8 = 0x02
        /// FAULT: something went wrong on the device.
        public static let fault: UInt8 = 0x03
        /// REPLY: the answer to a command.
        public static let reply: UInt8 = 0x04
        /// SAMPLE_EXTRA: the extra channels (rotation) of the SAMPLE that follows.
        public static let sampleExtra: UInt8 = 0x05
        /// BUTTON: a button on the board was pressed (the pain button).
        public static let button: UInt8 = 0x06
    }

    /// Command type codes (host to device).
    public enum CommandType {
        /// PING: reply echoes the data.
        public static let ping: UInt8 = 0x81
        /// GET_INFO: device sends HELLO then the reply.
        public static let getInfo: UInt8 = 0x82
        /// START streaming.
        public static let start: UInt8 = 0x83
        /// STOP streaming.
        public static let stop: UInt8 = 0x84
        /// SET_RATE in hertz.
        public static let setRate: UInt8 = 0x85
        /// SET_MODE binary or text.
        public static let setMode: UInt8 = 0x86
        /// The lowest type code a command can have; lower codes are device frames.
        public static let first: UInt8 = 0x81
    }

    /// Appends one complete wire frame, `COBS(type | body | crc16 LE) | 0x00`, to `output`.
    public static func appendFrame(type: UInt8, body: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var payload: [UInt8] = []
        payload.reserveCapacity(body.count + 3)
        payload.append(type)
        payload.append(contentsOf: body)
        let crc = CRC16.checksum(payload)
        payload.append(UInt8(truncatingIfNeeded: crc))
        payload.append(UInt8(truncatingIfNeeded: crc >> 8))
        payload.withUnsafeBytes { COBS.encode($0, into: &output) }
        output.append(delimiter)
    }

    /// One complete wire frame for `type` and `body`.
    public static func frame(type: UInt8, body: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        body.withUnsafeBytes { appendFrame(type: type, body: $0, to: &output) }
        return output
    }
}
