#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import RollSenseKit
import RollSenseSignal
import RollSenseSystem
import RollSenseWeb
import RollSenseWire
import Synchronization

/// `--web` and `--web-token`, shared by the session commands.
struct WebOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Serve a live page for a phone: PORT or HOST:PORT (`--web` alone: 127.0.0.1:\(WebAddress.defaultPort)). 0.0.0.0:PORT lets a phone on your network in, with the printed link and QR code.",
        valueName: "host:port"))
    var web: String?

    @Option(help: ArgumentHelp("The page's token (16-128 of A-Z a-z 0-9 - _) instead of a new random one each session.", valueName: "token"))
    var webToken: String?

    /// The value `--web` takes when given alone (see `expandingBareWebFlag`).
    static let bareValue = "127.0.0.1:\(WebAddress.defaultPort)"

    func validate() throws {
        if let web, WebAddress(argument: web) == nil {
            throw ValidationError("--web '\(web)' is not PORT or IPV4:PORT (for example 8765 or 0.0.0.0:8765).")
        }
        if let webToken {
            guard web != nil else { throw ValidationError("--web-token needs --web.") }
            guard WebServer.isValidToken(webToken) else {
                throw ValidationError("--web-token must be 16 to 128 of A-Z a-z 0-9 - _ (got \(webToken.count) characters).")
            }
        }
    }

    /// The address to listen on, nil without `--web`.
    var address: WebAddress? { web.flatMap(WebAddress.init(argument:)) }

    /// `--web` followed by nothing or by another option means the default loopback address; the
    /// argument parser needs a value, so it is filled in before parsing.
    static func expandingBareWebFlag(_ arguments: [String]) -> [String] {
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            result.append(argument)
            if argument == "--web", index + 1 == arguments.count || arguments[index + 1].hasPrefix("-") {
                result.append(bareValue)
            }
        }
        return result
    }
}

/// The live page as a session sink: each reading becomes one `state` message (the `--json`
/// reading object plus hold, today's time, the cue in words and the link), each event its
/// `--json` line. Publishing costs a few string stores on the session's thread; the server
/// sends them at each page's own pace (latest value only).
final class WebOutput: SessionSink {
    let server: WebServer
    private var view: LiveViewState
    private var lastReading: (reading: Reading, seconds: Double)?
    private var link = "waiting"
    private let painMarks: PainMarkRequests
    private let mode: Mode
    /// The person's own mass for "% of body weight" (nil when unknown or only assumed).
    private let knownBodyMassKilograms: Double?

    /// What the page follows: a session now (with the "it hurts" button) or a recording.
    enum Mode: String {
        case live, replay
    }

    /// Starts the server on `address`; errors say what to change. `bodyMassKilograms` places
    /// the zones; `bodyMassKnown` says whether it is the person's (for "% of body weight").
    init(address: WebAddress, token: String?, profile: Profile, bodyMassKilograms: Double?, bodyMassKnown: Bool = true, mode: Mode = .live,
         baudRate: Int? = nil, limitsLine: String? = nil) throws {
        let painMarks = PainMarkRequests()
        self.painMarks = painMarks
        self.mode = mode
        knownBodyMassKilograms = bodyMassKnown ? bodyMassKilograms : nil
        server = try WebServer(address: address, token: token ?? WebServer.randomToken()) { input in
            switch input {
            case .painMark: painMarks.add()
            }
        }
        view = LiveViewState(profile: profile, title: "", bodyMassKilograms: bodyMassKilograms)
        view.baudRate = baudRate
        view.limitsLine = limitsLine
    }

    /// Starts the page for a session command and prints its link (and QR code) on stderr; a
    /// port that cannot be bound is a usage error naming it. `baudRate` is the rate the device
    /// was opened at, named with a text sketch's channels.
    static func start(_ address: WebAddress?, token: String?, profile: Profile, bodyMassKilograms: Double?, bodyMassKnown: Bool,
                      mode: Mode, color: Bool, baudRate: Int? = nil, limitsLine: String? = nil) throws -> WebOutput? {
        guard let address else { return nil }
        let web: WebOutput
        do {
            web = try WebOutput(address: address, token: token, profile: profile, bodyMassKilograms: bodyMassKilograms,
                                bodyMassKnown: bodyMassKnown, mode: mode, baudRate: baudRate, limitsLine: limitsLine)
        } catch let error as WebServerError {
            throw CommandFailure.usage(error.description)
        }
        printError(web.announcement(color: color))
        return web
    }

    /// Pain marks the pages asked for since the last call (taken on the session's thread).
    func takePainMarks() -> Int { painMarks.take() }

