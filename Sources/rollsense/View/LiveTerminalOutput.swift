import RollSenseKit
import RollSenseSignal
import RollSenseSystem
import RollSenseWire

/// The full-screen live view as a session sink: collects state from the session and redraws at a
/// steady rate in host time (`tick`), never per sample.
final class LiveTerminalOutput: SessionSink {
    /// About 15 redraws a second: smooth to the eye, far below any sample rate.
    static let redrawIntervalMicroseconds: Int64 = 66_000
    /// How long the screen stays reversed after an alert starts.
    static let flashMicroseconds: Int64 = 200_000
    /// With no reading for this long the board has stopped streaming: the values turn stale.
    /// Readings come 15 times a second, so 1.5 s is many missed ones, not a hiccup.
    static let silenceMicroseconds: Int64 = 1_500_000
    /// A slow sketch (one line every 5 s) is silent between lines by nature: its values turn
    /// stale only after one and a half of its own reading intervals, up to this.
    static let slowestSilenceMicroseconds: Int64 = 15_000_000

    /// How long without a reading before the values are stale, given the device's host time
    /// between readings (nil before the second reading).
    static func silenceLimitMicroseconds(readingIntervalMicroseconds interval: Int64?) -> Int64 {
        guard let interval else { return silenceMicroseconds }
        return min(max(silenceMicroseconds, interval * 3 / 2), slowestSilenceMicroseconds)
    }

    private(set) var state: LiveViewState
    private let display = TerminalDisplay()
    private let color: Bool
    private let bell: Bool
    private var dirty = true
    private var lastDraw: Int64 = .min
    private var flashUntil: Int64 = .min
    private var lastReadHost: Int64 = .min
    /// When the board was unplugged (host time), while it is gone.
    private var goneSinceHost: Int64?
    // The host time between the last readings and the one before it: the shorter of the two is
    // the device's pace (one long gap, such as a reconnect, is not).
    private var readIntervalsHost: (last: Int64?, before: Int64?) = (nil, nil)
    private var drawnSize: (columns: Int, rows: Int)?
    private let clock: () -> Int64

    /// `clock` gives host microseconds (monotonic): redraws and silence are host time.
    init(state: LiveViewState, color: Bool, bell: Bool, clock: @escaping () -> Int64 = hostMonotonicMicroseconds) {
        self.state = state
        self.color = color
        self.bell = bell
        self.clock = clock
    }

    func open() {
        display.open()
        tick(force: true)
    }

    func close() { display.close() }

    func sessionDidIdentify(_ info: DeviceInfo) { state.identify(info); dirty = true }
    func sessionDidRead(_ reading: Reading, sessionSeconds: Double) {
        state.read(reading, sessionSeconds: sessionSeconds)
        let now = clock()
        if lastReadHost != .min { readIntervalsHost = (now - lastReadHost, readIntervalsHost.last) }
        lastReadHost = now
        dirty = true
        tick()
    }
    func sessionDidEmit(_ event: SignalEvent, sessionSeconds: Double) { state.handle(event, sessionSeconds: sessionSeconds); dirty = true }
    func sessionDidNameChannels(_ channels: TextChannels) { state.nameChannels(channels); dirty = true }
    func sessionLinkDidChange(_ linkState: LinkState) {
        goneSinceHost = linkState == .disconnected ? (goneSinceHost ?? clock()) : nil
        state.link(linkState)
        dirty = true
        tick(force: true)
    }

    /// Redraws if something changed and the last redraw is old enough (or a flash must end).
    func tick(force: Bool = false) {
        let now = clock()
        if lastReadHost != .min, now - lastReadHost >= Self.silenceLimitMicroseconds(readingIntervalMicroseconds: readIntervalsHost.before.map { min($0, readIntervalsHost.last!) } ?? readIntervalsHost.last) {
            let before = state.linkStatus
            state.silent(forHostSeconds: Double(now - lastReadHost) * 1e-6)
            if state.linkStatus != before { dirty = true }
        }
        if let goneSinceHost {
            let before = state.linkStatus
            state.gone(forHostSeconds: Double(now - goneSinceHost) * 1e-6)
            if state.linkStatus != before { dirty = true }
        }
        // A resize redraws even with nothing new (the board gone, no readings to trigger one).
        let size = display.size()
        if let drawnSize, drawnSize != size { dirty = true }
        let flashing = now < flashUntil
        guard force || dirty || flashing != (lastDraw < flashUntil) else { return }
        guard force || now - lastDraw >= Self.redrawIntervalMicroseconds else { return }
        var ring = false
        if state.alertStarted {
            state.alertStarted = false
            ring = bell
            flashUntil = now + Self.flashMicroseconds
        }
        let renderer = LiveViewRenderer(width: size.columns, height: size.rows, color: color)
        display.draw(renderer.render(state.model(flash: now < flashUntil)), bell: ring, flash: now < flashUntil)
        lastDraw = now
        drawnSize = size
        dirty = false
    }
}
