import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ends a child and everything it started: SIGTERM to its process group (rollsense ends cleanly
/// on it), SIGKILL to the group after five seconds or once the child is gone, so a stuck child can
/// never hang the test run and no grandchild (a browser's zygote and GPU process, a simulator's
/// harness, avrdude) outlives the test. Foundation starts each child as the leader of its own
/// process group, so the group is the child's pid.
public func stop(_ process: Process) {
    let group = process.processIdentifier
    if process.isRunning {
        kill(-group, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
    }
    // What is left of the group, even when the leader ended by itself: children it did not wait for.
    if group > 0 { kill(-group, SIGKILL) }
    process.waitUntilExit()
}
