import CLinux
import SystemPackage

/// Tells the loop when the system's time zone file (`/etc/localtime`) changes.
///
/// The directory holding it is watched, not the file: `timedatectl set-timezone` replaces the symlink by a rename
/// in `/etc`. A write, creation, deletion, rename or attribute change of that entry counts, and so does a lost
/// event (the queue overflowed) or a lost watch. A change of the symlink's target (a tzdata upgrade) is not seen.
public final class ZoneFileWatch {
    /// The zone file watched by default.
    public static let defaultPath = "/etc/localtime"

    private var watch: InotifySource?

    /// Calls `handler` on `loop` after each change of the entry at `path`.
    ///
    /// - Throws: `SystemCallError` (`sd_event_add_inotify`) when the directory cannot be watched.
    public init(loop: EventLoop, path: String = ZoneFileWatch.defaultPath, handler: @escaping () -> Void)
        throws(SystemCallError)
    {
        let file = FilePath(path)
        let entry = Array((file.lastComponent?.string ?? "").utf8)
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_ONLYDIR)
        let directory = file.removingLastComponent()
        watch = try InotifySource(loop: loop, path: directory.isEmpty ? "." : directory.string, mask: mask) { event in
            if event.mask & UInt32(IN_Q_OVERFLOW | IN_IGNORED) != 0 || event.name == entry {
                handler()
            }
        }
    }
}
