#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An errno value from a failed system call, with the C library's text for it: the one type the
/// device layer, the store and the virtual device keep a cause in.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw errno code, e.g. `EACCES`.
    public let code: Int32

    /// Wraps a raw errno code.
    public init(_ code: Int32) {
        self.code = code
    }

    /// The C library's message for the code (`strerror`).
    public var description: String {
        String(cString: strerror(code))
    }
}
