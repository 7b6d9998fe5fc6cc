import Foundation
import Testing
@testable import RollSenseAudio
import RollSenseCues
import RollSenseSignal

@Suite struct WAVFileTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rollsense-wav-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesAHeaderSoxAndPlayersRead() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try WAVFile.write([0, 1000, -1000, 32767], sampleRate: 22_050, to: dir + "/a.wav")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/a.wav")))
        #expect(bytes.count == 44 + 8)
        #expect(Array(bytes[0..<4]) == Array("RIFF".utf8) && Array(bytes[8..<16]) == Array("WAVEfmt ".utf8))
        #expect(bytes[44..<52] == [0, 0, 0xE8, 0x03, 0x18, 0xFC, 0xFF, 0x7F])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.wav"])
    }

    @Test func aFailedWriteLeavesTheOldFileAndNoTemporary() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: WAVFileError.self) { try WAVFile.write([1, 2], sampleRate: 22_050, to: dir + "/no-such-folder/a.wav") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func refusesAnInputByAnyNameAndARecordingNotYetMade() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(FileManager.default.createFile(atPath: dir + "/s.wav", contents: Data([1])))
        #expect(throws: WAVFileError.wouldOverwriteInput(dir + "/./s.wav")) {
            try WAVFile.checkNotInput(dir + "/./s.wav", inputs: [dir + "/s.wav"])
        }
        #expect(throws: WAVFileError.self) { try WAVFile.checkNotInput(dir + "/new.wav", inputs: [dir + "/../\(URL(fileURLWithPath: dir).lastPathComponent)/new.wav"]) }
        try WAVFile.checkNotInput(dir + "/other.wav", inputs: [dir + "/s.wav"])
    }

    @Test func theTimelinePlacesCuesAtTheirSessionTimeAndCutsInterruptedOnes() {
        let bank = PhraseBank(sampleRate: 1000)
        var timeline = CueTimeline()
        timeline.zone(.target, atMicroseconds: 0)
        timeline.zone(.stop, atMicroseconds: 500_000)
        let track = timeline.render(bank: bank, endMicroseconds: 1_000_000, tone: true)
        #expect(track.count == 1000)
        #expect(track[0..<500].allSatisfy { $0 == 0 })
        #expect(track[510..<1000].contains { abs(Int($0)) > 5000 })
    }
}
