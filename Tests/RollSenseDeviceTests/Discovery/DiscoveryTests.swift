import Testing

@testable import RollSenseDevice

extension UdevTests {
    @Suite("Discovery through libudev under umockdev")
    struct DiscoveryTests {
        @Test func enumeratesEverySerialPortWithItsUSBDetails() throws {
            let testbed = try Testbed()
            for fixture in UdevFixture.all { try testbed.add(fixture: fixture) }
            let devices = try Discovery.serialDevices()
            // ttyS1 (an unused 8250 placeholder) and tty1 (a virtual console) are left out.
            #expect(devices.map(\.path) == ["/dev/ttyACM0", "/dev/ttyACM1", "/dev/ttyS0", "/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/ttyUSB2"])
            let byPath = Dictionary(uniqueKeysWithValues: devices.map { ($0.path, $0) })

            let uno = try #require(byPath["/dev/ttyACM0"])
            #expect(uno.byIDPath == "/dev/serial/by-id/usb-Arduino__www.arduino.cc__0043_75833353035351B0E1D0-if00")
            #expect(uno.usbID == "2341:0043")
            #expect(uno.serialNumber == "75833353035351B0E1D0")
            #expect(uno.manufacturer == "Arduino (www.arduino.cc)")
            #expect(uno.product == nil)  // the Uno's 16U2 firmware has no product string
            #expect(uno.driver == "cdc_acm")
            #expect(uno.board?.name == "Arduino Uno")
            #expect(uno.sysPath == "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/tty/ttyACM0")

            let leonardo = try #require(byPath["/dev/ttyACM1"])
            #expect(leonardo.byIDPath == "/dev/serial/by-id/usb-Arduino_LLC_Arduino_Leonardo-if00")
            #expect(leonardo.usbID == "2341:8036")
            #expect(leonardo.serialNumber == nil)
            #expect(leonardo.product == "Arduino Leonardo")
            #expect(leonardo.board?.name == "Arduino Leonardo")
            #expect(leonardo.board?.resetsOnOpen == false)

            let nano = try #require(byPath["/dev/ttyUSB0"])
            #expect(nano.byIDPath == "/dev/serial/by-id/usb-1a86_USB2.0-Serial-if00-port0")
            #expect(nano.usbID == "1a86:7523")
            #expect(nano.manufacturer == nil)
            #expect(nano.driver == "ch341")
            #expect(nano.board?.name.contains("CH340") == true)

            let ftdi = try #require(byPath["/dev/ttyUSB1"])
            #expect(ftdi.usbID == "0403:6001")
            #expect(ftdi.serialNumber == "A50285BI")
            #expect(ftdi.product == "FT232R USB UART")
            #expect(ftdi.driver == "ftdi_sio")
            #expect(ftdi.isLikelyBoard)

            let modem = try #require(byPath["/dev/ttyUSB2"])
            #expect(modem.usbID == "2c7c:0125")
            #expect(modem.driver == "option")
            #expect(modem.board == nil)
            #expect(!modem.isLikelyBoard)

            let builtin = try #require(byPath["/dev/ttyS0"])
            #expect(builtin.vendorID == nil && builtin.byIDPath == nil && builtin.board == nil)
            #expect(builtin.driver == "serial")
        }

        @Test func noDevicesIsAnEmptyList() throws {
            let testbed = try Testbed()
            try testbed.add(fixture: UdevFixture.builtinSerial)
            #expect(try Discovery.serialDevices().map(\.path) == ["/dev/ttyS0"])
        }

        @Test func choosesTheOnlyBoardAmongOtherPorts() throws {
            let testbed = try Testbed()
            for fixture in [UdevFixture.nanoCH340, UdevFixture.usbModem, UdevFixture.builtinSerial] {
                try testbed.add(fixture: fixture)
            }
            let devices = try Discovery.serialDevices()
            #expect(try Discovery.select(nil, from: devices).path == "/dev/ttyUSB0")
        }

        @Test func namesBoardsByPathByIDAndSerialNumber() throws {
            let testbed = try Testbed()
            for fixture in UdevFixture.all { try testbed.add(fixture: fixture) }
            let devices = try Discovery.serialDevices()
            #expect(try Discovery.select("A50285BI", from: devices).path == "/dev/ttyUSB1")
            #expect(try Discovery.select("/dev/serial/by-id/usb-Arduino_LLC_Arduino_Leonardo-if00", from: devices).path == "/dev/ttyACM1")
            #expect(try Discovery.select("/dev/ttyACM0", from: devices).serialNumber == "75833353035351B0E1D0")
            #expect {
                _ = try Discovery.select(nil, from: devices)
            } throws: { error in
                guard case .severalBoards(let boards) = error as? DeviceSelectionError else { return false }
                return boards.map(\.path) == ["/dev/ttyACM0", "/dev/ttyACM1", "/dev/ttyUSB0", "/dev/ttyUSB1"]
            }
        }
    }
}
