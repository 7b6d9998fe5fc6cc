// The population alarm bench (issue 24; Tools/bench/96-population.sh runs it, docs/POPULATION.md
// reads its table): at least --hours of ordinary rolling and --dangers planted dangers through the
// signal pipeline with the built-in roller profile, its thresholds moved 10 % either way, and the
// stop level swept for a plot of false stops against missed hard leans.
//
// Usage: population-bench [--hours H] [--dangers N] [--seed S] [--svg FILE] [--workers K] [--set KEY=VALUE]...
// --set changes a threshold of the profile judged (a proposal), e.g. --set zones.stop=70; KEY is one
// of the sensitivity table's thresholds.
import Dispatch
import Glibc
import RollSensePopulation
import RollSensePopulationScore
import RollSenseSignal

/// Prints `message` and exits: 64 for a usage error, `status` otherwise.
func fail(_ message: String, status: Int32 = 64) -> Never {
    let line = "population-bench: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(status)
}

var hours = 50.0
var dangerTarget = 1000
var seed: UInt64 = 24
var svgPath: String? = nil
var workers = 2
var explain = false
var overrides: [(key: String, value: Double)] = []
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fail("\(flag) needs a value") }
    switch flag {
    case "--hours":
        guard let v = Double(value), v >= 0, v.isFinite else { fail("--hours wants a number of hours, got \(value)") }
        hours = v
    case "--dangers":
        guard let v = Int(value), v >= 0 else { fail("--dangers wants a count, got \(value)") }
        dangerTarget = v
    case "--seed":
        guard let v = UInt64(value) else { fail("--seed wants an unsigned integer, got \(value)") }
        seed = v
    case "--svg": svgPath = value
    case "--explain":
        guard value == "stops" else { fail("--explain wants \"stops\", got \(value)") }
        explain = true
    case "--set":
        let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let v = Double(parts[1]), v.isFinite else { fail("--set wants KEY=NUMBER, got \(value)") }
        overrides.append((parts[0], v))
    case "--workers":
        guard let v = Int(value), v >= 1 else { fail("--workers wants a count of at least 1, got \(value)") }
        workers = v
    default: fail("unknown option \(flag) (usage: population-bench [--hours H] [--dangers N] [--seed S] [--svg FILE] [--workers K] [--set KEY=VALUE]...)")
    }
}

var base = Profile.foamRollerLowerBack
let population = Population(seed: seed)
let dangerEvery = 2

// How many sessions reach both targets: plans are cheap, samples are not.
var sessionCount = 0
var plannedSeconds = 0.0
var plannedDangers = 0
while plannedSeconds < hours * 3600 || plannedDangers < dangerTarget {
    if PopulationScore.danger(forSession: sessionCount, every: dangerEvery) == nil {
        plannedSeconds += population.session(sessionCount, danger: nil).loadedSeconds
    } else {
        plannedDangers += 1
    }
    sessionCount += 1
}

// The variants: the profile as built, each threshold 10 % either way, and the stop sweep.
struct Knob {
    let key: String
    let get: (Profile) -> Double
    let set: (inout Profile, Double) -> Void
}
let knobs: [Knob] = [
    Knob(key: "zones.caution", get: { $0.zones.caution }, set: { $0.zones.caution = $1 }),
    Knob(key: "zones.stop", get: { $0.zones.stop }, set: { $0.zones.stop = $1 }),
    Knob(key: "zones.onDelaySeconds", get: { $0.zones.onDelaySeconds }, set: { $0.zones.onDelaySeconds = $1 }),
    Knob(key: "jump.riseNewtons", get: { $0.jump.riseNewtons }, set: { $0.jump.riseNewtons = $1 }),
    Knob(key: "limits.holdCautionSeconds", get: { $0.limits.holdCautionSeconds }, set: { $0.limits.holdCautionSeconds = $1 }),
    Knob(key: "stillness.forceSpanFraction", get: { $0.stillness.forceSpanFraction }, set: { $0.stillness.forceSpanFraction = $1 }),
    Knob(key: "spine.centreShare", get: { $0.spine.centreShare }, set: { $0.spine.centreShare = min($1, 1) }),
]
for (key, value) in overrides {
    guard let knob = knobs.first(where: { $0.key == key }) else {
        fail("--set: unknown threshold \(key) (one of \(knobs.map(\.key).joined(separator: ", ")))")
    }
    knob.set(&base, value)
}
do { try base.validate() } catch { fail("--set makes an invalid profile: \(error)") }
var profiles: [Profile] = [base]
for knob in knobs {
    for factor in [0.9, 1.1] {
        var p = base
        knob.set(&p, knob.get(base) * factor)
        profiles.append(p)
    }
}
// Only levels the profile accepts above its caution level.
let sweepLevels: [Double] = [55, 60, 65, 70, 75, 80, 85, 90].filter { level in
    var p = base
    p.zones.stop = level
    return (try? p.validate()) != nil
}
let sweepStart = profiles.count
for level in sweepLevels {
    var p = base
    p.zones.stop = level
    profiles.append(p)
}

