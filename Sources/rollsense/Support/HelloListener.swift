import Foundation
import RollSenseDevice
import RollSenseKit
import RollSenseSystem
import RollSenseWire

/// Opens a port (resetting a board with auto-reset) and listens for a RollSense HELLO. It only
/// listens: nothing is written, so a board with someone else's sketch is left alone.
enum HelloListener {
    /// The HELLO heard within `timeoutSeconds`, nil when the board stayed silent or spoke
    /// something else, or `shouldStop` said to give up (checked every 200 ms).
    static func listen(path: String, timeoutSeconds: Double, shouldStop: () -> Bool = { false }) throws(SerialPortError) -> DeviceInfo? {
        let port = try SerialPort(path: path, options: SerialPortOptions())
        defer { port.close() }
        var decoder = WireDecoder()
        var info: DeviceInfo?
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { buffer.deallocate() }
        let deadline = hostMonotonicMicroseconds() + Int64(timeoutSeconds * 1_000_000)
        while info == nil, !shouldStop() {
            let left = deadline - hostMonotonicMicroseconds()
            if left <= 0 { break }
            let count = try port.read(into: buffer, timeoutMilliseconds: Int(min(left / 1000, 200)))
            guard count > 0 else { continue }
            decoder.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), hostTimeMicroseconds: hostMonotonicMicroseconds()) { event in
                if case .info(let hello) = event, info == nil { info = hello }
            }
        }
        return info
    }
}
