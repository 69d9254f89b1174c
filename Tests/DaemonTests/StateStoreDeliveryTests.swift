import DaemonTesting
import Testing

@testable import Daemon

/// Deliveries to named channels in the state: the log's `+queued`, `+failed`, `+sent`, `+gaveup` records, the
/// version 3 snapshot, and the older files still read.
@Suite("StateStore deliveries")
struct StateStoreDeliveryTests {
    let directory = TemporaryDirectory()
    var store: StateStore { StateStore(directory: directory.path) }

    @Test func deliveryRecordsAreReplayedAndASentOneLeaves() throws {
        let writer = store
        _ = try writer.load()
        try writer.record([
            DeliveryRecord.queued(id: "a|1|at start|board", due: 100), .queued(id: "a|1|at start|phone", due: 100),
        ])
        try writer.recordSent(key: "a|1|at start")
        try writer.record([DeliveryRecord.failed(id: "a|1|at start|phone", attempt: 1, reason: "exit code 75")])
        try writer.record([DeliveryRecord.sent(id: "a|1|at start|board", attempt: 1)])
        try writer.record([DeliveryRecord.queued(id: "b|2|at start|board", due: 200)])
        try writer.record([DeliveryRecord.gaveUp(id: "b|2|at start|board", attempt: 3)])
        let loaded = try store.load()
        #expect(loaded.sentAfterWatermark == ["a|1|at start"])
        #expect(loaded.deliveries == ["a|1|at start|phone": PendingDelivery(due: 100, failures: 1, lastFailure: "exit_code_75")])
        // Queued again (a reminder written twice after a crash): it keeps its failures.
        try writer.record([DeliveryRecord.queued(id: "a|1|at start|phone", due: 100)])
        #expect(try store.load().deliveries["a|1|at start|phone"]?.failures == 1)
    }

    @Test func aSnapshotWithDeliveriesIsVersion3AndReadBack() throws {
        var state = DeliveryState(watermark: 100)
        state.deliveries = [
            "k|board": PendingDelivery(due: 90), "k|phone": PendingDelivery(due: 90, failures: 2, lastFailure: "timeout"),
        ]
        try store.commit(state)
        let text = String(decoding: try #require(readFile(directory.file("state"))), as: UTF8.self)
        #expect(text.hasPrefix("sse-timeline-state 3\n"))
        #expect(text.contains("\ndelivery 90,0,- k|board\ndelivery 90,2,timeout k|phone\n"))
        #expect(try store.load() == state)
        // Once none is pending, the file is the version an older daemon reads.
        try store.commit(DeliveryState(watermark: 100))
        #expect(readFile(directory.file("state")).map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("sse-timeline-state 1\n") == true)
    }

    @Test func olderFilesStillLoadAndADeliveryLineIsCorruptBeforeVersion3() throws {
        func write(_ body: String) {
            let text = body + "checksum " + StateStore.hexadecimal(StateStore.fnv1a64(Array(body.utf8))) + "\n"
            writeFile(directory.file("state"), Array(text.utf8))
        }
        write("sse-timeline-state 2\nwatermark 42\nsent k\nsnooze 50 s\n")
        writeFile(directory.file("sent.log"), Array("k2\n+snooze 60 s2\n".utf8))
        let loaded = try store.load()
        #expect(loaded.watermark == 42)
        #expect(loaded.sentAfterWatermark == ["k", "k2"])
        #expect(loaded.followUps.snoozed == ["s": 50, "s2": 60])
        #expect(loaded.deliveries.isEmpty)
        write("sse-timeline-state 2\nwatermark 42\ndelivery 90,0,- k|board\n")
        #expect(throws: StateStoreError.self) { try store.load() }
    }
}
