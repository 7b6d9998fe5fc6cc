import Foundation
import RollSenseDevice
import RollSenseKit
import RollSenseSignal
import RollSenseWire
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A sketch that prints Serial Plotter text instead of frames runs through the same live path:
/// real pty, SerialPort, SessionRunner with the auto-detecting decoder, pipeline.
@Suite struct SessionRunnerTextTests {
    final class Collector: SessionSink {
        var readings: [Reading] = []
        var events: [SignalEvent] = []
        func sessionDidIdentify(_ info: DeviceInfo) {}
        func sessionDidRead(_ reading: Reading, sessionSeconds: Double) { readings.append(reading) }
        func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) { events.append(event) }
        func sessionLinkDidChange(_ state: LinkState) {}
    }

    @Test func plotterTextWithANewtonLabelBecomesForceAndContact() throws {
        var controller: Int32 = -1
        var device: Int32 = -1
        var name = [CChar](repeating: 0, count: 128)
        #expect(openpty(&controller, &device, &name, nil, nil) == 0)
        // The writer thread must be done before the descriptors close: a write to a closed
        // number the kernel has handed to another test's file or pty lands in that test.
        let writerDone = DispatchSemaphore(value: 0)
        defer {
            writerDone.wait()
            close(controller)
            close(device)
        }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let controllerFD = controller
        // Start mid-line, as a port opened on a running sketch does; then 2 s of 150 N.
        var text = "0.5\r\n"
        for _ in 0..<100 { text += "force_N:150\r\n" }
        let bytes = Array(text.utf8)
        let writer = Thread {
            var offset = 0
            while offset < bytes.count {
                let count = min(40, bytes.count - offset)
                _ = bytes[offset..<offset + count].withUnsafeBytes { write(controllerFD, $0.baseAddress, count) }
                offset += count
                usleep(20_000)  // 40 bytes every 20 ms: ~3 lines per 20 ms
            }
            writerDone.signal()
        }
        // Open (raw mode) before the sketch talks, so no cooked line discipline touches the bytes.
        let port: SerialPort
        do { port = try SerialPort(path: path, options: SerialPortOptions(dtrPolicy: .leaveUnchanged)) } catch {
            writerDone.signal()  // the writer never started
            throw error
        }
        writer.start()
        let source = SerialPortByteSource(port: port)
        let sink = Collector()
        var configuration = SessionConfiguration(profile: .foamRollerLowerBack, silenceTimeoutSeconds: nil)
        configuration.maximumDurationSeconds = 0.4
        let runner = SessionRunner(source: source, configuration: configuration, sink: sink)
        let started = Date()
        _ = try runner.run { Date().timeIntervalSince(started) > 10 }
        source.close()

        #expect(runner.wireCounters.detections == 1)
        #expect(runner.wireCounters.text.samples > 15)
        // A newton label needs no calibration: the smoothed force rises towards 150 N.
        let last = try #require(sink.readings.last)
        #expect(last.forceNewtons > 100 && last.forceNewtons < 151)
        #expect(sink.events.contains { $0.kind == .contact && $0.phase == .start })
    }
}
