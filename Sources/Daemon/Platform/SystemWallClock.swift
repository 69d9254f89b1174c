import CSystemd
import Glibc
import Synchronization

/// The real wall clock, which sleeps without waking the process until something happens.
///
/// One sleep blocks a dedicated thread in `poll(2)` on four file descriptors, so the process makes no
/// periodic wake-ups while idle:
/// - a `timerfd` on `CLOCK_REALTIME`, armed at the deadline with `TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET`:
///   it expires at the wall-clock deadline, and a read fails with `ECANCELED` when the clock is stepped
///   (`.clockChanged`). With no deadline it is armed far in the future so that steps are still reported;
/// - an `eventfd` written by `interrupt()`, whose count survives until the next sleep reads it, so an
///   interrupt while nobody sleeps is not lost;
/// - an `eventfd` written when the sleeping task is cancelled;
/// - an `inotify` watch on the directory of the zone file (`/etc/localtime`), reporting a write, creation,
///   deletion, rename or attribute change of that entry (`.zoneChanged`). `timedatectl set-timezone` swaps
///   the symlink by a rename in `/etc`. A change of the zone file's target (a tzdata upgrade) is not seen.
///
/// A clock step or zone change that happens while nobody sleeps is reported by the next sleep.
/// It serves one sleeper at a time; a second concurrent `sleep(until:)` is a programming error and traps.
final class SystemWallClock: WallClock {
    /// The zone file watched by default.
    static let defaultZoneFilePath = "/etc/localtime"

    // A deadline later than this (or none) arms the timer here: year 2200, well inside the kernel's range.
    private static let farFuture = WallTime(seconds: 7_258_118_400)

    private let timerDescriptor: Int32
    private let interruptDescriptor: Int32
    private let cancelDescriptor: Int32
    private let zoneWatchDescriptor: Int32
    private let zoneFileName: [UInt8]
    private let sleeping = Atomic<Bool>(false)
    private let releaseCodePages = Atomic<Bool>(false)

