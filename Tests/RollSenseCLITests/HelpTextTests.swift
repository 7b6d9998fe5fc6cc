import Foundation
import Testing
import RollSenseTestSupport

/// Issue 25: `--help` prose is wrapped once, by the help printer, not twice: a hard line break
/// in the source left orphan words (`the` / `pressure` / `and warns`).
@Suite("Help text")
struct HelpTextTests {
    static let commands = [[], ["devices"], ["live"], ["record"], ["demo"], ["simulate"], ["calibrate"], ["tare"], ["flash"],
                           ["doctor"], ["replay"], ["report"], ["export"], ["history"], ["limits"]]

    @Test(arguments: commands)
    func proseLinesAreFilledNotBrokenEarly(command: [String]) throws {
        let rollsense = try BuiltRollSense()
        defer { rollsense.removeHome() }
        let result = try rollsense.run(command + ["--help"])
        #expect(result.status == 0, "\(result.stderr)")
        // The printer fills lines to under 80 columns when not on a terminal. Prose lines start at the left
        // edge; a prose line followed by one whose first word would have fitted was broken early.
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (line, next) in zip(lines, lines.dropFirst()) {
            guard let first = line.first, !first.isWhitespace, let nextFirst = next.first, !nextFirst.isWhitespace,
                  !line.hasSuffix(":"), !next.hasPrefix("USAGE"), !next.hasPrefix("OPTIONS"), !next.hasPrefix("SUBCOMMANDS") else { continue }
            let nextWord = next.split(separator: " ").first.map(String.init) ?? ""
            #expect(line.count + 1 + nextWord.count > 79, "\(command): '\(line)' then '\(next)'")
        }
    }
}
