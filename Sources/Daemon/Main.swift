/// The process entry point: installs executors that make no periodic wake-ups (libdispatch's default ones
/// wake the process every second), then runs the command line.
@main
enum Main {
    static func main() {
        if CommandLine.arguments.dropFirst().first == "run" {
            // Before any thread starts, so that every thread inherits the mask (see SignalWatcher).
            SignalWatcher.blockInAllThreads()
        }
        QuietExecutors.runMain {
            await SSETimeline.main()
            return 0
        }
    }
}