    /// Opens the timer, the two event counters and the zone watch.
    ///
    /// - Parameter zoneFilePath: the zone file whose directory entry is watched; its directory must exist.
    /// - Throws: `SystemCallError` when a descriptor cannot be created or the directory cannot be watched.
    init(zoneFilePath: String = SystemWallClock.defaultZoneFilePath) throws(SystemCallError) {
        let (directory, name) = Self.split(zoneFilePath)
        var opened: [Int32] = []
        func check(_ descriptor: Int32, _ call: String, _ operand: String? = nil) throws(SystemCallError) -> Int32 {
            guard descriptor >= 0 else {
                let error = SystemCallError(call, operand: operand)
                for descriptor in opened { close(descriptor) }
                throw error
            }
            opened.append(descriptor)
            return descriptor
        }
        timerDescriptor = try check(
            timerfd_create(CLOCK_REALTIME, Int32(TFD_CLOEXEC | TFD_NONBLOCK)),
            "timerfd_create"
        )
        interruptDescriptor = try check(eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)), "eventfd")
        cancelDescriptor = try check(eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)), "eventfd")
        zoneWatchDescriptor = try check(inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK)), "inotify_init1")
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB)
        _ = try check(
            inotify_add_watch(zoneWatchDescriptor, directory, mask | UInt32(IN_ONLYDIR)),
            "inotify_add_watch",
            directory
        )
        zoneFileName = Array(name.utf8)
        // Armed from the start, so that a step before the first sleep is reported by it.
        _ = Self.arm(timerDescriptor, at: nil)
    }

    deinit {
        close(timerDescriptor)
        close(interruptDescriptor)
        close(cancelDescriptor)
        close(zoneWatchDescriptor)
    }

    func now() -> WallTime {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return WallTime(seconds: Int64(time.tv_sec), nanoseconds: Int64(time.tv_nsec))
    }

    func interrupt() {
        eventfd_write(interruptDescriptor, 1)
    }

    /// Has the next sleep give back the executable's code pages (`CodePages.release`) as it starts waiting:
    /// the moment the process goes idle, so that only what the idle process and its next wake-up use is
    /// mapped again.
    func releaseCodePagesWhenIdle() {
        releaseCodePages.store(true, ordering: .releasing)
    }

    func sleep(until deadline: WallTime?) async -> WakeReason {
        precondition(
            !sleeping.exchange(true, ordering: .acquiring),
            "SystemWallClock serves one sleeper at a time"
        )
        defer { sleeping.store(false, ordering: .releasing) }

        // A cancellation meant for an earlier sleep must not end this one.
        Self.drain(cancelDescriptor)
        if Task.isCancelled {
            return .interrupted
        }
        // Re-arming reports a step since the timer was last armed (ECANCELED), so one between two sleeps
        // is not lost either.
        guard Self.arm(timerDescriptor, at: deadline) else {
            return .clockChanged
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WakeReason, Never>) in
                PollThread.start(clock: self, continuation: continuation)
            }
        } onCancel: {
            eventfd_write(cancelDescriptor, 1)
        }
    }

    /// Arms the timer at `deadline`; false when the clock was stepped since it was last armed (it is armed
    /// all the same).
    private static func arm(_ timerDescriptor: Int32, at deadline: WallTime?) -> Bool {
        // An all-zero it_value would disarm the timer, so the earliest deadline is 1 ns after the epoch.
        let clamped = min(max(deadline ?? farFuture, WallTime(nanosecondsSinceEpoch: 1)), farFuture)
        var specification = itimerspec(it_interval: timespec(), it_value: clamped.timespec)
        if timerfd_settime(timerDescriptor, Int32(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET), &specification, nil)
            == 0
        {
            return true
        }
        precondition(errno == ECANCELED, "\(SystemCallError("timerfd_settime"))")
        return false
    }

    /// Blocks in `poll(2)` until one of the descriptors has news; runs on the sleep's own thread.
    fileprivate func waitForWake() -> WakeReason {
        var descriptors = [interruptDescriptor, cancelDescriptor, timerDescriptor, zoneWatchDescriptor].map {
            pollfd(fd: $0, events: Int16(POLLIN), revents: 0)
        }
        if releaseCodePages.exchange(false, ordering: .acquiring) {
            CodePages.release()
        }
        while true {
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 {
                precondition(errno == EINTR || errno == EAGAIN, "\(SystemCallError("poll"))")
                continue
            }
            // An invalid descriptor would make poll return at once forever; it cannot happen while `self` lives.
            precondition(
                descriptors.allSatisfy { $0.revents & Int16(POLLNVAL) == 0 },
                "SystemWallClock: descriptor closed"
            )
            if descriptors[0].revents != 0 {
                Self.drain(interruptDescriptor)
                return .interrupted
            }
            if descriptors[1].revents != 0 {
                Self.drain(cancelDescriptor)
                return .interrupted
            }
            if descriptors[2].revents != 0, let reason = readTimer() {
                return reason
            }
            if descriptors[3].revents != 0, readZoneEvents() {
                return .zoneChanged
            }
        }
    }

    /// Reads the timer without blocking: `.clockChanged` after a step, `.deadline` after an expiry,
    /// nil when neither happened.
    private func readTimer() -> WakeReason? {
        var expirations: UInt64 = 0
        let count = read(timerDescriptor, &expirations, MemoryLayout<UInt64>.size)
        if count == MemoryLayout<UInt64>.size {
            return .deadline
        }
        return count < 0 && errno == ECANCELED ? .clockChanged : nil
    }

    /// Reads every queued inotify event; true when one concerns the zone file (or events were lost).
    private func readZoneEvents() -> Bool {
        let headerSize = MemoryLayout<inotify_event>.size
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: 4096,
            alignment: MemoryLayout<inotify_event>.alignment
        )
        defer { buffer.deallocate() }
        var changed = false
        while true {
            let count = read(zoneWatchDescriptor, buffer.baseAddress, buffer.count)
            guard count > 0 else {
                return changed
            }
            var offset = 0
            while offset + headerSize <= count {
                let mask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                let nameLength = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = buffer[(offset + headerSize)..<(offset + headerSize + nameLength)]
                let name = nameBytes.prefix { $0 != 0 }
                // Q_OVERFLOW: events were dropped. IGNORED: the directory's watch is gone.
                if mask & UInt32(IN_Q_OVERFLOW | IN_IGNORED) != 0 || name.elementsEqual(zoneFileName) {
                    changed = true
                }
                offset += headerSize + nameLength
            }
        }
    }

    private static func drain(_ eventDescriptor: Int32) {
        var value: eventfd_t = 0
        _ = eventfd_read(eventDescriptor, &value)
    }

    /// Splits a path into its directory and last component: `/etc/localtime` → (`/etc`, `localtime`).
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else {
            return (".", path)
        }
        let directory = path[..<slash]
        return (directory.isEmpty ? "/" : String(directory), String(path[path.index(after: slash)...]))
    }
}

/// The thread that one `SystemWallClock.sleep(until:)` blocks in `poll(2)`, off the cooperative pool.
private final class PollThread: Sendable {
    let clock: SystemWallClock
    let continuation: CheckedContinuation<WakeReason, Never>

    private init(clock: SystemWallClock, continuation: CheckedContinuation<WakeReason, Never>) {
        self.clock = clock
        self.continuation = continuation
    }

    /// Starts a detached thread that resumes `continuation` with the clock's next wake reason.
    static func start(clock: SystemWallClock, continuation: CheckedContinuation<WakeReason, Never>) {
        let context = Unmanaged.passRetained(PollThread(clock: clock, continuation: continuation)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, 256 * 1024)
        var thread = pthread_t()
        let result = pthread_create(
            &thread,
            &attributes,
            { context in
                let request = Unmanaged<PollThread>.fromOpaque(context!).takeRetainedValue()
                request.continuation.resume(returning: request.clock.waitForWake())
                return nil
            },
            context
        )
        if result != 0 {
            // Without a thread, block this one: correct, if unkind to the cooperative pool.
            let request = Unmanaged<PollThread>.fromOpaque(context).takeRetainedValue()
            request.continuation.resume(returning: request.clock.waitForWake())
        }
    }
}
