import Testing
@testable import RollSenseCues
@testable import RollSenseSignal

/// Events as the pipeline makes them, with only the fields the planner reads set.
func event(_ reason: EventReason, _ phase: EventPhase = .start, level: AlertLevel = .caution,
           value: Double = 0, limit: Double = 0, region: BodyRegion = .lowerBack) -> SignalEvent {
    SignalEvent(deviceTimeMicroseconds: 0, kind: .zone, level: level, phase: phase, reason: reason, zone: .target,
                area: Area(region: region, side: .whole), forceNewtons: 0, pressureKilopascals: 0, value: value,
                limit: limit, channel: nil)
}

/// A 0.4 s gap, 20 s window and 0.25 s maximum delay, so the numbers below read easily.
let testRules = CueRules(minimumGapMicroseconds: 400_000, repeatWindowMicroseconds: 20_000_000, maximumDelayMicroseconds: 250_000)

/// Every phrase lasts one second: the rules are easy to read off.
func planner(_ profile: Profile = .foamRollerLowerBack, rules: CueRules = testRules) -> CuePlanner {
    CuePlanner(profile: profile, rules: rules, durationMicroseconds: { _ in 1_000_000 })
}

@Suite struct CuePlannerTests {
    // MARK: - Pain confirmation (issue 21)

    @Test func aPainMarkIsConfirmedAloudWithItsForceAndNeverCutsAStop() {
        var mark = event(.painMark, .instant, level: .info)
        mark.forceNewtons = 174.4
        #expect(planner().phrase(for: mark)?.0 == .painNoted(newtons: 170))
        #expect(CuePhrase.painNoted(newtons: 170).text == "Pain noted at 170 newtons.")
        #expect(CuePhrase.painNoted(newtons: 1_250).spokenParts == ["Pain noted at", "one thousand", "two hundred", "fifty", "newtons."])
        #expect(CuePhrase.painNoted(forceNewtons: 2) == .painNoted(newtons: 10), "at least one step")
        var p = planner()
        _ = p.event(event(.zoneStop, level: .stop), atMicroseconds: 0)
        #expect(p.event(mark, atMicroseconds: 100_000).allSatisfy { !$0.interrupts }, "the stop cue is not cut off")
    }

    // MARK: - Priorities

    @Test func stopInterruptsAPlayingCaution() {
        var p = planner()
        let first = p.event(event(.zoneCaution), atMicroseconds: 0)
        #expect(first.map(\.phrase) == [.easeOff])
        let second = p.event(event(.zoneStop, level: .stop), atMicroseconds: 300_000)
        #expect(second.map(\.phrase) == [.stop])
        #expect(second.first?.interrupts == true)
        #expect(second.first?.startMicroseconds == 300_000)
    }

    @Test func faultOutranksCautionAndStopOutranksFault() {
        var p = planner()
        _ = p.event(event(.holdCaution), atMicroseconds: 0)
        #expect(p.event(event(.disconnected), atMicroseconds: 100_000).map(\.phrase) == [.sensorUnplugged])
        #expect(p.event(event(.zoneStop, level: .stop), atMicroseconds: 200_000).map(\.phrase) == [.stop])
        // A fault does not cut off stop.
        #expect(p.event(event(.saturated), atMicroseconds: 300_000).isEmpty)
    }

    @Test func nothingOfEqualOrLowerRankTalksOverAPlayingCue() {
        var p = planner()
        _ = p.event(event(.zoneCaution), atMicroseconds: 0)
        #expect(p.event(event(.loadOnSpine), atMicroseconds: 500_000).isEmpty)
        #expect(p.dropped[.stale] == 1)
        #expect(p.event(event(.loadOnSpine), atMicroseconds: 1_200_000).isEmpty)
        #expect(p.event(event(.zoneTarget, level: .info), atMicroseconds: 1_210_000).isEmpty)
        // The info cue does not take the caution's waiting place; the caution follows the gap.
        #expect(p.dropped[.superseded] == 1)
        #expect(p.advance(to: 2_000_000)?.startMicroseconds == 1_400_000)
    }

