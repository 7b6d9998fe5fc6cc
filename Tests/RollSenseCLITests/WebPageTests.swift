import Foundation
import RollSenseBrowserSupport
import Testing
#if canImport(Glibc)
import Glibc
import RollSenseTestSupport
#endif

/// `--web`: the live page in Debian's headless Chromium against the built binary, and the
/// server's rules checked with raw requests.
@Suite("live page", .serialized)
struct WebPageTests {
    /// Where the phone-sized screenshot goes (looked at by hand; see docs/WEB.md).
    static let screenshotPath = BuiltRollSense.root.appendingPathComponent("bench-out/web-page-390x844.png")

    static func page(_ url: URL) -> (port: UInt16, token: String) {
        (UInt16(url.port ?? 0), URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "token" }?.value ?? "")
    }

    @Test func pageShowsThePressureAndZoneOfTheJSONLineWithTheSameTime() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let demo = try RunningRollSense(rollsense, ["demo", "--json", "--speed", "3", "--web", "127.0.0.1:0"])
        defer { demo.finish(timeoutSeconds: 0) }
        let url = try demo.pageURL()
        let browser = try Chromium(width: 390, height: 844)
        defer { browser.quit() }
        try browser.navigate(url.absoluteString)
        #expect(try browser.wait(until: "document.body.className.startsWith('zone-')"), "the page went live")

        // What the page shows, read together with the reading time it shows it for.
        var shown: [(t: Double, pressure: String, zone: String, bodyClass: String)] = []
        let read = "(() => { const p = document.getElementById('pressure'); return [p.dataset.t || '', p.textContent, document.getElementById('zone').textContent, document.body.className]; })()"
        for _ in 0..<16 {
            if let values = try browser.evaluate(read) as? [String], let t = Double(values[0]) {
                shown.append((t, values[1], values[2], values[3]))
            }
            usleep(200_000)
        }
        // The stop zone with its cue (demo 39.6 s of device time) for the screenshot.
        #expect(try browser.wait(until: "document.body.className === 'zone-stop' && document.getElementById('cue').textContent.length > 0", timeoutSeconds: 40))
        try FileManager.default.createDirectory(at: Self.screenshotPath.deletingLastPathComponent(), withIntermediateDirectories: true)
        try browser.screenshot().write(to: Self.screenshotPath)
        #expect(demo.finish() == 0, "stderr: \(demo.stderr)")

        let readings = demo.lines.compactMap(jsonObject).filter { $0["type"] as? String == "reading" }
        let words = ["none": "no contact", "light": "light", "target": "target", "caution": "caution", "stop": "stop", "fault": "sensor fault"]
        var matched = 0
        for sample in shown {
            let line = try #require(readings.first { abs(($0["t"] as? Double ?? -1) - sample.t) < 0.0005 }, "a JSON reading at t \(sample.t)")
            let pressure = try #require(line["pressureKPa"] as? Double)
            let zone = try #require(line["zone"] as? String)
            // One decimal on the page, two in the line: the same value to the page's rounding.
            #expect(abs((Double(sample.pressure) ?? .nan) - pressure) <= 0.0501, "t \(sample.t): page \(sample.pressure), line \(pressure)")
            #expect(sample.zone == words[zone], "t \(sample.t): page \(sample.zone), line \(zone)")
            #expect(sample.bodyClass == "zone-\(zone)")
            matched += 1
        }
        #expect(matched >= 10, "page states matched to JSON lines: \(matched)")
        #expect(Set(shown.map(\.t)).count >= 8, "the page moved on between reads")
    }

    @Test func itHurtsButtonRecordsAPainMarkInTheSessionsEvents() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let demo = try RunningRollSense(rollsense, ["demo", "--json", "--speed", "4", "--web", "127.0.0.1:0"])
        defer { demo.finish(timeoutSeconds: 0) }
        let url = try demo.pageURL()
        let browser = try Chromium()
        defer { browser.quit() }
        try browser.navigate(url.absoluteString)
        // In contact (the demo's load starts at 1.2 s of device time).
        #expect(try browser.wait(until: "Number(document.getElementById('pressure').dataset.t) > 6 && document.body.className === 'zone-target'"))
        let shownAt = try #require(Double(try browser.evaluate("document.getElementById('pressure').dataset.t") as? String ?? ""))
        try browser.click(elementID: "hurt")
        // "Recorded" only once the session's own painMark event came back to the page.
        #expect(try browser.wait(until: "document.getElementById('marked').textContent.startsWith('Pain mark recorded at')"))
        #expect(demo.finish() == 0, "stderr: \(demo.stderr)")

        let marks = events(in: demo.lines).filter { $0.reason == "painMark" }
        #expect(marks.count == 1, "one click, one mark: \(marks)")
        let mark = try #require(marks.first)
        #expect(mark.kind == "pain")
        #expect(mark.phase == "instant")
        #expect(mark.t >= shownAt && mark.t < shownAt + 3, "marked at \(mark.t), the page showed \(shownAt)")
        // At the force of that moment ("pain marked at 187 N"): the reading just before the mark.
        let reading = try #require(demo.lines.compactMap(jsonObject).last { $0["type"] as? String == "reading" && ($0["t"] as? Double ?? 99) <= mark.t })
        let words = mark.message.split(separator: " ")
        let force = try #require(words.count >= 2 ? Double(words[words.count - 2]) : nil, "force in '\(mark.message)'")
        #expect(mark.message.hasPrefix("pain marked at"))
        #expect(abs(force - (reading["forceN"] as? Double ?? 0)) < 25, "mark at \(force) N, reading \(reading)")
    }

    @Test func everyRequestWithoutTheTokenIsRefused() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let demo = try RunningRollSense(rollsense, ["demo", "--json", "--web", "127.0.0.1:0"])
        defer { demo.finish(timeoutSeconds: 0) }
        let url = try demo.pageURL()
        let (port, token) = Self.page(url)
        #expect(token.count == 32)
        func status(_ target: String, _ headers: [String: String] = [:], method: String = "GET") throws -> Int {
            try SocketConnection(port: port).request(target, method: method, headers: headers).status
        }
        #expect(try status("/") == 403)
        #expect(try status("/?token=") == 403)
        #expect(try status("/?token=\(token.dropLast())0") == 403 || token.hasSuffix("0"))
        #expect(try status("/ws") == 403)
        #expect(try status("/?token=\(token)") == 200)
        #expect(try status("/?token=\(token)", ["Content-Length": "0"], method: "POST") == 405)
        #expect(try status("/../../etc/passwd?token=\(token)") == 404)
        #expect(try status("/page.html?token=\(token)") == 404)
        let host = "127.0.0.1:\(port)"
        let upgrade = ["Host": host, "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"]
        var foreign = upgrade
        foreign["Origin"] = "http://evil.example"
        #expect(try status("/ws?token=\(token)", foreign) == 403)
        var rebound = upgrade
        rebound["Host"] = "evil.example:\(port)"
        rebound["Origin"] = "http://evil.example:\(port)"
        #expect(try status("/ws?token=\(token)", rebound) == 403)
        #expect(try status("/ws?token=\(token)", upgrade) == 403, "a browser always sends Origin")
        // The page's own origin gets the stream: the first message is a state.
        let socket = try SocketConnection(port: port)
        try socket.upgrade("/ws?token=\(token)", host: host, origin: "http://\(host)")
        let first = try #require(try socket.receiveText())
        #expect(jsonObject(first)?["type"] as? String == "state")

        // And in the browser: the link without its token is a 403 page.
        let browser = try Chromium()
        defer { browser.quit() }
        try browser.navigate("http://\(host)/")
        #expect((try browser.evaluate("document.body.innerText") as? String)?.hasPrefix("403") == true)
    }

    @Test func twentyPagesAndAFrozenOneAllFollowTheSessionToItsEnd() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let demo = try RunningRollSense(rollsense, ["demo", "--json", "--speed", "6", "--web", "127.0.0.1:0"])
        defer { demo.finish(timeoutSeconds: 0) }
        let (port, token) = Self.page(try demo.pageURL())
        let host = "127.0.0.1:\(port)"
        // Connects but never reads, with a tiny receive buffer: its socket fills at once.
        let frozen = try SocketConnection(port: port, receiveBufferBytes: 1024)
        try frozen.upgrade("/ws?token=\(token)", host: host, origin: "http://\(host)")
        let lastTimes = Locked([Double](repeating: -1, count: 20))
        let counts = Locked([Int](repeating: 0, count: 20))
        let group = DispatchGroup()
        for index in 0..<20 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                guard let client = try? SocketConnection(port: port) else { return }
                guard (try? client.upgrade("/ws?token=\(token)", host: host, origin: "http://\(host)")) != nil else { return }
                while let text = try? client.receiveText(timeoutSeconds: 30) {
                    var c = counts.get(); c[index] += 1; counts.set(c)
                    if let reading = jsonObject(text)?["reading"] as? [String: Any], let t = reading["t"] as? Double {
                        var l = lastTimes.get(); l[index] = t; lastTimes.set(l)
                    }
                }
            }
        }
        #expect(demo.finish() == 0, "stderr: \(demo.stderr)")
        #expect(group.wait(timeout: .now() + 30) == .success, "every page's stream closed when the session ended")
        let lastReading = try #require(demo.lines.compactMap(jsonObject).last { $0["type"] as? String == "reading" })
        let end = try #require(lastReading["t"] as? Double)
        for index in 0..<20 {
            #expect(lastTimes.get()[index] == end, "page \(index) saw the last reading (t \(end)); it saw \(lastTimes.get()[index])")
            #expect(counts.get()[index] > 100, "page \(index) got \(counts.get()[index]) messages")
        }
        let summary = try #require(demo.lines.last.flatMap(jsonObject))
        #expect(summary["type"] as? String == "summary")
        _ = frozen
    }

    @Test func pageTurnsGreyWithNoSignalWhenTheBoardGoesQuietOrAway() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let link = rollsense.home.appendingPathComponent("board").path
        let simulator = try rollsense.startSimulator(["--speed", "1", "--link", link])
        defer { stop(simulator.process) }
        let live = try RunningRollSense(rollsense, ["live", "--json", "--device", link, "--web", "127.0.0.1:0"])
        defer { live.finish(timeoutSeconds: 0) }
        let url = try live.pageURL()
        let browser = try Chromium()
        defer { browser.quit() }
        try browser.navigate(url.absoluteString)
        let isLive = "document.body.className.startsWith('zone-') && document.getElementById('link').textContent === 'live'"
        let noSignal = "document.body.className === 'stale' && document.getElementById('link').textContent === 'no signal' && document.getElementById('pressure').textContent === '--'"
        #expect(try browser.wait(until: isLive))

        // Quiet: the board stops sending but the port stays open (the page's own watch).
        kill(simulator.process.processIdentifier, SIGSTOP)
        #expect(try browser.wait(until: noSignal, timeoutSeconds: 5), "grey and no signal after the board went quiet")
        kill(simulator.process.processIdentifier, SIGCONT)
        #expect(try browser.wait(until: isLive), "live again when the board speaks")

        // Away: the pty closes; the session reports the lost link at once.
        kill(simulator.process.processIdentifier, SIGKILL)
        #expect(try browser.wait(until: noSignal, timeoutSeconds: 5), "grey and no signal after the board went away")
    }

    @Test func webOptionsRefuseBadValuesWithUsageErrors() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let bad = try rollsense.run(["demo", "--json", "--web", "my-laptop:80"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--web 'my-laptop:80' is not PORT or IPV4:PORT"))
        let short = try rollsense.run(["demo", "--json", "--web", "0", "--web-token", "abc"])
        #expect(short.status == 64)
        #expect(short.stderr.contains("--web-token must be 16 to 128"))
        let alone = try rollsense.run(["demo", "--json", "--web-token", "0123456789abcdef"])
        #expect(alone.status == 64)
        #expect(alone.stderr.contains("--web-token needs --web"))

        // A port already taken: a clear message, not a crash, and no session.
        let first = try RunningRollSense(rollsense, ["demo", "--json", "--web", "127.0.0.1:0"])
        defer { first.finish(timeoutSeconds: 0) }
        let port = Self.page(try first.pageURL()).port
        let second = try rollsense.run(["demo", "--json", "--web", "127.0.0.1:\(port)"])
        #expect(second.status == 64)
        #expect(second.stderr.contains("cannot listen on 127.0.0.1:\(port): the port is in use"), "stderr: \(second.stderr)")
        #expect(!second.stdout.contains("reading"))
    }

    @Test func bareWebListensOnLoopbackAndTheNetworkAddressGetsAQRCode() throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        // `--web` alone, followed by another option.
        let bare = try RunningRollSense(rollsense, ["demo", "--web", "--json", "--speed", "40"])
        #expect(bare.finish() == 0 || bare.stderr.contains("127.0.0.1:8765: the port is in use"), "stderr: \(bare.stderr)")
        #expect(bare.stderr.contains("127.0.0.1:8765"))

        let network = try RunningRollSense(rollsense, ["demo", "--json", "--speed", "40", "--web", "0.0.0.0:0", "--web-token", "a-fixed-token-for-tests"])
        #expect(network.finish() == 0, "stderr: \(network.stderr)")
        let lines = network.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("?token=a-fixed-token-for-tests") && !$0.contains("0.0.0.0") })
        let code = lines.filter { $0.contains("\u{2588}") || $0.contains("\u{2580}") || $0.contains("\u{2584}") }
        // Version 3-4 for the link: 29-33 modules and a 2-module quiet zone, 2 rows per line.
        #expect((16...19).contains(code.count), "QR lines: \(code.count)")
        #expect(Set(code.map(\.count)).count == 1, "every QR line has the same width")
        #expect(code.first.map { (33...37).contains($0.count) } == true)
    }
}
