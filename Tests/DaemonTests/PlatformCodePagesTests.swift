import DaemonTesting
import Testing
import Timeline

@testable import Daemon

@Suite("CodePages")
struct PlatformCodePagesTests {
    /// The test runner's own code pages are released (everything it ran so far), and come back as it runs on:
    /// a second release right after the first finds only the few pages touched in between.
    @Test func releasesTheExecutablesCodePagesAndRunsOn() {
        let first = CodePages.release()
        let second = CodePages.release()
        #expect(first > 0)
        #expect(second < first)
        // Code runs on from the page cache.
        #expect(plural(2, "page") == "2 pages")
    }
}
