import Foundation
import RollSenseSignal
import RollSenseStore
import Testing

@Suite("JSON text and fixed decimals")
struct JSONTextTests {
    @Test func controlCharactersAreEscaped() {
        #expect(JSONText.string("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONText.string("line\nreturn\rtab\t") == #""line\nreturn\rtab\t""#)
        #expect(JSONText.string("\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}\u{1f}") == #""\u0000\u0001\u0008\u000b\u000c\u001b\u001f""#)
        // Space and everything above it pass unchanged, multi-byte characters too.
        #expect(JSONText.string(" ~\u{7f}é€💪") == "\" ~\u{7f}é€💪\"")
    }

    @Test func everyControlCharacterGivesValidJSON() throws {
        let all = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let literal = JSONText.string(all)
        #expect(!literal.unicodeScalars.dropFirst().dropLast().contains { $0.value < 0x20 })
        // Foundation's parser is the independent check that the escapes mean what they say.
        #expect(try JSONDecoder().decode(String.self, from: Data(literal.utf8)) == all)
    }

    @Test func fixedDecimalRoundsWithoutALocale() {
        #expect(fixedDecimal(1.5, digits: 3) == "1.500")
        #expect(fixedDecimal(-0.0004, digits: 3) == "0.000")
        #expect(fixedDecimal(-2.25, digits: 1) == "-2.3")
        #expect(fixedDecimal(12.345, digits: 0) == "12")
        #expect(fixedDecimal(0.05, digits: 2) == "0.05")
        #expect(fixedDecimal(.nan, digits: 2) == nil)
        #expect(fixedDecimal(-.infinity, digits: 2) == nil)
    }

    @Test func hugeValuesDoNotOverflow() {
        // Int(1e300) would trap; past 2^53 units the value is written in its shortest form.
        #expect(fixedDecimal(1e300, digits: 3) == "1e+300")
        #expect(fixedDecimal(-9.3e18, digits: 0) == "-9.3e+18")
        #expect(fixedDecimal(8_999_999_999_999.0, digits: 3) == "8999999999999.000")
    }

    @Test func eventLineIsJSON() throws {
        let line = JSONText.eventLine(ReportTestData.event(.zone, .caution, .start, .zoneCaution, atIndex: 300), sessionSeconds: 3, message: "pressure high: ease off")
        #expect(line.hasPrefix("{\"type\":\"event\",\"t\":3.000,\"kind\":\"zone\",\"level\":\"caution\",\"phase\":\"start\",\"reason\":\"zoneCaution\""))
    }
}
