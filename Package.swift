// swift-tools-version: 6.1
// Targets and import rules follow docs/ARCHITECTURE.md: Wire and Signal are pure, I/O lives in
// Device (and later Store), presentation in the rollsense executable.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "RollSense",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rollsense", targets: ["rollsense"]),
        .library(name: "RollSenseWire", targets: ["RollSenseWire"]),
        .library(name: "RollSenseSignal", targets: ["RollSenseSignal"]),
        .library(name: "RollSenseDevice", targets: ["RollSenseDevice"]),
        .library(name: "RollSenseStore", targets: ["RollSenseStore"]),
        .library(name: "RollSenseKit", targets: ["RollSenseKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // The live page's server (docs/WEB.md says why this one): small, on BSD sockets, no NIO.
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CUdev",
            pkgConfig: "libudev",
            providers: [.apt(["libudev-dev"])]
        ),
        .systemLibrary(name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .target(name: "RollSenseWire", swiftSettings: strictSettings),
        // The errno type and the host's monotonic clock, shared by Device, Store and Kit.
        .target(name: "RollSenseSystem", swiftSettings: strictSettings),
        // The live page for a phone: HTTP + WebSocket server, latest-value broadcast, QR code.
        .target(
            name: "RollSenseWeb",
            dependencies: [
                "CQRencode", .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            resources: [.embedInCode("Resources/page.html")],
            swiftSettings: strictSettings
        ),
        .target(name: "RollSenseSignal", dependencies: ["RollSenseWire"], swiftSettings: strictSettings),
        .target(
            name: "RollSenseDevice",
            dependencies: ["CUdev", "RollSenseWire", "RollSenseSystem"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rollsense",
            dependencies: [
                "RollSenseWire",
                "RollSenseSignal",
                "RollSenseDevice",
                "RollSenseStore",
                "RollSenseKit",
                "RollSenseSystem",
                "RollSenseCues",
                "RollSenseAudio",
                "RollSenseWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // A population of people and sessions drawn from the literature, blind to the thresholds:
        // it may not import RollSenseSignal nor read a profile (issue 24, docs/POPULATION.md).
        .target(name: "RollSensePopulation", swiftSettings: strictSettings),
        // Runs population sessions through the signal pipeline and scores its alerts against
        // the planted labels; shared by population-bench and the seeded slice in make test.
        .target(name: "RollSensePopulationScore", dependencies: ["RollSensePopulation", "RollSenseSignal", "RollSenseWire"],
                swiftSettings: strictSettings),
        .executableTarget(name: "population-bench", dependencies: ["RollSensePopulationScore", "RollSensePopulation", "RollSenseSignal"],
                          swiftSettings: strictSettings),
        .testTarget(name: "RollSensePopulationTests", dependencies: ["RollSensePopulationScore", "RollSensePopulation", "RollSenseSignal"],
                    swiftSettings: strictSettings),
        .executableTarget(
            name: "bench-signal",
            dependencies: ["RollSenseSignal", "RollSenseWire"],
            swiftSettings: strictSettings
        ),
        // Decoder benchmark, run by Tools/bench/10-wire-decoder.sh.
        .executableTarget(name: "bench-wire", dependencies: ["RollSenseWire"], swiftSettings: strictSettings),
        // What several test targets share: the runner of the built `rollsense` binary, SplitMix64.
        .target(name: "RollSenseTestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "RollSenseWireTests",
            dependencies: ["RollSenseWire", "RollSenseTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RollSenseSignalTests",
            dependencies: ["RollSenseSignal", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "RollSenseDeviceTests", dependencies: ["RollSenseDevice", "RollSenseSystem", "RollSenseTestSupport"], swiftSettings: strictSettings),
        // The real firmware under the simavr harness, for the firmware and reliability tests.
        .target(name: "RollSenseSimulatorSupport", dependencies: ["RollSenseWire", "RollSenseTestSupport"], path: "Tests/SimulatorSupport",
                swiftSettings: strictSettings),
        .testTarget(
            name: "RollSenseFirmwareTests", dependencies: ["RollSenseWire", "RollSenseSimulatorSupport"],
            swiftSettings: strictSettings),
        .target(
            name: "RollSenseStore",
            dependencies: ["RollSenseWire", "RollSenseSignal", "RollSenseSystem", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // A child process for the store's crash, permission and concurrency tests (kill -9 mid-write,
        // dropped privileges, a file size limit, a second ledger writer); not shipped.
        .executableTarget(name: "store-test-tool", dependencies: ["RollSenseStore"], swiftSettings: strictSettings),
        .testTarget(
            name: "RollSenseStoreTests",
            dependencies: ["RollSenseStore", "RollSenseWire", "RollSenseSignal", "RollSenseSystem", "RollSenseTestSupport", "store-test-tool", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RollSenseKit",
            dependencies: ["RollSenseWire", "RollSenseSignal", "RollSenseSystem", "RollSenseDevice", "RollSenseStore"],
            swiftSettings: strictSettings
        ),
        // Voice and tone (issue 14): the pure cue planner and tone patterns, then speech (espeak-ng),
        // ALSA output and the WAV renderer.
        .target(name: "RollSenseCues", dependencies: ["RollSenseSignal"], swiftSettings: strictSettings),
        .target(
            name: "RollSenseAudio",
            dependencies: ["CEspeakNG", "CALSA", "RollSenseCues", "RollSenseSignal", "RollSenseKit", "RollSenseSystem"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RollSenseCuesTests",
            dependencies: ["RollSenseCues", "RollSenseAudio", "RollSenseSignal"],
            swiftSettings: strictSettings
        ),
        // Runs the built `rollsense` binary: commands end to end, the terminal view under tmux.
        .testTarget(
            name: "RollSenseKitTests",
            dependencies: ["RollSenseKit", "RollSenseDevice", "RollSenseSignal", "RollSenseWire"],
            swiftSettings: strictSettings
        ),
        // Headless Chromium over the DevTools protocol and a small WebSocket client, for the live
        // page's tests and bench; not shipped.
        .target(name: "RollSenseBrowserSupport", dependencies: ["RollSenseTestSupport"], path: "Tests/BrowserSupport", swiftSettings: strictSettings),
        .executableTarget(name: "bench-web", dependencies: ["RollSenseBrowserSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "RollSenseCLITests",
            dependencies: ["RollSenseKit", "rollsense", "RollSenseSimulatorSupport", "RollSenseBrowserSupport", "RollSenseTestSupport"],
            swiftSettings: strictSettings
        ),
        // Evidence (issue 8): deterministic wire-byte scenarios shared by the reliability tests
        // and the soak run; not shipped.
        .target(name: "RollSenseScenario", dependencies: ["RollSenseWire"], swiftSettings: strictSettings),
        .executableTarget(
            name: "soak",
            dependencies: ["RollSenseScenario", "RollSenseWire", "RollSenseSignal", "RollSenseStore", "RollSenseSimulatorSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RollSenseReliabilityTests",
            dependencies: ["RollSenseScenario", "RollSenseWire", "RollSenseSignal", "RollSenseStore", "RollSenseSimulatorSupport"],
            swiftSettings: strictSettings
        ),
        // replay, report, export and history run as the built binary; CaptureByteSource in process.
        .testTarget(
            name: "RollSenseCommandsTests",
            dependencies: ["RollSenseKit", "RollSenseStore", "RollSenseWire", "rollsense", "RollSenseTestSupport"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
