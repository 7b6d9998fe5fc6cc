import Testing

/// Parent of every suite that builds an umockdev testbed: one testbed at a time per process,
/// so these run one after another. Enabled where testbeds work, and always when
/// ROLLSENSE_REQUIRE_UMOCKDEV=1 (then a missing umockdev fails each test instead of skipping).
@Suite(
    .serialized,
    .enabled(
        if: Testbed.isAvailable || Testbed.isRequired,
        "needs umockdev-wrapper and libumockdev (set ROLLSENSE_REQUIRE_UMOCKDEV=1 to fail instead)"
    )
)
enum UdevTests {}

/// The fixtures of Fixtures/udev, one per kind of device.
enum UdevFixture {
    static let uno = "uno.umockdev"
    static let leonardo = "leonardo.umockdev"
    static let nanoCH340 = "nano-ch340.umockdev"
    static let ftdi = "ftdi.umockdev"
    static let usbModem = "usb-modem.umockdev"
    static let builtinSerial = "builtin-ttyS.umockdev"
    static let all = [uno, leonardo, nanoCH340, ftdi, usbModem, builtinSerial]
}
