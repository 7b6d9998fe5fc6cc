/// What to do with the DTR line when a port opens.
///
/// Boards with a USB-serial bridge (Uno, Nano and clones) wire DTR to the reset pin through a
/// capacitor, so a rising DTR restarts the sketch (0.8-3 s before it talks again). Linux raises
/// DTR whenever a port is opened and HUPCL drops it on close, so by default every open resets.
public enum DTRPolicy: Sendable, Equatable {
    /// Pulse DTR low then high after opening, so the board restarts from a known state even if
    /// DTR was left high, and wait for it to talk (see `Connection`).
    case resetBoard
    /// Never touch the modem lines and clear HUPCL so DTR stays high after close: later opens do
    /// not reset the board. (The first open after plugging in still raises DTR: the kernel does.)
    case leaveUnchanged
}

/// How to open and configure a serial port.
public struct SerialPortOptions: Sendable, Equatable {
    /// The line speed in bits per second; standard rates use the B* table, others termios2/BOTHER.
    public var baudRate: Int
    /// What to do with DTR on open.
    public var dtrPolicy: DTRPolicy
    /// Take an exclusive lock (flock, plus TIOCEXCL where the driver supports it) so that two
    /// processes never split one stream.
    public var exclusive: Bool

    /// 115200 baud is the protocol's rate (docs/PROTOCOL.md).
    public static let protocolBaudRate = 115_200

    /// Options with the protocol's rate, a board reset on open and exclusive access.
    public init(baudRate: Int = SerialPortOptions.protocolBaudRate, dtrPolicy: DTRPolicy = .resetBoard, exclusive: Bool = true) {
        self.baudRate = baudRate
        self.dtrPolicy = dtrPolicy
        self.exclusive = exclusive
    }
}
