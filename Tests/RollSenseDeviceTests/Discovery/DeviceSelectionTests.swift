import Glibc
import Testing

@testable import RollSenseDevice

@Suite("Choosing a device and recognising boards")
struct DeviceSelectionTests {
    let uno = SerialDevice(
        path: "/dev/ttyACM0", byIDPath: "/dev/serial/by-id/usb-Arduino-uno-if00", vendorID: 0x2341, productID: 0x0043,
        serialNumber: "UNO1", board: BoardTable.board(vendorID: 0x2341, productID: 0x0043))
    let nano = SerialDevice(
        path: "/dev/ttyUSB0", byIDPath: "/dev/serial/by-id/usb-1a86_USB2.0-Serial-if00-port0", vendorID: 0x1a86,
        productID: 0x7523, board: BoardTable.board(vendorID: 0x1a86, productID: 0x7523))
    let modem = SerialDevice(path: "/dev/ttyUSB2", vendorID: 0x2c7c, productID: 0x0125, serialNumber: "0000")
    let builtin = SerialDevice(path: "/dev/ttyS0")

    @Test func noQueryTakesTheOnlyBoard() throws {
        #expect(try Discovery.select(nil, from: [builtin, uno, modem]) == uno)
        #expect(try Discovery.select("", from: [nano, modem]) == nano)
    }

    @Test func noBoardListsTheOtherPorts() {
        #expect(throws: DeviceSelectionError.noBoard(otherPorts: [builtin, modem])) {
            try Discovery.select(nil, from: [builtin, modem])
        }
        let message = "\(DeviceSelectionError.noBoard(otherPorts: [builtin, modem]))"
        #expect(message.contains("/dev/ttyS0") && message.contains("/dev/ttyUSB2") && message.contains("--device"))
    }

    @Test func severalBoardsListsThem() {
        #expect(throws: DeviceSelectionError.severalBoards([uno, nano])) {
            try Discovery.select(nil, from: [uno, modem, nano])
        }
        let message = "\(DeviceSelectionError.severalBoards([uno, nano]))"
        #expect(message.contains("/dev/ttyACM0") && message.contains("Arduino Uno") && message.contains("serial UNO1"))
        #expect(message.contains("/dev/ttyUSB0") && message.contains("CH340"))
    }

    @Test func queryMatchesPathByIDOrSerial() throws {
        let all = [uno, nano, modem, builtin]
        #expect(try Discovery.select("/dev/ttyUSB0", from: all) == nano)
        #expect(try Discovery.select("/dev/serial/by-id/usb-Arduino-uno-if00", from: all) == uno)
        #expect(try Discovery.select("UNO1", from: all) == uno)
        #expect(try Discovery.select("0000", from: all) == modem)
    }

    @Test func unknownQueryListsCandidates() {
        #expect(throws: DeviceSelectionError.notFound(query: "NOPE", candidates: [uno])) {
            try Discovery.select("NOPE", from: [uno])
        }
        #expect("\(DeviceSelectionError.notFound(query: "NOPE", candidates: []))".contains("No serial ports are present"))
    }

    @Test func existingPathOutsideUdevIsUsedAsIs() throws {
        // A pty from the firmware simulator is not a udev device but is a fine serial port.
        let pty = try PseudoTerminal()
        #expect(try Discovery.select(pty.path, from: [uno]) == SerialDevice(path: pty.path))
    }

    @Test func symlinkToAListedNodeIsThatDevice() throws {
        let pty = try PseudoTerminal()
        let link = "/tmp/rollsense-test-link-\(getpid())"
        unlink(link)
        #expect(symlink(pty.path, link) == 0)
        defer { unlink(link) }
        let listed = SerialDevice(path: pty.path, serialNumber: "PTY")
        #expect(try Discovery.select(link, from: [listed]) == listed)
    }

    @Test func boardTableKnowsArduinoAndBridgeIds() {
        #expect(BoardTable.board(vendorID: 0x2341, productID: 0x0043)?.name == "Arduino Uno")
        #expect(BoardTable.board(vendorID: 0x2341, productID: 0x0001)?.name == "Arduino Uno")
        #expect(BoardTable.board(vendorID: 0x2341, productID: 0x0243)?.name == "Arduino Uno")
        #expect(BoardTable.board(vendorID: 0x2341, productID: 0x8036)?.name == "Arduino Leonardo")
        #expect(BoardTable.board(vendorID: 0x2341, productID: 0x0036)?.name == "Arduino Leonardo")
        #expect(BoardTable.board(vendorID: 0x2341, productID: 0x8037)?.name == "Arduino Micro")
        #expect(BoardTable.board(vendorID: 0x2a03, productID: 0x0043)?.name == "Arduino Uno")
        #expect(BoardTable.board(vendorID: 0x2a03, productID: 0x1234)?.name == "Arduino board (arduino.org)")
        #expect(BoardTable.board(vendorID: 0x1a86, productID: 0x7523)?.resetsOnOpen == true)
        #expect(BoardTable.board(vendorID: 0x0403, productID: 0x6001) != nil)
        #expect(BoardTable.board(vendorID: 0x10c4, productID: 0xea60) != nil)
        #expect(BoardTable.board(vendorID: 0x2c7c, productID: 0x0125) == nil)
    }

    @Test func identityPrefersSerialThenByIDThenPath() {
        #expect(uno.identity == .serialNumber("UNO1"))
        #expect(nano.identity == .byIDPath("/dev/serial/by-id/usb-1a86_USB2.0-Serial-if00-port0"))
        #expect(builtin.identity == .path("/dev/ttyS0"))
        var moved = uno
        moved.path = "/dev/ttyACM3"
        #expect(uno.identity.matches(moved))
        var other = uno
        other.serialNumber = "UNO2"
        #expect(!uno.identity.matches(other))
    }

    @Test func hexAndEscapeHelpers() {
        #expect(UInt16(0x43).hex4 == "0043")
        #expect(UInt16(0xea60).hex4 == "ea60")
        #expect(Discovery.hexID("2341") == 0x2341)
        #expect(Discovery.hexID("41") == nil)
        #expect(Discovery.decodeUdevEscapes("Arduino\\x20\\x28www.arduino.cc\\x29") == "Arduino (www.arduino.cc)")
        #expect(Discovery.decodeUdevEscapes("\\x20") == nil)
    }
}
