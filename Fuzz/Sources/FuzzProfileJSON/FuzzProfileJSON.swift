// libFuzzer target: arbitrary bytes as a profile JSON file, decoded with JSONDecoder into
// Profile and validated. Invariants: no crash; a profile that validates encodes and decodes back
// to an equal, still valid profile, and runs a pipeline over loads from zero to the sensor's
// full scale for longer than its daily limit without a trap (the path `live --profile` and
// config.json profileOverrides take: issue 17's `dailyLimitSeconds: 1e13` overflowed there).
import Foundation
import RollSenseSignal
import RollSenseWire

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfileJSON(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let json = Data(bytes: data, count: count)
    guard let profile = try? JSONDecoder().decode(Profile.self, from: json) else { return 0 }
    do throws(ProfileError) {
        try profile.validate()
    } catch {
        check(!error.key.isEmpty, "validation error without a key")
        return 0
    }
    guard let encoded = try? JSONEncoder().encode(profile) else {
        fatalError("invariant broken: a valid profile does not encode")
    }
    guard let again = try? JSONDecoder().decode(Profile.self, from: encoded) else {
        fatalError("invariant broken: an encoded profile does not decode")
    }
    check(again == profile, "round trip differs")
    do throws(ProfileError) { try again.validate() } catch { check(false, "round trip invalid: \(error)") }
    runPipeline(profile)
    return 0
}

/// A valid profile must give a pipeline that takes any load: a minute at 10 Hz per level, at
/// rest, a body weight, beyond the zones and at the 24-bit full scale, with a gap and a day's
/// prior contact.
private func runPipeline(_ profile: Profile) {
    let pipeline: SignalPipeline
    do {
        pipeline = try SignalPipeline(profile: profile, bodyMassKilograms: 75, priorDailyMicroseconds: 86_400_000_000)
    } catch {
        fatalError("invariant broken: a valid profile makes no pipeline: \(error)")
    }
    var running = pipeline
    var time: Int64 = 0
    var sequence: UInt64 = 0
    for level in [0.0, 700, 100_000, 8_388_607, -8_388_608] {
        for _ in 0..<600 {
            sequence += 1
            time += 100_000
            let sample = Sample(sequence: sequence, deviceTimeMicroseconds: time, channelCount: 2, values: SIMD4(level, level / 2, 0, 0))
            _ = running.process(sample) { _ in }
        }
        running.process(gap: SampleGap(missingSamples: 3, deviceTimeMicroseconds: time), emit: { _ in })
    }
    running.finish(atDeviceTimeMicroseconds: time) { _ in }
}
