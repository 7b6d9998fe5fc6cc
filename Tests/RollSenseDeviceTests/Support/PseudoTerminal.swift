import Glibc

/// A real pty pair: the test plays the device on `controller`, the code under test opens `path`.
final class PseudoTerminal: @unchecked Sendable {
    private(set) var controller: Int32
    let path: String
    private var keeper: Int32

    init() throws {
        var controller: Int32 = -1
        var keeper: Int32 = -1
        var name = [CChar](repeating: 0, count: 256)
        guard openpty(&controller, &keeper, &name, nil, nil) == 0 else { throw TestFailure("openpty: \(errno)") }
        self.controller = controller
        // Keep the first handle on the device side open so closing the code's descriptor does
        // not hang up the pair; closed in `hangUp`.
        self.keeper = keeper
        self.path = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // Raw on the device side too, so no byte is translated or echoed by the line discipline.
        var attributes = termios()
        tcgetattr(keeper, &attributes)
        cfmakeraw(&attributes)
        tcsetattr(keeper, TCSANOW, &attributes)
        let flags = fcntl(controller, F_GETFL)
        _ = fcntl(controller, F_SETFL, flags | O_NONBLOCK)
    }

    deinit {
        if controller >= 0 { close(controller) }
        if keeper >= 0 { close(keeper) }
    }

    /// Writes all bytes from the device side.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(controller, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EAGAIN { usleep(1_000); continue }
                throw TestFailure("write to pty controller: \(errno)")
            }
            offset += count
        }
    }

    /// Reads exactly `count` bytes on the device side, waiting up to `timeoutMilliseconds` in all.
    func receive(count: Int, timeoutMilliseconds: Int32 = 5_000) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while result.count < count {
            var descriptor = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, timeoutMilliseconds) > 0 else { throw TestFailure("timed out after \(result.count) bytes") }
            let got = read(controller, &buffer, min(buffer.count, count - result.count))
            if got < 0 {
                if errno == EAGAIN { continue }
                throw TestFailure("read from pty controller: \(errno)")
            }
            result.append(contentsOf: buffer[0..<got])
        }
        return result
    }

    /// Closes the device side: the code's descriptor sees a hangup, as on unplugging.
    func hangUp() {
        if keeper >= 0 { close(keeper); keeper = -1 }
        if controller >= 0 { close(controller); controller = -1 }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Deterministic bytes for transfer tests.
func patternBytes(count: Int, seed: UInt32 = 0x1234_5678) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        // xorshift32 (Marsaglia 2003): cheap, reproducible, not constant.
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return UInt8(truncatingIfNeeded: state)
    }
}
