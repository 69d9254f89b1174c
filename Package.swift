// swift-tools-version:6.1
import PackageDescription

// Dependencies are pinned to the versions tested: Package.resolved stays out of git here (the local package
// mirror's commit ids are not upstream's), so the manifest alone decides what a fresh clone builds.
let package = Package(
    name: "sse-timeline",
    products: [
        .executable(name: "sse-timeline", targets: ["CLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
    ],
    targets: [
        // The pure core: config model, parsing, recurrence, time zones, what comes due when. Takes "now" as an
        // argument; never sleeps, reads a clock or logs.
        .target(
            name: "Timeline",
            dependencies: [
                "TOML",
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        // glibc's gettext for the messages people read: the text domain, its catalogs, the language (po/).
        .target(name: "Gettext", dependencies: ["Timeline", "CGettext"]),
        // libintl.h, which the Glibc module does not import.
        .systemLibrary(name: "CGettext"),
        // A TOML 1.0 parser: every error of a document with its position, the source range of every value.
        .target(name: "TOML"),
        // toml-test's decoder protocol (TOML on stdin, tagged JSON on stdout) for scripts/toml-test.py.
        .executableTarget(name: "TOMLTestDecoder", dependencies: ["TOML"]),
        // The write-back of dismissals as a command, for integration/icalendar/writeback.py.
        .executableTarget(name: "ICalendarWriteBack", dependencies: ["Timeline"]),
        // The default SSE timeline, embedded in the binary.
        .target(
            name: "DefaultTimeline",
            path: "Config",
            resources: [.embedInCode("timeline.toml")]
        ),
        // libsystemd's headers: sd-event (the loop), sd-journal, sd-daemon, sd-bus, sd-login.
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // The sd-bus vtable macros, one C function per kind of entry: Swift cannot write the bit-fields they fill.
        .target(name: "CSystemdBus", dependencies: ["CSystemd"]),
        // libcurl for `sse-timeline fetch`, opened with dlopen() when a feed is fetched (the daemon never maps it).
        .target(name: "CCurl"),
        // Linux system calls Glibc does not import in a usable form (timerfd, prctl, malloc_trim).
        .systemLibrary(name: "CLinux"),
        // The daemon as a library: the sd-event loop, the journal, systemd, the state, the scheduler, the config
        // files. Imported by the command line, the tests and the fuzz targets.
        .target(
            name: "Daemon",
            dependencies: [
                "Timeline",
                "Gettext",
                "DefaultTimeline",
                "CSystemd",
                "CSystemdBus",
                "CLinux",
                "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Test support: a manual clock, memory sinks, a scheduler harness. Never linked into the shipped binary.
        .target(
            name: "DaemonTesting",
            dependencies: ["Daemon", "Timeline", .product(name: "Logging", package: "swift-log")]
        ),
        // Writes the CLI's BuildInfo.swift before every build: `sse-timeline --version` (scripts/build-info.sh).
        .plugin(name: "BuildInfo", capability: .buildTool()),
        // The `sse-timeline` command: only the command-line commands.
        .executableTarget(
            name: "CLI",
            dependencies: [
                "Daemon",
                "Gettext",
                "Timeline",
                "TOML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            plugins: ["BuildInfo"]
        ),
        .testTarget(name: "TimelineTests", dependencies: ["Timeline", "DefaultTimeline"], exclude: ["Fixtures"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"], exclude: ["toml-test"]),
        // The `sse-timeline` binary run as a user and systemd run it (built by `swift build`, found beside the tests).
        .testTarget(name: "CommandLineTests", dependencies: ["DaemonTesting"]),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "DaemonTesting", "Timeline", .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        // ---- Fuzz targets (Fuzz/README.md). Keep this block last. ---------------------------------------------
        // One libFuzzer target per parser. `make fuzz` / `make fuzz-smoke` build them with -DFUZZING and
        // -sanitize=fuzzer,address into .build-fuzz; a plain `swift build` builds them as replayers of
        // their committed corpora and findings (`make fuzz-replay`).
        .systemLibrary(name: "CFuzzer", path: "Fuzz/CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "FuzzConfigLoader", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzConfigLoader"),
        .executableTarget(name: "FuzzRecurrenceRule", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzRecurrenceRule"),
        .executableTarget(name: "FuzzReminderOffset", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzReminderOffset"),
        .executableTarget(name: "FuzzZone", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzZone"),
        .executableTarget(name: "FuzzStateFile", dependencies: ["FuzzSupport", "Daemon"], path: "Fuzz/FuzzStateFile"),
        .executableTarget(name: "FuzzStderrLine", dependencies: ["FuzzSupport", "Daemon"], path: "Fuzz/FuzzStderrLine"),
        .executableTarget(name: "FuzzTOML", dependencies: ["FuzzSupport", "TOML"], path: "Fuzz/FuzzTOML"),
        .executableTarget(name: "FuzzTimeArgument", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzTimeArgument"),
        .executableTarget(name: "FuzzICalendar", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzICalendar"),
        .executableTarget(name: "FuzzAlarmWriteBack", dependencies: ["FuzzSupport", "Timeline"], path: "Fuzz/FuzzAlarmWriteBack"),
        // ---- End of fuzz targets. ---------------------------------------------------------------------------
    ]
)
