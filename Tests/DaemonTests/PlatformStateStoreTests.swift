import DaemonTesting
import Glibc
import Testing

@testable import Daemon

@Suite struct StateStoreTests {
    let directory = TemporaryDirectory()
    var store: StateStore { StateStore(directory: directory.path) }

    static let sample = DeliveryState(
        watermark: 1_717_315_200,
        sentAfterWatermark: ["exam@1717318800", "key with spaces", "ü"]
    )

    @Test func firstStartHasNoWatermark() throws {
        #expect(try store.load() == DeliveryState())
    }

    @Test func commitThenLoadRoundTrips() throws {
        try store.commit(Self.sample)
        #expect(try store.load() == Self.sample)
        #expect(try StateStore(directory: directory.path + "/").load() == Self.sample)
        try store.commit(DeliveryState(watermark: nil, sentAfterWatermark: ["x"]))
        #expect(try store.load() == DeliveryState(watermark: nil, sentAfterWatermark: ["x"]))
        #expect(!fileExists(directory.file("state.tmp")))
    }

    @Test func writesTheDocumentedFormat() throws {
        try store.commit(DeliveryState(watermark: 42, sentAfterWatermark: ["b", "a"]))
        let text = String(decoding: try #require(readFile(directory.file("state"))), as: UTF8.self)
        let body = "sse-timeline-state 1\nwatermark 42\nsent a\nsent b\n"
        #expect(text.hasPrefix(body))
        let checksum = String(StateStore.fnv1a64(Array(body.utf8)), radix: 16)
        #expect(text == body + "checksum " + String(repeating: "0", count: 16 - checksum.count) + checksum + "\n")
    }

    @Test func fnv1a64MatchesTheReferenceValues() {
        #expect(StateStore.fnv1a64(Array("".utf8)) == 0xcbf2_9ce4_8422_2325)
        #expect(StateStore.fnv1a64(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(StateStore.fnv1a64(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
    }

    @Test func recordedKeysSurviveWithoutCommit() throws {
        try store.commit(Self.sample)
        let writer = store
        _ = try writer.load()
        try writer.recordSent(key: "late one")
        try writer.recordSent(key: "late two")
        // A new store, as after kill -9: the log is read back.
        var expected = Self.sample
        expected.sentAfterWatermark.formUnion(["late one", "late two"])
        #expect(try store.load() == expected)
        #expect(
            String(decoding: try #require(readFile(directory.file("sent.log"))), as: UTF8.self)
                == "late one\nlate two\n"
        )
    }

    @Test func commitEmptiesTheLog() throws {
        let writer = store
        _ = try writer.load()
        try writer.recordSent(key: "a")
        try writer.commit(DeliveryState(watermark: 100, sentAfterWatermark: []))
        #expect(readFile(directory.file("sent.log")) == [])
        #expect(try store.load() == DeliveryState(watermark: 100, sentAfterWatermark: []))
        // The log keeps working after being emptied.
        try writer.recordSent(key: "b")
        #expect(try store.load() == DeliveryState(watermark: 100, sentAfterWatermark: ["b"]))
    }

    @Test func recordSentWorksWithoutLoad() throws {
        try store.recordSent(key: "k")
        #expect(try store.load().sentAfterWatermark == ["k"])
    }

    @Test func tornLastLogLineIsIgnored() throws {
        writeFile(directory.file("sent.log"), Array("one\ntwo\n\nthr".utf8))
        #expect(try store.load() == DeliveryState(watermark: nil, sentAfterWatermark: ["one", "two"]))
    }

    @Test func logLinesWithNULAreIgnored() {
        #expect(StateStore.keys(inLog: [0x61, 0x0a, 0x00, 0x00, 0x0a, 0x62, 0x0a]) == ["a", "b"])
        #expect(StateStore.keys(inLog: []) == [])
    }

    @Test func aTornLogTailDoesNotSwallowTheNextKey() throws {
        // A crash in the middle of an append left "to" without its newline.
        writeFile(directory.file("sent.log"), Array("done\nto".utf8))
        let writer = store
        #expect(try writer.load().sentAfterWatermark == ["done"])
        try writer.recordSent(key: "next")
        #expect(try store.load().sentAfterWatermark == ["done", "next"])
    }

    @Test func everyTruncationOfTheSnapshotIsDetected() throws {
        try store.commit(Self.sample)
        let full = try #require(readFile(directory.file("state")))
        for length in 0..<full.count {
            writeFile(directory.file("state"), Array(full[..<length]))
            do {
                let state = try store.load()
                Issue.record("length \(length) of \(full.count) loaded as \(state)")
            } catch {
                #expect(error.code == .corruptSnapshot, "length \(length): \(error)")
            }
        }
        writeFile(directory.file("state"), full)
        #expect(try store.load() == Self.sample)
    }

    @Test func everyFlippedByteIsDetected() throws {
        try store.commit(Self.sample)
        let full = try #require(readFile(directory.file("state")))
        let magicLength = StateStore.magic.utf8.count
        for index in full.indices {
            var damaged = full
            damaged[index] ^= 0x20
            writeFile(directory.file("state"), damaged)
            do {
                let state = try store.load()
                Issue.record("byte \(index) flipped loaded as \(state)")
            } catch {
                // A damaged first line no longer names our format; anything after it fails the checksum.
                let expected: StateStoreError.Code = index <= magicLength ? .foreignFile : .corruptSnapshot
                #expect(error.code == expected, "byte \(index): \(error)")
            }
        }
    }

    @Test(arguments: [
        "garbage",
        "#!/bin/sh\necho hi\n",
        "sse-timeline-state 4\nwatermark 5\nchecksum 0000000000000000\n",
    ])
    func foreignFilesAreRejected(content: String) throws {
        writeFile(directory.file("state"), Array(content.utf8))
        let error = try #require(throws: StateStoreError.self) { try store.load() }
        #expect(error.code == .foreignFile)
        #expect(error.path == directory.file("state"))
    }

    @Test func checksummedNonsenseIsCorrupt() throws {
        let body = "sse-timeline-state 1\nwatermark soon\n"
        let checksum = String(StateStore.fnv1a64(Array(body.utf8)), radix: 16)
        writeFile(
            directory.file("state"),
            Array((body + "checksum " + String(repeating: "0", count: 16 - checksum.count) + checksum + "\n").utf8)
        )
        let error = try #require(throws: StateStoreError.self) { try store.load() }
        #expect(error.code == .corruptSnapshot)
        #expect(error.detail.contains("soon"))
    }

    @Test func quarantineMovesTheSnapshotAside() throws {
        writeFile(directory.file("state"), Array("garbage".utf8))
        #expect(throws: StateStoreError.self) { try store.load() }
        #expect(try store.quarantineSnapshot() == directory.file("state.bad"))
        #expect(try store.load() == DeliveryState())
        #expect(readFile(directory.file("state.bad")) == Array("garbage".utf8))
    }

    @Test func missingDirectoryIsReported() throws {
        let error = try #require(throws: StateStoreError.self) {
            try StateStore(directory: directory.file("missing")).load()
        }
        #expect(error.code == .directoryMissing)
        #expect(!fileExists(directory.file("missing")))
    }

