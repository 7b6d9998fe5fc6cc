import Foundation
import Glibc
import Testing

@testable import RollSenseDevice

/// A board udev does not list, known only by a path that is a symlink to a pty (what
/// `rollsense simulate --link` makes): when the link is made anew, the connection reopens it.
@Suite("Reconnecting to a path (a pty behind a symlink)")
struct PathReconnectTests {
    /// A pty's master and its slave's path; the slave is closed, as `simulate` does.
    private func pty() throws -> (master: Int32, path: String) {
        var master: Int32 = -1
        var slave: Int32 = -1
        try #require(openpty(&master, &slave, nil, nil, nil) == 0)
        var attributes = termios()
        tcgetattr(slave, &attributes)
        cfmakeraw(&attributes)
        tcsetattr(slave, TCSANOW, &attributes)
        let path = String(cString: ttyname(slave))
        Glibc.close(slave)
        return (master, path)
    }

    private func read(_ connection: Connection, timeoutMilliseconds: Int = 100) throws -> ByteSourceRead {
        var buffer = [UInt8](repeating: 0, count: 64)
        return try buffer.withUnsafeMutableBytes { try connection.read(into: $0, timeoutMilliseconds: timeoutMilliseconds) }
    }

    @Test func aLinkMadeAnewIsTheBoardComingBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("board").path

        let first = try pty()
        try #require(symlink(first.path, link) == 0)
        let connection = try Connection(device: SerialDevice(path: link), options: ConnectionOptions(rescanIntervalMilliseconds: 50))
        defer { connection.close() }
        #expect(connection.identity == .path(link))
        #expect(Glibc.write(first.master, "a", 1) == 1)
        #expect(try read(connection, timeoutMilliseconds: 2_000) == .bytes(count: 1))

        // The simulator is killed: its pty goes, its link is left dangling.
        Glibc.close(first.master)
        #expect(try read(connection, timeoutMilliseconds: 2_000) == .disconnected)
        for _ in 0..<5 { #expect(try read(connection) == .timeout, "a dangling link is nothing to open") }

        // Started again with the same --link: a new pty (maybe with the same number) and a new link.
        let second = try pty()
        defer { Glibc.close(second.master) }
        unlink(link)
        try #require(symlink(second.path, link) == 0)
        var result = ByteSourceRead.timeout
        for _ in 0..<50 where result == .timeout { result = try read(connection) }
        guard case .reconnected = result else {
            Issue.record("expected reconnected, got \(result)")
            return
        }
        #expect(connection.device.path == link)
        #expect(Glibc.write(second.master, "b", 1) == 1)
        #expect(try read(connection, timeoutMilliseconds: 2_000) == .bytes(count: 1))
    }

    @Test func onlyALinkMadeAnewCountsAsANewPath() throws {
        // What tells a restarted simulator from an old link that leads to a device again (a pty
        // number reused by another program, never to be written to): the link itself is new.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("board").path
        let identity = SystemCalls.live.pathIdentity
        let device = try pty()
        defer { Glibc.close(device.master) }
        try #require(symlink(device.path, link) == 0)
        let before = try #require(identity(link))
        #expect(identity(link) == before, "the same link to the same device is the same path")
        usleep(10_000)
        unlink(link)
        try #require(symlink(device.path, link) == 0)
        #expect(identity(link) != before, "a link made anew, even to the same pty, is new")
        unlink(link)
        try #require(symlink(directory.appendingPathComponent("nothing").path, link) == 0)
        #expect(identity(link) == nil, "a dangling link leads to no device")
        #expect(identity(directory.path) == nil, "a folder is no device")
    }
}
