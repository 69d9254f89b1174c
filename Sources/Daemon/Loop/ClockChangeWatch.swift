import CLinux
import Glibc

/// Tells the loop when the wall clock is stepped: `settimeofday`, an NTP step, a resume from suspend.
///
/// As in systemd's daemons, a `timerfd` with `TFD_TIMER_CANCEL_ON_SET` becomes readable when the clock is set;
/// libsystemd 252 has no `sd_event_add_time_change` (255 has), so it is watched as an `IOSource`.
public final class ClockChangeWatch {
    // Year 2200: never reached, well inside the kernel's range.
    private static let farFuture = timespec(tv_sec: 7_258_118_400, tv_nsec: 0)

    private let descriptor: Int32
    private var watch: IOSource?
    private let handler: () -> Void

    /// Calls `handler` on `loop` after each step of the wall clock.
    ///
    /// - Throws: `SystemCallError` (`timerfd_create`, `timerfd_settime`, `sd_event_add_io`).
    public init(loop: EventLoop, handler: @escaping () -> Void) throws(SystemCallError) {
        self.handler = handler
        descriptor = try SystemCall.run("timerfd_create") {
            timerfd_create(CLOCK_REALTIME, Int32(TFD_CLOEXEC | TFD_NONBLOCK))
        }
        do throws(SystemCallError) {
            _ = try arm()
            watch = try IOSource(loop: loop, descriptor: descriptor, name: "clock change") { [unowned self] _ in
                self.readAndRearm()
            }
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit {
        watch = nil
        close(descriptor)
    }

    /// Arms the timer; false when the clock was stepped since it was last armed (it is armed all the same).
    private func arm() throws(SystemCallError) -> Bool {
        var specification = itimerspec(it_interval: timespec(), it_value: Self.farFuture)
        let flags = Int32(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)
        if timerfd_settime(descriptor, flags, &specification, nil) == 0 { return true }
        if errno == ECANCELED {
            _ = timerfd_settime(descriptor, flags, &specification, nil)
            return false
        }
        throw SystemCallError("timerfd_settime")
    }

    private func readAndRearm() {
        var expirations: UInt64 = 0
        let count = read(descriptor, &expirations, MemoryLayout<UInt64>.size)
        let stepped = count < 0 && errno == ECANCELED
        // Arming again both restarts the watch and tells of a step that raced with this read.
        let steppedSinceRead = (try? arm()) == false
        if stepped || steppedSinceRead { handler() }
    }
}
