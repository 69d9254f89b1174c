import CSystemd
import Glibc

/// A Unix signal delivered to the loop (through a signalfd that sd-event manages) instead of interrupting it.
///
/// The signal must be blocked in every thread first (`SignalSource.block`), or it takes its default action
/// before sd-event can read it; the daemon blocks its signals before it starts anything.
public final class SignalSource: EventSource {
    private let handler: () -> Void

    /// Blocks `signals` in the calling thread; threads started afterwards inherit the mask.
    public static func block(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Delivers `signal` to `handler` on `loop`; `signal` must be blocked already.
    ///
    /// - Throws: `SystemCallError` (`sd_event_add_signal`).
    public init(loop: EventLoop, signal: Int32, handler: @escaping () -> Void) throws(SystemCallError) {
        self.handler = handler
        let name = String(cString: strsignal(signal))
        let callback: sd_event_signal_handler_t = { _, _, context in
            EventSource.dispatch(context, as: SignalSource.self) { $0.handler() }
            return 0
        }
        try super.init("sd_event_add_signal", operand: name, name: "signal \(name)") { source, context in
            sd_event_add_signal(loop.event, &source, signal, callback, context)
        }
    }
}
