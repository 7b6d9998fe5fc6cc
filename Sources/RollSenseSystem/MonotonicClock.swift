#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host's monotonic clock in microseconds: unaffected by wall-clock changes, so timeouts
/// hold and host times in a capture never jump back. The C function is `clock_gettime(CLOCK_MONOTONIC)`.
public func hostMonotonicMicroseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
}
