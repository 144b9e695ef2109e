// swift-tools-version:6.2
// Weft: a peer-to-peer indicator-sharing node. See docs/architecture.md for the module map.

import PackageDescription

/// Swift 6 language mode with complete strict concurrency checking for every target.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "weft",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "weft", targets: ["weft"]),
        .library(name: "WeftCore", targets: ["WeftCore"]),
        .library(name: "WeftStore", targets: ["WeftStore"]),
        .library(name: "WeftHashing", targets: ["WeftHashing"]),
        .library(name: "WeftInterop", targets: ["WeftInterop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Records, canonical JSON, DSSE envelopes, origin keys and bundles. No I/O beyond key files.
        .target(
            name: "WeftCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Debian's libpng (libpng-dev), through its simplified png_image API.
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        // Debian's libjpeg-turbo (libjpeg62-turbo-dev) for linking; our C wrapper keeps its longjmp out of Swift.
        .systemLibrary(
            name: "CLibJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]
        ),
        .target(name: "CJPEGDecode", dependencies: ["CLibJPEG"]),
        // Turns a platform's raw signals into indicators: PDQ (bit-exact with Meta's reference), image decoding.
        .target(
            name: "WeftHashing",
            dependencies: ["WeftCore", "CLibPNG", "CJPEGDecode", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Seeded scenarios with ground truth (platform exports, operations, hard negatives) and the scorer.
        .target(
            name: "WeftScenario",
            dependencies: ["WeftCore", "WeftHashing", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The platform side: hashes a platform's raw export and turns its flagged cases into cases and reports.
        .target(
            name: "WeftIngest",
            dependencies: ["WeftCore", "WeftHashing"],
            swiftSettings: strictSettings
        ),
        // The merge: the evidence graph over a node's merged view, and the operations it reveals.
        .target(
            name: "WeftAnalysis",
            dependencies: ["WeftCore", "WeftHashing", "WeftStore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The system SQLite's process-wide settings (sqlite3_config is variadic: C only).
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        // SQLite through GRDB: bundle logs, derived tables, audit log, the verification pipeline.
        .target(
            name: "WeftStore",
            dependencies: [
                "WeftCore", "CSQLiteSetup",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Other formats in and out: published takedown reports (Meta threat-research CSV) for now.
        .target(
            name: "WeftInterop",
            dependencies: ["WeftCore", "WeftHashing", "WeftStore"],
            swiftSettings: strictSettings
        ),
        // The peer protocol over mutual TLS: wire types, the NIO client, the pull loop, the sync routes, trust gate.
        .target(
            name: "WeftSync",
            dependencies: [
                "WeftCore", "WeftStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The running node: Hummingbird on mutual TLS, the pull loop, health and metrics, under a ServiceGroup.
        .target(
            name: "WeftServer",
            dependencies: [
                "WeftCore", "WeftStore", "WeftSync", "WeftAnalysis", "WeftHashing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The one command-line tool.
        .executableTarget(
            name: "weft",
            dependencies: [
                "WeftCore",
                "WeftStore",
                "WeftHashing",
                "WeftInterop",
                "WeftSync",
                "WeftServer",
                "WeftScenario",
                "WeftIngest",
                "WeftAnalysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Tests' temporary files, in one folder per test process that is removed at exit.
        .target(name: "TestScratch", path: "Tests/TestScratch", swiftSettings: strictSettings),
        .testTarget(
            name: "WeftCoreTests",
            dependencies: ["TestScratch", "WeftCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WeftStoreTests",
            dependencies: [
                "TestScratch", "WeftCore", "WeftStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WeftHashingTests",
            dependencies: ["WeftHashing", "WeftCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WeftInteropTests",
            dependencies: ["TestScratch", "WeftInterop", "WeftHashing", "WeftStore", "WeftCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WeftScenarioTests",
            dependencies: ["TestScratch", "WeftScenario", "WeftIngest", "WeftHashing", "WeftCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WeftAnalysisTests",
            dependencies: [
                "TestScratch", "WeftAnalysis", "WeftScenario", "WeftIngest", "WeftStore", "WeftHashing", "WeftCore",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WeftSyncTests",
            dependencies: ["WeftSync", "WeftStore", "WeftCore"],
            swiftSettings: strictSettings
        ),
        // Runs the built `weft` binary as a subprocess on temporary node homes (and drives a few server parts
        // directly).
        .testTarget(
            name: "WeftCLITests",
            dependencies: [
                "TestScratch", "weft", "WeftCore", "WeftHashing", "WeftStore", "WeftAnalysis", "WeftServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
