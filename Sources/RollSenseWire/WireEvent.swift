/// What a decoder found in the bytes it was fed, in stream order.
public enum WireEvent: Sendable, Equatable {
    /// A HELLO: who the device is. Sequence tracking restarts after it.
    case info(DeviceInfo)
    /// A sample with unwrapped sequence and time.
    case sample(Sample)
    /// A fault the device reported.
    case fault(DeviceFault)
    /// A reply to a command.
    case reply(CommandReply)
    /// Samples are missing before the next `.sample`, whose device time is given: the pipeline
    /// should report dropped samples.
    case gap(missingSamples: Int, atDeviceTimeMicroseconds: Int64)
    /// The auto-detecting decoder decided (or re-decided after a mode switch) what the device speaks.
    case protocolDetected(WireProtocolKind)
    /// A text device's lines settled on a layout of labelled values: these are the channels.
    case textChannels(TextChannels)
    /// A button on the board was pressed (the pain button: mark pain, as the pain key does).
    case button(ButtonPress)
}
