import Synchronization

/// What one page connection has waiting: the newest state (older ones are replaced, never
/// queued) and a few recent event lines. The session's thread only ever
/// replaces or appends under a lock here; a slow or frozen page loses states, it never slows
/// the session or the other pages.
final class WebMailbox: Sendable {
    /// Event lines kept per page while it is not reading; older ones are dropped first.
    static let eventCapacity = 16

    private struct Pending {
        var state: String?
        var events: [String] = []
        var closed = false
        var waiter: CheckedContinuation<Void, Never>?
        var droppedStates = 0
    }

    private let pending = Mutex(Pending())

    /// Replaces the waiting state with `line`.
    func offer(state line: String) {
        wake { pending in
            if pending.state != nil { pending.droppedStates += 1 }
            pending.state = line
        }
    }

    /// Queues an event line, dropping the oldest past `eventCapacity`.
    func offer(event line: String) {
        wake { pending in
            pending.events.append(line)
            if pending.events.count > Self.eventCapacity { pending.events.removeFirst(pending.events.count - Self.eventCapacity) }
        }
    }

    /// Ends the stream after what is waiting.
    func close() {
        wake { pending in pending.closed = true }
    }

    /// States replaced before the page took them (its lost frames).
    var droppedStates: Int { pending.withLock { $0.droppedStates } }

    private func wake(_ change: (inout Pending) -> Void) {
        let waiter = pending.withLock { pending -> CheckedContinuation<Void, Never>? in
            change(&pending)
            defer { pending.waiter = nil }
            return pending.waiter
        }
        waiter?.resume()
    }

    /// The next line to send, events before the state; nil once closed and drained.
    /// Waits without a thread while nothing is there; one caller at a time (the page's writer).
    func next() async -> String? {
        while true {
            enum Step { case line(String), end, wait }
            let step = pending.withLock { pending -> Step in
                if !pending.events.isEmpty { return .line(pending.events.removeFirst()) }
                if let state = pending.state { pending.state = nil; return .line(state) }
                return pending.closed ? .end : .wait
            }
            switch step {
            case .line(let line): return line
            case .end: return nil
            case .wait:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let ready = pending.withLock { pending -> Bool in
                        if !pending.events.isEmpty || pending.state != nil || pending.closed { return true }
                        pending.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            }
        }
    }
}

/// The pages connected to one session. `publish` is called on the session's thread and costs a
/// lock and a string store per page: it never waits for a network write.
public final class WebBroadcast: Sendable {
    private struct Clients {
        var mailboxes: [Int: WebMailbox] = [:]
        var nextID = 0
        var latestState: String?
        var closed = false
    }

    private let clients = Mutex(Clients())

    /// Makes an empty broadcast.
    public init() {}

    /// Sends `line` (a state object) to every page, replacing any state a page has not taken yet.
    public func publish(state line: String) {
        let boxes = clients.withLock { clients -> [WebMailbox] in
            clients.latestState = line
            return Array(clients.mailboxes.values)
        }
        for box in boxes { box.offer(state: line) }
    }

    /// Sends `line` (an event object) to every page; a page that is far behind loses the oldest.
    public func publish(event line: String) {
        let boxes = clients.withLock { Array($0.mailboxes.values) }
        for box in boxes { box.offer(event: line) }
    }

    /// Pages connected now.
    public var clientCount: Int { clients.withLock { $0.mailboxes.count } }

    /// Ends every page's stream (the session is over) and refuses new ones.
    public func close() {
        let boxes = clients.withLock { clients -> [WebMailbox] in
            clients.closed = true
            return Array(clients.mailboxes.values)
        }
        for box in boxes { box.close() }
    }

    /// A new page: its mailbox starts with the latest state so it shows something at once.
    func join() -> (id: Int, mailbox: WebMailbox) {
        let box = WebMailbox()
        let (id, state, closed) = clients.withLock { clients -> (Int, String?, Bool) in
            let id = clients.nextID
            clients.nextID += 1
            if !clients.closed { clients.mailboxes[id] = box }
            return (id, clients.latestState, clients.closed)
        }
        if let state { box.offer(state: state) }
        if closed { box.close() }
        return (id, box)
    }

    func leave(_ id: Int) {
        let box = clients.withLock { $0.mailboxes.removeValue(forKey: id) }
        box?.close()
    }
}
