import Glibc
import SystemPackage

/// A program run to completion (sendmail, apprise): its standard input given, its standard output and error
/// collected together, its exit status. The environment is the caller's own.
public struct ProgramRun: Sendable {
    /// How it ended: `exited(status)` or `signaled(signal)`.
    public enum Ending: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signaled(Int32)

        public var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signaled(let signal): "killed by signal \(signal) (\(String(cString: strsignal(signal))))"
            }
        }
    }

    /// How it ended.
    public var ending: Ending
    /// What it wrote to standard output and standard error, as text.
    public var output: String

    /// Whether it exited with status 0.
    public var succeeded: Bool { ending == .exited(0) }

    /// Runs `program` (a path, or a name looked up in `$PATH`) with `arguments`, feeding it `input`, and waits
    /// for it.
    ///
    /// - Throws: `SystemCallError` when it cannot be started (not found, not executable) or a pipe fails.
    public static func run(_ program: String, _ arguments: [String], input: [UInt8]) throws(SystemCallError)
        -> ProgramRun
    {
        var inputPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        guard pipe(&inputPipe) == 0 else { throw SystemCallError("pipe") }
        guard pipe(&outputPipe) == 0 else {
            close(inputPipe[0])
            close(inputPipe[1])
            throw SystemCallError("pipe")
        }
        // No end leaks into the child beyond the dup2 copies (the process has one thread: no race with a fork).
        for descriptor in inputPipe + outputPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 2)
        // This process ignores SIGPIPE (a child closing its input early is reported by its exit status); the
        // child gets the default action back, as any program expects.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let started = program.contains("/")
            ? posix_spawn(&pid, program, &actions, &attributes, argv, environ)
            : posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        close(inputPipe[0])
        close(outputPipe[1])
        guard started == 0 else {
            close(inputPipe[1])
            close(outputPipe[0])
            throw SystemCallError("posix_spawn", operand: program, errno: Errno(rawValue: started))
        }
        let output = exchange(input: input, writeTo: inputPipe[1], readFrom: outputPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let ending: Ending = status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
        return ProgramRun(ending: ending, output: String(decoding: output, as: UTF8.self))
    }

    /// Writes `input` and reads the output until the child closes it, with poll, so that neither side
    /// blocks on a full pipe; closes both descriptors. A child that stops reading early (EPIPE) is not an
    /// error here: its exit status says what happened.
    private static func exchange(input: [UInt8], writeTo inputFD: Int32, readFrom outputFD: Int32) -> [UInt8] {
        var output: [UInt8] = []
        var written = 0
        var writing = true
        if input.isEmpty {
            close(inputFD)
            writing = false
        }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            var descriptors = [pollfd(fd: outputFD, events: Int16(POLLIN), revents: 0)]
            if writing { descriptors.append(pollfd(fd: inputFD, events: Int16(POLLOUT), revents: 0)) }
            if poll(&descriptors, nfds_t(descriptors.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if writing, descriptors[1].revents != 0 {
                let count = input[written...].withUnsafeBytes { write(inputFD, $0.baseAddress, $0.count) }
                if count > 0 { written += count }
                if (count < 0 && errno != EINTR && errno != EAGAIN) || written == input.count {
                    close(inputFD)
                    writing = false
                }
            }
            if descriptors[0].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
                if count > 0 {
                    output += chunk[..<count]
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
        }
        if writing { close(inputFD) }
        close(outputFD)
        return output
    }
}
