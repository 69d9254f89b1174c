import Glibc
import Timeline

/// The `[[calendar]]` vdirs of a config, read into milestones, each file's items kept until the file changes.
///
/// A vdir (pimutils' storage format, as vdirsyncer, khal and todoman keep it) is a directory of `.ics` files, one
/// item each, with optional `displayname` and `color` files. The directory a calendar names is one collection when
/// it holds an `.ics` file or no subdirectory at all; otherwise each of its subdirectories not starting with `.`
/// is a collection (vdirsyncer's `path` with several `collections`, as khal's `type = discover` finds them).
/// Names starting with `.` and names not ending in `.ics` (the temporary files writers rename into place) are
/// not items.
///
/// The daemon keeps one instance across reloads: a file whose device, inode, size and modification time are
/// unchanged (and whose calendar settings are) is not parsed again. Every problem is a warning: a calendar is
/// other people's data, and one bad file does not stop the timeline.
public final class VdirCalendars {
    /// What identifies one version of a file: writers replace files by a rename (a new inode) or rewrite them (a
    /// new size or modification time).
    public struct FileIdentity: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: timespec

        /// The identity of the file at `path` now (symbolic links followed); nil when there is none.
        public static func of(_ path: String) -> FileIdentity? {
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            return FileIdentity(status)
        }

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
            size = Int64(status.st_size)
            modified = status.st_mtim
        }

        public static func == (a: FileIdentity, b: FileIdentity) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size
                && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(inode)
            hasher.combine(size)
            hasher.combine(modified.tv_nsec)
        }
    }

    /// Where a calendar milestone came from: what a dismissal is written back into.
    public struct Item: Sendable {
        /// The calendar's name.
        public var calendar: String
        /// The item's file.
        public var path: String
        /// The file as it was when read.
        public var identity: FileIdentity
        /// The component's UID and RECURRENCE-ID.
        public var component: ICalendarImport.Item
        /// Whether the calendar is `read_only`.
        public var readOnly: Bool
    }

    /// A calendar as the last read found it, for `status`.
    public struct Status: Sendable, Equatable {
        /// The calendar's name.
        public var name: String
        /// The directory, `~/` expanded.
        public var path: String
        /// The `displayname` of its collection (the first one's, when it has several).
        public var displayName: String?
        /// The `color` of its collection, e.g. `#ff0000`.
        public var color: String?
        /// How many items (`.ics` files) were read.
        public var itemCount: Int
        /// How many milestones they gave.
        public var milestoneCount: Int
        /// When the directory was last read without a problem of its own (nil: never).
        public var lastSuccess: Instant?
        /// The last problem: the directory, or a file that could not be read, with its place.
        public var lastError: String?
    }

    private struct CachedFile {
        var identity: FileIdentity
        var settings: Int
        var read: ICalendarImport.FileItems
    }

    private var files: [String: CachedFile] = [:]
    private var reported: Set<String> = []
    /// The calendars as last read.
    public private(set) var statuses: [Status] = []
    /// The status file of each feed (`FeedCache`), by calendar name.
    private var feedStatusFiles: [String: String] = [:]
    /// Each calendar milestone's origin, by milestone id.
    public private(set) var items: [String: Item] = [:]
    /// The reader of each calendar's files, by name: its zones and defaults, tasks read.
    public private(set) var importers: [String: ICalendarImport] = [:]
    /// The directories whose entries make the calendars: each calendar's, and each collection's (for a calendar
    /// whose directory is missing, its parent's).
    public private(set) var directories: [String] = []
    /// How many files the last `read` parsed (the others were unchanged).
    public private(set) var parsedCount = 0
    private let home: String?

    /// Calendars whose `~/` is `home` (nil: `~/` cannot be used).
    public init(home: String?) {
        self.home = home
    }

    /// The home directory of `environment` (`HOME`), else the password database's for this user.
    public static func home(environment: [String: String]) -> String? {
        if let home = environment["HOME"], home.hasPrefix("/") { return home }
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
        return String(cString: directory)
    }

    /// The calendars as last read, each feed's with its last fetch now (`sse-timeline fetch` writes that status
    /// beside the feed's copy, outside the watched directory, so that a fetch that changed nothing reloads
    /// nothing): its last success, and its last error until a fetch succeeds.
    public var currentStatuses: [Status] {
        statuses.map { status in
            guard let file = feedStatusFiles[status.name],
                case .success(let bytes) = FileReader.read(file, limit: 64 * 1024)
            else { return status }
            let fetched = FeedCache.Status(text: String(decoding: bytes, as: UTF8.self))
            var status = status
            status.lastSuccess = fetched.lastSuccess.map { Instant(secondsSinceEpoch: $0) }
            if let error = fetched.lastError { status.lastError = "fetch: \(error)" }
            return status
        }
    }

    /// `vdir` with `~/` made the home directory.
    public func expand(_ vdir: String) -> String? {
        guard vdir.hasPrefix("~/") else { return vdir }
        guard let home else { return nil }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + String(vdir.dropFirst(1))
    }

    /// Adds the items of `config.calendars` to `config.milestones` (ids `NAME-UID`, unique among all) and
    /// returns the problems not returned by the previous call (a problem that stays is said once).
    public func read(into config: inout TimelineConfig, zones: ZoneDatabase, now: Instant) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var kept: [String: CachedFile] = [:]
        var taken = Set(config.milestones.map(\.id))
        let previous = Dictionary(statuses.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        items = [:]
        statuses = []
        feedStatusFiles = [:]
        directories = []
        parsedCount = 0
        importers = [:]
        for calendar in config.calendars {
            let defaults = calendar.defaults(config.defaults)
            var importer = ICalendarImport(zones: zones, defaults: defaults)
            importer.readsTasks = true
            importers[calendar.name] = importer
            var settingsHasher = Hasher()
            settingsHasher.combine(calendar)
            settingsHasher.combine(defaults)
            let settings = settingsHasher.finalize()
            var status = Status(name: calendar.name, path: calendar.vdir, itemCount: 0, milestoneCount: 0)
            var calendarProblems: [Diagnostic] = []
            let collections = self.collections(of: calendar, status: &status, problems: &calendarProblems)
            // The directory could be listed: a read, even when some of its files could not be.
            status.lastSuccess = calendarProblems.isEmpty ? now : previous[calendar.name]?.lastSuccess
            for collection in collections {
                directories.append(collection)
                if status.displayName == nil { status.displayName = Self.metadata("displayname", in: collection) }
                if status.color == nil { status.color = Self.metadata("color", in: collection) }
                guard case .success(let names) = FileReader.list(collection) else { continue }
                for name in names where Self.isItem(name) {
                    let path = "\(collection)/\(name)"
                    guard let file = file(path, settings: settings, importer: importer) else { continue }
                    kept[path] = file
                    status.itemCount += 1
                    calendarProblems += file.read.diagnostics
                    for (milestone, origin) in zip(file.read.milestones, file.read.items) {
                        var milestone = milestone
                        milestone.id = Self.unique("\(calendar.name)-\(milestone.id)", taken: &taken)
                        milestone.tags += calendar.tags.filter { !milestone.tags.contains($0) }
                        milestone.delivery = defaults.delivery
                        milestone.workingCalendar = defaults.workingCalendar
                        milestone.onNonWorkingDay = defaults.onNonWorkingDay
                        items[milestone.id] = Item(
                            calendar: calendar.name,
                            path: path,
                            identity: file.identity,
                            component: origin,
                            readOnly: calendar.readOnly
                        )
                        config.milestones.append(milestone)
                        status.milestoneCount += 1
                    }
                }
            }
            status.lastError = calendarProblems.first?.description
            problems += calendarProblems
            statuses.append(status)
            if calendar.feed != nil {
                feedStatusFiles[calendar.name] = FeedCache.statusPath(ofCollection: calendar.vdir)
            }
        }
        files = kept
        let fresh = problems.filter { !reported.contains($0.description) }
        reported = Set(problems.map(\.description))
        return fresh
    }

    /// The milestones and items of the file at `path`: those read before when it has not changed, else read now.
    private func file(_ path: String, settings: Int, importer: ICalendarImport) -> CachedFile? {
        let identity = FileIdentity.of(path)
        if let identity, let cached = files[path], cached.identity == identity, cached.settings == settings {
            return cached
        }
        parsedCount += 1
        var problems: [Diagnostic] = []
        var read = ICalendarImport.FileItems(milestones: [], items: [], diagnostics: [])
        switch FileReader.read(path, limit: ConfigLoader.maximumFileSize) {
        case .success(let bytes):
            var taken: Set<String> = []
            read = importer.readItems(ConfigSource(name: path, bytes: bytes), takenIds: &taken)
        case .failure(let failure):
            // Gone between the listing and the read (a writer's rename): not an item any more.
            if identity == nil { return nil }
            problems.append(failure.diagnostic(path: path))
        }
        // Another program's file that cannot be read at all is skipped, not a config error.
        for index in read.diagnostics.indices where read.diagnostics[index].severity == .error {
            read.diagnostics[index].severity = .warning
            read.diagnostics[index].text = read.diagnostics[index].text + .tr(" (the file is skipped)")
        }
        for var problem in problems {
            problem.severity = .warning
            problem.text = problem.text + .tr(" (the file is skipped)")
            read.diagnostics.append(problem)
        }
        // The identity after the read: a file replaced meanwhile is read again at the next change it signals.
        guard let after = identity ?? FileIdentity.of(path) else { return nil }
        return CachedFile(identity: after, settings: settings, read: read)
    }

    /// The collection directories of `calendar` (see the type's documentation).
    private func collections(of calendar: CalendarConfig, status: inout Status, problems: inout [Diagnostic])
        -> [String]
    {
        guard let path = expand(calendar.vdir) else {
            problems.append(
                Diagnostic(
                    .warning,
                    at: calendar.location,
                    key: "vdir",
                    value: calendar.vdir,
                    message: .tr("calendar \"%s\": no home directory to expand ~/ in", calendar.name),
                    hint: .tr("set HOME, or write the full path")
                )
            )
            return []
        }
        status.path = path
        switch FileReader.list(path) {
        case .failure(let failure):
            // Watching the parent notices the directory when it is made (vdirsyncer's first sync).
            let parent = String(path.prefix(upTo: path.lastIndex(of: "/") ?? path.startIndex))
            if !parent.isEmpty, FileStatus.isDirectory(parent) { directories.append(parent) }
            // A feed's directory is the daemon's own, made at load: missing means never fetched (`list`, `validate`).
            let feed = calendar.feed != nil
            problems.append(
                Diagnostic(
                    .warning,
                    at: calendar.location,
                    key: feed ? "url" : "vdir",
                    value: feed ? nil : path,
                    message: feed
                        ? .tr(
                            "calendar \"%s\": the feed has not been fetched yet (%s: %s)",
                            calendar.name,
                            path,
                            failure.text
                        )
                        : .tr("calendar \"%s\": %s", calendar.name, failure.text),
                    hint: feed
                        ? .tr("run sse-timeline fetch (sse-timeline-fetch.timer does); it is read when it appears")
                        : .tr(
                            "create the directory (vdirsyncer sync does), or fix the path; it is read when it appears"
                        )
                )
            )
            return []
        case .success(let names):
            directories.append(path)
            let subdirectories = names.filter { !$0.hasPrefix(".") && FileStatus.isDirectory("\(path)/\($0)") }
            if names.contains(where: Self.isItem) || subdirectories.isEmpty { return [path] }
            return subdirectories.map { "\(path)/\($0)" }
        }
    }

    /// Whether a directory entry is an item: `*.ics`, not hidden.
    public static func isItem(_ name: String) -> Bool {
        name.hasSuffix(".ics") && !name.hasPrefix(".")
    }

    /// The first line of the vdir metadata file `name` (`displayname`, `color`) in `directory`, if any.
    static func metadata(_ name: String, in directory: String) -> String? {
        guard case .success(let bytes) = FileReader.read("\(directory)/\(name)", limit: 4096) else { return nil }
        let line = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first
        return line.map { $0.trimmingCharacters(in: " \t") }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `id`, or `id-2`, `id-3`... when taken.
    private static func unique(_ id: String, taken: inout Set<String>) -> String {
        var candidate = id
        var n = 2
        while taken.contains(candidate) {
            candidate = "\(id)-\(n)"
            n += 1
        }
        taken.insert(candidate)
        return candidate
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
