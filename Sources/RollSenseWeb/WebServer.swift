#if canImport(Glibc)
import Glibc
#endif
import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// Where the page listens: an IPv4 address and a port (0: any free port).
public struct WebAddress: Sendable, Equatable, CustomStringConvertible {
    /// The default port of `--web` without one.
    public static let defaultPort: UInt16 = 8765
    /// The address `--web` alone listens on: this machine only.
    public static let loopback = WebAddress(host: "127.0.0.1", port: defaultPort)

    /// A dotted IPv4 address.
    public var host: String
    /// The TCP port.
    public var port: UInt16

    /// Makes an address from its parts.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `PORT`, `HOST:PORT` or `localhost:PORT` (HOST an IPv4 address); nil otherwise.
    public init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let port = UInt16(parts.last!) else { return nil }
        var host = parts.count == 2 ? String(parts[0]) : "127.0.0.1"
        if host == "localhost" { host = "127.0.0.1" }
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { return nil }
        self.init(host: host, port: port)
    }

    /// Whether only this machine can reach it.
    public var isLoopback: Bool { host.hasPrefix("127.") }

    /// `HOST:PORT`.
    public var description: String { "\(host):\(port)" }
}

/// What a page can ask of the session (the only thing it can send).
public enum WebInput: Sendable, Equatable {
    /// The "it hurts" button: record a pain mark now.
    case painMark
}

/// Why the page server could not start.
public enum WebServerError: Error, CustomStringConvertible {
    /// The address could not be bound (in use, not this machine's, no permission).
    case cannotListen(WebAddress, String)

    /// One line: the cause and what to do.
    public var description: String {
        switch self {
        case .cannotListen(let address, let reason):
            return "The live page cannot listen on \(address): \(reason). Pick another port with --web HOST:PORT."
        }
    }
}

/// The live page's server: `GET /?token=T` is the page, `GET /ws?token=T` its WebSocket. Nothing
/// else is served: every request without the session's token gets 403, any other method 405,
/// any other path 404, and the upgrade needs an Origin equal to the host the page came from.
/// It reads no files. Runs on Swift's concurrency pool; the session thread only calls
/// `broadcast.publish`, which never waits for the network.
public final class WebServer: Sendable {
    /// The per-session token: 128 random bits as 32 hex digits.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Whether `token` is acceptable for `--web-token`: 16 to 128 of `A-Z a-z 0-9 - _`.
    public static func isValidToken(_ token: String) -> Bool {
        (16...128).contains(token.count) && token.unicodeScalars.allSatisfy {
            ($0.value < 128 && CharacterSet.alphanumerics.contains($0)) || $0 == "-" || $0 == "_"
        }
    }

    /// What the pages are sent.
    public let broadcast: WebBroadcast
    /// The token every request must carry.
    public let token: String
    /// Where it listens, with the port it got.
    public let address: WebAddress
    private let server: HTTPServer
    private let runTask: Task<Void, Never>

    /// Listens on `address` (blocking until it does or fails); `onInput` is called on the
    /// server's threads for each thing a page asks.
    public init(address requested: WebAddress, token: String, onInput: @escaping @Sendable (WebInput) -> Void) throws(WebServerError) {
        let broadcast = WebBroadcast()
        let handler = PageHandler(token: token, broadcast: broadcast, onInput: onInput)
        let socketAddress: sockaddr_in
        do { socketAddress = try sockaddr_in.inet(ip4: requested.host, port: requested.port) } catch {
            throw .cannotListen(requested, "not an IPv4 address")
        }
        let server = HTTPServer(address: socketAddress, timeout: 15, pool: NoDelaySocketPool(), logger: .disabled, handler: handler)
        let failure = Shared<String?>(nil)
        let settled = DispatchSemaphore(value: 0)
        let runTask = Task.detached {
            do { try await server.run() } catch {
                failure.withLock { $0 = $0 ?? Self.reason(error) }
            }
            settled.signal()
        }
        let waitTask = Task.detached {
            do { try await server.waitUntilListening(timeout: 10) } catch {
                failure.withLock { $0 = $0 ?? "it did not start listening" }
            }
            settled.signal()
        }
        settled.wait()
        if let reason = failure.withLock({ $0 }) {
            waitTask.cancel()
            runTask.cancel()
            throw .cannotListen(requested, reason)
        }
        let port = Self.blocking { await server.listeningAddress }.flatMap { address -> UInt16? in
            if case .ip4(_, let port) = address { return port }
            return nil
        }
        self.broadcast = broadcast
        self.token = token
        self.address = WebAddress(host: requested.host, port: port ?? requested.port)
        self.server = server
        self.runTask = runTask
    }

    /// The page's address for a browser on `host` (default: the listening address).
    public func pageURL(host: String? = nil) -> String {
        "http://\(host ?? address.host):\(address.port)/?token=\(token)"
    }

    /// Ends every page's stream and stops listening (waits at most about a second).
    public func stop() {
        broadcast.close()
        let server = self.server
        Self.blocking { await server.stop(timeout: 1) }
        runTask.cancel()
    }

    private static func reason(_ error: any Error) -> String {
        if let socketError = error as? SocketError, case .failed(_, let errno, let message) = socketError {
            return errno == EADDRINUSE ? "the port is in use" : (errno == EADDRNOTAVAIL ? "that address is not this machine's" : message)
        }
        return "\(error)"
    }