    /// The link and QR code, for stderr before the session starts.
    func announcement(color: Bool) -> String {
        var lines: [String] = []
        if server.address.host == "0.0.0.0" {
            let hosts = WebServer.localAddresses()
            let urls = hosts.isEmpty ? [server.pageURL(host: "THIS-MACHINE")] : hosts.map { server.pageURL(host: $0) }
            lines.append("Live page (open on a phone on this network; the link carries this session's token):")
            lines += urls.map { "  " + $0 }
            if let first = urls.first, let qr = QRCodeText.render(first, color: color) { lines += qr }
        } else if server.address.isLoopback {
            lines.append("Live page on this machine only: \(server.pageURL())")
        } else {
            lines.append("Live page: \(server.pageURL())")
            if let qr = QRCodeText.render(server.pageURL(), color: color) { lines += qr }
        }
        return lines.joined(separator: "\n")
    }

    /// How long the link stays on screen before the terminal view starts without a page.
    static let linkWaitSeconds = 60.0

    /// Waits until a page connects, a line comes on stdin (when `readsEnter`), `stop` says so,
    /// or `linkWaitSeconds` pass.
    func waitForFirstPageOrEnter(readsEnter: Bool = true, stop: () -> Bool) {
        let deadline = hostMonotonicMicroseconds() + Int64(Self.linkWaitSeconds * 1_000_000)
        while server.broadcast.clientCount == 0 && !stop() && hostMonotonicMicroseconds() < deadline {
            var input = pollfd(fd: readsEnter ? STDIN_FILENO : -1, events: Int16(POLLIN), revents: 0)
            if poll(&input, 1, 100) > 0 {
                var byte: UInt8 = 0
                while read(STDIN_FILENO, &byte, 1) == 1 && byte != UInt8(ascii: "\n") {}
                return
            }
        }
    }

    func sessionDidIdentify(_ info: DeviceInfo) {}

    /// A text sketch's values became the channels: the page names them as the terminal does.
    func sessionDidNameChannels(_ channels: TextChannels) {
        view.nameChannels(channels)
        publishState()
    }

    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) {
        lastReading = (reading, sessionSeconds)
        link = "live"
        view.read(reading, sessionSeconds: sessionSeconds)
        publishState()
    }

    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) {
        view.handle(event, sessionSeconds: sessionSeconds)
        server.broadcast.publish(event: JSONLinesOutput.eventLine(event, sessionSeconds: sessionSeconds, profile: view.profile))
    }

    func sessionLinkDidChange(_ state: LinkState) {
        switch state {
        case .disconnected: link = "lost"
        case .reconnected, .connected: link = "waiting"
        }
        publishState()
    }

    /// The session is over: pages say "session ended" (or "replay ended") and their connections close.
    func finish() {
        link = "ended"
        publishState()
        server.stop()
    }

    private func publishState() {
        let model = view.model(flash: false)
        let reading = lastReading.map { JSONLinesOutput.readingLine($0.reading, sessionSeconds: $0.seconds) } ?? "null"
        let cue = model.alert.map { quote($0.text) } ?? "null"
        let source = model.sourcePhrases.first.map(quote) ?? "null"
        let bodyPercent = lastReading.flatMap { last in
            knownBodyMassKilograms.map { number(last.reading.forceNewtons / ($0 * standardGravityMetresPerSecondSquared) * 100, digits: 1) }
        } ?? "null"
        server.broadcast.publish(state: "{\"type\":\"state\",\"mode\":\(quote(mode.rawValue)),\"link\":\(quote(link)),\"reading\":\(reading),\"bodyWeightPct\":\(bodyPercent),\"holdS\":\(number(model.holdSeconds, digits: 1)),\"todayS\":\(number(model.dailySeconds, digits: 1)),\"dailyLimitS\":\(number(model.dailyLimitSeconds, digits: 0)),\"areaName\":\(quote(model.areaName)),\"cue\":\(cue),\"fault\":\(model.faultBeside.map(quote) ?? "null"),\"source\":\(source),\"limits\":\(model.limitsLine.map(quote) ?? "null")\(backFields(model))}")
    }

    /// With a rotation sensor, the strip of the back as the terminal draws it: contact seconds
    /// per band from where the first contact began ("back":[[band, seconds], ...] in band
    /// order) and the band width; nothing without one, so the page hides the strip.
    private func backFields(_ model: LiveViewModel) -> String {
        guard model.position != nil else { return "" }
        let bands = model.bandSeconds.sorted { $0.key < $1.key }.map { "[\($0.key),\(number($0.value, digits: 1))]" }.joined(separator: ",")
        return ",\"back\":[\(bands)],\"bandMm\":\(number(model.bandMillimetres, digits: 0))"
    }
}

/// Button presses from the pages' threads, counted until the session's thread takes them.
final class PainMarkRequests: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    func take() -> Int { count.exchange(0, ordering: .relaxed) }
}
