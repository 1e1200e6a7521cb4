// swift-tools-version:6.0
import PackageDescription

// The compute kernels are written with SIMD vector types. Without target flags the compiler lowers their fused
// multiply-adds to scalar calls (~100x slower), so each kernel family is a target of its own with its flags:
// KernelsAVX2 (8-float vectors, FMA) and KernelsAVX512 (16-float vectors) on x86-64; KernelsPortable has none.
// The loops written once for all of them (KernelLoops) are inlined into each family's target and compiled
// there. Everything else, NeuralNetwork included, has no target flags, so it runs on any x86-64 CPU; the
// family is chosen at run time (Sources/NeuralNetwork/Engine/KernelFamily.swift).
#if arch(x86_64)
let avx2Flags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"])]
let avx512Flags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mavx512f", "-Xcc", "-mavx512vl", "-Xcc", "-mavx2", "-Xcc", "-mfma"])]
#else
let avx2Flags: [SwiftSetting] = []
let avx512Flags: [SwiftSetting] = []
#endif

// The studio's pages (Sources/DigitsStudio/Web): HTML, CSS and the parts of each page's script.
let studioPageFiles = [
    "draw.html", "model.html", "train.html", "status_toast.html", "studio.css", "model.css", "train.css",
    "core.js", "drawing.js", "predict.js", "predict_view.js", "feedback.js", "samples.js", "training_chart.js", "training.js",
    "model_panel.js", "number_mode.js", "draw_start.js", "insights.js", "live_training.js", "model_start.js",
    "table.js", "recipe_form.js", "train_job.js", "versions.js", "comparison.js", "train_start.js",
]

let package = Package(
    name: "digits",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "digits", targets: ["digits"]),
        .executable(name: "digits-bench", targets: ["Benchmarks"]),
        .library(name: "NeuralNetwork", targets: ["NeuralNetwork"]),
        .library(name: "DigitImage", targets: ["DigitImage"]),
        .library(name: "DigitsFiles", targets: ["DigitsFiles"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // zlib from the system (Debian: zlib1g-dev), for .gz files and PNG.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // What the CPU can run (CPUID, in C); the loops every kernel family compiles (KernelLoops, no flags of
        // its own); the families: micro-kernels and compiled loops for AVX-512, AVX2 + FMA, and any CPU.
        .target(name: "CPUFeatures"),
        .target(name: "KernelLoops"),
        .target(name: "KernelsAVX2", dependencies: ["KernelLoops"], swiftSettings: avx2Flags),
        .target(name: "KernelsAVX512", dependencies: ["KernelLoops"], swiftSettings: avx512Flags),
        .target(name: "KernelsPortable", dependencies: ["KernelLoops"]),
        // Core math, no I/O and no dependencies, in five folders: Engine (matrices, SIMD multiply, threads,
        // random numbers), Layers, Network (the stack, its architecture text, metrics), Training (losses,
        // optimizers, schedules, the trainer) and Augmentation.
        .target(name: "NeuralNetwork", dependencies: ["CPUFeatures", "KernelLoops", "KernelsAVX2", "KernelsAVX512", "KernelsPortable"]),
        // MNIST-style preprocessing of drawings and photos: pure functions on grayscale images.
        .target(name: "DigitImage"),
        // File formats: IDX, CSV, gzip, PNG/PGM, safetensors models and checkpoints, MNIST download.
        .target(name: "DigitsFiles", dependencies: ["NeuralNetwork", "DigitImage", "CZlib"]),
        // Figures as SVG and PNG (our charts, bitmap font and PNG writer) and the HTML model report.
        .target(name: "DigitsReport", dependencies: ["NeuralNetwork", "DigitsFiles"]),
        // User-drawn samples and studio model versions in SQLite (GRDB): records, named migrations, export.
        .target(
            name: "FeedbackStore",
            dependencies: ["NeuralNetwork", "DigitsFiles", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The drawing studio behind `digits serve`: Hummingbird application, controllers, embedded web page.
        .target(
            name: "DigitsStudio",
            dependencies: [
                "NeuralNetwork", "DigitImage", "DigitsFiles", "FeedbackStore", "DigitsReport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The pages as real files, compiled into the binary (it serves them with no files on disk).
            resources: studioPageFiles.map { .embedInCode("Web/\($0)") }
        ),
        // The `digits` subcommands, as a library so tests can parse and run them in-process.
        .target(
            name: "DigitsCommands",
            dependencies: [
                "NeuralNetwork", "DigitImage", "DigitsFiles", "DigitsStudio", "DigitsReport", "FeedbackStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(name: "digits", dependencies: ["DigitsCommands"]),
        // `swift run -c release digits-bench`: matrix-multiply GFLOP/s and layer timings (figures, not tests).
        .executableTarget(name: "Benchmarks", dependencies: ["NeuralNetwork", "DigitImage", "DigitsFiles"]),
        .testTarget(name: "NeuralNetworkTests", dependencies: ["NeuralNetwork", "KernelLoops", "KernelsAVX2", "KernelsPortable"]),
        .testTarget(name: "DigitImageTests", dependencies: ["DigitImage"]),
        .testTarget(name: "DigitsFilesTests", dependencies: ["DigitsFiles", "NeuralNetwork", "DigitImage"]),
        .testTarget(name: "DigitsReportTests", dependencies: ["DigitsReport", "DigitsFiles", "NeuralNetwork"]),
        .testTarget(name: "FeedbackStoreTests", dependencies: ["FeedbackStore", "NeuralNetwork", "DigitsFiles"]),
        .testTarget(
            name: "DigitsStudioTests",
            dependencies: [
                "DigitsStudio", "FeedbackStore", "DigitImage", "DigitsFiles", "NeuralNetwork",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "DigitsCommandsTests",
            dependencies: [
                "DigitsCommands", "DigitsFiles", "NeuralNetwork", "FeedbackStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v5]
)
