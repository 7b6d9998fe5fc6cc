// swift-tools-version:5.4
// libFuzzer targets for RollSenseWire (docs/PROTOCOL.md). A separate package because SwiftPM
// renames an executable's `main` from tools-version 5.5 on, which clashes with libFuzzer's own
// `main` (see /work/shared/notes/platform-facts.md); it uses the main package by path.
// Build and run: Tools/fuzz/10-wire.sh (or `make fuzz`).
import PackageDescription

let package = Package(
    name: "RollSenseFuzz",
    dependencies: [
        .package(name: "RollSense", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzWireDecoder",
            dependencies: [.product(name: "RollSenseWire", package: "RollSense")]
        ),
        .executableTarget(
            name: "FuzzPlotterText",
            dependencies: [.product(name: "RollSenseWire", package: "RollSense")]
        ),
        .executableTarget(
            name: "FuzzCaptureReader",
            dependencies: [.product(name: "RollSenseStore", package: "RollSense")]
        ),
        .executableTarget(
            name: "FuzzProfileJSON",
            dependencies: [
                .product(name: "RollSenseSignal", package: "RollSense"),
                .product(name: "RollSenseWire", package: "RollSense"),
            ]
        ),
    ]
)
