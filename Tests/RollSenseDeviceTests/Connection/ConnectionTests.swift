import Foundation
import Glibc
import Testing

@testable import RollSenseDevice
import RollSenseSystem

extension UdevTests {
    @Suite("Reconnecting connection under umockdev")
    struct ConnectionTests {
        @Test func reconnectsToTheSameUnoBySerialNumber() throws {
            try checkUnplugAndReplug(
                fixture: UdevFixture.uno, node: "ttyACM0", replugNode: "ttyACM3", deviceNumber: ("166:0", "166:3"),
                expectedIdentity: .serialNumber("75833353035351B0E1D0"))
        }

        @Test func reconnectsToTheSameLeonardoByItsByIDPath() throws {
            // The Leonardo has no USB serial number: its by-id link identifies it.
            try checkUnplugAndReplug(
                fixture: UdevFixture.leonardo, node: "ttyACM1", replugNode: "ttyACM4", deviceNumber: ("166:1", "166:4"),
                expectedIdentity: .byIDPath("/dev/serial/by-id/usb-Arduino_LLC_Arduino_Leonardo-if00"))
        }

        @Test func keepsTryingWhenTheReturningBoardIsBusyAtFirst() throws {
            // ModemManager or brltty may grab a new ttyACM for a moment: the first opens fail.
            let testbed = try Testbed()
            let description = try Testbed.fixture(UdevFixture.uno)
            try testbed.add(description)
            let refusals = CallRecorder()
            let refuseOpens = CallRecorder()
            var system = SystemCalls.live
            system.open = { path, flags in
                if !refuseOpens.calls.isEmpty, refusals.calls.count < 2 {
                    refusals.append(path)
                    return .failure(Errno(EBUSY))
                }
                return SystemCalls.live.open(path, flags)
            }
            let device = try Discovery.select("/dev/ttyACM0", from: try Discovery.serialDevices())
            let connection = try Connection(device: device, options: ConnectionOptions(rescanIntervalMilliseconds: 50), system: system)
            defer { connection.close() }

            testbed.unplug(description)
            #expect(try read(connection, timeoutMilliseconds: 2_000) == .disconnected)
            refuseOpens.append("on")
            try testbed.add(description.replacingOccurrences(of: "ttyACM0", with: "ttyACM5").replacingOccurrences(of: "dev=166:0", with: "dev=166:5"))
            var result = ByteSourceRead.timeout
            for _ in 0..<100 where result == .timeout {
                result = try read(connection, timeoutMilliseconds: 100)
            }
            guard case .reconnected = result else {
                Issue.record("expected reconnected, got \(result)")
                return
            }
            #expect(refusals.calls == ["/dev/ttyACM5", "/dev/ttyACM5"])
            #expect(connection.device.path == "/dev/ttyACM5")
            #expect(connection.lastReconnectError == nil)
        }

        /// Plays one session: bytes both ways, unplug, another board arriving (ignored), the same
        /// board back on another node and device number (umockdev 0.17 cannot re-create a removed
        /// tty node, and a real replug while the old node is held open also gets a new one), bytes again.
        private func checkUnplugAndReplug(
            fixture: String, node: String, replugNode: String, deviceNumber: (old: String, new: String),
            expectedIdentity: DeviceIdentity
        ) throws {
            let testbed = try Testbed()
            let description = try Testbed.fixture(fixture)
            try testbed.add(description)
            let device = try Discovery.select("/dev/\(node)", from: try Discovery.serialDevices())
            let connection = try Connection(device: device, options: ConnectionOptions(rescanIntervalMilliseconds: 200))
            defer { connection.close() }
            #expect(connection.identity == expectedIdentity)
            // Emulated ttys have no modem lines, so no reset and no boot wait happened.
            #expect(connection.boardSpokeAfterOpen == nil)

            try exchange(connection, deviceSide: testbed.deviceSide(of: "/dev/\(node)"), payload: [0x00, 0x01, 0x02, 0xFF])

            testbed.unplug(description)
            #expect(try read(connection, timeoutMilliseconds: 2_000) == .disconnected)
            #expect(!connection.isConnected)
            #expect(throws: SerialPortError.self) { try connection.write([1]) }
            #expect(try read(connection, timeoutMilliseconds: 100) == .timeout)

            // A different board appearing is not the one we lost.
            try testbed.add(fixture: UdevFixture.ftdi)
            #expect(try read(connection, timeoutMilliseconds: 300) == .timeout)
            #expect(!connection.isConnected)

            // The same board comes back while a reader waits, as in a live session.
            let reader = BackgroundThread { () throws -> (ByteSourceRead, Int64) in
                while true {
                    let result = try read(connection, timeoutMilliseconds: 5_000)
                    if result != .timeout { return (result, SystemCalls.live.monotonicMicroseconds()) }
                }
            }
            usleep(100_000)
            // umockdev also keeps the /sys/dev/char link of a removed node: the new node gets a new minor.
            let replugged = description.replacingOccurrences(of: node, with: replugNode)
                .replacingOccurrences(of: "dev=\(deviceNumber.old)", with: "dev=\(deviceNumber.new)")
            let appearedMicroseconds = SystemCalls.live.monotonicMicroseconds()
            try testbed.add(replugged)
            let addedMicroseconds = SystemCalls.live.monotonicMicroseconds()
            let (result, reconnectedMicroseconds) = try reader.result()
            guard case .reconnected(let gapMicroseconds) = result else {
                Issue.record("expected reconnected, got \(result)")
                return
            }
            let latencyMilliseconds = Double(reconnectedMicroseconds - appearedMicroseconds) / 1_000
            print(
                "reconnect [\(fixture)]: reconnected \(String(format: "%.2f", latencyMilliseconds)) ms after the device "
                    + "reappeared (umockdev add took \(String(format: "%.2f", Double(addedMicroseconds - appearedMicroseconds) / 1_000)) ms); "
                    + "gap reported \(String(format: "%.1f", Double(gapMicroseconds) / 1_000)) ms")
            #expect(gapMicroseconds > 0)
            #expect(connection.isConnected)
            #expect(connection.device.path == "/dev/\(replugNode)")
            #expect(expectedIdentity.matches(connection.device))

            try exchange(connection, deviceSide: testbed.deviceSide(of: "/dev/\(replugNode)"), payload: Array("after".utf8))
        }

        private func exchange(_ connection: Connection, deviceSide: Int32, payload: [UInt8]) throws {
            try #require(deviceSide >= 0)
            #expect(payload.withUnsafeBytes { Glibc.write(deviceSide, $0.baseAddress, $0.count) } == payload.count)
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 64)
            while received.count < payload.count {
                let result = try buffer.withUnsafeMutableBytes { try connection.read(into: $0, timeoutMilliseconds: 2_000) }
                guard case .bytes(let count) = result else {
                    Issue.record("expected bytes, got \(result)")
                    return
                }
                received += buffer[0..<count]
            }
            #expect(received == payload)

            try connection.write([0x81, 0x07])
            var reply = [UInt8](repeating: 0, count: 2)
            var descriptor = pollfd(fd: deviceSide, events: Int16(POLLIN), revents: 0)
            #expect(poll(&descriptor, 1, 2_000) == 1)
            #expect(Glibc.read(deviceSide, &reply, 2) == 2)
            #expect(reply == [0x81, 0x07])
        }

        private func read(_ connection: Connection, timeoutMilliseconds: Int) throws -> ByteSourceRead {
            var buffer = [UInt8](repeating: 0, count: 64)
            return try buffer.withUnsafeMutableBytes { try connection.read(into: $0, timeoutMilliseconds: timeoutMilliseconds) }
        }
    }
}
