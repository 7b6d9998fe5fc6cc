import CUdev
import Glibc
import RollSenseSystem

/// Every system call the device layer makes, in one place, so tests can replace one of them and
/// force an errno value (the swift-system "mocking" idea, done with a value of closures).
///
/// The `live` value calls the C library and retries on EINTR where the call may be interrupted.
struct SystemCalls: Sendable {
    /// The corresponding C function is `open`.
    var open: @Sendable (_ path: String, _ flags: Int32) -> Result<Int32, Errno>
    /// The corresponding C function is `close`.
    var close: @Sendable (_ fd: Int32) -> Result<Void, Errno>
    /// The corresponding C function is `read`.
    var read: @Sendable (_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno>
    /// The corresponding C function is `write`.
    var write: @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno>
    /// The corresponding C function is `poll`; answers the number of ready descriptors.
    var poll: @Sendable (_ fds: UnsafeMutableBufferPointer<pollfd>, _ timeoutMilliseconds: Int32) -> Result<Int32, Errno>
    /// The corresponding C function is `tcgetattr`.
    var getAttributes: @Sendable (_ fd: Int32) -> Result<termios, Errno>
    /// The corresponding C function is `tcsetattr` with `TCSANOW`.
    var setAttributes: @Sendable (_ fd: Int32, _ attributes: termios) -> Result<Void, Errno>
    /// The corresponding C call is `ioctl(fd, TCGETS2, &t)`.
    var getAttributes2: @Sendable (_ fd: Int32) -> Result<rollsense_termios2, Errno>
    /// The corresponding C call is `ioctl(fd, TCSETS2, &t)`.
    var setAttributes2: @Sendable (_ fd: Int32, _ attributes: rollsense_termios2) -> Result<Void, Errno>
    /// The corresponding C function is `tcdrain`.
    var drain: @Sendable (_ fd: Int32) -> Result<Void, Errno>
    /// The corresponding C function is `tcflush`.
    var flush: @Sendable (_ fd: Int32, _ queue: Int32) -> Result<Void, Errno>
    /// The corresponding C call is `ioctl(fd, request)` for argument-less requests (`TIOCEXCL`).
    var ioctlNoArgument: @Sendable (_ fd: Int32, _ request: UInt) -> Result<Void, Errno>
    /// The corresponding C call is `ioctl(fd, TIOCMBIS or TIOCMBIC, &bits)`.
    var setModemBits: @Sendable (_ fd: Int32, _ request: UInt, _ bits: Int32) -> Result<Void, Errno>
    /// The corresponding C function is `flock`.
    var flock: @Sendable (_ fd: Int32, _ operation: Int32) -> Result<Void, Errno>
    /// The device number (`st_rdev`) of an open descriptor. The corresponding C function is `fstat`.
    var deviceNumberOfDescriptor: @Sendable (_ fd: Int32) -> Result<UInt64, Errno>
    /// The device number (`st_rdev`) a path names, following links. The corresponding C function is `stat`.
    var deviceNumberOfPath: @Sendable (_ path: String) -> Result<UInt64, Errno>
    /// The name of the group that owns a file. The corresponding C functions are `stat` and `getgrgid_r`.
    var owningGroupName: @Sendable (_ path: String) -> String?
    /// Whether a path exists. The corresponding C function is `access` with `F_OK`.
    var exists: @Sendable (_ path: String) -> Bool
    /// The names in a directory, without `.` and `..`. The corresponding C functions are `opendir` and `readdir`.
    var listDirectory: @Sendable (_ path: String) -> [String]?
    /// The canonical absolute path. The corresponding C function is `realpath`.
    var resolvePath: @Sendable (_ path: String) -> String?
    /// What a path is now: the link or node itself (inode, change time) and the device it leads
    /// to; nil when it leads to no device. A re-made link or node differs. The corresponding C
    /// functions are `lstat` and `stat`.
    var pathIdentity: @Sendable (_ path: String) -> String?
    /// This process's id. The corresponding C function is `getpid`.
    var processID: @Sendable () -> Int32
    /// CLOCK_MONOTONIC in microseconds. The corresponding C function is `clock_gettime`.
    var monotonicMicroseconds: @Sendable () -> Int64
    /// Sleeps. The corresponding C function is `nanosleep`.
    var sleepMilliseconds: @Sendable (_ milliseconds: Int) -> Void
}

extension SystemCalls {
    /// The real C library.
    static let live = SystemCalls(
        open: { path, flags in
            retryingOnInterrupt { Glibc.open(path, flags) }.map { Int32($0) }
        },
        close: { fd in
            // Linux releases the descriptor even when close reports EINTR, so never retry it.
            Glibc.close(fd) == 0 ? .success(()) : .failure(Errno(errno))
        },
        read: { fd, buffer in
            retryingOnInterrupt { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        },
        write: { fd, bytes in
            retryingOnInterrupt { Glibc.write(fd, bytes.baseAddress, bytes.count) }
        },
        poll: { fds, timeout in
            retryingOnInterrupt { Glibc.poll(fds.baseAddress, nfds_t(fds.count), timeout) }.map { Int32($0) }
        },
        getAttributes: { fd in
            var attributes = termios()
            return Glibc.tcgetattr(fd, &attributes) == 0 ? .success(attributes) : .failure(Errno(errno))
        },
        setAttributes: { fd, attributes in
            var attributes = attributes
            return retryingOnInterrupt { Glibc.tcsetattr(fd, TCSANOW, &attributes) }.map { _ in () }
        },
        getAttributes2: { fd in
            var attributes = rollsense_termios2()
            return rollsense_ioctl_pointer(fd, rollsense_tcgets2(), &attributes) == 0
                ? .success(attributes) : .failure(Errno(errno))
        },
        setAttributes2: { fd, attributes in
            var attributes = attributes
            return retryingOnInterrupt { rollsense_ioctl_pointer(fd, rollsense_tcsets2(), &attributes) }.map { _ in () }
        },
        drain: { fd in
            retryingOnInterrupt { Glibc.tcdrain(fd) }.map { _ in () }
        },
        flush: { fd, queue in
            Glibc.tcflush(fd, queue) == 0 ? .success(()) : .failure(Errno(errno))
        },
        ioctlNoArgument: { fd, request in
            rollsense_ioctl_none(fd, request) == 0 ? .success(()) : .failure(Errno(errno))
        },
        setModemBits: { fd, request, bits in
            var bits = bits
            return rollsense_ioctl_pointer(fd, request, &bits) == 0 ? .success(()) : .failure(Errno(errno))
        },
        flock: { fd, operation in
            retryingOnInterrupt { rollsense_flock(fd, operation) }.map { _ in () }
        },
        deviceNumberOfDescriptor: { fd in
            var device: UInt64 = 0
            return rollsense_device_number_fd(fd, &device) == 0 ? .success(device) : .failure(Errno(errno))
        },
        deviceNumberOfPath: { path in
            var device: UInt64 = 0
            return rollsense_device_number(path, &device) == 0 ? .success(device) : .failure(Errno(errno))
        },
        owningGroupName: { path in
            var groupID: UInt32 = 0
            guard rollsense_group_id(path, &groupID) == 0 else { return nil }
            var group = group()
            var result: UnsafeMutablePointer<group>?
            var storage = [CChar](repeating: 0, count: 4096)
            let status2 = storage.withUnsafeMutableBufferPointer { buffer in
                getgrgid_r(groupID, &group, buffer.baseAddress, buffer.count, &result)
            }
            guard status2 == 0, result != nil, let name = group.gr_name else { return "gid \(groupID)" }
            return String(cString: name)
        },
        exists: { path in
            Glibc.access(path, F_OK) == 0
        },
        listDirectory: { path in
            guard let directory = opendir(path) else { return nil }
            defer { closedir(directory) }
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            return names
        },
        resolvePath: { path in
            guard let resolved = Glibc.realpath(path, nil) else { return nil }
            defer { free(resolved) }
            return String(cString: resolved)
        },
        pathIdentity: { path in
            var link = stat()
            var target = stat()
            guard lstat(path, &link) == 0, stat(path, &target) == 0, (target.st_mode & S_IFMT) == S_IFCHR else { return nil }
            return "\(link.st_dev):\(link.st_ino):\(link.st_ctim.tv_sec).\(link.st_ctim.tv_nsec)->\(target.st_rdev)"
        },
        processID: { Glibc.getpid() },
        monotonicMicroseconds: { hostMonotonicMicroseconds() },
        sleepMilliseconds: { milliseconds in
            var request = timespec(tv_sec: milliseconds / 1_000, tv_nsec: (milliseconds % 1_000) * 1_000_000)
            var remaining = timespec()
            while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
        }
    )
}

/// Runs a C call that answers -1 and sets errno on failure, again while it fails with EINTR.
private func retryingOnInterrupt<Value: BinaryInteger>(_ call: () -> Value) -> Result<Value, Errno> {
    while true {
        let value = call()
        if value != -1 { return .success(value) }
        let code = errno
        if code != EINTR { return .failure(Errno(code)) }
    }
}
