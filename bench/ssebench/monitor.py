"""The idle monitor: a separate process (its own interpreter, so its sampling never holds the harness's lock
while a lateness measurement is reading the daemon's pipe), started as `bench.py --monitor ...`."""

import json
import os
import shutil
import signal
import subprocess
import time

from .common import run
from .procfs import context_switches


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
