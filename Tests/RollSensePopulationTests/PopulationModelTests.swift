import RollSensePopulation
import Testing

/// The population model draws what its parameters say, and its labels match its samples.
@Suite struct PopulationModelTests {
    @Test func theSameSeedGivesTheSameSamples() {
        let a = Population(seed: 7).session(3, danger: .hardLean).render()
        let b = Population(seed: 7).session(3, danger: .hardLean).render()
        let c = Population(seed: 8).session(3, danger: .hardLean).render()
        #expect(a == b)
        #expect(a != c)
    }

    @Test func peopleFollowTheLiterature() {
        let population = Population(seed: 1)
        let people = (0..<3000).map(population.person)
        let selfChosen = people.filter { $0.condition == .selfChosen }.map(\.meanLoadFraction)
        let mean = selfChosen.reduce(0, +) / Double(selfChosen.count)
        // Baumgart 2019: means of 32-34 % of body weight (the cut to 10-55 % moves it a little).
        #expect(mean > 0.31 && mean < 0.35, "self-chosen mean load \(mean)")
        #expect(selfChosen.allSatisfy { PopulationParameters.selfChosenLoadRange.contains($0) })
        let cadence = people.map(\.cadenceStrokesPerMinute).reduce(0, +) / Double(people.count)
        #expect(abs(cadence - 33) < 1.5, "cadence \(cadence)")  // Sezik 2024: 33 ± 10
        let firm = Double(people.filter { $0.condition == .firm }.count) / Double(people.count)
        #expect(abs(firm - PopulationParameters.conditionShares.firm) < 0.03)
        #expect(people.allSatisfy { PopulationParameters.bodyMassRangeKilograms.contains($0.bodyMassKilograms) })
    }

    @Test func ordinarySessionsStayWithinTheDaysTimeAndBehmsSets() {
        let population = Population(seed: 2)
        for i in 0..<300 {
            let plan = population.session(i, danger: nil)
            #expect(plan.dangers.isEmpty)
            #expect(plan.loadedSeconds < PopulationParameters.dailySeconds, "session \(i): \(plan.loadedSeconds) s on the roller")
            #expect(plan.loadedSeconds > 15, "session \(i): \(plan.loadedSeconds) s on the roller")
        }
    }

    /// Each label sits where its danger is in the true load the samples were made from.
    @Test func labelsMatchTheLoadThatWasPlanted() {
        let population = Population(seed: 3)
        for i in 0..<6 {
            for kind in DangerKind.allCases {
                let plan = population.session(i, danger: kind)
                #expect(plan.dangers.count == 1 && plan.dangers[0].kind == kind)
                guard let danger = plan.dangers.first else { continue }
                var load: [Double] = []
                _ = plan.render(trueNewtons: &load)
                let weight = plan.person.bodyMassKilograms * PopulationParameters.gravity
                let rate = plan.person.board.sampleRateHertz
                let inside = load[Int(danger.startSeconds * rate)..<min(load.count, Int(danger.endSeconds * rate))]
                switch kind {
                case .hardLean:
                    // Sway and breathing ride on the plateau: it stays near or above the lean's lowest level.
                    let lowest = inside.min() ?? 0
                    #expect(lowest > 0.6 * weight, "session \(i): lean plateau down to \(lowest / weight) of body weight")
                case .fall:
                    let before = load[max(0, Int(danger.startSeconds * rate) - 1)]
                    // A 10 Hz sketch may sample only the settling after the peak.
                    let peak = load[Int(danger.startSeconds * rate)..<min(load.count, Int((danger.endSeconds + 0.25) * rate))].max() ?? 0
                    #expect(before == 0 && peak > 0.45 * weight, "session \(i): fall from \(before) N to \(peak) N")
                case .stayingStill:
                    #expect(danger.endSeconds - danger.startSeconds >= PopulationParameters.stillSeconds.lowerBound)
                    #expect(inside.allSatisfy { $0 > 0 })
                case .tooLongInADay:
                    let before = load[..<Int(danger.startSeconds * rate)].filter { $0 > 0 }.count
                    let onRoller = plan.priorDailySeconds + Double(before) / rate
                    #expect(abs(onRoller - PopulationParameters.dailySeconds) < 1, "session \(i): \(onRoller) s by the label")
                }
            }
        }
    }

    /// The board's counts are the load through the cells' scale, with the HX711's small noise.
    @Test func countsCarryTheLoad() {
        let plan = Population(seed: 4).session(0, danger: nil)
        var load: [Double] = []
        let samples = plan.render(trueNewtons: &load)
        let board = plan.person.board
        for (n, sample) in samples.enumerated() where n % 97 == 0 {
            var newtons = 0.0
            for c in 0..<4 {
                newtons += plan.valuesAreNewtons ? sample.values[c]
                    : (sample.values[c] - board.offsetCounts[c]) / board.countsPerNewton[c]
            }
            // Creep, drift, noise and a sketch's rounding (0.1 kg a channel) stay small.
            #expect(abs(newtons - load[n]) < 0.01 * load[n] + 4.5, "sample \(n): \(newtons) N from \(load[n]) N")
        }
    }
}