final class Results: @unchecked Sendable {
    var tallies: [[AlarmTally]]
    init(_ n: Int) { tallies = Array(repeating: [], count: n) }
}
let chunkCount = max(workers * 8, 1)
let results = Results(chunkCount)
let started = DispatchTime.now().uptimeNanoseconds
let allProfiles = profiles
let totalSessions = sessionCount, workerCount = workers
DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
    // Chunks dealt round-robin; each chunk's tally is merged in chunk order below, so the table
    // does not depend on the number of workers.
    var chunk = worker
    while chunk < chunkCount {
        let lower = totalSessions * chunk / chunkCount, upper = totalSessions * (chunk + 1) / chunkCount
        let tallies = PopulationScore.run(population: population, sessions: lower..<upper, dangerEvery: dangerEvery, profiles: allProfiles)
        results.tallies[chunk] = tallies
        chunk += workerCount
    }
}
let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9
var tallies = [AlarmTally](repeating: AlarmTally(), count: profiles.count)
for chunk in results.tallies { for (i, t) in chunk.enumerated() { tallies[i].merge(t) } }

// MARK: - The table

func f(_ x: Double, _ digits: Int = 2) -> String {
    var text = String(Int((abs(x) * pow(10, Double(digits))).rounded()))
    while text.count <= digits { text = "0" + text }
    if digits > 0 { text.insert(".", at: text.index(text.endIndex, offsetBy: -digits)) }
    return (x < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "") + text
}
func rate(_ count: Int, _ t: AlarmTally) -> String {
    "\(f(Double(count) / t.ordinaryHours, 3)) (\(count) in \(f(t.ordinaryHours, 1)) h; 95 % upper \(f(AlarmStatistics.poissonUpper95(count) / t.ordinaryHours, 3))"
        + ")"
}
func latency(_ kind: DangerKind, _ t: AlarmTally) -> String {
    let values = t.latencies[kind.rawValue] ?? []
    guard let median = AlarmStatistics.quantile(values, 0.5), let p95 = AlarmStatistics.quantile(values, 0.95),
          let worst = values.max() else { return "none caught" }
    return "median \(f(median)) s, p95 \(f(p95)) s, worst \(f(worst)) s"
}
let t0 = tallies[0]
let changed = overrides.map { "\($0.key)=\(f($0.value, 3))" }.joined(separator: ", ")
print("population-bench: seed \(seed), \(sessionCount) sessions (\(t0.ordinarySessions) ordinary, \(t0.plantedCount) with a planted danger), profile \(base.name)\(changed.isEmpty ? "" : " with " + changed), \(profiles.count) profile variants, \(workers) workers, \(f(elapsed, 1)) s")
print("")
print("| measure (profile as built) | value | goal |")
print("|---|---|---|")
print("| false stop alerts per hour of ordinary rolling | \(rate(t0.falseStops, t0)) | upper bound < 0.1 |")
print("| false caution alerts per hour of ordinary rolling | \(rate(t0.falseCautions, t0)) | - |")
let reasons = t0.falseByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
print("| false alerts by reason | \(reasons.isEmpty ? "none" : reasons) | - |")
let conditions = LoadCondition.allCases.map { c in
    "\(c.rawValue) \(t0.sessionsAlertedByCondition[c.rawValue] ?? 0)/\(t0.sessionsByCondition[c.rawValue] ?? 0)"
}.joined(separator: ", ")
let stopConditions = LoadCondition.allCases.map { "\($0.rawValue) \(t0.falseStopsByCondition[$0.rawValue] ?? 0)" }.joined(separator: ", ")
print("| false stop alerts by load condition | \(stopConditions) | - |")
print("| ordinary sessions with any alert, by load condition | \(conditions) | - |")
let missedText = DangerKind.allCases.map { "\($0.rawValue) \(t0.missed[$0.rawValue] ?? 0)/\(t0.planted[$0.rawValue] ?? 0)" }
    .joined(separator: ", ")
