import Foundation
import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The I/O driver around the session core on a real pty: it writes what the core asks for, keeps
/// a sink passed inline alive, and takes its time from the injected clock.
@Suite struct SessionRunnerDriverTests {
    /// Counts what it is handed into a box the test keeps (the sink itself is passed inline).
    final class Counts: @unchecked Sendable {
        var readings = 0
        var samples = 0
        var identified = 0
    }

    final class CountingSink: SessionSink {
        let counts: Counts
        init(_ counts: Counts) { self.counts = counts }
        func sessionDidIdentify(_ info: DeviceInfo) { counts.identified += 1 }
        func sessionDidRead(_ reading: Reading, sessionSeconds: Double) { counts.readings += 1 }
        func sessionDidProcess(_ sample: Sample, reading: Reading, sessionSeconds: Double) { counts.samples += 1 }
        func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) {}
        func sessionLinkDidChange(_ state: LinkState) {}
    }

    /// A pty pair: the controller side plays the device.
    static func pty() throws -> (controller: Int32, port: SerialPort, device: Int32) {
        var controller: Int32 = -1
        var device: Int32 = -1
        var name = [CChar](repeating: 0, count: 128)
        try #require(openpty(&controller, &device, &name, nil, nil) == 0)
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let port = try SerialPort(path: path, options: SerialPortOptions(dtrPolicy: .leaveUnchanged))
        return (controller, port, device)
    }

    static func deviceBytes() -> [UInt8] {
        let info = DeviceInfo(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), board: .uno, deviceID: 9,
                              sampleRateHz: 80, isStreaming: true, sensorKinds: [.hx711LoadCell])
        var bytes = [WireFormat.delimiter] + DeviceFrame.hello(info).encoded
        for i in 0..<40 {
            bytes += DeviceFrame.sample(Sample(sequence: UInt64(i), deviceTimeMicroseconds: Int64(i) * 12_500, channelCount: 1,
                                               values: SIMD4(50, 0, 0, 0), quantity: .rawCounts)).encoded
        }
        return bytes
    }

    @Test func anInlineSinkGetsEverythingAndNothingIsWrittenToAStreamingBoard() throws {
        let (controller, port, device) = try Self.pty()
        defer { close(controller); close(device) }
        let bytes = Self.deviceBytes()
        #expect(bytes.withUnsafeBytes { write(controller, $0.baseAddress, bytes.count) } == bytes.count)
        let counts = Counts()
        let source = SerialPortByteSource(port: port)
        let configuration = SessionConfiguration(profile: .massageBallLowerBack, maximumDurationSeconds: 0.4, calibration: { _ in .identity })
        // Nothing keeps the sink but the runner.
        let runner = SessionRunner(source: source, configuration: configuration, sink: CountingSink(counts))
        var reads = 0
        _ = try runner.run {
            reads += 1
            return reads > 50
        }
        source.close()
        #expect(counts.identified == 1)
        #expect(counts.samples == 33, "0 through 0.4 s at 80 Hz")
        #expect(counts.readings >= 6)
        // What the device received: nothing, since it said HELLO and streams (WritePolicy).
        _ = fcntl(controller, F_SETFL, fcntl(controller, F_GETFL) | O_NONBLOCK)
        var received = [UInt8](repeating: 0, count: 64)
        let count = received.withUnsafeMutableBytes { read(controller, $0.baseAddress, 64) }
        #expect(count <= 0, "the host wrote \(received.prefix(max(0, count)))")
    }

    @Test func silenceIsTimedByTheInjectedClock() throws {
        let (controller, port, device) = try Self.pty()
        defer { close(controller); close(device) }
        let source = SerialPortByteSource(port: port)
        // Every look at the clock is 4 s later: the 10 s silence is over after a few empty reads.
        nonisolated(unsafe) var now: Int64 = 0
        let runner = SessionRunner(
            source: source, configuration: SessionConfiguration(profile: .massageBallLowerBack), sink: CountingSink(Counts()),
            clock: {
                now += 4_000_000
                return now
            })
        var reads = 0
        #expect {
            _ = try runner.run {
                reads += 1
                return reads > 20
            }
        } throws: { error in
            guard case SessionError.silentDevice(let seconds, let bytesReceived) = error else { return false }
            return seconds == 10 && bytesReceived == 0
        }
        #expect(reads < 6)
        source.close()
    }
}
