import Glibc

/// Runs a fuzz target's body over corpus files outside libFuzzer: what the fuzz targets do in a normal
/// `swift build`, so that the committed corpora and findings replay as regression tests without sanitizers.
///
/// Each argument is a file or a directory (its regular files, not recursively). A crash names the input
/// it happened on; an input slower than the limit fails the run.
public enum CorpusReplay {
    /// Replays every input named in `CommandLine.arguments` through `body` and exits: 0 when every input ran
    /// within `FUZZ_REPLAY_LIMIT_MS` (default 5000 ms, a debug build without sanitizers), else 1.
    public static func main(_ body: ([UInt8]) -> Void) -> Never {
        let name = CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? "fuzz"
        let paths = CommandLine.arguments.dropFirst().flatMap(expand)
        guard !paths.isEmpty else {
            print(
                "usage: \(name) FILE_OR_DIRECTORY...   (replays each input once; built with -DFUZZING it is a libFuzzer binary)"
            )
            exit(2)
        }
        let limit = Int64(getenv("FUZZ_REPLAY_LIMIT_MS").flatMap { Int(String(cString: $0)) } ?? 5000)
        CrashReport.install()
        var slowest: (milliseconds: Int64, path: String) = (0, "")
        var failures = 0
        for path in paths {
            guard let bytes = read(path) else {
                print("\(name): cannot read \(path)")
                failures += 1
                continue
            }
            CrashReport.current = path
            let start = monotonicNanoseconds()
            body(bytes)
            let milliseconds = (monotonicNanoseconds() - start) / 1_000_000
            if milliseconds >= slowest.milliseconds { slowest = (milliseconds, path) }
            if milliseconds > limit {
                print("\(name): \(path) took \(milliseconds) ms (limit \(limit) ms)")
                failures += 1
            }
        }
        CrashReport.current = nil
        print(
            "\(name): \(paths.count) inputs replayed, \(failures) failed; slowest \(slowest.milliseconds) ms (\(slowest.path))"
        )
        exit(failures == 0 ? 0 : 1)
    }

    private static func expand(_ path: String) -> [String] {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { return [path] }
        guard let directory = opendir(path) else { return [path] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted().map { path + "/" + $0 }
    }

    private static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return content }
            content += chunk[..<count]
        }
    }

    private static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

/// Says which input a replay crashed on: a Swift trap is a signal, after which nothing but write(2) is safe.
private enum CrashReport {
    /// The path of the input being replayed, as a C string the signal handler can write.
    nonisolated(unsafe) private static var buffer = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)
    nonisolated(unsafe) private static var length = 0

    static var current: String? {
        get { nil }
        set {
            let text = Array("\nreplay crashed on input: \(newValue ?? "")\n".utf8CString.dropLast())
            let count = min(text.count, 4095)
            for i in 0..<count { buffer[i] = text[i] }
            length = newValue == nil ? 0 : count
        }
    }

    /// The actions in place before ours (Swift's backtracer), restored before the signal is raised again.
    nonisolated(unsafe) private static var previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    static func install() {
        for signal in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                if CrashReport.length > 0 { _ = write(STDERR_FILENO, CrashReport.buffer, CrashReport.length) }
                // Hand the signal on: the previous handler prints its backtrace and the process dies of it.
                sigaction(number, CrashReport.previous + Int(number), nil)
                raise(number)
            }
            sigaction(signal, &action, previous + Int(signal))
        }
    }
}