    /// Runs async work to its end from synchronous code that is not on the concurrency pool.
    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let result = Shared<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let value = await work()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    /// The IPv4 addresses of this machine's interfaces other than loopback, for the URL to print
    /// when listening on 0.0.0.0.
    public static func localAddresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var found: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var name = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                var bytes = inet.pointee.sin_addr
                _ = inet_ntop(AF_INET, &bytes, &name, socklen_t(name.count))
            }
            let text = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !text.hasPrefix("127.") { found.append(text) }
        }
        return found
    }
}

/// FlyingFox's epoll pool with Nagle's algorithm turned off on every socket it waits for (the
/// listener first, whose accepted connections inherit it on Linux). A page's messages are a few
/// hundred bytes each: with Nagle on, one sent while the previous is still unacknowledged waits
/// for the peer's delayed ACK (up to 40 ms on Linux), the tail of the frame-to-DOM latency.
struct NoDelaySocketPool: AsyncSocketPool {
    private let inner = SocketPool<ePoll>.ePoll()

    func prepare() async throws { try await inner.prepare() }

    func run() async throws { try await inner.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        var on: Int32 = 1
        // Fails harmlessly (ENOTSUP/EOPNOTSUPP) on anything that is not TCP.
        _ = setsockopt(socket.file.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        try await inner.suspendSocket(socket, untilReadyFor: events)
    }
}

/// A value behind a lock that escaping closures can share (a `Mutex` cannot be captured).
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { value.withLock { body(&$0) } }
}

/// Routes one request; see `WebServer`.
struct PageHandler: HTTPHandler {
    let token: String
    let broadcast: WebBroadcast
    let onInput: @Sendable (WebInput) -> Void

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let given = request.query["token"], Self.same(given, token) else {
            return Self.forbiddenPage
        }
        guard request.method == .GET else {
            var response = Self.text(.methodNotAllowed, "405: only GET.\n")
            response.headers[HTTPHeader("Allow")] = "GET"
            return response
        }
        switch request.path {
        case "/":
            var response = HTTPResponse(statusCode: .ok, headers: Self.pageHeaders, body: Data(PackageResources.page_html))
            response.headers[.contentType] = "text/html; charset=utf-8"
            return response
        case "/ws":
            guard Self.originMatches(request) else {
                return Self.text(.forbidden, "403: the WebSocket is for the page this server sent.\n")
            }
            return try await WebSocketHTTPHandler(handler: PageSocket(broadcast: broadcast, onInput: onInput)).handleRequest(request)
        default:
            return Self.text(.notFound, "404: the page is at /.\n")
        }
    }

    /// The token never leaves in a Referer; nothing is cached, framed or loaded from elsewhere.
    static let pageHeaders: HTTPHeaders = [
        HTTPHeader("Content-Security-Policy"): "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        HTTPHeader("Referrer-Policy"): "no-referrer",
        .cacheControl: "no-store",
        HTTPHeader("X-Content-Type-Options"): "nosniff",
        HTTPHeader("X-Frame-Options"): "DENY",
    ]

    /// A browser's upgrade must come from the page itself: Origin `http://` + the Host it asked
    /// for, and that Host an IP address or localhost (a DNS-rebound name is refused).
    static func originMatches(_ request: HTTPRequest) -> Bool {
        guard let host = request.headers[.host], let origin = request.headers[HTTPHeader("Origin")] else { return false }
        guard origin == "http://" + host else { return false }
        let name = host.split(separator: ":").first.map(String.init) ?? host
        var address = in_addr()
        return name == "localhost" || inet_pton(AF_INET, name, &address) == 1
    }

    /// Compares in time independent of where the strings differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// A link without the session's token, most often typed by hand on a phone: readable there
    /// (HTML at phone size, no script, nothing loaded), and plain words for anything else.
    static let forbiddenPage: HTTPResponse = {
        var headers = pageHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return HTTPResponse(statusCode: .forbidden, headers: headers, body: Data("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
            <title>RollSense: link needed</title></head><body style="font: 20px/1.4 system-ui, sans-serif; margin: 24px">\
            403: this page needs the session's link, with its token, as rollsense printed it (or scan its QR code).</body></html>

            """.utf8))
    }()

    static func text(_ status: HTTPStatusCode, _ body: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"], body: Data(body.utf8))
    }
}

/// One page's WebSocket: the mailbox's lines out, pulled only as fast as the socket takes them
/// (so a frozen page holds one state, not a queue); a `{"type":"painMark"}` message in.
struct PageSocket: WSHandler {
    let broadcast: WebBroadcast
    let onInput: @Sendable (WebInput) -> Void

    func makeFrames(for client: AsyncThrowingStream<WSFrame, any Error>) async throws -> AsyncStream<WSFrame> {
        let (id, mailbox) = broadcast.join()
        let onInput = self.onInput
        let broadcast = self.broadcast
        Task {
            do {
                for try await frame in client {
                    if frame.opcode == .close { break }
                    if frame.opcode == .text, Self.isPainMark(frame.payload) { onInput(.painMark) }
                }
            } catch {}
            broadcast.leave(id)
        }
        let closed = Atomic<Bool>(false)
        return AsyncStream(unfolding: {
            if let line = await mailbox.next() {
                return WSFrame(fin: true, opcode: .text, mask: nil, payload: Data(line.utf8))
            }
            // One close frame, then the end of the stream closes the connection.
            return closed.exchange(true, ordering: .relaxed) ? nil : WSFrame.close(code: .normalClosure)
        })
    }

    static func isPainMark(_ payload: Data) -> Bool {
        struct Message: Decodable { var type: String }
        return (try? JSONDecoder().decode(Message.self, from: payload))?.type == "painMark"
    }
}
