import CUdev
import Foundation
import Glibc
import Testing

@testable import RollSenseDevice
import RollSenseSystem

@Suite("SerialPort over a real pty")
struct SerialPortTests {
    // MARK: - Bytes both ways

    @Test func bytesFromDeviceArriveUnchanged() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.path)
        // Every byte value, including the ones a cooked tty would translate (CR, ^C, ^S, 0x00).
        let sent = (0...255).map { UInt8($0) }
        try pty.send(sent)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while received.count < sent.count {
            let count = try buffer.withUnsafeMutableBytes { try port.read(into: $0, timeoutMilliseconds: 2_000) }
            try #require(count > 0, "timed out after \(received.count) bytes")
            received.append(contentsOf: buffer[0..<count])
        }
        #expect(received == sent)
    }

    @Test func bytesToDeviceArriveUnchanged() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.path)
        let sent = (0...255).map { UInt8($0) }
        try port.write(sent)
        try port.drain()
        #expect(try pty.receive(count: sent.count) == sent)
    }

    @Test func largeWriteCompletesThroughShortWritesWhileDeviceReads() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.path)
        // Far more than a pty buffers (a few KiB), so the kernel takes it in short writes and
        // answers EAGAIN until the device side reads.
        let sent = patternBytes(count: 1 << 20)
        // A thread of its own, not a task: both sides block, and the test pool may have 2 threads.
        let reader = BackgroundThread { try pty.receive(count: sent.count, timeoutMilliseconds: 10_000) }
        try port.write(sent, timeoutMilliseconds: 20_000)
        #expect(try reader.result() == sent)
    }

    @Test func readTimesOutWithNothingToRead() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.path)
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = try buffer.withUnsafeMutableBytes { try port.read(into: $0, timeoutMilliseconds: 20) }
        #expect(count == 0)
        #expect(try port.waitForInput(timeoutMilliseconds: 0) == false)
        try pty.send([0x42])
        #expect(try port.waitForInput(timeoutMilliseconds: 2_000))
    }

    @Test func writeTimesOutWhenDeviceStopsReading() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.path)
        #expect {
            try port.write(patternBytes(count: 1 << 20), timeoutMilliseconds: 50)
        } throws: { error in
            guard case .writeTimedOut(_, let written) = error as? SerialPortError else { return false }
            return written > 0 && written < 1 << 20
        }
    }

    // MARK: - Configuration

    @Test func configuresRawEightNOneWithoutFlowControl() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.path)
        var attributes = termios()
        #expect(tcgetattr(port.fileDescriptor, &attributes) == 0)
        #expect(attributes.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(attributes.c_cflag & tcflag_t(PARENB | CSTOPB) == 0)
        #expect(attributes.c_cflag & tcflag_t(CRTSCTS) == 0)
        #expect(attributes.c_iflag & tcflag_t(IXON | IXOFF | ICRNL) == 0)
        #expect(attributes.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0)
        #expect(cfgetospeed(&attributes) == speed_t(B115200))
        #expect(attributes.c_cflag & tcflag_t(HUPCL) != 0)
        #expect(port.exclusiveIoctlSupported)
        // A pty has no modem lines: ENOTTY means "not supported", never a failure.
        #expect(port.modemLinesSupported == false)
        #expect(try port.setDTR(true) == false)
    }

    @Test func arbitraryBaudRateGoesThroughTermios2() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.path, options: SerialPortOptions(baudRate: 250_000))
        var attributes = rollsense_termios2()
        #expect(rollsense_ioctl_pointer(port.fileDescriptor, rollsense_tcgets2(), &attributes) == 0)
        #expect(attributes.c_cflag & ROLLSENSE_CBAUD == ROLLSENSE_BOTHER)
        #expect(attributes.c_ospeed == 250_000)
        #expect(attributes.c_ispeed == 250_000)
    }

    @Test func arbitraryBaudRateRefusedByDriverIsATypedError() throws {
        let pty = try PseudoTerminal()
        var system = SystemCalls.live
        system.setAttributes2 = { _, _ in .failure(Errno(ENOTTY)) }
        #expect(throws: SerialPortError.unsupportedBaudRate(path: pty.path, baudRate: 250_000, errno: Errno(ENOTTY))) {
            _ = try SerialPort(path: pty.path, options: SerialPortOptions(baudRate: 250_000), system: system)
        }
    }

    @Test func leavingDTRUnchangedClearsHangupOnCloseAndTouchesNoLine() throws {
        let pty = try PseudoTerminal()
        let recorder = CallRecorder()
        var system = SystemCalls.live
        system.setModemBits = { _, request, bits in
            recorder.append("\(request == UInt(TIOCMBIS) ? "set" : "clear") \(bits)")
            return .success(())
        }
        let port = try SerialPort(path: pty.path, options: SerialPortOptions(dtrPolicy: .leaveUnchanged), system: system)
        var attributes = termios()
        #expect(tcgetattr(port.fileDescriptor, &attributes) == 0)
        #expect(attributes.c_cflag & tcflag_t(HUPCL) == 0)
        // Only the harmless probe (set no bits), never a DTR change.
        #expect(recorder.calls == ["set 0"])
    }

    @Test func resetPolicyPulsesDTRLowThenHigh() throws {
        let pty = try PseudoTerminal()
        let recorder = CallRecorder()
        var system = SystemCalls.live
        system.setModemBits = { _, request, bits in
            recorder.append("\(request == UInt(TIOCMBIS) ? "set" : "clear") \(bits)")
            return .success(())
        }
        system.sleepMilliseconds = { recorder.append("sleep \($0)") }
        let port = try SerialPort(path: pty.path, options: SerialPortOptions(dtrPolicy: .resetBoard), system: system)
        let dtr = Int32(TIOCM_DTR)
        #expect(recorder.calls == ["clear \(dtr)", "sleep \(SerialPort.resetPulseMilliseconds)", "set \(dtr)"])
        #expect(port.modemLinesSupported)
    }

    // MARK: - Hangup and close

    @Test func hangupOfTheDeviceSideIsDeviceGone() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.path)
        try pty.send([1, 2, 3])
        pty.hangUp()
        var buffer = [UInt8](repeating: 0, count: 16)
        // Whatever was queued before the hangup may still be read; then the port is gone.
        var sawGone = false
        for _ in 0..<4 {
            do {
                _ = try buffer.withUnsafeMutableBytes { try port.read(into: $0, timeoutMilliseconds: 1_000) }
            } catch let error as SerialPortError {
                guard case .deviceGone = error else { Issue.record("unexpected \(error)"); break }
                #expect(error.description.contains("went away"))
                sawGone = true
                break
            }
        }
        #expect(sawGone)
    }

    @Test func byteSourceReportsDisconnectedOnceThenEnd() throws {
        let pty = try PseudoTerminal()
        let source = SerialPortByteSource(port: try SerialPort(path: pty.path))
        try pty.send([7, 8])
        var buffer = [UInt8](repeating: 0, count: 16)
        let first = try buffer.withUnsafeMutableBytes { try source.read(into: $0, timeoutMilliseconds: 1_000) }
        #expect(first == .bytes(count: 2))
        #expect(buffer[0..<2] == [7, 8])
        pty.hangUp()
        let second = try buffer.withUnsafeMutableBytes { try source.read(into: $0, timeoutMilliseconds: 1_000) }
        #expect(second == .disconnected)
        let third = try buffer.withUnsafeMutableBytes { try source.read(into: $0, timeoutMilliseconds: 1_000) }
        #expect(third == .end)
    }

    @Test func closeIsIdempotentAndLaterCallsSayClosed() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.path)
        port.close()
        port.close()
        #expect(!port.isOpen)
        #expect(throws: SerialPortError.closed(path: pty.path)) { try port.write([1]) }
    }

    // MARK: - Exclusive access

    @Test func secondOpenIsBusyAndNamesTheHolder() throws {
        let pty = try PseudoTerminal()
        let first = try SerialPort(path: pty.path)
        #expect {
            _ = try SerialPort(path: pty.path)
        } throws: { error in
            guard case .busy(_, let holders, _) = error as? SerialPortError else { return false }
            // This process holds it through `first`; the second attempt's own descriptor is not counted.
            return holders == [getpid()] && "\(error)".contains("busy") && "\(error)".contains("\(getpid())")
        }
        first.close()
        // Released on close: a new owner may open it.
        _ = try SerialPort(path: pty.path)
    }

    @Test func nonExclusiveOpenSharesThePort() throws {
        let pty = try PseudoTerminal()
        let options = SerialPortOptions(exclusive: false)
        let first = try SerialPort(path: pty.path, options: options)
        // TIOCEXCL is not taken either, so a second non-exclusive open works (even as non-root).
        let second = try SerialPort(path: pty.path, options: options)
        #expect(first.isOpen && second.isOpen)
    }

    @Test func lockRefusedByFileSystemFallsBackToTIOCEXCL() throws {
        let pty = try PseudoTerminal()
        var system = SystemCalls.live
        system.flock = { _, _ in .failure(Errno(ENOLCK)) }
        let port = try SerialPort(path: pty.path, options: SerialPortOptions(), system: system)
        #expect(port.exclusiveIoctlSupported)
    }

    @Test func exclusiveIoctlAnsweringENOTTYIsNotAFailure() throws {
        let pty = try PseudoTerminal()
        var system = SystemCalls.live
        system.ioctlNoArgument = { _, _ in .failure(Errno(ENOTTY)) }
        let port = try SerialPort(path: pty.path, options: SerialPortOptions(), system: system)
        #expect(!port.exclusiveIoctlSupported)
        #expect(port.isOpen)
    }

    // MARK: - Errors that say what to do

    @Test func permissionDeniedNamesTheGroupAndTheFix() throws {
        var system = SystemCalls.live
        system.open = { _, _ in .failure(Errno(EACCES)) }
        system.owningGroupName = { _ in "dialout" }
        #expect {
            _ = try SerialPort(path: "/dev/ttyACM0", options: SerialPortOptions(), system: system)
        } throws: { error in
            guard case .permissionDenied("/dev/ttyACM0", "dialout", Errno(EACCES)) = error as? SerialPortError else {
                return false
            }
            let message = "\(error)"
            return message.contains("group 'dialout'") && message.contains("usermod -aG dialout")
                && message.contains("log out and in again") && message.contains("Firmware/99-rollsense.rules")
        }
    }

    @Test func permissionDeniedReadsTheRealOwningGroup() throws {
        // The group name comes from stat + getgrgid_r; Foundation reads it independently.
        let pty = try PseudoTerminal()
        let expected = try #require(try FileManager.default.attributesOfItem(atPath: pty.path)[.groupOwnerAccountName] as? String)
        var system = SystemCalls.live
        system.open = { _, _ in .failure(Errno(EPERM)) }
        #expect {
            _ = try SerialPort(path: pty.path, options: SerialPortOptions(), system: system)
        } throws: { error in
            guard case .permissionDenied(_, let group?, _) = error as? SerialPortError else { return false }
            return group == expected
        }
    }

    @Test func permissionDeniedOnAPtyNamesItsOwnerNotTheUdevRule() throws {
        let pty = try PseudoTerminal()
        let owner = try #require(try FileManager.default.attributesOfItem(atPath: pty.path)[.ownerAccountName] as? String)
        var system = SystemCalls.live
        system.open = { _, _ in .failure(Errno(EACCES)) }
        #expect {
            _ = try SerialPort(path: pty.path, options: SerialPortOptions(), system: system)
        } throws: { error in
            let message = "\(error)"
            return message.contains("pseudo-terminal") && message.contains("user '\(owner)'")
                && !message.contains("udev") && !message.contains("usermod")
        }
    }

    @Test func permissionDeniedOnAFileSaysItIsNoSerialPortWithItsAbsolutePath() throws {
        let name = "rollsense-permission-\(getpid()).txt"
        let folder = FileManager.default.currentDirectoryPath
        _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: folder + "/" + name) }
        var system = SystemCalls.live
        system.open = { _, _ in .failure(Errno(EACCES)) }
        #expect {
            _ = try SerialPort(path: name, options: SerialPortOptions(), system: system)
        } throws: { error in
            let message = "\(error)"
            return message.contains("\(folder)/\(name)") && message.contains("not a serial port") && !message.contains("udev")
        }
    }

    @Test func permissionDeniedOnASerialNodeGivesTheRulesAbsolutePath() throws {
        var system = SystemCalls.live
        system.open = { _, _ in .failure(Errno(EACCES)) }
        system.owningGroupName = { _ in "dialout" }
        #expect {
            _ = try SerialPort(path: "/dev/ttyRollSensePermission9", options: SerialPortOptions(), system: system)
        } throws: { error in
            let message = "\(error)"
            guard let range = message.range(of: "sudo cp ") else { return false }
            let path = message[range.upperBound...].prefix { $0 != " " }
            return path.hasPrefix("/") && path.hasSuffix("Firmware/99-rollsense.rules") && FileManager.default.fileExists(atPath: String(path))
        }
    }

    @Test func missingNodeSaysPlugItIn() throws {
        #expect {
            _ = try SerialPort(path: "/dev/ttyRollSenseMissing9")
        } throws: { error in
            guard case .noSuchDevice(_, Errno(ENOENT)) = error as? SerialPortError else { return false }
            return "\(error)".contains("plug the board in") && "\(error)".contains("rollsense devices")
        }
    }

    @Test func busyFromOpenIsBusy() throws {
        var system = SystemCalls.live
        system.open = { _, _ in .failure(Errno(EBUSY)) }
        #expect {
            _ = try SerialPort(path: "/dev/ttyACM0", options: SerialPortOptions(), system: system)
        } throws: { error in
            guard case .busy("/dev/ttyACM0", _, Errno(EBUSY)) = error as? SerialPortError else { return false }
            return "\(error)".contains("Close that program")
        }
    }

    @Test func lockHeldElsewhereIsBusy() throws {
        let pty = try PseudoTerminal()
        var system = SystemCalls.live
        system.flock = { _, _ in .failure(Errno(EWOULDBLOCK)) }
        #expect {
            _ = try SerialPort(path: pty.path, options: SerialPortOptions(), system: system)
        } throws: { error in
            guard case .busy(_, _, Errno(EWOULDBLOCK)) = error as? SerialPortError else { return false }
            return true
        }
    }

    @Test func readFailingWithEIOIsDeviceGone() throws {
        let pty = try PseudoTerminal()
        var system = SystemCalls.live
        system.read = { _, _ in .failure(Errno(EIO)) }
        let port = try SerialPort(path: pty.path, options: SerialPortOptions(), system: system)
        try pty.send([1])
        var buffer = [UInt8](repeating: 0, count: 4)
        #expect(throws: SerialPortError.deviceGone(path: pty.path, errno: Errno(EIO))) {
            _ = try buffer.withUnsafeMutableBytes { try port.read(into: $0, timeoutMilliseconds: 1_000) }
        }
    }

    @Test func injectedShortWritesAndEAGAINStillWriteEverything() throws {
        let pty = try PseudoTerminal()
        let recorder = CallRecorder()
        var system = SystemCalls.live
        let real = SystemCalls.live.write
        system.write = { fd, bytes in
            // Every other call answers EAGAIN; the others take at most 7 bytes.
            if recorder.appendAndCount("write") % 2 == 1 { return .failure(Errno(EAGAIN)) }
            return real(fd, UnsafeRawBufferPointer(rebasing: bytes.prefix(7)))
        }
        let port = try SerialPort(path: pty.path, options: SerialPortOptions(), system: system)
        let sent = patternBytes(count: 1_000)
        try port.write(sent)
        #expect(try pty.receive(count: sent.count) == sent)
        #expect(recorder.calls.count >= 2 * (1_000 / 7))
    }

    @Test func plainFileIsNotATerminal() throws {
        #expect(throws: SerialPortError.notATerminal(path: "/dev/null")) {
            _ = try SerialPort(path: "/dev/null")
        }
        #expect("\(SerialPortError.notATerminal(path: "/dev/null"))".contains("not a serial port"))
    }
}

/// Thread-safe list of strings for recording injected calls.
final class CallRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    var calls: [String] { lock.withLock { storage } }

    func append(_ call: String) { lock.withLock { storage.append(call) } }

    /// Appends and answers the count before appending.
    func appendAndCount(_ call: String) -> Int {
        lock.withLock {
            storage.append(call)
            return storage.count - 1
        }
    }
}
