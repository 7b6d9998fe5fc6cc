import Testing
@testable import RollSenseWire

@Suite struct DeviceFrameTests {
    static let info = DeviceInfo(
        firmwareVersion: FirmwareVersion(major: 1, minor: 2, patch: 3), board: .leonardo, deviceID: 0xDEAD_BEEF,
        sampleRateHz: 80, isStreaming: false, isTextMode: true,
        sensorKinds: [.hx711LoadCell, .forceSensingResistor, .synthetic, .none]
    )

    static let frames: [DeviceFrame] = [
        .hello(info),
        .hello(DeviceInfo(firmwareVersion: FirmwareVersion(major: 0, minor: 0, patch: 1), board: .other(42), deviceID: 0,
                          sampleRateHz: 1000, isStreaming: true, sensorKinds: [.other(9)])),
        .sample(Sample(sequence: 65_535, deviceTimeMicroseconds: 0xFFFF_FFFF, channelCount: 4,
                       values: SIMD4(8_388_607, -8_388_608, 0, -1))),
        .sample(Sample(sequence: 0, deviceTimeMicroseconds: 0, channelCount: 1, values: SIMD4(512, 0, 0, 0))),
        .sample(Sample(sequence: 3, deviceTimeMicroseconds: 17, channelCount: 2, values: SIMD4(-5, 7, 0, 0))),
        .fault(DeviceFault(deviceTimeMicroseconds: 5000, code: .sensorNotReady, channel: 2, value: 100)),
        .fault(DeviceFault(deviceTimeMicroseconds: 6000, code: .droppedSamples, channel: DeviceFault.deviceChannel, value: 17)),
        .fault(DeviceFault(deviceTimeMicroseconds: 1, code: .watchdogReset, channel: 0xFF, value: 0)),
        .reply(CommandReply(command: 0x81, tag: 9, status: .ok, data: Array("abc".utf8))),
        .reply(CommandReply(command: 0x99, tag: 3, status: .unknownCommand)),
        .reply(CommandReply(command: 0x85, tag: 4, status: .badArgument, data: [0xE8, 0x03])),
        .reply(CommandReply(command: 0x86, tag: 5, status: .other(200))),
        .hello(DeviceInfo(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), board: .simulator, deviceID: 7,
                          sampleRateHz: 100, isStreaming: true, sensorKinds: [.hx711LoadCell, .hx711LoadCell],
                          extraKinds: [.rotationAngle])),
        .sampleExtra(sequence: 9, readings: ExtraReadings(count: 1, values: SIMD4(4095, 0, 0, 0))),
        .hello(DeviceInfo(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), board: .simulator, deviceID: 7,
                          sampleRateHz: 100, isStreaming: true, sensorKinds: [.hx711LoadCell],
                          extraKinds: [.motionX, .motionY])),
        .sampleExtra(sequence: 10, readings: ExtraReadings(count: 2, values: SIMD4(-1, ExtraReadings.noMotionReading, 0, 0))),
        .button(ButtonPress(deviceTimeMicroseconds: 5500, button: .pain)),
    ]

    @Test(arguments: frames)
    func frameRoundTripsThroughTheDecoder(_ frame: DeviceFrame) throws {
        let decoded = try frame.body.withUnsafeBytes { (body) throws(DeviceFrame.Rejection) -> DeviceFrame in
            try DeviceFrame(type: frame.type, body: body)
        }
        #expect(decoded == frame)
        var decoder = FrameDecoder()
        var events: [WireEvent] = []
        decoder.feed(frame.encoded) { events.append($0) }
        #expect(decoder.counters.frames == 1)
        // A SAMPLE_EXTRA alone yields nothing: its readings wait for their SAMPLE.
        let expected: [WireEvent] = switch frame {
        case .hello(let info): [.info(info)]
        case .sample(let sample): [.sample(sample)]
        case .fault(let fault): [.fault(fault)]
        case .reply(let reply): [.reply(reply)]
        case .sampleExtra: []
        case .button(let press): [.button(press)]
        }
        #expect(events == expected)
    }

    @Test func ballMotionChannelsAreFoundAndTheirNoReadingIsNotMinusOne() {
        let info = DeviceInfo(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), board: .simulator, deviceID: 7,
                              sampleRateHz: 100, isStreaming: true, sensorKinds: [.hx711LoadCell],
                              extraKinds: [.motionX, .motionY])
        #expect(info.motionChannels?.x == 0 && info.motionChannels?.y == 1)
        #expect(info.rotationChannel == nil)
        let readings = ExtraReadings(count: 2, values: SIMD4(-1, ExtraReadings.noMotionReading, 0, 0))
        #expect(readings.motionCounts(0) == -1)
        #expect(readings.motionCounts(1) == nil)
        #expect(readings.motionCounts(2) == nil)
    }

    @Test func helloFieldsAreAtTheirDocumentedOffsets() {
        let body = Self.info.body
        #expect(body == [1, 1, 2, 3, 3, 0xEF, 0xBE, 0xAD, 0xDE, 80, 0, 0x02, 4, 1, 2, 3, 0])
    }

    @Test func extraReadingsGoWithTheSampleOfTheSameSequenceOnly() {
        let extra = DeviceFrame.sampleExtra(sequence: 5, readings: ExtraReadings(count: 1, values: SIMD4(1234, 0, 0, 0)))
        let sample = Sample(sequence: 5, deviceTimeMicroseconds: 10, channelCount: 2, values: SIMD4(1, 2, 0, 0))
        let other = Sample(sequence: 6, deviceTimeMicroseconds: 20, channelCount: 2, values: SIMD4(1, 2, 0, 0))
        var decoder = FrameDecoder()
        var samples: [Sample] = []
        decoder.feed(extra.encoded + DeviceFrame.sample(sample).encoded + extra.encoded + DeviceFrame.sample(other).encoded) {
            if case .sample(let s) = $0 { samples.append(s) }
        }
        #expect(samples.map(\.extras.count) == [1, 0])
        #expect(samples.first?.extras.reading(0) == 1234)
        #expect(ExtraReadings(count: 1, values: SIMD4(-1, 0, 0, 0)).reading(0) == nil)
    }

    @Test func sampleReadingsAreClampedToTwentyFourBits() {
        let frame = DeviceFrame.sample(Sample(sequence: 1, deviceTimeMicroseconds: 2, channelCount: 3,
                                              values: SIMD4(1e9, -1e9, .nan, 0)))
        #expect(Array(frame.body[6...]) == [0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80, 0, 0, 0])
    }

    @Test func setRateReplyCarriesTheRate() {
        #expect(CommandReply(command: 0x85, tag: 1, status: .ok, data: [0xE8, 0x03]).sampleRateHz == 1000)
        #expect(CommandReply(command: 0x81, tag: 1, status: .ok, data: [0xE8, 0x03]).sampleRateHz == nil)
    }

    @Test func codesRoundTrip() {
        for code in UInt8.min...UInt8.max {
            #expect(FirmwareBoard(code: code).code == code)
            #expect(SensorKind(code: code).code == code)
            #expect(ReplyStatus(code: code).code == code)
        }
    }
}
