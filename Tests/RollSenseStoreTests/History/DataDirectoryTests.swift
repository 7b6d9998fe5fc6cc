import RollSenseStore
import Testing

@Suite struct DataDirectoryTests {
    @Test func theFlagWinsOverEverything() throws {
        let environment = ["ROLLSENSE_DATA_DIR": "/env", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"]
        #expect(try DataDirectory.resolve(flag: "/flag", environment: environment) == "/flag")
    }

    @Test func theOwnVariableWinsOverXDG() throws {
        let environment = ["ROLLSENSE_DATA_DIR": "/env", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"]
        #expect(try DataDirectory.resolve(flag: nil, environment: environment) == "/env")
    }

    @Test func xdgDataHomeThenHome() throws {
        #expect(try DataDirectory.resolve(flag: nil, environment: ["XDG_DATA_HOME": "/xdg", "HOME": "/home/u"]) == "/xdg/rollsense")
        #expect(try DataDirectory.resolve(flag: nil, environment: ["HOME": "/home/u"]) == "/home/u/.local/share/rollsense")
    }

    @Test func emptyOrRelativeValuesCountAsUnset() throws {
        let environment = ["ROLLSENSE_DATA_DIR": "", "XDG_DATA_HOME": "relative/dir", "HOME": "/home/u"]
        #expect(try DataDirectory.resolve(flag: "", environment: environment) == "/home/u/.local/share/rollsense")
    }

    @Test func nothingSetIsAClearError() {
        #expect(throws: HistoryError.noDataDirectory) { try DataDirectory.resolve(flag: nil, environment: [:]) }
    }

    @Test func creatingMakesParentsAndRefusesAFile() throws {
        let directory = TemporaryDirectory()
        try DataDirectory.create(directory.file("a/b/c"))
        try DataDirectory.create(directory.file("a/b/c"))
        writeBytes([1], to: directory.file("file"))
        #expect(throws: HistoryError.self) { try DataDirectory.create(directory.file("file")) }
    }
}