    @Test func aFileInsteadOfADirectoryIsReported() throws {
        writeFile(directory.file("file"), [])
        let notADirectory = try #require(throws: StateStoreError.self) {
            try StateStore(directory: directory.file("file")).load()
        }
        #expect(notADirectory.code == .directoryUnusable)
        // A path whose parent is a regular file: ENOTDIR.
        let underAFile = try #require(throws: StateStoreError.self) {
            try StateStore(directory: directory.file("file/state")).commit(Self.sample)
        }
        #expect(underAFile.code == .directoryUnusable)
    }

    @Test func diskFullDuringCommitKeepsThePreviousSnapshot() throws {
        try store.commit(Self.sample)
        // The temporary file is a symlink to /dev/full: every write fails with ENOSPC.
        #expect(symlink("/dev/full", directory.file("state.tmp")) == 0)
        let error = try #require(throws: StateStoreError.self) {
            try store.commit(DeliveryState(watermark: 1, sentAfterWatermark: []))
        }
        #expect(error.code == .diskFull)
        #expect(error.errno == .noSpace)
        #expect(try store.load() == Self.sample)
        #expect(!fileExists(directory.file("state.tmp")))
    }

    @Test func diskFullWhileRecordingIsReported() throws {
        #expect(symlink("/dev/full", directory.file("sent.log")) == 0)
        let error = try #require(throws: StateStoreError.self) { try store.recordSent(key: "k") }
        #expect(error.code == .diskFull)
    }
}

/// Runs against real small and read-only file systems: needs root to mount a tmpfs.
@Suite(.serialized, .enabled(if: geteuid() == 0)) struct StateStoreFileSystemTests {
    let directory = TemporaryDirectory()

    /// Mounts a tmpfs with `options` on the temporary directory for the duration of `body`.
    func withTmpfs(options: String, _ body: () throws -> Void) throws {
        guard mount("tmpfs", directory.path, "tmpfs", 0, options) == 0 else {
            Issue.record("cannot mount a tmpfs here (errno \(errno)); the small-disk tests did not run")
            return
        }
        defer { umount2(directory.path, Int32(MNT_DETACH)) }
        try body()
    }

    @Test func fullFileSystemFailsTheCommitAndKeepsThePreviousSnapshot() throws {
        try withTmpfs(options: "size=16k") {
            let store = StateStore(directory: directory.path)
            let small = DeliveryState(watermark: 7, sentAfterWatermark: ["a"])
            try store.commit(small)
            let huge = DeliveryState(watermark: 8, sentAfterWatermark: Set((0..<5_000).map { "key-\($0)-padding" }))
            let error = try #require(throws: StateStoreError.self) { try store.commit(huge) }
            #expect(error.code == .diskFull)
            #expect(try store.load() == small)
            #expect(!fileExists(directory.file("state.tmp")))
        }
    }

    @Test func readOnlyFileSystemIsReportedAtLoad() throws {
        try withTmpfs(options: "size=16k") {
            try StateStore(directory: directory.path).commit(DeliveryState(watermark: 3, sentAfterWatermark: []))
        }
        try withTmpfs(options: "size=16k") {
            // A fresh read-only mount: nothing there, and nothing can be created.
            guard mount("tmpfs", directory.path, "tmpfs", UInt(MS_REMOUNT | MS_RDONLY), "size=16k") == 0 else {
                Issue.record("cannot remount read-only (errno \(errno))")
                return
            }
            let store = StateStore(directory: directory.path)
            let loadError = try #require(throws: StateStoreError.self) { try store.load() }
            #expect(loadError.code == .readOnly)
            #expect(loadError.errno == .readOnlyFileSystem)
            let commitError = try #require(throws: StateStoreError.self) {
                try store.commit(DeliveryState(watermark: 4, sentAfterWatermark: []))
            }
            #expect(commitError.code == .readOnly)
        }
    }
}

