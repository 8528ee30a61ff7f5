// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode plus the upcoming
/// features that keep imports and existentials explicit (see shared STYLE.md).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .unsafeFlags(["-Xfrontend", "-require-explicit-sendable"]),
]

let package = Package(
    name: "Interlink",
    products: [
        .executable(name: "interlinkd", targets: ["interlinkd"]),
        .executable(name: "interlinkctl", targets: ["interlinkctl"]),
        .executable(name: "interlink-sim", targets: ["interlink-sim"]),
        .library(name: "Interlink", targets: ["Interlink"]),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // epoll and eventfd, from glibc's headers (nothing to link): the HTTP server's event loop.
        .systemLibrary(name: "CEventLoop"),
        .systemLibrary(name: "CSpawn"),
        .target(
            name: "Interlink",
            dependencies: ["CCurl", "CSQLite", "CCrypto", "CLibPQ", "CEventLoop"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "InterlinkSim",
            dependencies: ["Interlink"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "interlinkd",
            dependencies: ["Interlink"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "interlinkctl",
            dependencies: ["Interlink"],
            swiftSettings: strictSettings
        ),
        // Benchmarks that print figures; a development tool, not installed.
        .executableTarget(
            name: "interlink-bench",
            dependencies: ["Interlink", "InterlinkSim", "InterlinkTestSupport"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "interlink-sim",
            dependencies: ["Interlink", "InterlinkSim"],
            swiftSettings: strictSettings
        ),
        // The code paths libFuzzer drives (`make fuzz`); the regression tests replay found inputs.
        .target(
            name: "InterlinkFuzzTargets",
            dependencies: ["Interlink"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "interlink-fuzz",
            dependencies: ["InterlinkFuzzTargets"],
            swiftSettings: strictSettings
        ),
        // Shared by the test targets: temporary directories, built executables, the embedded simulator.
        .target(
            name: "InterlinkTestSupport",
            dependencies: ["Interlink", "InterlinkSim", "CSpawn"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "InterlinkTests",
            dependencies: ["Interlink", "InterlinkSim", "InterlinkTestSupport", "InterlinkFuzzTargets"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Interlink", "InterlinkSim", "InterlinkTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
