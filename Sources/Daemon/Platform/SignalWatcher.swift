import CSystemd
import Glibc

/// Delivers SIGHUP, SIGTERM and SIGINT to a handler through a `signalfd`, read by a thread of its own.
///
/// swift-service-lifecycle's own signal handling (`UnixSignalsSequence`) runs on libdispatch sources, and
/// libdispatch's thread-pool monitor then wakes the process every second for its whole life. A daemon that
/// promises zero idle wake-ups therefore reads its signals here: a thread blocked in `read(2)` costs nothing
/// until a signal comes. The signals must be blocked in every thread first (`blockInAllThreads`, before any
/// thread starts), so that none of them takes the default action.
final class SignalWatcher: Sendable {
    /// The signals the daemon handles.
    static let handled: [Int32] = [SIGHUP, SIGTERM, SIGINT]

    private let descriptor: Int32
    private let handler: @Sendable (Int32) -> Void

    /// Blocks `signals` in the calling thread; threads started afterwards inherit the mask.
    static func blockInAllThreads(_ signals: [Int32] = handled) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Starts reading `signals`; `handler` runs on the watcher's thread for each one received.
    init(signals: [Int32] = handled, handler: @escaping @Sendable (Int32) -> Void) throws(SystemCallError) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        let fd = signalfd(-1, &set, Int32(SFD_CLOEXEC))
        guard fd >= 0 else { throw SystemCallError("signalfd") }
        descriptor = fd
        self.handler = handler
        let context = Unmanaged.passRetained(self).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, 128 * 1024)
        var thread = pthread_t()
        let result = pthread_create(
            &thread, &attributes,
            { context in
                Unmanaged<SignalWatcher>.fromOpaque(context!).takeRetainedValue().readForever()
                return nil
            }, context)
        if result != 0 {
            Unmanaged<SignalWatcher>.fromOpaque(context).release()
            close(fd)
            throw SystemCallError("pthread_create", errno: result)
        }
    }

    private func readForever() {
        var info = signalfd_siginfo()
        while true {
            let n = withUnsafeMutableBytes(of: &info) { read(descriptor, $0.baseAddress, $0.count) }
            if n == MemoryLayout<signalfd_siginfo>.size {
                handler(Int32(info.ssi_signo))
            } else if n < 0 && errno != EINTR {
                return
            }
        }
    }
}
