#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import RollSenseDevice
import RollSenseStore
import RollSenseWire

/// `rollsense doctor`: checks the set-up a session needs and says how to fix each gap.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the set-up (permissions, udev rule, ModemManager, boards, firmware, calibration, history, sound) and say how to fix each problem.",
        discussion: """
            Each board is opened and listened to for a few seconds (its auto-reset restarts it); \
            nothing is written to it. Exit status 0 when every check passed (warnings allowed), \
            1 when one or more need fixing.

            Examples:
              rollsense doctor
              rollsense doctor --json | jq '.checks[] | select(.status == "problem")'
            """
    )

    @Flag(help: "Print one JSON object ({ok, checks: [{name, status, detail, fix}]}) instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Check this port too (a path such as the simulator's pty, a by-id path or a USB serial number).", valueName: "path|by-id|serial"))
    var device: String?

    // .unconditional: `-1` is a value to refuse with the range, not a missing value.
    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds to listen to each board for its HELLO (above 0, at most 600)."))
    var helloTimeout: Double = 3

    func validate() throws {
        guard helloTimeout > 0, helloTimeout <= 600 else {
            throw ValidationError("--hello-timeout must be a number of seconds above 0 and at most 600 (got \(helloTimeout)).")
        }
    }

    /// One check's result. `warning` is worth knowing but does not fail the run.
    struct Check: Encodable {
        enum Status: String, Encodable { case ok, warning, problem }
        var name: String
        var status: Status
        var detail: String
        var fix: String?
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let devices = (try? Discovery.serialDevices()) ?? []
        var boards = devices.filter(\.isLikelyBoard)
        if let device {
            let named = try Discovery.select(device, from: devices)
            if !boards.contains(named) { boards.append(named) }
        }
        var checks = [Self.groupCheck(boards: boards), Self.udevRuleCheck(boards: boards), Self.modemManagerCheck(boards: boards)]
        checks += boardChecks(boards, environment: environment)
        checks.append(Self.historyCheck(environment: environment))
        checks.append(Self.soundCheck())
        let healthy = !checks.contains { $0.status == .problem }
        if json {
            struct Report: Encodable { var ok: Bool; var checks: [Check] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Report(ok: healthy, checks: checks)), as: UTF8.self))
        } else {
            for check in checks {
                let mark = switch check.status { case .ok: "ok     "; case .warning: "warning"; case .problem: "PROBLEM" }
                print("\(mark)  \(check.name): \(check.detail)")
                if let fix = check.fix, check.status != .ok { print("         fix: \(fix)") }
            }
            let problems = checks.filter { $0.status == .problem }.count
            print(healthy ? "\nAll is well." : "\n\(problems) problem\(problems == 1 ? "" : "s") to fix (above).")
        }
        if !healthy { throw ExitCode(1) }
    }

    // MARK: - Checks

    /// Access to the serial nodes: the group that owns them, and whether this login has it.
    static func groupCheck(boards: [SerialDevice]) -> Check {
        let name = "serial port access"
        if getuid() == 0 { return Check(name: name, status: .ok, detail: "running as root") }
        let node = boards.first { $0.sysPath != nil }?.path ?? ["/dev/ttyACM0", "/dev/ttyUSB0", "/dev/ttyS0"].first { FileManager.default.fileExists(atPath: $0) }
        if let node, boards.contains(where: { $0.path == node }), access(node, R_OK | W_OK) == 0 {
            return Check(name: name, status: .ok, detail: "you can open \(node)")
        }
        var group = "dialout"
        var groupID: gid_t?
        if let node {
            var info = stat()
            if stat(node, &info) == 0 {
                groupID = info.st_gid
                if let entry = getgrgid(info.st_gid) { group = String(cString: entry.pointee.gr_name) }
            }
        }
        if groupID == nil, let entry = getgrnam(group) { groupID = entry.pointee.gr_gid }
        guard let groupID else {
            return Check(name: name, status: .warning, detail: "no group \(group) on this system", fix: "ask your distribution which group owns serial ports")
        }
        let count = getgroups(0, nil)
        var current = [gid_t](repeating: 0, count: Int(max(count, 0)))
        _ = getgroups(count, &current)
        if getgid() == groupID || current.contains(groupID) {
            return Check(name: name, status: .ok, detail: "you are in \(group), which owns \(node ?? "the serial ports")")
        }
        let user = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "$USER"
        if let entry = getgrgid(groupID), Self.members(entry).contains(user) {
            return Check(name: name, status: .problem, detail: "you were added to \(group), but this login does not have it yet",
                         fix: "log out and back in (or run `newgrp \(group)` in this terminal)")
        }
        return Check(name: name, status: .problem, detail: "you (\(user)) are not in \(group), which owns \(node ?? "the serial ports")",
                     fix: "sudo adduser \(user) \(group), then log out and back in")
    }

    private static func members(_ entry: UnsafeMutablePointer<group>) -> [String] {
        var names: [String] = []
        var member = entry.pointee.gr_mem
        while let pointer = member?.pointee {
            names.append(String(cString: pointer))
            member = member?.advanced(by: 1)
        }
        return names
    }

    static let ruleName = "99-rollsense.rules"

    /// Where udev reads rules from, and where `make install` puts ours (PREFIX/lib/udev/rules.d).
    static func ruleFolders() -> [String] {
        let prefix = FirmwareImage.executableURL.deletingLastPathComponent().deletingLastPathComponent().path
        return ["/etc/udev/rules.d", "/run/udev/rules.d", "/usr/lib/udev/rules.d", "/lib/udev/rules.d", "\(prefix)/lib/udev/rules.d"]
    }

    static func udevRuleCheck(boards: [SerialDevice]) -> Check {
        let name = "udev rule"
        let installed = ruleFolders().map { "\($0)/\(ruleName)" }.first { FileManager.default.fileExists(atPath: $0) }
        // A port udev does not list (a pty) gets no rule and needs none.
        let boards = boards.filter { $0.sysPath != nil }
        let matched = boards.filter { Discovery.udevProperty("ROLLSENSE_BOARD", of: $0) == "1" }
        let fix = "sudo make install (or: sudo cp Firmware/\(ruleName) /etc/udev/rules.d/ && sudo udevadm control --reload), then replug the board"
        if !boards.isEmpty {
            if matched.count == boards.count {
                return Check(name: name, status: .ok, detail: "applied to \(boards.map(\.path).joined(separator: ", "))")
            }
            let missed = boards.filter { !matched.contains($0) }.map(\.path).joined(separator: ", ")
            return Check(name: name, status: .problem,
                         detail: installed.map { "\($0) is there but did not apply to \(missed)" } ?? "not installed; \(missed) got no RollSense rule",
                         fix: installed == nil ? fix : "sudo udevadm control --reload, then replug the board")
        }
        if let installed { return Check(name: name, status: .ok, detail: "installed at \(installed)") }
        return Check(name: name, status: .problem, detail: "\(ruleName) is not installed", fix: fix)
    }

    static func modemManagerCheck(boards: [SerialDevice]) -> Check {
        let name = "ModemManager"
        let present = ["/usr/sbin/ModemManager", "/sbin/ModemManager"].contains { FileManager.default.fileExists(atPath: $0) }
        guard present else { return Check(name: name, status: .ok, detail: "not installed, so it cannot probe the board") }
        let exposed = boards.filter { $0.sysPath != nil && Discovery.udevProperty("ID_MM_DEVICE_IGNORE", of: $0) != "1" }
        if exposed.isEmpty {
            return Check(name: name, status: .ok, detail: boards.isEmpty ? "installed; the udev rule keeps it away from boards" : "installed, and ignores every board")
        }
        return Check(name: name, status: .problem,
                     detail: "installed, and may send AT commands to \(exposed.map(\.path).joined(separator: ", ")) for 10-20 s after each plug-in",
                     fix: "install the udev rule (see above), or `sudo apt-get remove modemmanager` if you use no mobile modem")
    }

    /// Per board: the firmware it runs (a HELLO heard) against the one this host expects, and a calibration.
    func boardChecks(_ boards: [SerialDevice], environment: [String: String]) -> [Check] {
        guard !boards.isEmpty else {
            return [Check(name: "boards", status: .problem, detail: "no Arduino board is plugged in",
                          fix: "plug the board in (some USB cables carry only power), then `rollsense devices`")]
        }
        let store = CalibrationStore(environment: environment)
        let stored = (try? store.all()) ?? [:]
        var checks: [Check] = []
        for board in boards {
            let label = "board \(board.path)"
            let info: DeviceInfo?
            do {
                info = try HelloListener.listen(path: board.path, timeoutSeconds: helloTimeout)
            } catch {
                checks.append(Check(name: label, status: .problem, detail: error.description, fix: "see above; `rollsense devices` lists the ports"))
                continue
            }
            guard let info else {
                checks.append(Check(name: label, status: .problem,
                                    detail: "\(board.board?.name ?? "board") said no RollSense HELLO within \(helloTimeout) s (another sketch, or none)",
                                    fix: "rollsense flash --device \(board.path)"))
                continue
            }
            if info.firmwareVersion < FirmwareImage.expectedVersion || info.firmwareVersion.major != FirmwareImage.expectedVersion.major {
                checks.append(Check(name: label, status: .problem,
                                    detail: "runs firmware \(info.firmwareVersion); this rollsense expects \(FirmwareImage.expectedVersion)",
                                    fix: "rollsense flash --device \(board.path)"))
            } else {
                checks.append(Check(name: label, status: .ok, detail: "RollSense firmware \(info.firmwareVersion) (\(info.channelCount) channels)"))
            }
            let identity = BoardIdentity(board)
            let known = store.calibration(identity, info: info, stored: stored).known
            // Known but not stored: the simulator's own; "stored" would send a person to a
            // calibrations.json that `calibrate --show` finds empty.
            let isStored = CalibrationStore.storedKey(identity, info: info, in: stored) != nil
            checks.append(Check(name: "calibration \(board.path)", status: known ? .ok : .problem,
                                detail: isStored ? "stored in \(store.path)"
                                    : known ? "the simulated board's own (nothing stored in \(store.path))"
                                    : "none stored: forces would read as raw counts",
                                fix: "rollsense calibrate --device \(board.path)"))
        }
        return checks
    }

    /// Whether `directory` exists writable or can be made: its nearest existing ancestor is a
    /// writable folder (a new user has no ~/.local/share yet; the first session creates it all).
    static func canCreate(_ directory: String) -> Bool {
        var path = directory
        var isFolder: ObjCBool = false
        while !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            let parent = (path as NSString).deletingLastPathComponent
            if parent == path || parent.isEmpty { return false }
            path = parent
        }
        return isFolder.boolValue && access(path, W_OK) == 0
    }

    static func historyCheck(environment: [String: String]) -> Check {
        let name = "history database"
        let directory: String
        do { directory = try DataDirectory.resolve(flag: nil, environment: environment) } catch {
            return Check(name: name, status: .problem, detail: error.description, fix: "set ROLLSENSE_DATA_DIR to a writable folder")
        }
        let path = HistoryLedger.path(inDataDirectory: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            let writable = Self.canCreate(directory)
            return Check(name: name, status: writable ? .ok : .problem,
                         detail: writable ? "none yet; the first session creates \(path)" : "\(directory) is not writable",
                         fix: writable ? nil : "make \(directory) writable or set ROLLSENSE_DATA_DIR")
        }
        guard access(path, R_OK | W_OK) == 0, let handle = FileHandle(forReadingAtPath: path) else {
            return Check(name: name, status: .problem, detail: "\(path) cannot be read and written", fix: "check its owner and mode (ls -l \(path))")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        guard header == Data("SQLite format 3\0".utf8) else {
            return Check(name: name, status: .problem, detail: "\(path) is not an SQLite database",
                         fix: "move it aside (mv \(path) \(path).bad); rollsense starts a new one")
        }
        return Check(name: name, status: .ok, detail: "\(path) is readable")
    }

    /// Sound is for spoken and played cues; without a card alarms still show on screen.
    static func soundCheck() -> Check {
        let cards = (try? String(contentsOfFile: "/proc/asound/cards", encoding: .utf8)) ?? ""
        if cards.isEmpty || cards.contains("no soundcards") {
            return Check(name: "sound", status: .warning, detail: "no sound card found: cues are off, alarms show on screen only",
                         fix: "plug in speakers or headphones, or check `aplay -l`; `--audio-out FILE.wav` renders the cues (docs/VOICE.md)")
        }
        let first = cards.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return Check(name: "sound", status: .ok, detail: "sound card \(first)")
    }
}
