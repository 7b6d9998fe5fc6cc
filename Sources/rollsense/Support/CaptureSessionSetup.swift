import ArgumentParser
import Foundation
import RollSenseKit
import RollSenseSignal
import RollSenseStore
import RollSenseWire

/// Options shared by `replay`, `report` and `export`: the file and what the recording did not keep.
struct CaptureOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A capture file written by `rollsense record` or `live --record`.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Safety profile: a built-in name or a JSON file. Default: the one the recording names, if built in, else the one for its tool.", valueName: "name|file"))
    var profile: String?

    @Option(name: .customLong("body-weight"), parsing: .unconditional, help: ArgumentHelp("Body weight in kilograms. Default: the one the live session recorded.", valueName: "kg"))
    var bodyWeight: Double?

    func validate() throws {
        try BodyWeight.validateOption(bodyWeight)
    }
}

/// A capture opened for replay with the profile and calibration the live session would have used.
struct CaptureSessionSetup {
    var source: CaptureByteSource
    var profile: Profile
    /// Where the profile's zone limits came from (as the live session recorded it, when it did).
    var origins: LimitOrigins
    var bodyMassKilograms: Double?
    var calibration: @Sendable (DeviceInfo?) -> Calibration
    /// Where the live session stopped (`--duration`), so the replay stops there too.
    var durationLimitSeconds: Double?
    /// What the command does with the file, for its errors ("Cannot export: ...").
    var verb = "replay"

    /// Damage lines shown in full before the rest are only counted: a file damaged in many places
    /// gives a few lines, not hundreds.
    static let shownWarningCount = 5

    /// Opens the file (an unreadable or non-capture file is a data error, exit 65) and resolves
    /// the profile: flag, else the recording's name, area and tool, else the config's.
    static func open(_ options: CaptureOptions, speed: ReplaySpeed = .maximum, verb: String = "replay",
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CaptureSessionSetup {
        let source: CaptureByteSource
        do {
            source = try CaptureByteSource(path: options.file, speed: speed)
            try source.readLeadingMetadata()
        } catch {
            throw CommandFailure.data("Cannot \(verb): \(error).")
        }
        let metadata = source.reader.metadata
        let config = try UserConfig.load(environment: environment)
        // The recording's own profile (overrides included) replays exactly what the live run
        // judged; a flag overrides it, and older recordings name theirs only.
        let recordedProfile: Profile? = options.profile == nil ? metadata.profile.flatMap { value in
            guard let profile = try? value.decoded(as: Profile.self), (try? profile.validate()) != nil else { return nil }
            return profile
        } : nil
        let profile: Profile
        let origins: LimitOrigins
        if let recordedProfile {
            profile = recordedProfile
            origins = metadata.fields["limitOrigins"].flatMap { try? $0.decoded(as: LimitOrigins.self) }
                ?? LimitOrigins(all: .recording(path: absolutePath(options.file)))
        } else {
            let resolved = try ProfileResolver.resolve(
                // A profile the recording names but this program does not have (a file on another
                // machine) falls back to the defaults for its tool and area.
                name: options.profile ?? metadata.profileName.flatMap { Profile.builtIn(named: $0)?.name } ?? config.profile,
                tool: metadata.tool.flatMap(Tool.init(spelling:)) ?? config.tool,
                area: metadata.area.flatMap(BodyRegion.init(spelling:)) ?? config.area,
                overrides: config.profileOverrides, configPath: config.path,
                bodyWeightKilograms: options.bodyWeight ?? metadata.bodyMassKilograms ?? config.bodyWeightKilograms)
            profile = resolved.profile
            origins = resolved.origins
        }
        let store = CalibrationStore(environment: environment)
        let stored = try store.all()
        // The runner calls the calibration closure on the thread that reads this reader.
        nonisolated(unsafe) let reader = source.reader
        return CaptureSessionSetup(
            source: source, profile: profile, origins: origins,
            bodyMassKilograms: options.bodyWeight ?? metadata.bodyMassKilograms ?? config.bodyWeightKilograms,
            calibration: { info in
                // The calibration the live session used, recorded after the HELLO; else this
                // machine's stored one for the board.
                if let recorded = reader.metadata.calibration, let calibration = try? recorded.decoded(as: Calibration.self) {
                    return calibration
                }
                return store.calibration(BoardIdentity(), info: info, stored: stored).0
            },
            durationLimitSeconds: metadata.durationLimitSeconds, verb: verb)
    }

    /// The recording's damage on stderr: the first few lines, then how many more there were.
    func printWarnings() {
        for warning in source.warnings.prefix(Self.shownWarningCount) {
            printError("rollsense: warning: \(source.reader.path): \(warning)")
        }
        let hidden = source.reader.warningCount - min(source.warnings.count, Self.shownWarningCount)
        if hidden > 0 {
            printError("rollsense: warning: \(source.reader.path): \(hidden) more damaged places skipped (\(source.reader.warningCount) in all); the rest of the file was used")
        }
    }

    /// A file that gave no sample at all (cut inside its first record, or holding none) is a
    /// data error: an all-zero report would look like a real, empty session.
    func requireSamples(_ stats: SessionStatistics) throws {
        guard stats.sampleCount == 0 else { return }
        printWarnings()
        let damage = source.reader.warningCount > 0 ? " (it is damaged or cut short)" : ""
        throw CommandFailure.data("Cannot \(verb): \(source.reader.path) holds no usable samples\(damage); nothing to show.")
    }

    /// A session error from a replay, classified: a file that fails mid-read is a data error.
    func classify(_ error: any Error) -> CommandFailure {
        if case .source(let inner as CaptureReadError) = error as? SessionError {
            return .data("Cannot \(verb): \(inner).")
        }
        if let inner = error as? CaptureReadError { return .data("Cannot \(verb): \(inner).") }
        return CommandFailure.classify(error)
    }
}