print("| missed planted dangers | \(t0.missedCount) of \(t0.plantedCount) (\(missedText)) | 0 |")
for kind in DangerKind.allCases {
    let goal: String
    switch kind {
    case .hardLean, .fall: goal = "p95 <= on-delay \(f(base.zones.onDelaySeconds, 1)) s + 1 s"
    case .stayingStill: goal = "the hold caution (\(f(base.limits.holdCautionSeconds, 0)) s) plus the stillness window"
    case .tooLongInADay: goal = "at the day's 5 min [A]"
    }
    print("| detection latency, \(kind.rawValue) | \(latency(kind, t0)) | \(goal) |")
}
let chatter = t0.chatteringByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
print("| chattering (one reason starting 3+ times in 60 s) | \(t0.chattering)\(chatter.isEmpty ? "" : " (" + chatter + ")") | 0 |")
print("| sessions the pipeline refused | \(t0.refused) | 0 |")
if explain {
    // Who heard a false stop: the person, their set loads, and how far their true load went.
    for index in t0.falseStopSessions {
        let plan = population.session(index, danger: nil)
        var load: [Double] = []
        _ = plan.render(trueNewtons: &load)
        let weight = plan.person.bodyMassKilograms * PopulationParameters.gravity
        let sets = plan.segments.compactMap { segment -> String? in
            guard case .rolling(let mean, let swing, let hertz, _, _, _, _) = segment.shape else { return nil }
            return "\(f(mean * 100, 0))±\(f(swing * 100, 0)) % at \(f(hertz * 60, 0))/min"
        }
        var unique: [String] = []
        for s in sets where unique.last != s { unique.append(s) }
        print("| explain: session \(index) | \(plan.person.condition.rawValue), \(f(plan.person.bodyMassKilograms, 0)) kg, "
              + "peak true load \(f((load.max() ?? 0) / weight * 100, 1)) % of body weight, drift ±\(f(plan.driftAmplitude * 100, 0)) %, "
              + "breathing ±\(f(plan.breathingDepth * 100, 0)) %, sway \(f(plan.swayFraction * 100, 1)) %; rolling \(unique.joined(separator: "; ")) | - |")
    }
}
print("")
print("Sensitivity: each threshold moved 10 % either way (false stop/h, false caution/h, missed dangers)")
print("")
print("| threshold | built in | -10 % | +10 % |")
print("|---|---|---|---|")
func brief(_ t: AlarmTally) -> String {
    "\(f(Double(t.falseStops) / t.ordinaryHours, 3)) / \(f(Double(t.falseCautions) / t.ordinaryHours, 2)) / \(t.missedCount)"
        + (t.missedCount > 0 ? " (" + DangerKind.allCases.compactMap { k in (t.missed[k.rawValue] ?? 0) > 0 ? "\(k.rawValue) \(t.missed[k.rawValue]!)" : nil }.joined(separator: ", ") + ")" : "")
}
for (i, knob) in knobs.enumerated() {
    print("| \(knob.key) | \(f(knob.get(base), 3)) | \(brief(tallies[1 + 2 * i])) | \(brief(tallies[2 + 2 * i])) |")
}
print("| (as built) | - | \(brief(t0)) | |")
print("")
print("Stop level sweep (zones.stop, % of body weight): false stop alerts per hour, missed hard leans")
print("")
print("| zones.stop | false stops / h (95 % upper) | missed hard leans | missed falls |")
print("|---|---|---|---|")
var points: [(level: Double, falsePerHour: Double, upper: Double, missedShare: Double)] = []
for (i, level) in sweepLevels.enumerated() {
    let t = tallies[sweepStart + i]
    let leans = t.planted[DangerKind.hardLean.rawValue] ?? 0
    let missedLeans = t.missed[DangerKind.hardLean.rawValue] ?? 0
    let perHour = Double(t.falseStops) / t.ordinaryHours
    let upper = AlarmStatistics.poissonUpper95(t.falseStops) / t.ordinaryHours
    points.append((level, perHour, upper, leans > 0 ? Double(missedLeans) / Double(leans) : 0))
    print("| \(f(level, 0)) | \(f(perHour, 3)) (\(f(upper, 3))) | \(missedLeans)/\(leans) | \(t.missed[DangerKind.fall.rawValue] ?? 0)/\(t.planted[DangerKind.fall.rawValue] ?? 0) |")
}

// MARK: - The plot

