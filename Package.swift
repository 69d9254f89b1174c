// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sse-timeline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sse-timeline", targets: ["Daemon"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // A TOML 1.0 parser: every error of a document with its position, the source range of every value.
        .target(name: "TOML"),
        // toml-test's decoder protocol (TOML on stdin, tagged JSON on stdout) for scripts/toml-test.py.
        .executableTarget(name: "TOMLTestDecoder", dependencies: ["TOML"]),
        // The pure core: config model, parsing, recurrence, time zones, what comes due when.
        .target(
            name: "Timeline",
            dependencies: [
                "TOML",
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        // The default SSE timeline, embedded in the binary.
        .target(
            name: "DefaultTimeline",
            path: "Config",
            resources: [.embedInCode("timeline.toml")]
        ),
        // libsystemd: sd_journal_sendv and the journal reader.
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .executableTarget(
            name: "Daemon",
            dependencies: [
                "Timeline",
                "DefaultTimeline",
                "CSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "TimelineTests", dependencies: ["Timeline", "DefaultTimeline"], exclude: ["Fixtures"]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "Timeline"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"], exclude: ["toml-test"]),

        // ---- Fuzz targets (issue 6; Fuzz/README.md). Keep this block last. --------------------------------
        // One libFuzzer target per parser. `make fuzz` / `make fuzz-smoke` build them with -DFUZZING and
        // -sanitize=fuzzer,address into .build-fuzz; a plain `swift build` builds them as replayers of
        // their committed corpora and findings (`make fuzz-replay`). The Daemon-internal parsers are
        // compiled from symbolic links in Fuzz/<target>/Linked/, since an executable target cannot be imported.
        .systemLibrary(name: "CFuzzer", path: "Fuzz/CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "FuzzConfigLoader", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzConfigLoader"),
        .executableTarget(name: "FuzzRecurrenceRule", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzRecurrenceRule"),
        .executableTarget(name: "FuzzReminderOffset", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzReminderOffset"),
        .executableTarget(name: "FuzzZone", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzZone"),
        .executableTarget(name: "FuzzStateFile", dependencies: ["FuzzSupport"], path: "Fuzz/FuzzStateFile"),
        .executableTarget(name: "FuzzStderrLine", dependencies: ["FuzzSupport"], path: "Fuzz/FuzzStderrLine"),
        .executableTarget(name: "FuzzTOML", dependencies: ["FuzzSupport", "TOML"], path: "Fuzz/FuzzTOML"),
        .executableTarget(name: "FuzzTimeArgument", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzTimeArgument"),
        // ---- End of fuzz targets. ---------------------------------------------------------------------------
    ]
)
