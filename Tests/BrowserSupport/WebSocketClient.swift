#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Why a test's socket client failed.
public struct ClientError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A blocking TCP connection to 127.0.0.1 (tests and benches only): raw HTTP requests and a
/// minimal RFC 6455 client (text frames, masked as a client must), enough for the DevTools
/// protocol and for the page's own WebSocket.
public final class SocketConnection {
    public let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to `host:port`; `receiveBufferBytes` shrinks the kernel buffer (a frozen client).
    public init(host: String = "127.0.0.1", port: UInt16, receiveBufferBytes: Int32? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ClientError("socket: \(String(cString: strerror(errno)))") }
        if var size = receiveBufferBytes {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw ClientError("connect to \(host):\(port): \(message)")
        }
    }

    deinit { close(descriptor) }

    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError("send: \(String(cString: strerror(errno)))") }
            sent += n
        }
    }

    /// Reads at least `count` bytes into the buffer, waiting at most `timeoutSeconds` in all.
    private func fill(_ count: Int, timeoutSeconds: Double) throws {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while buffer.count < count {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw ClientError("timed out after \(timeoutSeconds) s") }
            var pollfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&pollfd, 1, Int32(left * 1000) + 1) > 0 else { continue }
            let n = recv(descriptor, &chunk, chunk.count, 0)
            guard n > 0 else { throw ClientError(n == 0 ? "connection closed" : "recv: \(String(cString: strerror(errno)))") }
            buffer += chunk[0..<n]
        }
    }

    private func take(_ count: Int, timeoutSeconds: Double) throws -> [UInt8] {
        try fill(count, timeoutSeconds: timeoutSeconds)
        defer { buffer.removeFirst(count) }
        return Array(buffer[0..<count])
    }

    /// Sends one GET (or `method`) and reads the response's status and headers (and the body
    /// when it has a Content-Length).
    public func request(_ target: String, method: String = "GET", headers: [String: String] = [:],
                        timeoutSeconds: Double = 10) throws -> (status: Int, headers: [String: String], body: String) {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if headers["Host"] != nil { text = text.replacingOccurrences(of: "Host: 127.0.0.1\r\n", with: "") }
        try send(Array((text + "\r\n").utf8))
        let end: [UInt8] = [13, 10, 13, 10]
        while true {
            if let range = buffer.firstRange(of: end) {
                let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                buffer.removeFirst(range.upperBound)
                let lines = head.components(separatedBy: "\r\n")
                let status = Int(lines[0].split(separator: " ")[1]) ?? 0
                var fields: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                var body = ""
                if let length = fields["content-length"].flatMap(Int.init), length > 0 {
                    body = String(decoding: try take(length, timeoutSeconds: timeoutSeconds), as: UTF8.self)
                }
                return (status, fields, body)
            }
            try fill(buffer.count + 1, timeoutSeconds: timeoutSeconds)
        }
    }

    /// The WebSocket opening handshake on `target`; throws unless the answer is 101.
    public func upgrade(_ target: String, host: String = "127.0.0.1", origin: String? = nil) throws {
        var headers = ["Host": host, "Upgrade": "websocket", "Connection": "Upgrade",
                       "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"]
        if let origin { headers["Origin"] = origin }
        let response = try request(target, headers: headers)
        guard response.status == 101 else { throw ClientError("upgrade of \(target) answered \(response.status)") }
    }

    /// Sends one masked text frame.
    public func sendText(_ text: String) throws {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count < 65536 {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask: [UInt8] = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try send(frame)
    }

    /// The next text message (continuations joined; control frames skipped); nil on a close frame.
    public func receiveText(timeoutSeconds: Double = 10) throws -> String? {
        var message: [UInt8] = []
        while true {
            let head = try take(2, timeoutSeconds: timeoutSeconds)
            var length = Int(head[1] & 0x7F)
            if length == 126 {
                length = try take(2, timeoutSeconds: timeoutSeconds).reduce(0) { $0 << 8 | Int($1) }
            } else if length == 127 {
                length = try take(8, timeoutSeconds: timeoutSeconds).reduce(0) { $0 << 8 | Int($1) }
            }
            let payload = try take(length, timeoutSeconds: timeoutSeconds)
            let opcode = head[0] & 0x0F
            if opcode == 0x8 { return nil }
            if opcode >= 0x8 { continue }
            message += payload
            if head[0] & 0x80 != 0 { return String(decoding: message, as: UTF8.self) }
        }
    }
}
