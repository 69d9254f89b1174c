import DaemonTesting
import Testing
import Timeline

@testable import Daemon

@Suite("CodePages", .serialized)
struct PlatformCodePagesTests {
    /// The test runner's own code pages are released (everything it ran so far), and come back as it runs on:
    /// a second release right after the first finds only the few pages touched in between.
    @Test func releasesTheExecutablesCodePagesAndRunsOn() {
        let pages = CodePages()
        let first = pages.release()
        let second = pages.release()
        #expect(first > 0)
        #expect(second < first)
        // Code runs on from the page cache.
        #expect(plural(2, "page") == "2 pages")
    }

    /// `restore()` maps back what was mapped at the release: a release right after it finds them resident again.
    @Test func restoreMapsBackWhatWasMappedAtTheRelease() {
        let pages = CodePages()
        let released = pages.release()
        let restored = pages.restore()
        #expect(restored > 0)
        // The same pages, counted two ways (smaps in KiB, pagemap in 4 KiB pages), a moment apart.
        #expect(abs(restored * 4 - released) <= released / 10 + 64)
        let again = pages.release()
        #expect(again >= released * 9 / 10)
    }
}
