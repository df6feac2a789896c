// swift-tools-version: 6.2
//
// libFuzzer harnesses for the native decoders (PNG, GIF, MAT-file). A separate package so the
// main build never needs the fuzzer runtime. See README.md for how to build and run them.
import PackageDescription

/// Each harness defines `LLVMFuzzerTestOneInput` and an `@main` that hands it to libFuzzer's
/// driver: on Linux SwiftPM renames an executable's entry point to `<Target>_main` and links
/// `main` to it, so libFuzzer's own `main` is never used.
let harness: [SwiftSetting] = []

let package = Package(
    name: "STGConvNetFuzz",
    dependencies: [.package(name: "STGConvNet", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzPNG", dependencies: [.product(name: "STGMedia", package: "STGConvNet")], swiftSettings: harness),
        .executableTarget(
            name: "FuzzGIF", dependencies: [.product(name: "STGMedia", package: "STGConvNet")], swiftSettings: harness),
        .executableTarget(
            name: "FuzzMAT", dependencies: [.product(name: "STGMedia", package: "STGConvNet")], swiftSettings: harness),
    ]
)
