import Glibc

/// A program run by a test (posix_spawn, no threads), its standard output readable through a pipe; ended by its
/// PID when the value goes away.
public final class ChildProcess {
    /// Its process id.
    public let pid: pid_t
    /// The read end of its standard output (-1 when not captured).
    public let output: Int32
    private var exited = false

    /// Starts `path` with `arguments` (without argv[0]) and `environment` ("NAME=value"; nil: the test's own),
    /// its stdout into a pipe when `captureOutput`, its stderr to /dev/null unless `keepStderr`.
    public init(
        _ path: String,
        _ arguments: [String],
        environment: [String]? = nil,
        captureOutput: Bool = true,
        keepStderr: Bool = false
    ) {
        var pipeEnds: [Int32] = [-1, -1]
        if captureOutput {
            precondition(pipe(&pipeEnds) == 0)
            // Neither end leaks into other children; dup2 gives the child's stdout without the flag.
            _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if captureOutput { posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1) }
        if !keepStderr { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        // A clean signal state: the test process may block or ignore signals (SIGTERM, SIGPIPE) that the child
        // must take in the ordinary way.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let result: Int32
        if let environment {
            let envp = environment.map { strdup($0) } + [nil]
            defer { for entry in envp { free(entry) } }
            result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        } else {
            result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        }
        precondition(result == 0, "posix_spawn \(path): \(String(cString: strerror(result)))")
        if captureOutput { close(pipeEnds[1]) }
        self.pid = pid
        output = pipeEnds[0]
    }

    deinit {
        terminate()
        if output >= 0 { close(output) }
    }

    /// The next line of its output, waiting at most `milliseconds` for each chunk; nil on timeout or end.
    public func readLine(waitingAtMost milliseconds: Int32) -> String? {
        var line: [UInt8] = []
        while true {
            var descriptors = [pollfd(fd: output, events: Int16(POLLIN), revents: 0)]
            guard poll(&descriptors, 1, milliseconds) > 0 else { return nil }
            var byte: UInt8 = 0
            guard read(output, &byte, 1) == 1 else { return nil }
            if byte == 10 { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    /// Sends `signal` and reaps the process (SIGKILL after 5 s); returns its wait status.
    @discardableResult
    public func terminate(signal: Int32 = SIGTERM) -> Int32 {
        guard !exited else { return 0 }
        exited = true
        kill(pid, signal)
        var status: Int32 = 0
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) == pid { return status }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return status
    }

    /// Waits at most `milliseconds` for the process to exit by itself; its wait status, or nil if it still runs.
    public func waitForExit(milliseconds: Int) -> Int32? {
        var status: Int32 = 0
        for _ in 0..<max(1, milliseconds / 10) {
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                return status
            }
            usleep(10_000)
        }
        return nil
    }
}
