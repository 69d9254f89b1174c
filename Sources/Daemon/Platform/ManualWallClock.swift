import Synchronization

/// A wall clock that tests drive by hand: time moves only when the test says so.
///
/// `sleep(until:)` suspends until `advance(to:)` reaches the deadline (`.deadline`), `step(to:)` jumps the
/// clock (`.clockChanged`), `changeZone()` is called (`.zoneChanged`), or `interrupt()` or cancellation
/// (`.interrupted`). Like `SystemWallClock`, an interrupt, step or zone change while nobody sleeps is kept
/// for the next sleep, and a deadline not after `now` returns at once.
///
/// `waitForSleeper()` lets a test wait, without sleeping, until the code under test is suspended in
/// `sleep(until:)`, and learn its deadline.
final class ManualWallClock: WallClock {
    private struct Sleeper {
        var deadline: WallTime?
        var number: Int
        var continuation: CheckedContinuation<WakeReason, Never>
    }

    /// A test waiting for `count` sleepers whose sleep number is above `after`.
    private struct Watcher {
        var count: Int
        var after: Int
        var continuation: CheckedContinuation<[WallTime?], any Error>
    }

    private struct State {
        var now: WallTime
        var sleepers: [Int: Sleeper] = [:]
        var watchers: [Int: Watcher] = [:]
        var nextID = 0
        var pending: WakeReason?
        var sleepCount = 0

        mutating func takeID() -> Int {
            defer { nextID += 1 }
            return nextID
        }

        /// The deadlines of the sleepers numbered above `after`, in the order they went to sleep.
        func deadlines(after: Int) -> [WallTime?] {
            sleepers.values.filter { $0.number > after }.sorted { $0.number < $1.number }.map(\.deadline)
        }
    }

    private let state: Mutex<State>

    /// A clock that reads `now` until moved.
    init(now: WallTime) {
        state = Mutex(State(now: now))
    }

    func now() -> WallTime {
        state.withLock { $0.now }
    }

    /// How many times `sleep(until:)` has been called.
    var sleepCount: Int {
        state.withLock { $0.sleepCount }
    }

    /// The deadlines of the sleepers waiting now (nil for a sleeper without deadline).
    var sleeperDeadlines: [WallTime?] {
        state.withLock { $0.deadlines(after: Int.min) }
    }

    func sleep(until deadline: WallTime?) async -> WakeReason {
        let (id, number) = state.withLock { state in
            state.sleepCount += 1
            return (state.takeID(), state.sleepCount)
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WakeReason, Never>) in
                let (immediate, satisfied) = state.withLock { state -> (WakeReason?, [(Watcher, [WallTime?])]) in
                    if let pending = state.pending {
                        state.pending = nil
                        return (pending, [])
                    }
                    // Checked under the lock that onCancel takes, so a cancellation is seen here or there.
                    if Task.isCancelled {
                        return (.interrupted, [])
                    }
                    if let deadline, deadline <= state.now {
                        return (.deadline, [])
                    }
                    state.sleepers[id] = Sleeper(deadline: deadline, number: number, continuation: continuation)
                    var satisfied: [(Watcher, [WallTime?])] = []
                    for (key, watcher) in state.watchers {
                        let deadlines = state.deadlines(after: watcher.after)
                        if deadlines.count >= watcher.count {
                            satisfied.append((watcher, deadlines))
                            state.watchers[key] = nil
                        }
                    }
                    return (nil, satisfied)
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                }
                for (watcher, deadlines) in satisfied {
                    watcher.continuation.resume(returning: deadlines)
                }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(returning: .interrupted)
        }
    }

    func interrupt() {
        wakeAll(with: .interrupted)
    }

    /// Moves time forward to `time` and wakes, with `.deadline`, every sleeper whose deadline is not after it.
    func advance(to time: WallTime) {
        let woken = state.withLock { state -> [Sleeper] in
            precondition(time >= state.now, "advance(to:) moves forward; use step(to:) to jump back")
            state.now = time
            let due = state.sleepers.filter { $0.value.deadline.map { $0 <= time } ?? false }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in woken {
            sleeper.continuation.resume(returning: .deadline)
        }
    }

    /// Moves time forward by `duration`, as `advance(to:)`.
    func advance(by duration: Duration) {
        advance(to: now().advanced(by: duration))
    }

    /// Jumps the clock to `time` (forward or back), as settimeofday would, and wakes sleepers with
    /// `.clockChanged`.
    func step(to time: WallTime) {
        state.withLock { $0.now = time }
        wakeAll(with: .clockChanged)
    }

    /// Signals a change of the local time zone: sleepers wake with `.zoneChanged`.
    func changeZone() {
        wakeAll(with: .zoneChanged)
    }

    /// Returns once a sleeper is suspended in `sleep(until:)` (at once if one already is), with its deadline
    /// (nil: it sleeps without one).
    ///
    /// - Throws: `CancellationError` when the waiting task is cancelled, so a test can bound the wait.
    func waitForSleeper() async throws -> WallTime? {
        try await waitForSleepers(1, after: Int.min)[0]
    }

    /// Returns once a sleep that started after `sleepCount` was `count` is suspended, with its deadline: the
    /// way to wait for the code under test to go back to sleep after the test moved the clock.
    ///
    /// ```
    /// let before = clock.sleepCount
    /// clock.advance(to: deadline)
    /// let next = try await clock.waitForSleep(after: before)
    /// ```
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    func waitForSleep(after count: Int) async throws -> WallTime? {
        try await waitForSleepers(1, after: count)[0]
    }

    /// Returns once at least `count` sleepers are suspended in `sleep(until:)`, with their deadlines in the
    /// order they went to sleep.
    ///
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    func waitForSleepers(_ count: Int) async throws -> [WallTime?] {
        try await waitForSleepers(count, after: Int.min)
    }

    private func waitForSleepers(_ count: Int, after: Int) async throws -> [WallTime?] {
        let id = state.withLock { $0.takeID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<[WallTime?], any Error>) in
                let outcome = state.withLock { state -> Result<[WallTime?], CancellationError>? in
                    let deadlines = state.deadlines(after: after)
                    if deadlines.count >= count {
                        return .success(deadlines)
                    }
                    if Task.isCancelled {
                        return .failure(CancellationError())
                    }
                    state.watchers[id] = Watcher(count: count, after: after, continuation: continuation)
                    return nil
                }
                if let outcome {
                    continuation.resume(with: outcome)
                }
            }
        } onCancel: {
            state.withLock { $0.watchers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    private func wakeAll(with reason: WakeReason) {
        let woken = state.withLock { state -> [Sleeper] in
            let woken = Array(state.sleepers.values)
            state.sleepers = [:]
            if woken.isEmpty {
                state.pending = Self.stronger(state.pending, reason)
            }
            return woken
        }
        for sleeper in woken {
            sleeper.continuation.resume(returning: reason)
        }
    }

    // Of two reasons kept for the next sleep, the one that SystemWallClock would report first.
    private static func stronger(_ kept: WakeReason?, _ new: WakeReason) -> WakeReason {
        let order: [WakeReason] = [.interrupted, .clockChanged, .zoneChanged, .deadline]
        guard let kept else { return new }
        return order.firstIndex(of: kept)! <= order.firstIndex(of: new)! ? kept : new
    }
}
