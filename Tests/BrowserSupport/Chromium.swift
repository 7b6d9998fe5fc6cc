#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RollSenseTestSupport

/// Debian's headless Chromium driven over the DevTools protocol, for the live page's tests and
/// bench: one tab, navigate, evaluate, click, screenshot.
public final class Chromium {
    /// Where Tools/setup.sh installs it.
    public static let executable = "/usr/bin/chromium"

    public private(set) var process: Process
    private var profile: URL
    private var page: SocketConnection
    private let width: Int
    private let height: Int
    private var nextID = 0
    /// Protocol events seen while waiting for answers, oldest first.
    public private(set) var events: [[String: Any]] = []
    /// Times the browser was started again after a navigation got no answer (at most once).
    public private(set) var restarts = 0

    /// Starts Chromium with a `width` x `height` window and attaches to its first tab.
    public init(width: Int = 390, height: Int = 844) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw ClientError("\(Self.executable) is missing: run Tools/setup.sh (Debian's chromium)")
        }
        self.width = width
        self.height = height
        (process, profile, page) = try Self.launch(width: width, height: height)
        try attach()
    }

    private static func launch(width: Int, height: Int) throws -> (Process, URL, SocketConnection) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-chromium-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        // --no-sandbox: tests run as root in a container, where Chromium's sandbox cannot start.
        // --disable-dev-shm-usage: a container's /dev/shm is often 64 MB, where a renderer dies
        // and DevTools calls then wait for an answer that never comes.
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-extensions", "--mute-audio",
            "--remote-debugging-port=0", "--user-data-dir=\(profile.path)",
            "--window-size=\(width),\(height)", "about:blank",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging([markVariable: profile.lastPathComponent]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr.
        var text = ""
        var port: UInt16?
        let deadline = Date().addingTimeInterval(30)
        while port == nil && Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "ws://127.0.0.1:") {
                port = UInt16(text[range.upperBound...].prefix { $0.isNumber })
            }
        }
        guard let port else {
            stop(process)
            throw ClientError("Chromium did not start its DevTools server: \(text.suffix(500))")
        }
        // Keep draining stderr so Chromium never blocks on it.
        let handle = errors.fileHandleForReading
        Thread.detachNewThread { while !handle.availableData.isEmpty {} }
        let list = try SocketConnection(port: port).request("/json/list")
        let targets = (try JSONSerialization.jsonObject(with: Data(list.body.utf8))) as? [[String: Any]] ?? []
        guard let url = targets.first(where: { $0["type"] as? String == "page" })?["webSocketDebuggerUrl"] as? String,
              let path = url.range(of: "/devtools/").map({ String(url[$0.lowerBound...]) })
        else { throw ClientError("no page target in \(list.body)") }
        let page = try SocketConnection(port: port)
        try page.upgrade(path)
        return (process, profile, page)
    }

    private func attach() throws {
        // Inspector: its targetCrashed event says a renderer died (see `call`).
        _ = try call("Inspector.enable")
        _ = try call("Page.enable")
        _ = try call("Runtime.enable")
        try resize(width: width, height: height)
    }

    deinit { quit() }

    /// Ends Chromium and removes its profile.
    public func quit() {
        // The browser, its zygotes, GPU process and crash handlers: they outlive a SIGTERM to the
        // main process alone, so the whole group ends; the crash handlers start sessions of their
        // own, so they are found by the mark in the environment every one of them inherits.
        stop(process)
        Self.killProcesses(marked: profile.lastPathComponent)
        try? FileManager.default.removeItem(at: profile)
    }

    /// The environment variable whose value marks one browser's processes.
    static let markVariable = "ROLLSENSE_BROWSER"

    /// SIGKILLs every process whose environment has `markVariable` set to `mark`.
    static func killProcesses(marked mark: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        let entry = Data("\(markVariable)=\(mark)".utf8)
        for name in entries {
            guard let pid = Int32(name), pid != getpid(),
                  let environment = FileManager.default.contents(atPath: "/proc/\(name)/environ") else { continue }
            if environment.split(separator: 0).contains(where: { $0.elementsEqual(entry) }) { kill(pid, SIGKILL) }
        }
    }

    /// The next protocol message as an object; a crashed renderer is an error, not a silence.
    private func receive(_ what: String, timeoutSeconds: Double) throws -> [String: Any]? {
        let received: String?
        do { received = try page.receiveText(timeoutSeconds: timeoutSeconds) } catch {
            throw ClientError("\(what): \(error)")
        }
        guard let text = received else { throw ClientError("\(what): DevTools closed (Chromium exited?)") }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return nil }
        if object["method"] as? String == "Inspector.targetCrashed" {
            throw ClientError("\(what): Chromium's renderer crashed (Inspector.targetCrashed; short of memory or /dev/shm?)")
        }
        return object
    }

    /// Calls a DevTools method and returns its result (events on the way go to `events`). The
    /// generous timeout is for a machine loaded by parallel builds, where starting a renderer
    /// alone has taken over 20 s.
    @discardableResult
    public func call(_ method: String, _ parameters: [String: Any] = [:], timeoutSeconds: Double = 60) throws -> [String: Any] {
        nextID += 1
        let id = nextID
        let message = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": parameters])
        try page.sendText(String(decoding: message, as: UTF8.self))
        while true {
            guard let object = try receive("\(method) \(parameters)", timeoutSeconds: timeoutSeconds) else { continue }
            if object["id"] as? Int == id {
                if let error = object["error"] { throw ClientError("\(method): \(error)") }
                return object["result"] as? [String: Any] ?? [:]
            }
            if object["method"] != nil { events.append(object) }
        }
    }

    /// Opens `url` and waits for its load event. A navigation that gets no answer within
    /// `firstTrySeconds` is told apart: if the server does not answer a plain GET of the same
    /// URL either, the server hangs (an error naming it); if it does, the browser is the one
    /// stuck (a loaded machine, a lost renderer), so it is started again, once, and the
    /// navigation repeated with the full time. The first try is short: a navigation here takes
    /// under 5 s even on a loaded machine when it works, and a stuck one seen in CI outlasted the
    /// 20 s demo it was opened for, so by then there was no server left to tell apart.
    public func navigate(_ url: String, firstTrySeconds: Double = 12, timeoutSeconds: Double = 60) throws {
        do {
            try navigateOnce(url, timeoutSeconds: firstTrySeconds)
            return
        } catch let error as ClientError where restarts == 0 {
            try Self.requireServerAnswers(url, timeoutSeconds: firstTrySeconds, after: error)
            restarts += 1
            quit()
            (process, profile, page) = try Self.launch(width: width, height: height)
            nextID = 0
            try attach()
        }
        try navigateOnce(url, timeoutSeconds: timeoutSeconds)
    }

    /// Only a load event after this navigation's document was committed (its top frame navigated
    /// with the loader Page.navigate names) counts: the about:blank the browser starts with can
    /// fire its own load event late, during the navigation, and on a loaded machine a test then
    /// read about:blank's empty document.
    private func navigateOnce(_ url: String, timeoutSeconds: Double) throws {
        events.removeAll()
        let result = try call("Page.navigate", ["url": url], timeoutSeconds: timeoutSeconds)
        if let errorText = result["errorText"] as? String { throw ClientError("\(url) did not load: \(errorText)") }
        let loader = result["loaderId"] as? String
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var committed = false
        var seen = 0
        while true {
            while seen < events.count {
                let event = events[seen]
                seen += 1
                switch event["method"] as? String {
                case "Page.frameNavigated":
                    guard let frame = (event["params"] as? [String: Any])?["frame"] as? [String: Any], frame["parentId"] == nil else { continue }
                    if loader == nil || frame["loaderId"] as? String == loader { committed = true }
                case "Page.loadEventFired" where committed:
                    return
                default:
                    continue
                }
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw ClientError("\(url) did not load within \(timeoutSeconds) s") }
            if let object = try receive("loading \(url)", timeoutSeconds: left), object["method"] != nil {
                events.append(object)
            }
        }
    }

    /// Throws unless a raw GET of `url` (an http://127.0.0.1:PORT/... address) gets a status line.
    private static func requireServerAnswers(_ url: String, timeoutSeconds: Double, after first: ClientError) throws {
        guard let components = URLComponents(string: url), let port = components.port, components.host == "127.0.0.1" else { throw first }
        let target = (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
            + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        do { _ = try SocketConnection(port: UInt16(port)).request(target, timeoutSeconds: timeoutSeconds) } catch {
            let state = "\(error)".contains("Connection refused") ? "the server is not running (it ended or never started)" : "the server hangs, not the browser"
            throw ClientError("\(first); the server did not answer a plain GET of \(target) either (\(error)): \(state)")
        }
    }

    /// The value of a JavaScript expression (JSON-compatible values only).
    public func evaluate(_ expression: String) throws -> Any? {
        let result = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] { throw ClientError("\(expression): \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Evaluates `expression` every 50 ms until it is true; false after `timeoutSeconds`.
    public func wait(until expression: String, timeoutSeconds: Double = 20) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if try evaluate(expression) as? Bool == true { return true }
            usleep(50_000)
        }
        return false
    }

    /// A real mouse click (press and release) at the centre of the element with `id`.
    public func click(elementID id: String) throws {
        guard let box = try evaluate("(() => { const r = document.getElementById('\(id)').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()") as? [Double] else {
            throw ClientError("no element #\(id)")
        }
        for type in ["mousePressed", "mouseReleased"] {
            try call("Input.dispatchMouseEvent", ["type": type, "x": box[0], "y": box[1], "button": "left", "clickCount": 1])
        }
    }

    /// Resizes the viewport as a phone of `width` x `height` CSS pixels would be.
    public func resize(width: Int, height: Int) throws {
        try call("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": true])
    }

    /// A PNG of the viewport.
    public func screenshot() throws -> Data {
        let result = try call("Page.captureScreenshot", ["format": "png"])
        guard let text = result["data"] as? String, let data = Data(base64Encoded: text) else { throw ClientError("no screenshot data") }
        return data
    }
}