    // MARK: - Gap, delay, repetition

    @Test func aWaitingCueStartsAfterTheGapWhenThatIsSoonEnough() {
        var p = planner()
        _ = p.event(event(.zoneCaution), atMicroseconds: 0)
        // Ends at 1.0 s, gap 0.4 s: allowed from 1.4 s, 200 ms after its event at 1.2 s.
        #expect(p.event(event(.loadOnSpine), atMicroseconds: 1_200_000).isEmpty)
        #expect(p.advance(to: 1_300_000) == nil)
        let cue = p.advance(to: 1_450_000)
        #expect(cue?.phrase == .moveOffSpine)
        #expect(cue?.startMicroseconds == 1_400_000)
        #expect(cue?.eventMicroseconds == 1_200_000)
    }

    @Test func aCueThatWouldComeLateIsDropped() {
        var p = planner()
        _ = p.event(event(.zoneCaution), atMicroseconds: 0)
        // Allowed from 1.4 s, 900 ms after its event: older than the 250 ms limit by then.
        #expect(p.event(event(.loadOnSpine), atMicroseconds: 500_000).isEmpty)
        for t in stride(from: Int64(600_000), through: 3_000_000, by: 66_667) { #expect(p.advance(to: t) == nil) }
        #expect(p.dropped[.stale] == 1)
    }

    @Test func minimumGapHoldsBetweenPhrases() {
        var p = planner()
        _ = p.event(event(.zoneCaution), atMicroseconds: 0)
        #expect(p.event(event(.loadOnSpine), atMicroseconds: 1_200_000).isEmpty)
        #expect(p.advance(to: 1_399_999) == nil)
        #expect(p.advance(to: 1_400_000)?.startMicroseconds == 1_400_000)
    }

    @Test func aHigherRankAfterAFinishedPhraseStillKeepsTheGap() {
        var p = planner()
        _ = p.event(event(.zoneCaution), atMicroseconds: 0)
        // "Ease off" ended at 1.0 s: stop at 1.2 s waits to 1.4 s so the two are heard apart.
        #expect(p.event(event(.zoneStop, level: .stop), atMicroseconds: 1_200_000).isEmpty)
        let cue = p.advance(to: 1_466_667)
        #expect(cue?.phrase == .stop)
        #expect(cue?.startMicroseconds == 1_400_000)
        #expect(cue?.interrupts == false)
    }

    @Test func theSamePhraseIsNotRepeatedWithinTheWindow() {
        var p = planner()
        #expect(p.event(event(.zoneCaution), atMicroseconds: 0).count == 1)
        #expect(p.event(event(.zoneCaution), atMicroseconds: 5_000_000).isEmpty)
        #expect(p.event(event(.zoneCaution), atMicroseconds: 19_999_999).isEmpty)
        #expect(p.event(event(.zoneCaution), atMicroseconds: 20_000_000).count == 1)
        #expect(p.dropped[.repeated] == 2)
    }

    @Test func theRepeatWindowIsConfigurable() {
        var p = planner(rules: CueRules(minimumGapMicroseconds: 0, repeatWindowMicroseconds: 2_000_000, maximumDelayMicroseconds: 0))
        #expect(p.event(event(.zoneCaution), atMicroseconds: 0).count == 1)
        #expect(p.event(event(.zoneCaution), atMicroseconds: 2_000_000).count == 1)
    }

    // MARK: - Determinism

    @Test func sameEventsGiveSameCuesWhateverTheReadingRate() {
        let events: [(Int64, SignalEvent)] = [
            (0, event(.zoneTarget, level: .info)), (700_000, event(.zoneCaution)), (1_500_000, event(.loadOnSpine)),
            (1_600_000, event(.zoneStop, level: .stop)), (2_000_000, event(.zoneCaution)), (3_000_000, event(.zoneTarget, level: .info)),
            (3_200_000, event(.dailyWarning, value: 240, limit: 240)), (30_000_000, event(.zoneCaution)),
        ]
        func run(readingEvery step: Int) -> [PlannedCue] {
            var p = planner()
            var cues: [PlannedCue] = []
            var next = 0
            for t in stride(from: Int64(0), through: 31_000_000, by: step) {
                while next < events.count && events[next].0 <= t {
                    cues += p.event(events[next].1, atMicroseconds: events[next].0)
                    next += 1
                }
                if let cue = p.advance(to: t) { cues.append(cue) }
            }
            return cues
        }
        let live = run(readingEvery: 10_000)
        #expect(live == run(readingEvery: 10_000))
        #expect(live == run(readingEvery: 50_000))
        #expect(live.map(\.phrase) == [.goodPressure, .easeOff, .stop, .timeLeft(minutes: 1), .easeOff])
    }

    // MARK: - Phrases

    @Test func ballPressesCountTheHold() {
        var p = planner(.massageBallLowerBack)
        // The press lasts the profile's hold notice (a still 4 s counts one of the source's ~5 s presses).
        let pressSeconds = Int(Profile.massageBallLowerBack.limits.holdNoticeSeconds)
        #expect(pressSeconds == 4)
        #expect(p.event(event(.contact, level: .info), atMicroseconds: 0).map(\.phrase) == [.stayStill(seconds: pressSeconds)])
        #expect(p.event(event(.holdNotice, level: .info), atMicroseconds: Int64(pressSeconds) * 1_000_000).map(\.phrase) == [.pressDone])
        #expect(CuePhrase.stayStill(seconds: 5).text == "Stay still here for 5 seconds.")
    }

    @Test func aRollerSaysNothingOnContact() {
        var p = planner()
        #expect(p.event(event(.contact, level: .info), atMicroseconds: 0).isEmpty)
    }

    @Test func dailyPhrasesNameTheTimeAndRegion() {
        var p = planner()
        // As the pipeline sends it: the limit is the warning threshold, the daily limit is 300 s.
        #expect(p.event(event(.dailyWarning, value: 240, limit: 240), atMicroseconds: 0).map(\.text) == ["One minute left today."])
        #expect(p.event(event(.dailyLimit, level: .stop, value: 300, limit: 300), atMicroseconds: 100_000).map(\.text)
                == ["Time's up for the lower back today."])
    }

