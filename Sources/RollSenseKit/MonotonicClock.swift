#if canImport(Glibc)
import Glibc
#endif

/// The host's monotonic clock in microseconds: unaffected by wall-clock changes.
public func hostMonotonicMicroseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
}
