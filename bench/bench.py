#!/usr/bin/env python3
"""The sse-timeline benchmark (issue 5): lateness, idle wake-ups, memory, start-up, reload and burst,
side by side with atd and a systemd timer, in one run.

Run it through `make bench` (or `bash bench/run.sh`); `--help` lists the knobs. Python 3 standard library
only. Everything is measured from outside the daemon: its stderr pipe, its notify socket (bound here),
/proc, and perf where it works.

The run has two phases:
1. Side by side (quiet machine): reminders due at the same minute boundaries for the daemon, atd (`at`
   has minute resolution) and a systemd timer inside a throwaway systemd-nspawn container.
   The same reminders go to the daemon inside the container too (journal sink), and then a burst of
   100,000 through the container's journald.
2. The idle window (--idle-seconds, 300 by default): an idle daemon, one with WATCHDOG_USEC, atd and the
   container's systemd are watched for context switches while the daemon's other benchmarks run beside
   them (a sleeping process is not woken by load elsewhere, so this costs no accuracy and saves time).

Exit status: 0 when every figure was measured (targets met or not), 1 when something could not be.
"""

import argparse
import datetime
import fcntl
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

NS = 1_000_000_000
MS = 1_000_000

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BINARY = os.path.join(REPO, ".build-release", "release", "sse-timeline")

RE_DUE = re.compile(rb" DUE_AT=([0-9T:+\-Z.]+)")
RE_LATENESS = re.compile(rb" LATENESS_USEC=(-?[0-9]+)")
RE_KEY = re.compile(rb' REMINDER_KEY=("(?:[^"\\]|\\.)*"|[^ \]]+)')


class Unmeasurable(Exception):
    """A figure could not be measured; the run goes on, and exits non-zero at the end."""


def log(text):
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] {text}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------------------
# Statistics


