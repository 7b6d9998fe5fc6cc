/// The streaming decoder for binary frames from a device (docs/PROTOCOL.md).
///
/// Feed it bytes in chunks of any size; it yields the same events whatever the chunking. It
/// resynchronises at the next `0x00` after corruption or a mid-stream start, unwraps the 16-bit
/// sequence and the 32-bit microsecond clock into 64 bits, and reports sequence gaps as a `.gap`
/// event just before the sample that follows them. Decoding a SAMPLE allocates nothing.
public struct FrameDecoder: Sendable {
    private var deframer = Deframer()
    private var sequenceGaps = 0
    private var missingSamples = 0

    // Sequence tracking (docs/PROTOCOL.md, SAMPLE): restarted by HELLO.
    private var isTrackingSequence = false
    private var lastSequence: UInt16 = 0
    // Unwrapped sequence of the last sample; its low 16 bits are always the wire's `seq`.
    private var hasSample = false
    private var lastSequence64: UInt64 = 0

    // Clock unwrapping: unwrapped time = `timeOffsetMicroseconds` + `t_us`.
    private var lastTimeMicroseconds: UInt32 = 0
    private var timeOffsetMicroseconds: Int64 = 0
    private var isAfterHello = false
    // A SAMPLE_EXTRA waiting for the SAMPLE of the same `seq`, which the device sends next.
    private var pendingExtras: (sequence: UInt16, readings: ExtraReadings)?
    private var sampleExtraFrames = 0


    /// A decoder that has seen nothing yet.
    public init() {}

    /// What it has counted so far.
    public var counters: FrameCounters {
        var counters = deframer.counters
        counters.sequenceGaps = sequenceGaps
        counters.missingSamples = missingSamples
        counters.sampleExtraFrames = sampleExtraFrames
        return counters
    }

    /// Decodes `bytes`, calling `onEvent` for each event in order.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ onEvent: (WireEvent) -> Void) {
        feed(bytes, stoppingAtModeSwitch: false, onEvent)
    }

    /// Decodes `bytes`; with `stoppingAtModeSwitch`, stops after a REPLY accepting SET_MODE,
    /// since what follows may be text, and returns the offset after it (nil: all consumed).
    @discardableResult
    mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        stoppingAtModeSwitch: Bool,
        _ onEvent: (WireEvent) -> Void
    ) -> Int? {
        var deframer = self.deframer
        let stopOffset = deframer.feed(bytes) { type, body in
            let disposition = handleFrame(type: type, body: body, onEvent)
            if stoppingAtModeSwitch && disposition == .accepted && type == WireFormat.DeviceFrameType.reply
                && body[0] == WireFormat.CommandType.setMode && body[2] == ReplyStatus.ok.code {
                return .acceptedThenStop
            }
            return disposition
        }
        self.deframer = deframer
        return stopOffset
    }

    /// Decodes a byte collection, calling `onEvent` for each event in order.
    public mutating func feed<C: Collection<UInt8>>(_ bytes: C, _ onEvent: (WireEvent) -> Void) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { feed(UnsafeRawBufferPointer($0), onEvent) }
        if done == nil {
            Array(bytes).withUnsafeBytes { feed($0, onEvent) }
        }
    }

    /// Forgets a partial frame without counting it (the device switched to text mid-frame).
    mutating func dropPartialFrame() {
        deframer.dropPartialFrame()
    }

    @inline(__always)
    private mutating func handleFrame(
        type: UInt8,
        body: UnsafeRawBufferPointer,
        _ onEvent: (WireEvent) -> Void
    ) -> FrameDisposition {
        if type == WireFormat.DeviceFrameType.sample {
            return handleSample(body, onEvent)
        }
        pendingExtras = nil
        let frame: DeviceFrame
        do {
            frame = try DeviceFrame(type: type, body: body)
        } catch .unknownType {
            return .unknown
        } catch {
            return .malformed
        }
        switch frame {
        case .hello(let info):
            isTrackingSequence = false
            isAfterHello = true
            onEvent(.info(info))
        case .fault(var fault):
            fault.deviceTimeMicroseconds = unwrapFaultTime(UInt32(truncatingIfNeeded: fault.deviceTimeMicroseconds))
            onEvent(.fault(fault))
        case .reply(let reply):
            onEvent(.reply(reply))
        case .button(var press):
            // On the samples' clock, placed like a FAULT: only SAMPLE frames move it.
            press.deviceTimeMicroseconds = unwrapFaultTime(UInt32(truncatingIfNeeded: press.deviceTimeMicroseconds))
            onEvent(.button(press))
        case .sampleExtra(let sequence, let readings):
            pendingExtras = (sequence, readings)
            sampleExtraFrames += 1
        case .sample:
            preconditionFailure("SAMPLE is handled above")
        }
        return .accepted
    }

    @inline(__always)
    private mutating func handleSample(_ body: UnsafeRawBufferPointer, _ onEvent: (WireEvent) -> Void) -> FrameDisposition {
        guard let channelCount = DeviceFrame.sampleChannelCount(bodyCount: body.count) else { return .malformed }
        let sequence = body.loadLittleEndianUInt16(at: 0)
        let time = body.loadLittleEndianUInt32(at: 2)
        var extras = ExtraReadings.none
        if let pending = pendingExtras {
            if pending.sequence == sequence { extras = pending.readings }
            pendingExtras = nil
        }

        // Sequence: a gap when seq is not previous + 1 (mod 2^16), as Tools/wire_reference.py.
        var missing = 0
        if isTrackingSequence {
            missing = Int(sequence &- lastSequence &- 1)
            lastSequence64 += UInt64(missing) + 1
        } else if hasSample {
            // After a HELLO: keep counting upwards, with the wire's seq as the low 16 bits.
            var next = (lastSequence64 & ~0xFFFF) | UInt64(sequence)
            if next <= lastSequence64 { next += 0x1_0000 }
            lastSequence64 = next
        } else {
            lastSequence64 = UInt64(sequence)
        }
        isTrackingSequence = true
        lastSequence = sequence

        // Clock: going back means the 32-bit counter wrapped, unless the device restarted.
        if hasSample && time < lastTimeMicroseconds {
            if isAfterHello {
                timeOffsetMicroseconds += Int64(lastTimeMicroseconds) - Int64(time)
            } else {
                timeOffsetMicroseconds += 1 << 32
            }
        }
        hasSample = true
        isAfterHello = false
        lastTimeMicroseconds = time
        let deviceTime = timeOffsetMicroseconds + Int64(time)

        if missing > 0 {
            sequenceGaps += 1
            missingSamples += missing
            onEvent(.gap(missingSamples: missing, atDeviceTimeMicroseconds: deviceTime))
        }
        onEvent(.sample(Sample(
            sequence: lastSequence64,
            deviceTimeMicroseconds: deviceTime,
            channelCount: channelCount,
            values: DeviceFrame.readings(body, channelCount: channelCount),
            extras: extras
        )))
        return .accepted
    }

    /// A FAULT's time on the samples' unwrapped clock, without moving it: the nearest unwrapped
    /// value to the last sample's time, and never before it right after a restart.
    private func unwrapFaultTime(_ time: UInt32) -> Int64 {
        guard hasSample else { return Int64(time) }
        let lastTime = timeOffsetMicroseconds + Int64(lastTimeMicroseconds)
        if isAfterHello && time < lastTimeMicroseconds { return lastTime }
        return lastTime + Int64(Int32(bitPattern: time &- lastTimeMicroseconds))
    }
}
