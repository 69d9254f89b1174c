"""The peers the daemon is compared with: the system's atd, and a systemd timer in a throwaway systemd-nspawn
container (which also runs the daemon under a real systemd, writing to journald)."""

import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import time

from .common import NS, REPO, Unmeasurable, run
from .daemon import NotifyListener


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
