import Testing

@testable import RollSenseDevice

extension UdevTests {
    /// umockdev's emulated ttys answer ENOTTY to every ioctl (platform-facts.md), like some
    /// odd drivers do: the port must still open, configure and lock.
    @Suite("SerialPort on an emulated tty")
    struct SerialPortUmockdevTests {
        @Test func opensWithoutIoctlsAndStillLocksOutASecondOpen() throws {
            let testbed = try Testbed()
            try testbed.add(fixture: UdevFixture.uno)
            let port = try SerialPort(path: "/dev/ttyACM0")
            #expect(!port.exclusiveIoctlSupported)
            #expect(!port.modemLinesSupported)
            try port.drain()  // ENOTTY from the drain ioctl means nothing to wait for
            #expect {
                _ = try SerialPort(path: "/dev/ttyACM0")
            } throws: { error in
                guard case .busy = error as? SerialPortError else { return false }
                return true
            }
            port.close()
            _ = try SerialPort(path: "/dev/ttyACM0")
        }

        @Test func arbitraryBaudRateOnADriverWithoutTermios2IsATypedError() throws {
            let testbed = try Testbed()
            try testbed.add(fixture: UdevFixture.nanoCH340)
            #expect {
                _ = try SerialPort(path: "/dev/ttyUSB0", options: SerialPortOptions(baudRate: 250_000))
            } throws: { error in
                guard case .unsupportedBaudRate(_, 250_000, _) = error as? SerialPortError else { return false }
                return "\(error)".contains("115200")
            }
        }
    }
}
