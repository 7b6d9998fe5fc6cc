import Dispatch
import Glibc
import Testing

@testable import RollSenseDevice

/// The wait for a board that resets on open, over a real pty whose modem-line ioctls are made to
/// succeed (a pty has none, so the real ones answer ENOTTY and no reset happens).
@Suite("Connection waits for a reset board to talk")
struct ConnectionBootWaitTests {
    private func systemWithModemLines() -> SystemCalls {
        var system = SystemCalls.live
        system.setModemBits = { _, _, _ in .success(()) }
        system.sleepMilliseconds = { _ in }
        return system
    }

    @Test func waitsForTheFirstBytesAndLeavesThemForTheDecoder() throws {
        let pty = try PseudoTerminal()
        let hello: [UInt8] = [0x00, 0x05, 0x01, 0x01, 0x02, 0x00]
        // The board talks only after the reset pulse and the flush of stale input that follows it.
        let flushed = DispatchSemaphore(value: 0)
        var system = systemWithModemLines()
        system.flush = { fd, queue in
            defer { flushed.signal() }
            return SystemCalls.live.flush(fd, queue)
        }
        let board = BackgroundThread {
            guard flushed.wait(timeout: .now() + 10) == .success else { throw TestFailure("port never flushed") }
            usleep(50_000)  // the bootloader's silence before the sketch starts
            try pty.send(hello)
        }
        let options = ConnectionOptions(bootWaitMilliseconds: 5_000)
        let connection = try Connection(device: SerialDevice(path: pty.path), options: options, system: system)
        defer { connection.close() }
        try board.result()
        #expect(connection.boardSpokeAfterOpen == true)
        var buffer = [UInt8](repeating: 0, count: 64)
        var received: [UInt8] = []
        while received.count < hello.count {
            let result = try buffer.withUnsafeMutableBytes { try connection.read(into: $0, timeoutMilliseconds: 2_000) }
            guard case .bytes(let count) = result else {
                Issue.record("expected bytes, got \(result)")
                return
            }
            received += buffer[0..<count]
        }
        #expect(received == hello)
    }

    @Test func silentBoardEndsTheWaitAtItsBound() throws {
        let pty = try PseudoTerminal()
        let options = ConnectionOptions(bootWaitMilliseconds: 30)
        let connection = try Connection(device: SerialDevice(path: pty.path), options: options, system: systemWithModemLines())
        defer { connection.close() }
        #expect(connection.boardSpokeAfterOpen == false)
        #expect(connection.isConnected)
    }

    @Test func nativeUSBBoardIsNotWaitedFor() throws {
        // A Leonardo does not reset when DTR rises, so there is nothing to wait for.
        let pty = try PseudoTerminal()
        let leonardo = SerialDevice(path: pty.path, board: BoardTable.board(vendorID: 0x2341, productID: 0x8036))
        let connection = try Connection(device: leonardo, options: ConnectionOptions(), system: systemWithModemLines())
        defer { connection.close() }
        #expect(connection.boardSpokeAfterOpen == nil)
    }
}