if let svgPath {
    // False alarm rates span decades: a log axis from 0.01 to 100 an hour, a zero count drawn at
    // the axis floor with its upper bound as a bar.
    let width = 640.0, height = 420.0, left = 70.0, right = 20.0, top = 40.0, bottom = 60.0
    let floorRate = 0.01, ceilingRate = 100.0
    let maxY = max(0.05, points.map(\.missedShare).max() ?? 0.05) * 1.1
    func px(_ x: Double) -> Double {
        let clamped = min(max(x, floorRate), ceilingRate)
        return left + (log10(clamped) - log10(floorRate)) / (log10(ceilingRate) - log10(floorRate)) * (width - left - right)
    }
    func py(_ y: Double) -> Double { height - bottom - y / maxY * (height - top - bottom) }
    var svg = """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
    <rect width="100%" height="100%" fill="white"/>
    <text x="\(Int(width / 2))" y="20" text-anchor="middle" font-size="14">False stops against missed hard leans as zones.stop moves (seed \(seed), \(f(t0.ordinaryHours, 1)) h, \(t0.planted[DangerKind.hardLean.rawValue] ?? 0) leans)</text>
    <line x1="\(left)" y1="\(py(0))" x2="\(width - right)" y2="\(py(0))" stroke="black"/>
    <line x1="\(left)" y1="\(py(0))" x2="\(left)" y2="\(top)" stroke="black"/>
    <line x1="\(f(px(0.1), 1))" y1="\(py(0))" x2="\(f(px(0.1), 1))" y2="\(top)" stroke="#2ca02c" stroke-dasharray="4 3"/>
    <text x="\(f(px(0.1) + 4, 1))" y="\(Int(top + 12))" fill="#2ca02c">goal: upper bound under 0.1 an hour</text>
    <text x="\(Int(width / 2))" y="\(Int(height - 15))" text-anchor="middle">false stop alerts per hour of ordinary rolling, log scale (grey bar: 95 % upper bound; 0 drawn at 0.01)</text>
    <text x="18" y="\(Int(height / 2))" text-anchor="middle" transform="rotate(-90 18 \(Int(height / 2)))">hard leans missed (%)</text>

    """
    for x in [0.01, 0.1, 1.0, 10.0, 100.0] {
        svg += "<text x=\"\(f(px(x), 1))\" y=\"\(f(py(0) + 16, 1))\" text-anchor=\"middle\">\(x < 1 ? f(x, x < 0.1 ? 2 : 1) : f(x, 0))</text>\n"
    }
    for k in 0...4 {
        let y = maxY * Double(k) / 4
        svg += "<text x=\"\(f(left - 6, 1))\" y=\"\(f(py(y) + 4, 1))\" text-anchor=\"end\">\(f(y * 100, 0))</text>\n"
    }
    svg += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"" + points.map { "\(f(px($0.falsePerHour), 1)),\(f(py($0.missedShare), 1))" }.joined(separator: " ") + "\"/>\n"
    for (k, p) in points.enumerated() {
        svg += "<line x1=\"\(f(px(p.falsePerHour), 1))\" y1=\"\(f(py(p.missedShare), 1))\" x2=\"\(f(px(p.upper), 1))\" y2=\"\(f(py(p.missedShare), 1))\" stroke=\"#999\" stroke-width=\"3\"/>\n"
        svg += "<circle cx=\"\(f(px(p.falsePerHour), 1))\" cy=\"\(f(py(p.missedShare), 1))\" r=\"4\" fill=\"\(p.level == base.zones.stop ? "#d62728" : "#1f77b4")\"/>\n"
        // Labels alternate between two heights: neighbouring levels often share a point.
        let dy = k % 2 == 0 ? -8.0 : -22.0
        svg += "<text x=\"\(f(px(p.falsePerHour) + 6, 1))\" y=\"\(f(py(p.missedShare) + dy, 1))\">\(f(p.level, 0)) %\(p.level == base.zones.stop ? " (profile)" : "")</text>\n"
    }
    svg += "</svg>\n"
    guard let file = fopen(svgPath, "w") else { fail("cannot write \(svgPath): errno \(errno)", status: 1) }
    fputs(svg, file)
    fclose(file)
    print("")
    print("plot: \(svgPath)")
}

// A profile the pipeline refused means the table judged nothing: fail the bench.
if tallies.contains(where: { $0.refused > 0 }) {
    fail("the pipeline refused a profile variant for \(tallies.map(\.refused).reduce(0, +)) sessions", status: 1)
}
