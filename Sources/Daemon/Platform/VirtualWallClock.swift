import Synchronization

/// A wall clock for `replay`: every sleep reaches its deadline at once, so a period of reminders is walked
/// through as fast as the code can go.
///
/// `sleep(until:)` sets `now` to the deadline (time never moves back) and returns `.deadline`; without a
/// deadline there is nothing more to wait for, and it returns `.interrupted`. `interrupt()` and cancellation
/// also return `.interrupted`; an interrupt while nobody sleeps is kept for the next sleep.
final class VirtualWallClock: WallClock {
    private struct State {
        var now: WallTime
        var interruptPending = false
    }

    private let state: Mutex<State>

    /// A clock that starts at `now`.
    init(now: WallTime) {
        state = Mutex(State(now: now))
    }

    func now() -> WallTime {
        state.withLock { $0.now }
    }

    func sleep(until deadline: WallTime?) async -> WakeReason {
        state.withLock { state in
            if state.interruptPending || Task.isCancelled {
                state.interruptPending = false
                return .interrupted
            }
            guard let deadline else {
                return .interrupted
            }
            state.now = max(state.now, deadline)
            return .deadline
        }
    }

    func interrupt() {
        state.withLock { $0.interruptPending = true }
    }
}
