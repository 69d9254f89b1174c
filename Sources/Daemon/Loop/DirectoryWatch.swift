import CLinux

/// Tells the loop, once per wake-up, that entries changed in a set of directories (the calendars' vdirs).
///
/// Each directory is watched with inotify for entries created, written, renamed in or out, and deleted; an entry
/// counts when `isRelevant` says so (the name of the entry, and whether it is a directory), and a lost event (the
/// queue overflowed) or a lost watch always counts. However many events one wake-up brings (a sync that writes a
/// hundred files), `handler` runs once, after them (a post source, which never wakes the loop by itself).
public final class DirectoryWatch {
    private let loop: EventLoop
    private let isRelevant: (_ name: [UInt8], _ isDirectory: Bool) -> Bool
    private let handler: () -> Void
    private var watches: [String: InotifySource] = [:]
    private var post: PostSource?
    private var changed = false

    /// Watches nothing yet (see `watch(_:)`); `handler` runs on `loop` after a wake-up with a relevant change.
    ///
    /// - Throws: `SystemCallError` (`sd_event_add_post`).
    public init(
        loop: EventLoop,
        isRelevant: @escaping (_ name: [UInt8], _ isDirectory: Bool) -> Bool,
        handler: @escaping () -> Void
    ) throws(SystemCallError) {
        self.loop = loop
        self.isRelevant = isRelevant
        self.handler = handler
        post = try PostSource(loop: loop, name: "directory watch") { [unowned self] in
            guard changed else { return }
            changed = false
            self.handler()
        }
    }

    /// The directories watched now.
    public var directories: Set<String> { Set(watches.keys) }

    /// Watches exactly `directories`: new ones are added, those no longer named are dropped. Returns the
    /// directories that could not be watched, with why.
    @discardableResult
    public func watch(_ directories: [String]) -> [(directory: String, error: SystemCallError)] {
        let wanted = Set(directories)
        for gone in watches.keys where !wanted.contains(gone) { watches[gone] = nil }
        var failures: [(String, SystemCallError)] = []
        let mask = UInt32(
            IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_ONLYDIR
        )
        for directory in directories where watches[directory] == nil {
            do throws(SystemCallError) {
                watches[directory] = try InotifySource(loop: loop, path: directory, mask: mask) { [unowned self] in
                    self.noticed($0)
                }
            } catch {
                failures.append((directory, error))
            }
        }
        return failures
    }

    private func noticed(_ event: InotifySource.Event) {
        let lost = event.mask & UInt32(IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF) != 0
        if lost || isRelevant(event.name, event.mask & UInt32(IN_ISDIR) != 0) { changed = true }
    }
}
