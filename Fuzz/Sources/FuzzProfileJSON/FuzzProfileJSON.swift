// libFuzzer target: arbitrary bytes as a profile JSON file, decoded with JSONDecoder into
// Profile and validated. Invariants: no crash; a profile that validates encodes and decodes back
// to an equal, still valid profile.
import Foundation
import RollSenseSignal

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
    return 0
}
