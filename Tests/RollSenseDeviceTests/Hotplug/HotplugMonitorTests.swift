import Testing

@testable import RollSenseDevice

extension UdevTests {
    @Suite("Hotplug events under umockdev")
    struct HotplugMonitorTests {
        @Test func seesBoardsArriveAndLeave() throws {
            let testbed = try Testbed()
            let monitor = try HotplugMonitor()
            #expect(monitor.nextEvent(timeoutMilliseconds: 0) == nil)

            try testbed.add(fixture: UdevFixture.uno)
            let added = try #require(monitor.nextEvent(timeoutMilliseconds: 2_000))
            #expect(added.action == .add)
            #expect(added.device.path == "/dev/ttyACM0")
            #expect(added.device.serialNumber == "75833353035351B0E1D0")
            #expect(added.device.board?.name == "Arduino Uno")

            try testbed.add(fixture: UdevFixture.nanoCH340)
            let nano = try #require(monitor.nextEvent(timeoutMilliseconds: 2_000))
            #expect(nano.action == .add && nano.device.path == "/dev/ttyUSB0")
            #expect(nano.device.byIDPath == "/dev/serial/by-id/usb-1a86_USB2.0-Serial-if00-port0")

            testbed.unplug(try Testbed.fixture(UdevFixture.uno))
            let removed = try #require(monitor.nextEvent(timeoutMilliseconds: 2_000))
            #expect(removed.action == .remove)
            #expect(removed.device.path == "/dev/ttyACM0")
            #expect(monitor.nextEvent(timeoutMilliseconds: 50) == nil)
            #expect(try Discovery.serialDevices().map(\.path) == ["/dev/ttyUSB0"])
        }
    }
}
