import Glibc
import Synchronization
import Testing

@testable import Daemon

@Suite(.timeLimit(.minutes(1))) struct QuietExecutorsTests {
    /// Counts the tasks that ran, from any thread.
    final class Counter: Sendable {
        let runs = Atomic<Int>(0)
    }

    @Test func runsTasksOnItsOwnThreads() async {
        let executor = QuietTaskExecutor(threadCount: 1)
        let thread = await Task(executorPreference: executor) { () -> pthread_t in
            pthread_self()
        }.value
        let again = await Task(executorPreference: executor) { () -> pthread_t in
            pthread_self()
        }.value
        #expect(pthread_equal(thread, again) != 0)
        #expect(pthread_equal(thread, pthread_self()) == 0)
    }

    @Test func runsManyTasksToCompletion() async {
        let executor = QuietTaskExecutor(threadCount: 2)
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<1_000 {
                group.addTask(executorPreference: executor) {
                    counter.runs.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(counter.runs.load(ordering: .relaxed) == 1_000)
    }

    @Test func convertsDurationsToNanoseconds() {
        #expect(JobQueue.nanoseconds(Duration.milliseconds(1500)) == 1_500_000_000)
        #expect(JobQueue.nanoseconds(Duration.nanoseconds(-5)) == -5)
    }

    @Test func stoppedQueueHandsOutNothing() {
        let queue = JobQueue()
        queue.stop()
        #expect(queue.next() == nil)
    }
}
