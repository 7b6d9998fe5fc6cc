import Foundation
import Glibc

/// umockdev's in-process testbed, loaded with dlopen so that the package builds and plain
/// `swift test` runs where libumockdev is not installed (the tests then skip, or fail when
/// ROLLSENSE_REQUIRE_UMOCKDEV=1). It needs the process to run under `umockdev-wrapper`, whose
/// LD_PRELOAD library redirects /sys and /dev into the testbed.
///
/// One testbed at a time per process: it lives in the UMOCKDEV_DIR environment variable, which
/// freeing it unsets (docs: platform-facts.md). Suites using it are serialized.
final class Testbed {
    private typealias New = @convention(c) () -> OpaquePointer?
    private typealias AddFromString = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    private typealias Uevent = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void
    private typealias Remove = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Void
    private typealias DeviceDescriptor = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
    private typealias Unref = @convention(c) (OpaquePointer?) -> Void

    private struct API {
        let new: New
        let addFromString: AddFromString
        let uevent: Uevent
        let remove: Remove
        let deviceDescriptor: DeviceDescriptor
        let unref: Unref
    }

    private static let api: API? = {
        guard let library = dlopen("libumockdev.so.0", RTLD_NOW | RTLD_GLOBAL) else { return nil }
        func symbol<T>(_ name: String, _ type: T.Type) -> T? {
            dlsym(library, name).map { unsafeBitCast($0, to: type) }
        }
        guard let new = symbol("umockdev_testbed_new", New.self),
            let add = symbol("umockdev_testbed_add_from_string", AddFromString.self),
            let uevent = symbol("umockdev_testbed_uevent", Uevent.self),
            let remove = symbol("umockdev_testbed_remove_device", Remove.self),
            let descriptor = symbol("umockdev_testbed_get_dev_fd", DeviceDescriptor.self),
            let unref = symbol("g_object_unref", Unref.self)
        else { return nil }
        return API(new: new, addFromString: add, uevent: uevent, remove: remove, deviceDescriptor: descriptor, unref: unref)
    }()

    /// Whether in-process testbeds work here: the library loads and the preload library is active.
    static var isAvailable: Bool {
        api != nil && (ProcessInfo.processInfo.environment["LD_PRELOAD"] ?? "").contains("libumockdev-preload")
    }

    /// Whether the run demands umockdev (`make test` sets it), so a missing one fails instead of skipping.
    static var isRequired: Bool {
        ProcessInfo.processInfo.environment["ROLLSENSE_REQUIRE_UMOCKDEV"] == "1"
    }

    /// Why testbeds are unavailable, for the failure message under ROLLSENSE_REQUIRE_UMOCKDEV=1.
    static let unavailableReason =
        "umockdev testbeds are unavailable: install umockdev and libumockdev-dev (Tools/setup.sh) "
        + "and run the tests under `umockdev-wrapper swift test` (Tools/run-swift-tests.sh)"

    private let api: API
    private let pointer: OpaquePointer

    init() throws {
        guard let api = Self.api, Self.isAvailable else { throw TestFailure(Self.unavailableReason) }
        guard let pointer = api.new() else { throw TestFailure("umockdev_testbed_new failed") }
        self.api = api
        self.pointer = pointer
    }

    deinit { api.unref(pointer) }

    /// Adds the devices of a description (umockdev-record format); emits their "add" uevents.
    func add(_ description: String) throws {
        var error: OpaquePointer?
        guard api.addFromString(pointer, description, &error) != 0 else {
            throw TestFailure("umockdev_testbed_add_from_string refused the description")
        }
    }

    /// Adds the devices of a fixture file in Fixtures/udev.
    func add(fixture name: String) throws {
        try add(Self.fixture(name))
    }

    /// Sends a uevent ("add", "remove", "change") for a sysfs path.
    func uevent(_ sysPath: String, action: String) {
        api.uevent(pointer, sysPath, action)
    }

    /// Unplugs every device of a description: a "remove" uevent for its tty, then the devices,
    /// children first.
    func unplug(_ description: String) {
        let paths = Self.sysPaths(description)
        for path in paths.reversed() {
            if path.contains("/tty/") { uevent(path, action: "remove") }
            api.remove(pointer, path)
        }
    }

    /// The descriptor of the pty controller behind an emulated tty node (the "device" side).
    func deviceSide(of node: String) -> Int32 {
        api.deviceDescriptor(pointer, node)
    }

    /// The text of Fixtures/udev/NAME.
    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixturesDirectory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Fixtures/udev in this checkout.
    static var fixturesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/udev")
    }

    /// The /sys paths of a description's blocks, in order.
    static func sysPaths(_ description: String) -> [String] {
        description.split(separator: "\n").filter { $0.hasPrefix("P: ") }.map { "/sys" + $0.dropFirst(3) }
    }
}