/// The state's follow-ups (snoozes, dismissals): version 2 snapshots, records in the log, version 1 still read.
@Suite struct StateStoreFollowUpTests {
    let directory = TemporaryDirectory()
    var store: StateStore { StateStore(directory: directory.path) }

    static let withFollowUps = DeliveryState(
        watermark: 100,
        sentAfterWatermark: ["a"],
        followUps: FollowUps(snoozed: ["k|2030-01-01T12:00:00|1 hour before": 700], dismissedAhead: ["d": 900])
    )

    @Test func aVersion1FileOfTodayIsStillRead() throws {
        let body = "sse-timeline-state 1\nwatermark 42\nsent a\n"
        let checksum = String(StateStore.fnv1a64(Array(body.utf8)), radix: 16)
        let text = body + "checksum " + String(repeating: "0", count: 16 - checksum.count) + checksum + "\n"
        writeFile(directory.file("state"), Array(text.utf8))
        #expect(try store.load() == DeliveryState(watermark: 42, sentAfterWatermark: ["a"]))
    }

    @Test func followUpsAreWrittenAsVersion2AndWithoutThemAsVersion1() throws {
        try store.commit(Self.withFollowUps)
        let text = String(decoding: try #require(readFile(directory.file("state"))), as: UTF8.self)
        #expect(
            text.hasPrefix(
                "sse-timeline-state 2\nwatermark 100\nsent a\nsnooze 700 k|2030-01-01T12:00:00|1 hour before\ndismiss 900 d\n"
            )
        )
        #expect(try store.load() == Self.withFollowUps)
        try store.commit(DeliveryState(watermark: 100))
        let plain = String(decoding: try #require(readFile(directory.file("state"))), as: UTF8.self)
        #expect(plain.hasPrefix("sse-timeline-state 1\n"))
    }

    @Test func aVersion1FileWithAFollowUpLineIsCorrupt() throws {
        let body = "sse-timeline-state 1\nwatermark 42\nsnooze 5 k\n"
        let checksum = String(StateStore.fnv1a64(Array(body.utf8)), radix: 16)
        let text = body + "checksum " + String(repeating: "0", count: 16 - checksum.count) + checksum + "\n"
        writeFile(directory.file("state"), Array(text.utf8))
        #expect(throws: StateStoreError.self) { try store.load() }
    }

    @Test func recordsInTheLogAreReplayedInOrderOverTheSnapshot() throws {
        try store.commit(DeliveryState(watermark: 100))
        let writer = store
        _ = try writer.load()
        try writer.record(.snoozed(key: "k", until: 500))
        try writer.recordSent(key: "sent one")
        try writer.record(.snoozed(key: "k", until: 600))
        try writer.record(.dismissed(key: "ahead", due: 800))
        try writer.record(.snoozed(key: "gone", until: 300))
        try writer.record(.returned(key: "gone", until: 300))
        try writer.record(.returned(key: "k", until: 500))  // An older snooze's return leaves the newer one.
        let loaded = try store.load()
        #expect(loaded.sentAfterWatermark == ["sent one"])
        #expect(loaded.followUps == FollowUps(snoozed: ["k": 600], dismissedAhead: ["ahead": 800]))
        // A crash between a commit and the emptying of the log: replaying what the snapshot has changes nothing.
        try writer.commit(loaded)
        writeFile(
            directory.file("sent.log"),
            Array("+snooze 500 k\n+snooze 600 k\n+dismiss 800 ahead\n+snooze 300 gone\n+back 300 gone\n".utf8)
        )
        #expect(try store.load().followUps == loaded.followUps)
    }

    @Test func aTornOrForeignRecordIsIgnored() throws {
        writeFile(
            directory.file("sent.log"),
            Array("+snooze 5 k\n+snooze x k2\n+frob 1 k3\nplain\n+dismiss - k\n+back 9 ".utf8)
        )
        let loaded = try store.load()
        #expect(loaded.sentAfterWatermark == ["plain"])
        #expect(loaded.followUps.isEmpty)
    }
}
