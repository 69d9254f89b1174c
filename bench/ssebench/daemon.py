"""The daemon under test: `sse-timeline run` as a child process, its stderr read and time-stamped on a thread,
and the notify socket its $NOTIFY_SOCKET points at."""

import datetime
import fcntl
import os
import re
import signal
import socket
import struct
import subprocess
import threading
import time

from .common import NS, Unmeasurable, log
from .procfs import read_proc_status


RE_DUE = re.compile(rb" DUE_AT=([0-9T:+\-Z.]+)")
RE_LATENESS = re.compile(rb" LATENESS_USEC=(-?[0-9]+)")
RE_KEY = re.compile(rb' REMINDER_KEY=("(?:[^"\\]|\\.)*"|[^ \]]+)')


class NotifyListener:
    """An AF_UNIX datagram socket that the daemon's $NOTIFY_SOCKET points at; keeps every message."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.messages = []  # (monotonic ns, wall ns, {name: value})
        self.cond = threading.Condition()
        self.sender_gone = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            try:
                data = self.sock.recv(1 << 16)
            except OSError:
                return
            mono, wall = time.monotonic_ns(), time.time_ns()
            fields = {}
            for line in data.decode("utf-8", "replace").split("\n"):
                name, sep, value = line.partition("=")
                if sep:
                    fields[name] = value
            if fields.get("X_BENCH_CLOSE") == "1":
                return
            with self.cond:
                self.messages.append((mono, wall, fields))
                self.cond.notify_all()

    def count(self):
        with self.cond:
            return len(self.messages)

    def sender_exited(self):
        """The process that sends here has ended: waiting for more is pointless."""
        with self.cond:
            self.sender_gone = True
            self.cond.notify_all()

    def wait_for(self, name, start, deadline_mono):
        """Index of the first message from `start` on that carries `name`; None at the deadline, or when the
        sender has ended without sending it."""
        with self.cond:
            index = start
            while True:
                while index < len(self.messages):
                    if name in self.messages[index][2]:
                        return index
                    index += 1
                remaining = (deadline_mono - time.monotonic_ns()) / NS
                if remaining <= 0 or self.sender_gone:
                    return None
                self.cond.wait(remaining)

    def all_with(self, name):
        with self.cond:
            return [m for m in self.messages if name in m[2]]

    def close(self):
        # A datagram to ourselves ends the receiving thread without polling.
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
                s.sendto(b"X_BENCH_CLOSE=1", self.path)
        except OSError:
            pass
        self.thread.join(5)
        self.sock.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


class StampedPipe:
    """Reads a pipe on a thread of its own and stamps each read with the wall clock (CLOCK_REALTIME) as soon as
    read(2) returns: [(wall ns at read, bytes of whole lines)], and a count of the lines holding `marker`.

    The daemon's stderr and the reference sleeper's stdout (part 8) are read by this one class, so that both
    are timed the same way.
    """

    def __init__(self, fd, marker, on_eof=None, stamper=None):
        self.fd = fd
        self.marker = marker
        self.on_eof = on_eof
        # With `stamper` (bench/reference/stamper.c, built), a process of its own reads the pipe and stamps each
        # read; this thread only takes its frames, and its own timing no longer counts.
        self.stamper = None
        if stamper:
            self.stamper = subprocess.Popen([stamper], stdin=fd, stdout=subprocess.PIPE, close_fds=True)
        self.chunks = []  # (wall ns at read, bytes of whole lines)
        self.marked = 0
        self.cond = threading.Condition()
        self.eof = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _chunks(self):
        """(wall ns at read, bytes) for each read of the pipe, until end of file."""
        if self.stamper:
            frames = self.stamper.stdout
            while True:
                header = frames.read(16)
                if len(header) < 16:
                    self.stamper.wait()
                    return
                wall, length = struct.unpack("=qq", header)
                yield wall, frames.read(length)
        fd = self.fd
        try:
            # A big pipe, so that a burst is limited by the daemon, not by this reader.
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        except OSError:
            pass
        while True:
            data = os.read(fd, 1 << 20)
            wall = time.time_ns()
            if not data:
                return
            yield wall, data

    def _read(self):
        partial = b""
        for wall, data in self._chunks():
            data = partial + data
            cut = data.rfind(b"\n") + 1
            partial = data[cut:]
            whole = data[:cut]
            if whole:
                found = whole.count(self.marker)
                with self.cond:
                    self.chunks.append((wall, whole))
                    self.marked += found
                    self.cond.notify_all()
        with self.cond:
            if partial:
                self.chunks.append((time.time_ns(), partial))
            self.eof = True
            self.cond.notify_all()
        if self.on_eof:
            self.on_eof()

    def wait_marked(self, count, deadline_wall):
        """Waits until `count` marked lines arrived, the pipe closed or the wall deadline passed; returns the
        count seen."""
        with self.cond:
            while self.marked < count and not self.eof:
                remaining = (deadline_wall - time.time_ns()) / NS
                if remaining <= 0:
                    break
                self.cond.wait(remaining)
            return self.marked

    def snapshot(self):
        """The chunks received so far."""
        with self.cond:
            return list(self.chunks)

    def join(self, timeout):
        self.thread.join(timeout)


class Daemon:
    """`sse-timeline run` as a child process: stderr read (and time-stamped) on a thread, notify socket bound."""

    counter = 0

    def __init__(self, ctx, args, name, env_extra=None, state_parent=None, stamper=None):
        Daemon.counter += 1
        self.name = f"{name}-{Daemon.counter}"
        self.ctx = ctx
        self.state_dir = os.path.join(state_parent or ctx.workdir, f"sse-bench-state-{os.getpid()}-{self.name}")
        os.mkdir(self.state_dir)
        self.notify = NotifyListener(os.path.join(ctx.workdir, f"notify-{self.name}.sock"))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        env["NOTIFY_SOCKET"] = self.notify.path
        env.update(env_extra or {})
        argv = [ctx.binary, "run", *args, "--state-dir", self.state_dir, "--log-target", "stderr"]
        self.stdout_path = os.path.join(ctx.workdir, f"stdout-{self.name}.txt")
        self.exit_code = None
        self.rusage = None
        with open(self.stdout_path, "wb") as stdout:
            self.exec_mono = time.monotonic_ns()
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE, env=env, close_fds=True
            )
        self.pid = self.proc.pid
        # stderr closes when the daemon ends: whoever waits for a notify message stops waiting.
        self.stderr = StampedPipe(self.proc.stderr.fileno(), b" DUE_AT=", self.notify.sender_exited, stamper)

    @property
    def reminder_lines(self):
        """Reminder lines received so far."""
        with self.stderr.cond:
            return self.stderr.marked

    # -- waiting on events

    def wait_ready(self, timeout):
        """Nanoseconds from exec to READY=1; raises Unmeasurable when it does not come."""
        deadline = time.monotonic_ns() + int(timeout * NS)
        index = self.notify.wait_for("READY", 0, deadline)
        if index is None:
            ended = f" (it exited with {self.proc.returncode})" if self.proc.poll() is not None else ""
            raise Unmeasurable(f"{self.name}: no READY=1 within {timeout} s{ended}{self._stderr_tail()}")
        return self.notify.messages[index][0] - self.exec_mono

    def wait_reminders(self, count, deadline_wall):
        """Waits until `count` reminder lines arrived or the wall deadline passed; returns the count seen."""
        return self.stderr.wait_marked(count, deadline_wall)

    def reload(self, timeout):
        """Nanoseconds from SIGHUP to the READY=1 that follows a RELOADING=1."""
        start_index = self.notify.count()
        t0 = time.monotonic_ns()
        os.kill(self.pid, signal.SIGHUP)
        deadline = t0 + int(timeout * NS)
        reloading = self.notify.wait_for("RELOADING", start_index, deadline)
        if reloading is None:
            raise Unmeasurable(f"{self.name}: no RELOADING=1 within {timeout} s after SIGHUP")
        ready = self.notify.wait_for("READY", reloading + 1, deadline)
        if ready is None:
            raise Unmeasurable(f"{self.name}: no READY=1 within {timeout} s after SIGHUP")
        message = self.notify.messages[ready]
        return message[0] - t0, message[2].get("STATUS", "")

    def status(self):
        """The last STATUS= the daemon sent."""
        with self.notify.cond:
            for _, _, fields in reversed(self.notify.messages):
                if "STATUS" in fields:
                    return fields["STATUS"]
        return ""

    def proc_status(self):
        return read_proc_status(self.pid)

    def stop(self, timeout=10.0):
        """SIGTERM, then waits for the exit; returns (exit code, seconds to exit)."""
        t0 = time.monotonic()
        if self.proc.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        # os.wait4 gives the whole process's rusage (all threads, also those that ended); it blocks, so it
        # runs on a thread that this one joins with a deadline.
        outcome = {}

        def reap():
            try:
                _, status, usage = os.wait4(self.pid, 0)
                outcome["code"] = os.waitstatus_to_exitcode(status)
                outcome["rusage"] = usage
            except ChildProcessError:
                outcome["code"] = self.proc.returncode

        waiter = threading.Thread(target=reap, daemon=True)
        waiter.start()
        waiter.join(timeout)
        if waiter.is_alive():
            log(f"{self.name}: did not exit within {timeout} s of SIGTERM; killing it")
            os.kill(self.pid, signal.SIGKILL)
            waiter.join()
            outcome["code"] = f"killed after {timeout} s"
        elapsed = time.monotonic() - t0
        self.proc.returncode = outcome.get("code") if isinstance(outcome.get("code"), int) else -9
        self.exit_code = outcome.get("code")
        self.rusage = outcome.get("rusage")
        self.stderr.join(5)
        self.notify.close()
        return self.exit_code, elapsed

    def kill_if_running(self):
        if self.proc.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()

    # -- reading what arrived

    def reminders(self):
        """[(arrival wall ns, due epoch seconds, daemon's LATENESS_USEC, REMINDER_KEY)] in arrival order."""
        out = []
        due_cache = {}
        for wall, data in self.stderr.snapshot():
            for line in data.split(b"\n"):
                match = RE_DUE.search(line)
                if not match:
                    continue
                text = match.group(1)
                due = due_cache.get(text)
                if due is None:
                    due = int(datetime.datetime.fromisoformat(text.decode().replace("Z", "+00:00")).timestamp())
                    due_cache[text] = due
                late = RE_LATENESS.search(line)
                key = RE_KEY.search(line)
                out.append((wall, due, int(late.group(1)) if late else None, key.group(1) if key else None))
        return out

    def _stderr_tail(self):
        text = b"".join(c for _, c in self.stderr.snapshot()[-5:]).decode("utf-8", "replace")
        lines = text.strip().splitlines()[-3:]
        return ("; stderr: " + " | ".join(lines)) if lines else ""


def pending_from_status(text):
    match = re.search(r"([0-9]+) reminders? pending", text)
    return int(match.group(1)) if match else None
