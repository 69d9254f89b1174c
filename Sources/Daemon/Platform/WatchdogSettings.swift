import Glibc

/// The service manager's watchdog, when it has one for this process: how often to send `WATCHDOG=1`.
struct WatchdogSettings: Sendable, Equatable {
    /// The watchdog timeout, from `WATCHDOG_USEC`.
    var timeoutMicroseconds: UInt64

    /// The timeout the settings were read from, as a `Duration`.
    var timeout: Duration {
        .microseconds(timeoutMicroseconds)
    }

    /// How often to ping: half the timeout, as `sd_watchdog_enabled(3)` recommends.
    var pingInterval: Duration {
        .microseconds(timeoutMicroseconds / 2)
    }

    /// A watchdog with the given timeout.
    init(timeoutMicroseconds: UInt64) {
        self.timeoutMicroseconds = timeoutMicroseconds
    }

    /// Reads the watchdog from the environment, or nil when there is none for this process.
    ///
    /// Keys:
    /// - `WATCHDOG_USEC`: the timeout in microseconds; unset, zero or not a number means no watchdog.
    /// - `WATCHDOG_PID`: the process the watchdog is for; when set, it must be `processID`.
    ///
    /// - Parameter processID: this process, `getpid()` by default.
    init?(environment: [String: String], processID: pid_t = getpid()) {
        guard let text = environment["WATCHDOG_USEC"], let timeout = UInt64(text), timeout > 0 else {
            return nil
        }
        if let owner = environment["WATCHDOG_PID"], pid_t(owner) != processID {
            return nil
        }
        self.init(timeoutMicroseconds: timeout)
    }
}
