// swift-tools-version: 6.2
//
// STGConvNet: spatial-temporal generative ConvNet (Xie, Zhu, Wu, CVPR 2017) in Swift.
//
// Modules, dependencies one way:
//   STGCommand (CLI) → STGConvNet (model) → STGKernels (conv3d, GEMM) → STGTensor (tensor core)
//                    ↘ STGRecovery (masks, baselines, metrics) ↘   ↘ CPrefetch (prefetch, header only)
//                                          STGMedia (video and mask I/O) → CZlib (system zlib)
import PackageDescription

/// Kernels are written with SIMD types; without a target CPU, `addProduct` becomes a call to
/// `fmaf` and runs 100× slower. Release builds target the CPU they are built on.
/// Set STGCONVNET_TARGET_CPU to choose another (for example `x86-64-v3` for a portable binary).
let targetCPU = Context.environment["STGCONVNET_TARGET_CPU"] ?? "native"
var optimized: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", targetCPU], .when(configuration: .release))
]
#if !arch(x86_64) && !arch(arm64)
optimized = []
#endif

let package = Package(
    name: "STGConvNet",
    products: [
        .library(name: "STGConvNet", targets: ["STGConvNet", "STGRecovery", "STGMedia", "STGKernels", "STGTensor"]),
        // Media I/O alone (codecs, video input/output), e.g. for the fuzz harnesses in Fuzz/.
        .library(name: "STGMedia", targets: ["STGMedia"]),
        .executable(name: "stgconvnet", targets: ["STGCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "STGTensor", swiftSettings: optimized),
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        .target(name: "STGKernels", dependencies: ["STGTensor", "CPrefetch"], swiftSettings: optimized),
        .target(name: "STGMedia", dependencies: ["CZlib"], swiftSettings: optimized),
        .target(name: "STGRecovery", dependencies: ["STGMedia", "STGTensor"], swiftSettings: optimized),
        .target(
            name: "STGConvNet", dependencies: ["STGTensor", "STGKernels", "STGMedia"],
            swiftSettings: optimized),
        .executableTarget(
            name: "STGCommand",
            dependencies: [
                "STGConvNet", "STGRecovery", "STGMedia", "STGKernels", "STGTensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimized),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "KernelTests", dependencies: ["STGKernels", "STGTensor", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "MediaTests", dependencies: ["STGMedia", "TestSupport"], swiftSettings: optimized),
        .testTarget(
            name: "ModelTests", dependencies: ["STGConvNet", "STGMedia", "STGKernels", "STGTensor", "TestSupport"],
            swiftSettings: optimized),
        .testTarget(name: "RecoveryTests", dependencies: ["STGRecovery", "STGMedia", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "CommandTests", dependencies: ["STGCommand", "TestSupport"]),
    ]
)
