import Foundation

/// Runs blocking work on a thread of its own (not the shared task pool) and hands back its result.
final class BackgroundThread<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            outcome = Result { try work() }
            done.signal()
        }
        thread.start()
    }

    /// Waits for the work to finish (at most `timeoutSeconds`) and answers its value.
    func result(timeoutSeconds: Double = 30) throws -> Value {
        guard done.wait(timeout: .now() + timeoutSeconds) == .success, let outcome else {
            throw TestFailure("background work did not finish in \(timeoutSeconds) s")
        }
        return try outcome.get()
    }
}
