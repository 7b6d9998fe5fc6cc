// The page side of Tools/bench/95-web-latency.sh: opens the live page in headless Chromium
// (with an observer that notes when each reading reaches the DOM), optionally with more
// WebSocket clients that read everything and one that never reads, and after SECONDS writes
// the page's log as JSON: [[t, epochMilliseconds], ...] (t: the reading's session seconds), and
// with READERS > 0 the first reader's arrivals in the same form in OUT.json.socket.
//
// usage: bench-web PORT TOKEN SECONDS READERS FROZEN OUT.json   (OUT "-": no browser, only the
// socket clients, to tell the server's cost from Chromium's own CPU use)
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RollSenseBrowserSupport
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 7, let port = UInt16(arguments[1]), let seconds = Double(arguments[3]),
      let readers = Int(arguments[4]), let frozenCount = Int(arguments[5])
else {
    FileHandle.standardError.write(Data("usage: bench-web PORT TOKEN SECONDS READERS FROZEN OUT.json\n".utf8))
    exit(64)
}
let token = arguments[2]
let host = "127.0.0.1:\(port)"
let target = "/ws?token=\(token)"

// Chromium starts before the session does: its start-up takes seconds of CPU on this 2-core
// machine, and started with the frames flowing it delays the reader and the page alike (a
// one-off cost no phone pays while it shows a session). The script waits for this file.
let browser: Chromium? = arguments[6] == "-" ? nil : try Chromium()
if let ready = ProcessInfo.processInfo.environment["BENCH_WEB_READY"] {
    _ = FileManager.default.createFile(atPath: ready, contents: Data())
}

// The server starts with the reader process: wait for it.
let deadline = Date().addingTimeInterval(20)
while (try? SocketConnection(port: port).request("/?token=\(token)").status) != 200 {
    guard Date() < deadline else { FileHandle.standardError.write(Data("bench-web: no page on \(host)\n".utf8)); exit(69) }
    usleep(50_000)
}
let start = Date()

var frozen: [SocketConnection] = []
for _ in 0..<frozenCount {
    let client = try SocketConnection(port: port, receiveBufferBytes: 1024)
    try client.upgrade(target, host: host, origin: "http://\(host)")
    frozen.append(client)
}
// The first reader notes when each reading's state arrived ([t, epoch ms]): the server's part
// of the page's latency, apart from the browser's.
let arrivals = Mutex<[[Double]]>([])
for index in 0..<readers {
    Thread.detachNewThread {
        guard let client = try? SocketConnection(port: port),
              (try? client.upgrade(target, host: host, origin: "http://\(host)")) != nil else { return }
        while let text = try? client.receiveText(timeoutSeconds: 60) {
            guard index == 0, let data = text.data(using: .utf8),
                  let reading = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["reading"] as? [String: Any],
                  let t = reading["t"] as? Double else { continue }
            let now = Date().timeIntervalSince1970 * 1000
            arrivals.withLock { $0.append([t, now]) }
        }
    }
}

guard let browser else {
    usleep(UInt32(max(0, seconds - Date().timeIntervalSince(start)) * 1_000_000))
    exit(0)
}
// Runs before the page's own script: every change of the pressure element is logged with the
// reading time it shows and the wall clock (epoch ms, sub-millisecond), as the DOM changes.
try browser.call("Page.addScriptToEvaluateOnNewDocument", ["source": """
    window.__domLog = [];
    document.addEventListener('DOMContentLoaded', () => {
      const p = document.getElementById('force');
      new MutationObserver(() => {
        const t = p.dataset.t;
        if (t !== undefined) window.__domLog.push([Number(t), performance.timeOrigin + performance.now()]);
      }).observe(p, { childList: true, characterData: true, subtree: true, attributes: true });
    });
    """])
try browser.navigate("http://\(host)/?token=\(token)")
let left = seconds - Date().timeIntervalSince(start)
if left > 0 { usleep(UInt32(left * 1_000_000)) }
let log = try browser.evaluate("JSON.stringify(window.__domLog)") as? String ?? "[]"
try Data(log.utf8).write(to: URL(fileURLWithPath: arguments[6]))
if readers > 0 {
    let sockets = try JSONSerialization.data(withJSONObject: arrivals.withLock { $0 })
    try sockets.write(to: URL(fileURLWithPath: arguments[6] + ".socket"))
}
browser.quit()
_ = frozen
