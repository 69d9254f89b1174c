import Glibc
import Synchronization
@_spi(ExperimentalCustomExecutors) @_spi(ExperimentalScheduling) import _Concurrency

/// Executors for Swift concurrency that make no periodic wake-ups while idle.
///
/// On Linux the default executors are libdispatch's, whose thread-pool monitor wakes the process once a second
/// for as long as it lives (`_dispatch_workq_monitor_pools`, a 1 s timer on the manager queue). A daemon that
/// sleeps for hours should not wake 3600 times an hour, so these replace them: a main executor that runs on the
/// main thread and a pool of worker threads, all blocked on condition variables until a job is enqueued or a
/// `Task.sleep` is due.
///
/// They use Swift 6.3's experimental custom-executor interface (`ExecutorFactory`, SPI), installed by
/// `QuietExecutors.runMain(_:)` before any task starts.
@available(macOS 26.4, *)
enum QuietExecutors: ExecutorFactory {
    /// The main thread's executor: the main actor runs here.
    static let main = QuietMainExecutor()
    /// The global executor: tasks not isolated to an actor run on its threads.
    static let pool = QuietTaskExecutor(threadCount: 2)

    static var mainExecutor: any MainExecutor { main }
    static var defaultExecutor: any TaskExecutor { pool }

    /// Installs these executors, runs `body` as the first task, and exits with the status it returns. The
    /// main thread serves the main executor until then. Call it from a synchronous `main()`, first thing.
    static func runMain(_ body: @escaping @Sendable () async -> Int32) -> Never {
        _createExecutors(factory: QuietExecutors.self)
        Task {
            exit(await body())
        }
        do {
            try main.run()
        } catch {
            fatalError("main executor: \(error)")
        }
        exit(0)
    }
}

/// The main thread's run loop: runs the main actor's jobs in order.
@available(macOS 26.4, *)
final class QuietMainExecutor: MainExecutor, SchedulingExecutor, @unchecked Sendable {
    private let queue = JobQueue()
    private let runner = Mutex<pthread_t?>(nil)

    /// Runs jobs on the calling thread (the main thread) until `stop()`.
    func run() throws {
        runner.withLock { $0 = pthread_self() }
        while let job = queue.next() {
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }

    func stop() {
        queue.stop()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.append(UnownedJob(job))
    }

    func enqueue<C: Clock>(_ job: consuming ExecutorJob, after delay: C.Duration, tolerance: C.Duration?, clock: C) {
        queue.append(UnownedJob(job), after: JobQueue.nanoseconds(delay))
    }

    func enqueue<C: Clock>(_ job: consuming ExecutorJob, at instant: C.Instant, tolerance: C.Duration?, clock: C) {
        queue.append(UnownedJob(job), after: JobQueue.nanoseconds(clock.now.duration(to: instant)))
    }

    var isMainExecutor: Bool { true }

    func checkIsolated() {
        let runner = runner.withLock { $0 }
        precondition(
            runner.map { pthread_equal($0, pthread_self()) != 0 } ?? false,
            "not on the main executor's thread"
        )
    }
}

/// The global pool: a few threads that run whatever job is next.
@available(macOS 26.4, *)
final class QuietTaskExecutor: TaskExecutor, SchedulingExecutor, @unchecked Sendable {
    private let queue = JobQueue()

    /// Starts `threadCount` worker threads; they live as long as the process.
    init(threadCount: Int) {
        for _ in 0..<threadCount {
            let context = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            let result = pthread_create(
                &thread,
                nil,
                { context in
                    let executor = Unmanaged<QuietTaskExecutor>.fromOpaque(context!).takeRetainedValue()
                    executor.work()
                    return nil
                },
                context
            )
            precondition(result == 0, "pthread_create: \(result)")
            pthread_detach(thread)
        }
    }

    private func work() {
        while let job = queue.next() {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.append(UnownedJob(job))
    }

    func enqueue<C: Clock>(_ job: consuming ExecutorJob, after delay: C.Duration, tolerance: C.Duration?, clock: C) {
        queue.append(UnownedJob(job), after: JobQueue.nanoseconds(delay))
    }

    func enqueue<C: Clock>(_ job: consuming ExecutorJob, at instant: C.Instant, tolerance: C.Duration?, clock: C) {
        queue.append(UnownedJob(job), after: JobQueue.nanoseconds(clock.now.duration(to: instant)))
    }
}

/// Jobs waiting to run, some not before a time on `CLOCK_MONOTONIC`; consumers block until one is due.
final class JobQueue: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by mutex.
    private var ready: [UnownedJob] = []
    private var readyStart = 0
    private var delayed: [(due: UInt64, job: UnownedJob)] = []
    private var stopped = false

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Adds a job to run now.
    func append(_ job: UnownedJob) {
        pthread_mutex_lock(mutex)
        ready.append(job)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Adds a job to run `nanoseconds` from now.
    func append(_ job: UnownedJob, after nanoseconds: Int64) {
        let due = Self.monotonicNow() &+ UInt64(max(nanoseconds, 0))
        pthread_mutex_lock(mutex)
        // Keep `delayed` sorted by due time, first come first served among equals.
        let index = delayed.firstIndex { $0.due > due } ?? delayed.endIndex
        delayed.insert((due, job), at: index)
        // Every waiter recomputes how long to wait.
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// The next job due, waiting as long as it takes; nil once stopped.
    func next() -> UnownedJob? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !stopped {
            let now = Self.monotonicNow()
            while let first = delayed.first, first.due <= now {
                ready.append(first.job)
                delayed.removeFirst()
            }
            if readyStart < ready.count {
                let job = ready[readyStart]
                readyStart += 1
                if readyStart == ready.count {
                    ready.removeAll(keepingCapacity: true)
                    readyStart = 0
                }
                return job
            }
            if let first = delayed.first {
                var deadline = timespec(tv_sec: Int(first.due / 1_000_000_000), tv_nsec: Int(first.due % 1_000_000_000))
                pthread_cond_timedwait(condition, mutex, &deadline)
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
        return nil
    }

    /// Makes `next()` return nil from now on.
    func stop() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// `duration` in nanoseconds, for the clocks whose durations are `Swift.Duration` (all of the standard ones).
    static func nanoseconds<D: DurationProtocol>(_ duration: D) -> Int64 {
        guard let duration = duration as? Duration else {
            fatalError("QuietExecutors: unsupported clock duration \(D.self)")
        }
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    private static func monotonicNow() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
