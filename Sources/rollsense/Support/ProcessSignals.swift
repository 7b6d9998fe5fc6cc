#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Set by the SIGINT/SIGTERM handler; the session loop polls it and ends cleanly.
let stopRequested = Atomic<Bool>(false)
/// The signal that set `stopRequested` (SIGINT or SIGTERM), 0 before one arrived.
let stopSignal = Atomic<Int32>(0)

/// Routes Ctrl-C and SIGTERM to `stopRequested` instead of killing the process, so the terminal
/// is restored, the recording closed and the ledger written before exit.
func installStopHandlers() {
    let handler: @convention(c) (Int32) -> Void = { signal in
        stopSignal.store(signal, ordering: .relaxed)
        stopRequested.store(true, ordering: .relaxed)
    }
    signal(SIGINT, handler)
    signal(SIGTERM, handler)
    // A parent may start us with these blocked (a test runner's threads, some launchers): the
    // handler would never run and Ctrl-C would not end the session.
    var stopSignals = sigset_t()
    sigemptyset(&stopSignals)
    sigaddset(&stopSignals, SIGINT)
    sigaddset(&stopSignals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
}
