import CSystemd

/// The process entry point: installs executors that make no periodic wake-ups (libdispatch's default ones
/// wake the process every second), then runs the command line.
@main
enum Main {
    static func main() {
        if CommandLine.arguments.dropFirst().first == "run" {
            // Before any thread starts, so that every thread inherits the mask (see SignalWatcher).
            SignalWatcher.blockInAllThreads()
            // Timers may otherwise expire up to 50 µs late (the default slack); every thread inherits this.
            _ = sse_set_timer_slack(1)
        }
        QuietExecutors.runMain {
            await SSETimeline.main()
            return 0
        }
    }
}