def percentile(values, p):
    """Nearest-rank percentile of `values` (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values):
    """{median, min, max, runs} of the per-run values (None entries are runs that could not be measured)."""
    measured = [v for v in values if v is not None]
    if not measured:
        return {"median": None, "min": None, "max": None, "runs": 0, "values": values}
    return {
        "median": statistics.median(measured),
        "min": min(measured),
        "max": max(measured),
        "runs": len(measured),
        "values": values,
    }


# ----------------------------------------------------------------------------------------------------------
# The notify socket and the daemon under test


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


class Daemon:
    """`sse-timeline run` as a child process: stderr read (and time-stamped) on a thread, notify socket bound."""

    counter = 0

    def __init__(self, ctx, args, name, env_extra=None):
        Daemon.counter += 1
        self.name = f"{name}-{Daemon.counter}"
        self.ctx = ctx
        self.state_dir = os.path.join(ctx.workdir, f"state-{self.name}")
        os.mkdir(self.state_dir)
        self.notify = NotifyListener(os.path.join(ctx.workdir, f"notify-{self.name}.sock"))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        env["NOTIFY_SOCKET"] = self.notify.path
        env.update(env_extra or {})
        argv = [ctx.binary, "run", *args, "--state-dir", self.state_dir, "--log-target", "stderr"]
        self.chunks = []  # (wall ns at read, bytes of whole lines)
        self.reminder_lines = 0
        self.cond = threading.Condition()
        self.stdout_path = os.path.join(ctx.workdir, f"stdout-{self.name}.txt")
        self.eof = False
        self.exit_code = None
        self.rusage = None
        with open(self.stdout_path, "wb") as stdout:
            self.exec_mono = time.monotonic_ns()
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE, env=env, close_fds=True
            )
        self.pid = self.proc.pid
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        fd = self.proc.stderr.fileno()
        try:
            # A big pipe, so that a burst is limited by the daemon, not by this reader.
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        except OSError:
            pass
        partial = b""
        while True:
            data = os.read(fd, 1 << 20)
            wall = time.time_ns()
            if not data:
                break
            data = partial + data
            cut = data.rfind(b"\n") + 1
            partial = data[cut:]
            whole = data[:cut]
            if whole:
                found = whole.count(b" DUE_AT=")
                with self.cond:
                    self.chunks.append((wall, whole))
                    self.reminder_lines += found
                    self.cond.notify_all()
        with self.cond:
            if partial:
                self.chunks.append((time.time_ns(), partial))
            self.eof = True
            self.cond.notify_all()
        # stderr closes when the daemon ends: whoever waits for a notify message stops waiting.
        self.notify.sender_exited()

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
        with self.cond:
            while self.reminder_lines < count and not self.eof:
                remaining = (deadline_wall - time.time_ns()) / NS
                if remaining <= 0:
                    break
                self.cond.wait(remaining)
            return self.reminder_lines

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
        self.reader.join(5)
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
        with self.cond:
            chunks = list(self.chunks)
        for wall, data in chunks:
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
        with self.cond:
            text = b"".join(c for _, c in self.chunks[-5:]).decode("utf-8", "replace")
        lines = text.strip().splitlines()[-3:]
        return ("; stderr: " + " | ".join(lines)) if lines else ""


def read_proc_status(pid):
    values = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                values[name] = value.strip()
    except OSError:
        pass
    return values


def kib(status, name):
    value = status.get(name)
    return int(value.split()[0]) * 1024 if value else None


def anonymous_memory(pid):
    """Bytes of anonymous memory (heap, stacks: the process's own) in its RSS, from smaps_rollup; the rest of
    the RSS is file-backed (the mapped binary and libraries, shared and reclaimable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Anonymous:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def context_switches(pid):
    """{tid: voluntary + involuntary} over the threads of `pid`, from /proc/PID/task/*/status."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        total = 0
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split(":")[1])
        except OSError:
            continue
        out[int(tid)] = total
    return out


# ----------------------------------------------------------------------------------------------------------
# Timelines


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(ctx, path, milestones, reminders, start_epoch, spread, step=1):
    with open(path, "wb") as out:
        result = subprocess.run(
            [
                ctx.binary,
                "generate-synthetic",
                "--milestones",
                str(milestones),
                "--reminders",
                str(reminders),
                "--start",
                iso(start_epoch),
                "--spread",
                str(spread),
                "--step",
                str(step),
            ],
            stdout=out,
            stderr=subprocess.PIPE,
        )
    if result.returncode != 0:
        raise Unmeasurable(f"generate-synthetic failed: {result.stderr.decode(errors='replace').strip()[:200]}")
    return path


def write_instants_timeline(path, instants, per_instant):
    """`per_instant` one-reminder milestones due at each epoch second of `instants`."""
    lines = ['[defaults]\ntimezone = "UTC"\nreminders = ["at start"]\n']
    for k, instant in enumerate(instants):
        for j in range(per_instant):
            lines.append(
                f'[[milestone]]\nid = "side-{k}-{j}"\ntitle = "Side by side {k}.{j}"\nstart = {iso(instant)}\n'
            )
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


# ----------------------------------------------------------------------------------------------------------
# Peers: atd and a systemd timer in a container


def unit_journal_settings():
    """[(name, value)] of the shipped unit's settings that decide what journald keeps of a burst."""
    wanted = ("LogRateLimitIntervalSec", "LogRateLimitBurst", "LogLevelMax")
    out = []
    try:
        with open(os.path.join(REPO, "systemd", "sse-timeline.service.in")) as f:
            for line in f:
                name, sep, value = line.strip().partition("=")
                if sep and name in wanted:
                    out.append((name, value.strip()))
    except OSError:
        pass
    return out


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


class Atd:
    """The system's atd (started here if it is not running, and then stopped again at the end)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.started_pid = None
        self.pid = self._running_pid()
        if shutil.which("at") is None or not os.path.exists("/usr/sbin/atd"):
            raise Unmeasurable("atd: `at` is not installed (apt-get install -y at)")
        if self.pid is None:
            if os.path.isdir("/run/systemd/system") and run(["systemctl", "start", "atd"]).returncode == 0:
                self.pid = self._running_pid()
            else:
                result = run(["/usr/sbin/atd"])
                if result.returncode != 0:
                    raise Unmeasurable(f"atd: cannot start it: {result.stderr.strip()}")
                self.pid = self._running_pid()
                self.started_pid = self.pid
        if self.pid is None:
            raise Unmeasurable("atd: not running and could not be started")
        self.jobs = []

    @staticmethod
    def _running_pid():
        try:
            with open("/run/atd.pid") as f:
                pid = int(f.read().strip())
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == "atd":
                    return pid
        except (OSError, ValueError):
            pass
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/comm") as f:
                        if f.read().strip() == "atd":
                            return int(entry)
                except OSError:
                    pass
        return None

    def schedule(self, epoch_minute, command):
        """An `at` job (queue a) at the minute `epoch_minute` (a multiple of 60); returns its job number."""
        when = time.strftime("%Y%m%d%H%M", time.gmtime(epoch_minute))
        result = run(["at", "-M", "-q", "a", "-t", when], input=command + "\n", env=dict(os.environ, TZ="UTC"))
        match = re.search(r"job (\d+) at", result.stderr)
        if result.returncode != 0 or not match:
            raise Unmeasurable(f"atd: `at -t {when}` failed: {result.stderr.strip()}")
        self.jobs.append(match.group(1))
        return match.group(1)

    def cleanup(self):
        pending = set(run(["atq"]).stdout.split())
        leftover = [j for j in self.jobs if j in pending]
        if leftover:
            run(["atrm", *leftover])
        if self.started_pid is not None:
            try:
                os.kill(self.started_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


class Container:
    """A throwaway systemd container booted from / (volatile), for the systemd-timer peer.

    nspawn reports the container's PID 1 (X_NSPAWN_LEADER_PID) and, with --notify-ready, READY=1 once the
    container's systemd is up, on a notify socket bound here; the container is ended by signalling the
    nspawn process started here (never by name).
    """

    def __init__(self, ctx):
        if shutil.which("systemd-nspawn") is None:
            raise Unmeasurable("systemd timer: systemd-nspawn is missing (apt-get install -y systemd-container)")
        self.ctx = ctx
        self.name = f"ssebench-{os.getpid()}"
        self.notify = NotifyListener(os.path.join(ctx.workdir, "nspawn.sock"))
        self.log_path = os.path.join(ctx.workdir, "nspawn.log")
        self.leader = None
        # The daemon binary and its configs reach the container through a read-only bind mount.
        self.shared = os.path.join(ctx.workdir, "shared")
        os.mkdir(self.shared)
        shutil.copy2(ctx.binary, os.path.join(self.shared, "sse-timeline"))
        env = dict(os.environ, NOTIFY_SOCKET=self.notify.path)
        with open(self.log_path, "wb") as logfile:
            self.proc = subprocess.Popen(
                [
                    "systemd-nspawn",
                    "--volatile=yes",
                    "-D",
                    "/",
                    "--register=no",
                    "--keep-unit",
                    "-M",
                    self.name,
                    "-b",
                    "--console=pipe",
                    "--notify-ready=yes",
                    f"--bind-ro={self.shared}:/srv/ssebench",
                ],
                stdin=subprocess.DEVNULL,
                stdout=logfile,
                stderr=subprocess.STDOUT,
                env=env,
            )
        self.timers = []

    def wait_running(self, timeout=90):
        deadline = time.monotonic_ns() + int(timeout * NS)
        index = self.notify.wait_for("X_NSPAWN_LEADER_PID", 0, deadline)
        if index is None:
            raise Unmeasurable(f"systemd timer: the container did not start ({self._log_tail()})")
        self.leader = int(self.notify.messages[index][2]["X_NSPAWN_LEADER_PID"])
        if self.notify.wait_for("READY", 0, deadline) is None:
            raise Unmeasurable(f"systemd timer: the container's systemd never became ready ({self._log_tail()})")
        state = self.sh(["systemctl", "is-system-running", "--wait"], timeout=timeout).stdout.strip()
        if state not in ("running", "degraded"):
            raise Unmeasurable(f"systemd timer: the container's systemd is {state!r}")
        return state

    def sh(self, argv, timeout=30, **kwargs):
        return run(["nsenter", "-t", str(self.leader), "-a", *argv], timeout=timeout, **kwargs)

    def schedule(self, epoch, unit, output):
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))
        result = self.sh(
            [
                "systemd-run",
                f"--unit={unit}",
                f"--on-calendar={when}",
                "--timer-property=AccuracySec=1us",
                "-p",
                f"StandardOutput=file:{output}",
                "/usr/bin/date",
                "+%s.%N",
            ]
        )
        if result.returncode != 0:
            raise Unmeasurable(f"systemd timer: systemd-run failed: {result.stderr.strip()}")
        self.timers.append(unit)

    def share(self, path):
        """Copies a host file into the shared folder; returns its path inside the container."""
        shutil.copy(path, os.path.join(self.shared, os.path.basename(path)))
        return "/srv/ssebench/" + os.path.basename(path)

    def start_daemon(self, unit, config):
        """The daemon as a Type=notify service writing to the container's journal; returns once READY=1.

        The journal settings of the shipped unit (systemd/sse-timeline.service.in) are copied, so that a burst
        meets the rate limit the real service would meet.
        """
        properties = []
        for name, value in unit_journal_settings():
            properties += ["-p", f"{name}={value}"]
        result = self.sh(
            [
                "systemd-run",
                f"--unit={unit}",
                "-p",
                "Type=notify",
                "-p",
                "NotifyAccess=main",
                *properties,
                "-p",
                f"StateDirectory={unit}",
                "/srv/ssebench/sse-timeline",
                "run",
                "--config",
                config,
                "--log-target",
                "journal",
            ],
            timeout=180,
        )
        if result.returncode != 0:
            raise Unmeasurable(f"journal: cannot start the daemon in the container: {result.stderr.strip()}")

    def stop_unit(self, unit):
        self.sh(["systemctl", "stop", unit], timeout=60)

    def journal_reminders(self, unit):
        """[(journald's receive time in ns, due epoch seconds)] of the unit's reminder entries."""
        result = self.sh(
            ["journalctl", "-q", f"_SYSTEMD_UNIT={unit}.service", "-o", "json", "--output-fields=DUE_AT"],
            timeout=120,
        )
        out = []
        for line in result.stdout.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            due = entry.get("DUE_AT")
            if isinstance(due, str):
                due_epoch = int(datetime.datetime.fromisoformat(due.replace("Z", "+00:00")).timestamp())
                out.append((int(entry["__REALTIME_TIMESTAMP"]) * 1000, due_epoch))
        return out

    def status_text(self, unit):
        result = self.sh(["systemctl", "show", "-p", "StatusText", "--value", f"{unit}.service"])
        return result.stdout.strip()

    def sync_journal(self):
        """`journalctl --sync`: returns once journald has written everything sent before it."""
        self.sh(["journalctl", "--sync"], timeout=120)

    def read(self, path):
        result = self.sh(["cat", path])
        return result.stdout if result.returncode == 0 else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                # A second SIGTERM makes nspawn end the container at once.
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        self.notify.close()

    def _log_tail(self):
        try:
            with open(self.log_path, "rb") as f:
                return " | ".join(f.read().decode("utf-8", "replace").strip().splitlines()[-3:])
        except OSError:
            return "no log"


# ----------------------------------------------------------------------------------------------------------
# The idle monitor: a separate process (its own interpreter, so its sampling never holds this one's lock
# while a lateness measurement is reading the daemon's pipe).


def monitor_main(argv):
    """`bench.py --monitor OUT SECONDS INTERVAL PERF name=pid...`: samples /proc/PID/task/*/status every
    INTERVAL seconds for SECONDS; with PERF=1 also counts with `perf stat` over the same window."""
    out_path, seconds, interval, use_perf = argv[0], float(argv[1]), float(argv[2]), argv[3] == "1"
    targets = {}
    for item in argv[4:]:
        name, _, pid = item.partition("=")
        targets[name] = int(pid)
    perfs = {}
    if use_perf and Perf.available():
        directory = os.path.dirname(os.path.abspath(out_path))
        perfs = {name: Perf(pid, os.path.join(directory, f"perf-{name}.txt")) for name, pid in targets.items()}
    start_mono = time.monotonic()
    first = {name: context_switches(pid) for name, pid in targets.items()}
    previous = dict(first)
    changes = {name: [] for name in targets}  # seconds since start of each sample that saw something
    print("started", flush=True)
    step = 1
    while True:
        wake = start_mono + step * interval
        end = start_mono + seconds
        now = time.monotonic()
        if wake > end:
            wake = end
        if wake > now:
            time.sleep(wake - now)  # the sampling period, not a wait for an event
        elapsed = time.monotonic() - start_mono
        for name, pid in targets.items():
            current = context_switches(pid)
            if current != previous[name]:
                changes[name].append(round(elapsed, 3))
            previous[name] = current
        if wake >= end:
            break
        step += 1
    result = {"seconds": time.monotonic() - start_mono, "interval": interval, "targets": {}}
    perf_counts = {name: p.finish() for name, p in perfs.items()}
    for name, pid in targets.items():
        start, end = first[name], previous[name]
        kept = set(start) & set(end)
        result["targets"][name] = {
            "pid": pid,
            "threads_at_start": len(start),
            "threads_at_end": len(end),
            "threads_ended": len(set(start) - set(end)),
            "threads_new": len(set(end) - set(start)),
            "switches": sum(end[t] - start[t] for t in kept) + sum(end[t] for t in set(end) - set(start)),
            "change_times": changes[name],
            "perf": perf_counts.get(name),
        }
    with open(out_path, "w") as f:
        json.dump(result, f)


def episodes(times, interval):
    """Groups sample times that saw a change into wake episodes (adjacent samples are one episode)."""
    out = []
    for t in times:
        if out and t - out[-1][-1] <= interval * 1.5:
            out[-1].append(t)
        else:
            out.append([t])
    return [group[0] for group in out]


class Perf:
    """`perf stat -e context-switches -p PID` over a window: counts every thread, also those that ended."""

    @staticmethod
    def available():
        if shutil.which("perf") is None:
            return False
        result = run(["perf", "stat", "-x,", "-e", "context-switches", "--", "true"])
        return result.returncode == 0 and "context-switches" in result.stderr

    def __init__(self, pid, path):
        self.path = path
        self.proc = subprocess.Popen(
            ["perf", "stat", "-x,", "-e", "context-switches", "-p", str(pid), "-o", path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def finish(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
        try:
            with open(self.path) as f:
                for line in f:
                    parts = line.strip().split(",")
                    if len(parts) > 3 and parts[2] == "context-switches":
                        if parts[0].isdigit():
                            return int(parts[0])
                        # A task that never ran while watched has its counter never scheduled in.
                        if parts[0] == "<not counted>" and parts[3] in ("0", ""):
                            return 0
        except OSError:
            pass
        return None


# ----------------------------------------------------------------------------------------------------------
# The benchmarks


class Context:
    def __init__(self, args):
        self.args = args
        self.binary = args.binary
        self.workdir = tempfile.mkdtemp(prefix="sse-bench-")
        self.failures = []  # what could not be measured
        self.results = {}
        self.daemons = []
        self.burst_ready_s = None

    def fail(self, section, error):
        text = f"{section}: {error}"
        log("NOT MEASURED " + text)
        self.failures.append(text)

    def daemon(self, args, name, env_extra=None):
        d = Daemon(self, args, name, env_extra)
        self.daemons.append(d)
        return d


def lateness_run(ctx, run_index):
    """One run: 1,000 reminders due over about 10 s (500 milestones x 2 reminders, 11 distinct instants)."""
    start = math.ceil(time.time()) + 3
    path = generate(ctx, os.path.join(ctx.workdir, f"lateness-{run_index}.toml"), 500, 2, start + 1, 9, 1)
    d = ctx.daemon(["--config", path], "lateness")
    try:
        d.wait_ready(10)
        if time.time() >= start:
            raise Unmeasurable("the daemon was not ready before the first reminder came due")
        last_due = start + 10
        got = d.wait_reminders(1000, (last_due + 10) * NS)
        # The daemon's code pages are given back when it goes idle after loading (CodePages), and those of
        # the delivery path come back with the first reminder: the RSS of a daemon that has delivered.
        rss_after = kib(d.proc_status(), "VmRSS")
    finally:
        d.stop()
    rows = d.reminders()
    late = [(wall - due * NS) for wall, due, _, _ in rows]
    internal = [usec * 1000 for _, _, usec, _ in rows if usec is not None]
    instants = len({due for _, due, _, _ in rows})
    # What one more reminder due at the same instant costs: the slope of the daemon's own LATENESS_USEC
    # across each shared instant (the harness's clock is not involved).
    slopes = []
    by_due = {}
    for _, due, usec, _ in rows:
        if usec is not None:
            by_due.setdefault(due, []).append(usec)
    for values in by_due.values():
        if len(values) >= 10:
            slopes.append((values[-1] - values[0]) * 1000 / (len(values) - 1))
    if got < 1000:
        raise Unmeasurable(f"only {got} of 1000 reminders arrived")
    return {
        "count": len(rows),
        "distinct_instants": instants,
        "p50_ns": percentile(late, 50),
        "p99_ns": percentile(late, 99),
        "max_ns": max(late),
        "min_ns": min(late),
        "internal_p50_ns": percentile(internal, 50),
        "internal_max_ns": max(internal) if internal else None,
        "per_reminder_ns": statistics.median(slopes) if slopes else None,
        "first_of_instant_p50_ns": percentile([min(v) * 1000 for v in by_due.values()], 50) if by_due else None,
        "first_lateness_ns": min(by_due.items())[1][0] * 1000 if by_due else None,
        "rss_after_delivery": rss_after,
    }


def bench_lateness(ctx):
    runs = []
    for i in range(ctx.args.lateness_runs):
        try:
            r = lateness_run(ctx, i)
            log(
                f"lateness run {i + 1}: p50 {r['p50_ns'] / MS:.3f} ms, p99 {r['p99_ns'] / MS:.3f} ms, "
                f"max {r['max_ns'] / MS:.3f} ms ({r['count']} reminders, {r['distinct_instants']} instants)"
            )
            runs.append(r)
        except Unmeasurable as error:
            ctx.fail(f"lateness run {i + 1}", error)
            runs.append(None)
    ctx.results["lateness"] = {
        "runs": runs,
        "p50_ns": summary([r and r["p50_ns"] for r in runs]),
        "p99_ns": summary([r and r["p99_ns"] for r in runs]),
        "max_ns": summary([r and r["max_ns"] for r in runs]),
        "internal_p50_ns": summary([r and r["internal_p50_ns"] for r in runs]),
        "per_reminder_ns": summary([r and r["per_reminder_ns"] for r in runs]),
        "first_of_instant_p50_ns": summary([r and r["first_of_instant_p50_ns"] for r in runs]),
        "first_lateness_ns": summary([r and r["first_lateness_ns"] for r in runs]),
        "rss_after_delivery": summary([r and r["rss_after_delivery"] for r in runs]),
    }


SIZES = [("default", None), ("10k", 10_000), ("100k", 100_000), ("1M", 1_000_000)]


def timeline_args(ctx, size_name, instances):
    """Run arguments for a timeline size: the embedded default, or N instances (N/5 milestones x 5)."""
    if instances is None:
        return ["--default-timeline"]
    path = os.path.join(ctx.workdir, f"synthetic-{size_name}.toml")
    if not os.path.exists(path):
        # Far in the future (2030 on), spread over a year: everything pending, nothing due during the run.
        generate(ctx, path, instances // 5, 5, 1_893_456_000, 365 * 86400, 60)
    return ["--config", path]


def pending_from_status(text):
    match = re.search(r"([0-9]+) reminders pending", text)
    return int(match.group(1)) if match else None


def bench_startup_memory(ctx):
    out = {}
    for size_name, instances in SIZES:
        runs_wanted = ctx.args.startup_runs_large if (instances or 0) >= 100_000 else ctx.args.startup_runs
        args = timeline_args(ctx, size_name, instances)
        runs = []
        for i in range(runs_wanted):
            d = ctx.daemon(args, f"startup-{size_name}")
            try:
                ready_ns = d.wait_ready(60)
                at_ready = d.proc_status()
                # Steady: one second after READY=1 (the daemon is asleep by then; RSS no longer moves).
                time.sleep(ctx.args.settle_seconds)
                settled = d.proc_status()
                anonymous = anonymous_memory(d.pid)
                status = d.status()
                run = {
                    "ready_ns": ready_ns,
                    "rss_at_ready": kib(at_ready, "VmRSS"),
                    "rss_steady": kib(settled, "VmRSS"),
                    "rss_peak": kib(settled, "VmHWM"),
                    "anonymous_steady": anonymous,
                    "threads": int(settled.get("Threads", "0") or 0),
                    "pending": pending_from_status(status),
                }
                code, stop_seconds = d.stop()
                run["exit_code"] = code
                run["stop_seconds"] = stop_seconds
                if instances is not None and run["pending"] != instances:
                    log(f"startup {size_name}: STATUS says {run['pending']} pending, expected {instances}")
                runs.append(run)
                log(
                    f"startup {size_name} run {i + 1}: READY after {ready_ns / MS:.1f} ms, RSS steady "
                    f"{run['rss_steady'] / 1e6:.2f} MB, peak {run['rss_peak'] / 1e6:.2f} MB, "
                    f"{run['pending']} pending, SIGTERM->exit {stop_seconds * 1000:.0f} ms (code {code})"
                )
            except Unmeasurable as error:
                d.kill_if_running()
                ctx.fail(f"start-up {size_name} run {i + 1}", error)
                runs.append(None)
        out[size_name] = {
            "instances": instances,
            "runs": runs,
            "ready_ns": summary([r and r["ready_ns"] for r in runs]),
            "rss_steady": summary([r and r["rss_steady"] for r in runs]),
            "rss_peak": summary([r and r["rss_peak"] for r in runs]),
            "anonymous_steady": summary([r and r["anonymous_steady"] for r in runs]),
            "stop_seconds": summary([r and r["stop_seconds"] for r in runs]),
            "pending": runs[-1]["pending"] if runs and runs[-1] else None,
        }
    ctx.results["memory_startup"] = out
    big = out.get("1M", {}).get("rss_steady", {}).get("median")
    small = out.get("10k", {}).get("rss_steady", {}).get("median")
    if big is not None:
        ctx.results["memory_per_reminder"] = {
            "bytes_per_pending_at_1M": big / 1_000_000,
            "marginal_bytes_10k_to_1M": (big - small) / 990_000 if small is not None else None,
        }


def bench_reload(ctx):
    out = {}
    for size_name, instances in [("default", None), ("100k", 100_000)]:
        wanted = ctx.args.reload_runs
        d = ctx.daemon(timeline_args(ctx, size_name, instances), f"reload-{size_name}")
        runs = []
        try:
            d.wait_ready(60)
            for i in range(wanted):
                try:
                    ns, status = d.reload(60)
                    runs.append(ns)
                    log(f"reload {size_name} run {i + 1}: READY=1 {ns / MS:.1f} ms after SIGHUP")
                except Unmeasurable as error:
                    ctx.fail(f"reload {size_name} run {i + 1}", error)
                    runs.append(None)
                    break
            rss = kib(d.proc_status(), "VmRSS")
        except Unmeasurable as error:
            ctx.fail(f"reload {size_name}", error)
            rss = None
        finally:
            d.stop()
        out[size_name] = {"runs": runs, "ready_ns": summary(runs), "rss_after": rss}
    ctx.results["reload"] = out


def burst_run(ctx, index, count):
    """One run: `count` one-reminder milestones due in the same second, set far enough ahead for start-up."""
    for attempt in range(3):
        # The first run does not know how long start-up takes with `count` milestones: it leaves 10 s, and
        # a run that was not ready in time is tried again with twice the margin.
        margin = 10.0 if ctx.burst_ready_s is None else max(3.0, 2 * ctx.burst_ready_s + 2)
        margin *= 2**attempt
        due = math.ceil(time.time() + margin)
        path = generate(ctx, os.path.join(ctx.workdir, f"burst-{index}.toml"), count, 1, due, 0, 1)
        d = ctx.daemon(["--config", path], "burst")
        ready_ns = d.wait_ready(120)
        ctx.burst_ready_s = max(ctx.burst_ready_s or 0, ready_ns / NS)
        if time.time() < due - 0.2:
            break
        log(f"burst run {index + 1}: READY=1 came {ready_ns / NS:.1f} s after exec, after the due instant; again")
        d.stop()
    else:
        raise Unmeasurable("the daemon was never ready before the burst came due")
    try:
        # Counted below from what arrived; a shortfall at the deadline is a result, not an error.
        d.wait_reminders(count, (due + ctx.args.burst_deadline) * NS)
        rss_peak = kib(d.proc_status(), "VmHWM")
    finally:
        d.stop()
    rows = d.reminders()
    if not rows:
        raise Unmeasurable("no reminder arrived")
    first, last = rows[0][0], rows[-1][0]
    keys = [k for _, _, _, k in rows]
    return {
        "expected": count,
        "delivered": len(rows),
        "unique": len(set(keys)),
        "first_lateness_ns": first - due * NS,
        "last_lateness_ns": last - due * NS,
        "throughput_per_s": len(rows) / ((last - due * NS) / NS) if last > due * NS else None,
        "rss_peak": rss_peak,
        "ready_ns": ready_ns,
    }


def bench_burst(ctx):
    runs = []
    count = ctx.args.burst_size
    for i in range(ctx.args.burst_runs):
        try:
            r = burst_run(ctx, i, count)
            log(
                f"burst run {i + 1}: {r['delivered']} of {r['expected']} delivered ({r['unique']} distinct), "
                f"last after {r['last_lateness_ns'] / NS:.2f} s, {r['throughput_per_s']:.0f}/s"
            )
            runs.append(r)
        except Unmeasurable as error:
            ctx.fail(f"burst run {i + 1}", error)
            runs.append(None)
    ctx.results["burst"] = {
        "size": count,
        "runs": runs,
        "delivered": summary([r and r["delivered"] for r in runs]),
        "throughput_per_s": summary([r and r["throughput_per_s"] for r in runs]),
        "last_lateness_ns": summary([r and r["last_lateness_ns"] for r in runs]),
        "first_lateness_ns": summary([r and r["first_lateness_ns"] for r in runs]),
        "all_delivered_every_run": all(r and r["delivered"] == count and r["unique"] == count for r in runs),
    }


# ----------------------------------------------------------------------------------------------------------
# Phase 1: side by side


def collect_peers(atd, container, outdir, k_runs, per):
    """{"atd": {(k, j): epoch}, "systemd": {...}}: the timestamps the peers' jobs wrote so far."""
    got = {"atd": {}, "systemd": {}}
    if atd:
        for k in range(k_runs):
            for j in range(per):
                try:
                    with open(f"{outdir}/{k}-{j}") as f:
                        text = f.read().strip()
                    if text:
                        got["atd"][(k, j)] = float(text.splitlines()[0])
                except OSError:
                    pass
    if container:
        # One `grep -H` for all files: "path:timestamp" lines.
        result = container.sh(["sh", "-c", "grep -H . /var/tmp/ssebench-[0-9]*-[0-9]* 2>/dev/null || true"])
        for line in result.stdout.splitlines():
            path, _, value = line.partition(":")
            match = re.search(r"ssebench-(\d+)-(\d+)$", path)
            if match and value.strip():
                got["systemd"][(int(match.group(1)), int(match.group(2)))] = float(value.strip())
    return got


def first_boundary(ctx, now):
    """The first minute boundary at least --peer-lead seconds from `now`."""
    return math.ceil((now + ctx.args.peer_lead) / 60) * 60


def side_by_side(ctx, atd, container):
    """Reminders due at the same minute boundaries for the daemon, atd and the systemd timer."""
    k_runs, per = ctx.args.peer_runs, ctx.args.per_instant
    first = first_boundary(ctx, time.time())
    instants = [first + 60 * k for k in range(k_runs)]
    log(f"side by side: {per} reminders at each of {', '.join(iso(i) for i in instants)}")
    outdir = os.path.join(ctx.workdir, "atd")
    os.mkdir(outdir)
    side_path = write_instants_timeline(os.path.join(ctx.workdir, "side.toml"), instants, per)
    d = ctx.daemon(["--config", side_path], "side")
    results = {"instants": [iso(i) for i in instants], "per_instant": per}
    journal_unit = None
    try:
        d.wait_ready(30)
        if container:
            # The same timeline once more, inside the container, writing to its journal.
            try:
                container.start_daemon("ssebench-journal", container.share(side_path))
                journal_unit = "ssebench-journal"
            except (Unmeasurable, subprocess.TimeoutExpired) as error:
                ctx.fail("side by side sse-timeline (journal)", error)
        if atd:
            for k, instant in enumerate(instants):
                for j in range(per):
                    atd.schedule(instant, f"date +%s.%N >> {outdir}/{k}-{j}")
        if container:
            for k, instant in enumerate(instants):
                for j in range(per):
                    container.schedule(instant, f"ssebench-{k}-{j}", f"/var/tmp/ssebench-{k}-{j}")
        # The daemon's lines come through its pipe: wait on them.
        d.wait_reminders(k_runs * per, (instants[-1] + 10) * NS)
        expected = k_runs * per
        # The peers write files. Nothing is read while instants are still to come (reading would load the
        # machine); after the last one, the files are read once a second until all are there or the
        # deadline passes (atd has minute resolution and may be up to a minute late).
        pause = instants[-1] + 3 - time.time()
        if pause > 0:
            time.sleep(pause)  # waiting for the last due instant to pass
        deadline = instants[-1] + ctx.args.peer_deadline
        while True:
            got = collect_peers(atd, container, outdir, k_runs, per)
            done = (not atd or len(got["atd"]) == expected) and (not container or len(got["systemd"]) == expected)
            if done or time.time() > deadline:
                break
            time.sleep(1)
    finally:
        d.stop()
    journal_late = {}
    if journal_unit:
        for wall, due in container.journal_reminders(journal_unit):
            if due in instants:
                journal_late.setdefault(instants.index(due), []).append(wall - due * NS)
        container.stop_unit(journal_unit)
    rows = d.reminders()
    daemon_late = {}
    for wall, due, _, _ in rows:
        k = instants.index(due) if due in instants else None
        if k is not None:
            daemon_late.setdefault(k, []).append(wall - due * NS)

    def per_run(samples_by_run):
        runs = []
        for k in range(k_runs):
            samples = samples_by_run.get(k, [])
            if len(samples) < per:
                runs.append(None)
            else:
                runs.append({"median_ns": statistics.median(samples), "max_ns": max(samples), "samples": samples})
        return {
            "runs": runs,
            "median_ns": summary([r and r["median_ns"] for r in runs]),
            "max_ns": summary([r and r["max_ns"] for r in runs]),
            "missing": sum(1 for r in runs if r is None),
        }

    results["daemon"] = per_run(daemon_late)
    results["journal"] = per_run(journal_late) if journal_unit else None
    if journal_unit and results["journal"]["missing"]:
        ctx.fail("side by side sse-timeline (journal)", "reminders missing from the container's journal")
    for peer, enabled in (("atd", atd), ("systemd", container)):
        if not enabled:
            results[peer] = None
            continue
        by_run = {}
        for (k, j), stamp in got[peer].items():
            by_run.setdefault(k, []).append(int(round((stamp - instants[k]) * NS)))
        results[peer] = per_run(by_run)
        if results[peer]["missing"]:
            ctx.fail(f"side by side {peer}", f"{expected - len(got[peer])} of {expected} jobs never ran")
    if results["daemon"]["missing"]:
        ctx.fail("side by side sse-timeline", "reminders missing")
    ctx.results["side_by_side"] = results
    for name in ("daemon", "journal", "atd", "systemd"):
        r = results.get(name)
        if r and r["median_ns"]["median"] is not None:
            log(f"side by side {name}: median lateness {r['median_ns']['median'] / MS:.3f} ms, "
                f"worst {r['max_ns']['max'] / MS:.3f} ms")


def journal_burst(ctx, container):
    """The burst again, inside the container, through journald: counted in the journal."""
    count = ctx.args.burst_size
    runs = []
    for index in range(ctx.args.journal_burst_runs):
        unit = f"ssebench-burst-{index}"
        try:
            margin = 15.0
            for attempt in range(3):
                due = math.ceil(time.time() + margin * 2**attempt)
                path = generate(ctx, os.path.join(ctx.workdir, f"jburst-{index}-{attempt}.toml"), count, 1, due, 0)
                container.start_daemon(f"{unit}-{attempt}", container.share(path))
                if time.time() < due - 0.2:
                    unit = f"{unit}-{attempt}"
                    break
                container.stop_unit(f"{unit}-{attempt}")
                log(f"journal burst run {index + 1}: not ready before the due instant; again")
            else:
                raise Unmeasurable("the daemon in the container was never ready before the burst came due")
            # The daemon says in STATUS= when nothing is pending any more (read once a second, after the due
            # instant); then `journalctl --sync` returns once journald has stored all it was sent.
            pause = due + 1 - time.time()
            if pause > 0:
                time.sleep(pause)  # waiting for the due instant to pass
            finished = False
            while time.time() < due + ctx.args.burst_deadline:
                if pending_from_status(container.status_text(unit)) == 0:
                    finished = True
                    break
                time.sleep(1)
            container.sync_journal()
            rows = container.journal_reminders(unit)
            container.stop_unit(unit)
            if not rows:
                raise Unmeasurable("no reminder reached the journal")
            last = max(wall for wall, _ in rows)
            first = min(wall for wall, _ in rows)
            run = {
                "expected": count,
                "delivered": len(rows),
                "first_lateness_ns": first - due * NS,
                "last_lateness_ns": last - due * NS,
                "throughput_per_s": len(rows) / ((last - due * NS) / NS) if last > due * NS else None,
                "daemon_finished": finished,
                "unit_settings": dict(unit_journal_settings()),
            }
            log(f"journal burst run {index + 1}: {run['delivered']} of {count} in the journal, last after "
                f"{run['last_lateness_ns'] / NS:.2f} s, {run['throughput_per_s']:.0f}/s")
            runs.append(run)
        except (Unmeasurable, subprocess.TimeoutExpired) as error:
            ctx.fail(f"journal burst run {index + 1}", error)
            runs.append(None)
    ctx.results["journal_burst"] = {
        "size": count,
        "runs": runs,
        "delivered": summary([r and r["delivered"] for r in runs]),
        "throughput_per_s": summary([r and r["throughput_per_s"] for r in runs]),
        "last_lateness_ns": summary([r and r["last_lateness_ns"] for r in runs]),
        "all_delivered_every_run": bool(runs) and all(r and r["delivered"] == count for r in runs),
    }


# ----------------------------------------------------------------------------------------------------------
# Phase 2: the idle window, with the other benchmarks beside it


def start_idle(ctx, atd, container):
    """Starts the idle daemons and the monitor; returns what finish_idle needs."""
    # Nothing due during the window: a timeline far in the future (1,000 reminders from 2030 on).
    path = os.path.join(ctx.workdir, "idle.toml")
    generate(ctx, path, 200, 5, 1_893_456_000, 365 * 86400, 3600)
    quiet = ctx.daemon(["--config", path], "idle")
    watchdog_usec = int(ctx.args.watchdog_seconds * 1_000_000)
    dog = ctx.daemon(["--config", path], "idle-watchdog", {"WATCHDOG_USEC": str(watchdog_usec)})
    quiet.wait_ready(30)
    dog.wait_ready(30)
    targets = {"sse-timeline": quiet.pid, "sse-timeline-watchdog": dog.pid}
    # The peers hold something pending too, far in the future, as the daemon does.
    if atd:
        atd.schedule(math.ceil(time.time() / 60) * 60 + 300 * 86400, "true")
        targets["atd"] = atd.pid
    if container:
        container.schedule(1_893_456_000, "ssebench-idle", "/var/tmp/ssebench-idle")
        targets["systemd"] = container.leader
    # The window starts once start-up is over: READY=1 is sent before the daemon's last start-up steps.
    time.sleep(ctx.args.settle_seconds)
    result_path = os.path.join(ctx.workdir, "idle.json")
    monitor = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--monitor", result_path, str(ctx.args.idle_seconds),
         str(ctx.args.idle_interval), "1" if ctx.args.perf else "0"] + [f"{n}={p}" for n, p in targets.items()],
        stdout=subprocess.PIPE,
        text=True,
    )
    if monitor.stdout.readline().strip() != "started":
        raise Unmeasurable("the idle monitor did not start")
    start_wall = time.time()
    pings_before = len(dog.notify.all_with("WATCHDOG"))
    log(f"idle window: {ctx.args.idle_seconds:.0f} s from now, watching {', '.join(targets)}")
    return {"quiet": quiet, "dog": dog, "monitor": monitor, "path": result_path,
            "start_wall": start_wall, "pings_before": pings_before, "watchdog_usec": watchdog_usec}


def finish_idle(ctx, idle):
    monitor = idle["monitor"]
    remaining = idle["start_wall"] + ctx.args.idle_seconds - time.time()
    if remaining > 0:
        log(f"waiting {remaining:.0f} s for the end of the idle window")
    monitor.wait(ctx.args.idle_seconds + 60)
    with open(idle["path"]) as f:
        data = json.load(f)
    dog = idle["dog"]
    start_ns, end_ns = int(idle["start_wall"] * NS), int((idle["start_wall"] + data["seconds"]) * NS)
    pings = [wall for _, wall, fields in dog.notify.all_with("WATCHDOG") if start_ns <= wall <= end_ns]
    reminders = {"sse-timeline": idle["quiet"].reminder_lines, "sse-timeline-watchdog": dog.reminder_lines}
    rss = {name: kib(read_proc_status(t["pid"]), "VmRSS") for name, t in data["targets"].items()}
    anonymous = {name: anonymous_memory(t["pid"]) for name, t in data["targets"].items()}
    idle["quiet"].stop()
    dog.stop()
    out = {"seconds": data["seconds"], "interval": data["interval"], "watchdog_usec": idle["watchdog_usec"],
           "targets": {}}
    for name, t in data["targets"].items():
        wakes = episodes(t["change_times"], data["interval"])
        entry = {
            "context_switches": t["switches"],
            "perf_context_switches": t["perf"],
            "wake_episodes": len(wakes),
            "threads_ended": t["threads_ended"],
            "threads_new": t["threads_new"],
            "threads": t["threads_at_end"],
            "rss": rss.get(name),
            "anonymous": anonymous.get(name),
            "wake_times_s": wakes[:100],
        }
        if name in reminders:
            entry["reminders_written"] = reminders[name]
        if name == "sse-timeline-watchdog":
            entry["pings"] = len(pings)
            ping_offsets = [(p - start_ns) / NS for p in pings]
            # A ping's wake-up can show as two nearby samples on a loaded machine (the thread woken by the timer
            # waits for a CPU before it pings): every wake-up must lie within half a second of a ping, and
            # every ping have one.
            tolerance = max(0.5, data["interval"] * 2 + 0.05)
            entry["wakes_without_ping"] = sum(
                1 for w in wakes if not any(abs(w - p) <= tolerance for p in ping_offsets))
            entry["pings_without_wake"] = sum(
                1 for p in ping_offsets if not any(abs(w - p) <= tolerance for w in wakes))
        out["targets"][name] = entry
        if entry.get("reminders_written"):
            ctx.fail(f"idle {name}", f"{entry['reminders_written']} reminders came due in the window: not idle")
        log(f"idle {name}: {entry['context_switches']} context switches (/proc), perf {entry['perf_context_switches']}, "
            f"{entry['wake_episodes']} wake episodes" + (f", {entry['pings']} pings" if "pings" in entry else ""))
    ctx.results["idle"] = out


# ----------------------------------------------------------------------------------------------------------
# Report


def fmt_ms(ns):
    if ns is None:
        return "n/a"
    ms = ns / MS
    if abs(ms) >= 1000:
        return f"{ms / 1000:.2f} s"
    if abs(ms) >= 100:
        return f"{ms:.0f} ms"
    if abs(ms) >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def fmt_us(ns):
    return "n/a" if ns is None else f"+{ns / 1000:.1f} us"


def fmt_mb(b):
    return "n/a" if b is None else f"{b / 1e6:.2f} MB"


def fmt_count(n):
    return "n/a" if n is None else f"{n:,.0f}"


def ratio(a, b):
    if a is None or b is None:
        return "n/a"
    if b == 0:
        return "same" if a == 0 else "∞"
    return f"{a / b:,.0f}x" if a / b >= 10 else f"{a / b:.1f}x"


def verdict(value, limit, cmp="<="):
    if value is None:
        return "NOT MEASURED"
    ok = value <= limit if cmp == "<=" else value == limit
    return "met" if ok else "MISSED"


def build_report(ctx):
    """Rows of (section, figure, median, min, max, runs, target, verdict) and the targets list."""
    R = ctx.results
    rows = []
    targets = []

    def row(section, figure, s, fmt, target="", status=""):
        if isinstance(s, dict):
            rows.append((section, figure, fmt(s["median"]), fmt(s["min"]), fmt(s["max"]), str(s["runs"]), target,
                         status))
        else:
            rows.append((section, figure, fmt(s), "", "", "", target, status))
        if target:
            targets.append({"figure": f"{section} {figure}".strip(), "target": target, "status": status})

    L = R.get("lateness")
    if L:
        row("1 Lateness", "p50 (1,000 reminders, 10 s)", L["p50_ns"], fmt_ms)
        row("", "p99", L["p99_ns"], fmt_ms, "<= 2 ms", verdict(L["p99_ns"]["median"], 2 * MS))
        row("", "max", L["max_ns"], fmt_ms, "<= 10 ms", verdict(L["max_ns"]["median"], 10 * MS))
        row("", "p50 as the daemon saw it (LATENESS_USEC)", L["internal_p50_ns"], fmt_ms)
        row("", "  first of each instant, p50 (LATENESS_USEC)", L["first_of_instant_p50_ns"], fmt_ms)
        row("", "  each further one due at the same instant", L["per_reminder_ns"], fmt_us)
        if L.get("first_lateness_ns"):
            row("", "  the first after start-up (LATENESS_USEC)", L["first_lateness_ns"], fmt_ms)
    I = R.get("idle")
    if I:
        secs = f"{I['seconds']:.0f} s"
        q = I["targets"].get("sse-timeline")
        if q:
            strict = max(c for c in (q["context_switches"], q.get("perf_context_switches")) if c is not None)
            row("2 Idle", f"context switches, {secs}, no watchdog", q["context_switches"], fmt_count, "0",
                verdict(strict, 0, "=="))
            if q.get("perf_context_switches") is not None:
                row("", "  same, counted by perf stat", q["perf_context_switches"], fmt_count)
        w = I["targets"].get("sse-timeline-watchdog")
        if w:
            wd = I["watchdog_usec"] / 1e6
            row("", f"WATCHDOG_USEC={wd:g} s: WATCHDOG=1 pings", w["pings"], fmt_count)
            exact = w["wakes_without_ping"] == 0 and w["pings_without_wake"] == 0
            row("", f"  wake-ups (/proc sampled every {I['interval'] * 1000:.0f} ms)", w["wake_episodes"],
                fmt_count)
            row("", "  wake-ups more than 0.5 s from a ping", w["wakes_without_ping"], fmt_count, "0 (= pings)",
                "met" if exact else "MISSED")
            cs = w["perf_context_switches"] if w.get("perf_context_switches") is not None else w["context_switches"]
            row("", "  context switches (" + ("perf" if w.get("perf_context_switches") is not None else "/proc")
                + f"), {cs / w['pings']:.1f} per ping" if w["pings"] else "", cs, fmt_count)
    M = R.get("memory_startup")
    if M:
        d = M.get("default")
        if d:
            row("3 Memory", "steady RSS, default timeline", d["rss_steady"], fmt_mb, "<= 10 MB",
                verdict(d["rss_steady"]["median"], 10e6))
            row("", "peak RSS, default timeline", d["rss_peak"], fmt_mb, "<= 10 MB",
                verdict(d["rss_peak"]["median"], 10e6))
            row("", "  of the steady RSS: anonymous (heap, stacks)", d["anonymous_steady"], fmt_mb)
        delivered = (R.get("lateness") or {}).get("rss_after_delivery")
        if delivered:
            row("", "RSS after delivering (part 1's daemon)", delivered, fmt_mb)
        for size in ("10k", "100k", "1M"):
            s = M.get(size)
            if s:
                row("", f"steady RSS, {size} instances", s["rss_steady"], fmt_mb)
                row("", f"peak RSS, {size} instances", s["rss_peak"], fmt_mb)
        per = R.get("memory_per_reminder")
        if per:
            row("", "steady RSS / pending reminder at 1M", per["bytes_per_pending_at_1M"],
                lambda v: "n/a" if v is None else f"{v:.0f} B", "<= 300 B",
                verdict(per["bytes_per_pending_at_1M"], 300))
            row("", "  marginal, 10k -> 1M", per["marginal_bytes_10k_to_1M"],
                lambda v: "n/a" if v is None else f"{v:.0f} B")
        for size in ("default", "10k", "100k", "1M"):
            s = M.get(size)
            if s:
                target, status = "", ""
                if size == "default":
                    target, status = "<= 50 ms", verdict(s["ready_ns"]["median"], 50 * MS)
                if size == "1M":
                    target, status = "<= 3 s", verdict(s["ready_ns"]["median"], 3 * NS)
                row("4 Start-up" if size == "default" else "", f"exec -> READY=1, {size}", s["ready_ns"], fmt_ms,
                    target, status)
        big = M.get("1M")
        if big:
            stop = dict(big["stop_seconds"])
            for key in ("median", "min", "max"):
                stop[key] = None if stop[key] is None else stop[key] * NS
            row("", "SIGTERM -> exit 0, 1M", stop, fmt_ms)
    RL = R.get("reload")
    if RL:
        for size in ("default", "100k"):
            s = RL.get(size)
            if s:
                target, status = ("<= 50 ms", verdict(s["ready_ns"]["median"], 50 * MS)) if size == "default" else ("", "")
                row("5 Reload" if size == "default" else "", f"SIGHUP -> READY=1, {size}", s["ready_ns"], fmt_ms,
                    target, status)
    B = R.get("burst")
    if B:
        n = B["size"]
        row("6 Burst", f"delivered of {n:,} due in one second", B["delivered"], fmt_count, f"all {n:,}",
            "met" if B["all_delivered_every_run"] else "MISSED")
        row("", "throughput (reminders/s)", B["throughput_per_s"], fmt_count)
        row("", "last one written after", B["last_lateness_ns"], fmt_ms)
    JB = R.get("journal_burst")
    if JB:
        n = JB["size"]
        row("" if B else "6 Burst", f"journal (container): in the journal of {n:,}", JB["delivered"], fmt_count,
            f"all {n:,}", "met" if JB["all_delivered_every_run"] else "MISSED")
        row("", "journal: throughput (reminders/s)", JB["throughput_per_s"], fmt_count)
        row("", "journal: last one received after", JB["last_lateness_ns"], fmt_ms)
    return rows, targets


def side_table(ctx):
    """Part 7: the daemon beside atd and a systemd timer, with the peers' figures as ratios to the daemon's."""
    S = ctx.results.get("side_by_side")
    I = ctx.results.get("idle")
    lines = []
    if not S and not I:
        return lines
    header = (f"{'7 Side by side':<36} {'sse-timeline':>12} {'(journal)':>10} {'atd':>10} {'ratio':>7} "
              f"{'systemd timer':>13} {'ratio':>7}")
    lines.append(header)
    lines.append("-" * len(header))

    def line(label, d, j, a, s, fmt):
        lines.append(f"{label:<36} {fmt(d):>12} {fmt(j):>10} {fmt(a):>10} {ratio(a, d):>7} {fmt(s):>13} "
                     f"{ratio(s, d):>7}")

    if S:
        n = len(S["instants"])
        for label, pick in (
            (f"lateness, median ({n} instants x {S['per_instant']})", lambda r: r["median_ns"]["median"]),
            ("lateness, worst", lambda r: r["max_ns"]["max"]),
        ):
            v = {name: (pick(S[name]) if S.get(name) else None) for name in ("daemon", "journal", "atd", "systemd")}
            line(label, v["daemon"], v["journal"], v["atd"], v["systemd"], fmt_ms)
    if I:
        t = I["targets"]

        def switches(name):
            entry = t.get(name)
            if not entry:
                return None
            counts = [c for c in (entry.get("context_switches"), entry.get("perf_context_switches")) if c is not None]
            return max(counts) if counts else None

        line(f"idle context switches, {I['seconds']:.0f} s", switches("sse-timeline"), None, switches("atd"),
             switches("systemd"), fmt_count)
        rss = {name: (t.get(name) or {}).get("rss") for name in ("sse-timeline", "atd", "systemd")}
        line("RSS while idle", rss["sse-timeline"], None, rss["atd"], rss["systemd"], fmt_mb)
        anon = {name: (t.get(name) or {}).get("anonymous") for name in ("sse-timeline", "atd", "systemd")}
        line("  of which anonymous (heap, stacks)", anon["sse-timeline"], None, anon["atd"], anon["systemd"], fmt_mb)
    lines.append("Ratios: the peer's figure over sse-timeline's (stderr). (journal): the same daemon in the "
                 "container, timed by journald's receive time.")
    lines.append("Idle: sse-timeline holds 1,000 pending reminders, atd one job, the container's systemd (PID 1) "
                 "one timer besides its own units.")
    return lines


def render(ctx, rows):
    widths = [12, 42, 10, 10, 10, 4, 10, 12]
    head = ("part", "figure", "median", "min", "max", "runs", "target", "")
    out = []
    fmt = lambda r: (f"{r[0]:<{widths[0]}} {r[1]:<{widths[1]}} {r[2]:>{widths[2]}} {r[3]:>{widths[3]}} "
                     f"{r[4]:>{widths[4]}} {r[5]:>{widths[5]}}  {r[6]:<{widths[6]}} {r[7]}").rstrip()
    out.append(fmt(head))
    out.append("-" * len(fmt(head)))
    for r in rows:
        out.append(fmt(r))
    out.append("")
    out.extend(side_table(ctx))
    return "\n".join(out)


def machine():
    info = {"kernel": platform.release(), "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            info["memory_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    info["os"] = line.split("=", 1)[1].strip().strip('"')
        if os.path.exists("/sys/hypervisor/type") or "hypervisor" in open("/proc/cpuinfo").read():
            info["virtualised"] = True
    except OSError:
        pass
    return info


def git_info():
    head = run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = bool(run(["git", "-C", REPO, "status", "--porcelain", "--", "Sources", "Package.swift"]).stdout.strip())
    return {"commit": head or None, "sources_modified": dirty}


# ----------------------------------------------------------------------------------------------------------


def parse_args(argv):
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--binary", default=env("BENCH_BINARY", DEFAULT_BINARY), help="the daemon (env BENCH_BINARY)")
    p.add_argument("--out", default=env("BENCH_OUT", os.path.join(REPO, "bench", "results", "latest.json")),
                   help="where the JSON goes (env BENCH_OUT)")
    p.add_argument("--idle-seconds", type=float, default=float(env("BENCH_IDLE_SECONDS", "300")),
                   help="the idle window (env BENCH_IDLE_SECONDS)")
    p.add_argument("--idle-interval", type=float, default=0.1, help="sampling period of /proc in the idle window")
    p.add_argument("--watchdog-seconds", type=float, default=float(env("BENCH_WATCHDOG_SECONDS", "20")),
                   help="WATCHDOG_USEC of the watchdog daemon (it pings at half that)")
    p.add_argument("--lateness-runs", type=int, default=int(env("BENCH_LATENESS_RUNS", "5")),
                   help="runs of 1,000 reminders over about 10 s")
    p.add_argument("--startup-runs", type=int, default=int(env("BENCH_STARTUP_RUNS", "5")),
                   help="runs for the default timeline and 10k")
    p.add_argument("--startup-runs-large", type=int, default=int(env("BENCH_STARTUP_RUNS_LARGE", "3")),
                   help="runs for 100k and 1M")
    p.add_argument("--reload-runs", type=int, default=int(env("BENCH_RELOAD_RUNS", "5")),
                   help="SIGHUPs for each of the default timeline and 100k")
    p.add_argument("--burst-runs", type=int, default=int(env("BENCH_BURST_RUNS", "3")), help="bursts on stderr")
    p.add_argument("--burst-size", type=int, default=100_000, help="reminders due in the same second")
    p.add_argument("--journal-burst-runs", type=int, default=int(env("BENCH_JOURNAL_BURST_RUNS", "1")),
                   help="bursts through journald in the container")
    p.add_argument("--burst-deadline", type=float, default=120, help="seconds after the due instant")
    p.add_argument("--peer-runs", type=int, default=int(env("BENCH_PEER_RUNS", "3")),
                   help="minute boundaries for the side-by-side lateness")
    p.add_argument("--per-instant", type=int, default=3, help="reminders per boundary and tool")
    p.add_argument("--peer-lead", type=float, default=8, help="least seconds before the first boundary")
    p.add_argument("--peer-deadline", type=float, default=65, help="seconds a peer may be late before it counts as lost")
    p.add_argument("--settle-seconds", type=float, default=1.0, help="READY=1 to the steady RSS sample")
    p.add_argument("--no-peers", dest="peers", action="store_false", help="skip atd and the systemd timer")
    p.add_argument("--no-perf", dest="perf", action="store_false", help="do not cross-check with perf stat")
    p.add_argument("--only", default="", help="comma list of: side,journal,idle,lateness,startup,reload,burst")
    return p.parse_args(argv)


def attempt(ctx, part, function, *args):
    """Runs one part; whatever goes wrong in it is reported as not measured, and the other parts go on."""
    try:
        return function(*args)
    except Unmeasurable as error:
        ctx.fail(part, error)
    except Exception as error:  # a broken part must not take the others' figures with it
        ctx.fail(part, f"{type(error).__name__}: {error}")
    return None


def main(argv):
    if argv[:1] == ["--monitor"]:
        monitor_main(argv[1:])
        return 0
    args = parse_args(argv)
    if not os.access(args.binary, os.X_OK):
        print(f"bench: no daemon binary at {args.binary} (run `make release`)", file=sys.stderr)
        return 1
    only = set(filter(None, args.only.split(",")))
    want = lambda name: not only or name in only
    ctx = Context(args)
    # SIGTERM (e.g. from `timeout`) ends the run through the cleanup below: the container, the daemons and
    # the at jobs started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.time()
    load_start = os.getloadavg()
    atd = container = None
    log(f"working in {ctx.workdir}")
    try:
        if args.peers and (want("side") or want("idle") or want("journal")):
            try:
                container = Container(ctx)
            except Unmeasurable as error:
                ctx.fail("systemd timer", error)
            try:
                atd = Atd(ctx)
            except Unmeasurable as error:
                ctx.fail("atd", error)
            if container:
                try:
                    state = container.wait_running()
                    log(f"container {container.name}: PID 1 is {container.leader}, systemd {state}")
                except Unmeasurable as error:
                    ctx.fail("systemd timer", error)
                    container.stop()
                    container = None
        # Phase 1: side by side, on a quiet machine.
        if want("side"):
            attempt(ctx, "side by side", side_by_side, ctx, atd, container)
        # After the side-by-side instants: a journald still busy with the burst would delay the journal's
        # side-by-side figures.
        if container and want("journal"):
            attempt(ctx, "journal burst", journal_burst, ctx, container)
        # Phase 2: the idle window, with the other benchmarks beside it.
        idle = None
        if want("idle"):
            idle = attempt(ctx, "idle", start_idle, ctx, atd, container)
        for name, bench in (("lateness", bench_lateness), ("startup", bench_startup_memory),
                            ("reload", bench_reload), ("burst", bench_burst)):
            if want(name):
                attempt(ctx, name, bench, ctx)
        if idle:
            attempt(ctx, "idle", finish_idle, ctx, idle)
    finally:
        for d in ctx.daemons:
            d.kill_if_running()
        if container:
            container.stop()
        if atd:
            atd.cleanup()
    duration = time.time() - started
    rows, targets = build_report(ctx)
    table = render(ctx, rows)
    info = machine()
    load_end = os.getloadavg()
    title = (f"sse-timeline benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
             f"{info.get('cpu', '?')} ({info.get('cores')} cores), {info.get('memory_gib')} GiB, "
             f"{info.get('os', '?')}, Linux {info['kernel']}; load average {load_start[0]:.2f} at start, "
             f"{load_end[0]:.2f} at end; {duration / 60:.1f} min")
    print()
    print(title)
    print("Each figure: median over the runs, with min and max; 'runs' says how many. MB = 10^6 bytes.")
    print()
    print(table)
    if ctx.failures:
        print()
        print("Not measured:")
        for failure in ctx.failures:
            print("  - " + failure)
    document = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["bench/bench.py", *argv]),
        "arguments": vars(args),
        "machine": info,
        "load_average": {"start": load_start, "end": load_end},
        "duration_seconds": duration,
        "git": git_info(),
        "binary_bytes": os.path.getsize(args.binary),
        "results": ctx.results,
        "targets": targets,
        "not_measured": ctx.failures,
        "table": title + "\n\n" + table,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(document, f, indent=1, default=str)
        f.write("\n")
    print(f"\nwritten: {os.path.relpath(args.out, os.getcwd())}")
    if not ctx.failures:
        shutil.rmtree(ctx.workdir, ignore_errors=True)
    else:
        print(f"kept for inspection: {ctx.workdir}")
    return 1 if ctx.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