    @Test func endsAndRoutineEventsAreSilent() {
        let p = planner()
        for reason in [EventReason.zoneCaution, .zoneStop, .loadOnSpine, .contact, .zoneLight] {
            #expect(p.phrase(for: event(reason, .end)) == nil)
        }
        #expect(p.phrase(for: event(.droppedSamples)) == nil)
        #expect(p.phrase(for: event(.deviceDisconnected, .end, level: .info))?.0 == .sensorBack)
    }

    @Test func everyPhraseASessionCanSayIsListedForSynthesis() {
        for profile in Profile.builtIn {
            let listed = Set(CuePlanner.phrases(for: profile))
            let p = planner(profile)
            for reason in EventReason.allCases {
                for phase in EventPhase.allCases {
                    for level in AlertLevel.allCases {
                        if let (phrase, _) = p.phrase(for: event(reason, phase, level: level,
                                                                 value: profile.limits.dailyWarningSeconds,
                                                                 limit: profile.limits.dailyWarningSeconds)) {
                            // A pain confirmation is joined from words the bank always makes.
                            let made = phrase.spokenParts.map { $0.allSatisfy(CuePhrase.painNotedVocabulary.contains) } ?? listed.contains(phrase)
                            #expect(made, "\(phrase) of \(reason) missing for \(profile.name)")
                        }
                    }
                }
            }
        }
    }
}

extension PlannedCue {
    var text: String { phrase.text }
}
