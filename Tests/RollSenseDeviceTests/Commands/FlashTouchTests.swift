import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension UdevTests {
    /// `rollsense flash` on a Leonardo: the 1200-baud touch and the re-enumeration to the
    /// bootloader's port, with the built binary on this process's in-process testbed (it
    /// inherits LD_PRELOAD and UMOCKDEV_DIR), so the test can play the board: when the port is
    /// set to 1200 baud, the sketch's port goes away and Caterina's (2341:0036) comes up on
    /// another node, as Arduino's CDC code and the bootloader do on a real board.
    ///
    /// Not covered here: avrdude's avr109 conversation with Caterina (umockdev's ttys refuse
    /// avrdude's termios calls, and simavr has no USB to run Caterina on), and the sketch's port
    /// coming back after the upload.
    @Suite("rollsense flash: the Leonardo's 1200-baud touch")
    struct FlashTouchTests {
        /// The Leonardo fixture re-enumerated as its bootloader: 2341:0036 on ttyACM2.
        static func caterina() throws -> String {
            try Testbed.fixture(UdevFixture.leonardo)
                .replacingOccurrences(of: "8036", with: "0036")
                .replacingOccurrences(of: "ttyACM1", with: "ttyACM2")
                .replacingOccurrences(of: "MINOR=1", with: "MINOR=2")
                .replacingOccurrences(of: "dev=166:1", with: "dev=166:2")
                .replacingOccurrences(of: "devnum=6", with: "devnum=7")
                .replacingOccurrences(of: "/001/006", with: "/001/007")
                .replacingOccurrences(of: "DEVNUM=006", with: "DEVNUM=007")
        }

        /// Starts `rollsense ARGS` on the testbed; answers the process and its collected output.
        static func start(_ arguments: [String]) throws -> (Process, () -> (String, String)) {
            try #require(FileManager.default.isExecutableFile(atPath: BuiltCommand.executable.path), "build rollsense first")
            let process = Process()
            process.executableURL = BuiltCommand.executable
            process.arguments = arguments
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let texts = [out, err].map { pipe in
                let box = OutputBox()
                Thread { box.data = pipe.fileHandleForReading.readDataToEndOfFile(); box.done.signal() }.start()
                return box
            }
            return (process, {
                texts.forEach { $0.done.wait() }
                return (String(decoding: texts[0].data, as: UTF8.self), String(decoding: texts[1].data, as: UTF8.self))
            })
        }

        /// Waits until the host side set `speed` on the emulated tty behind `master`.
        static func waitForSpeed(_ speed: speed_t, on master: Int32, seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                var settings = termios()
                if tcgetattr(master, &settings) == 0, cfgetospeed(&settings) == speed { return true }
                usleep(20_000)
            }
            return false
        }

        /// Plugs the Leonardo fixture into `testbed`, starts `rollsense ARGS` and returns once it
        /// set the port to 1200 baud: the fixture's text (to unplug it), the process, its output.
        static func flashTouchingALeonardo(on testbed: Testbed, _ arguments: [String]) throws -> (String, Process, () -> (String, String)) {
            let leonardo = try Testbed.fixture(UdevFixture.leonardo)
            try testbed.add(leonardo)
            let master = testbed.deviceSide(of: "/dev/ttyACM1")
            try #require(master >= 0)
            let (process, output) = try start(arguments)
            #expect(waitForSpeed(speed_t(B1200), on: master, seconds: 30), "no 1200-baud touch on /dev/ttyACM1")
            return (leonardo, process, output)
        }

        static func wait(_ process: Process, seconds: Double) {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        @Test func theTouchFollowsTheBoardToItsBootloaderPortAndRunsAvr109There() throws {
            let testbed = try Testbed()
            let (leonardo, process, output) = try Self.flashTouchingALeonardo(on: testbed, ["flash", "--verbose"])
            // The sketch resets (Arduino's CDC.cpp) and USB brings the bootloader up elsewhere.
            usleep(250_000)
            testbed.unplug(leonardo)
            usleep(300_000)
            try testbed.add(Self.caterina())
            Self.wait(process, seconds: 90)
            let (stdout, stderr) = output()
            print("rollsense flash on a Leonardo that re-enumerates:\n\(stdout)\(stderr)")
            #expect(stdout.contains("to the Arduino Leonardo on /dev/ttyACM1 (board chosen from its USB id"))
            #expect(stdout.contains("The bootloader came up on /dev/ttyACM2."))
            #expect(stderr.contains("Running: /usr/bin/avrdude -p atmega32u4 -c avr109 -P /dev/ttyACM2 -b 57600 -D -U flash:w:"))
            #expect(stderr.contains("leonardo"), "the Leonardo image")
            // avrdude reached the new node; umockdev's tty refuses its termios calls.
            #expect(process.terminationStatus == 69)
            #expect(stderr.contains("avrdude could not open /dev/ttyACM2"))
        }

        @Test func aBootloaderPortThatNeverAppearsIsExplained() throws {
            let testbed = try Testbed()
            let (leonardo, process, output) = try Self.flashTouchingALeonardo(on: testbed, ["flash", "--board", "micro"])
            testbed.unplug(leonardo)
            Self.wait(process, seconds: 60)
            let (stdout, stderr) = output()
            print("the bootloader port never appears:\n\(stdout)\(stderr)")
            #expect(process.terminationStatus == 69)
            #expect(stderr.contains("/dev/ttyACM1 went away after the 1200-baud touch and no bootloader port appeared within 10 s."))
            #expect(stderr.contains("Press the board's reset button twice quickly and run flash again within 8 s."))
            #expect(!stderr.contains("Running:"), "avrdude never ran")
        }
    }
}

/// Bytes a reader thread collected, and when it finished.
private final class OutputBox: @unchecked Sendable {
    var data = Data()
    let done = DispatchSemaphore(value: 0)
}
