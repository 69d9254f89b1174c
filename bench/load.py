#!/usr/bin/env python3
"""Load figures of issue 12: time, peak RSS and steady RSS for the embedded default timeline and for a
synthetic timeline of N one-reminder milestones.

    bench/load.py BINARY [--milestones 100000] [--runs 5]

For each timeline:
- `validate`: wall time and peak RSS (the child's ru_maxrss), the median of --runs runs;
- the daemon (`run --log-target stderr`, $NOTIFY_SOCKET bound here): time from exec to READY=1, VmRSS one
  second after READY=1 (steady; the daemon is idle by then) and VmHWM (peak), the median of --runs runs.
Prints one line per figure, then the synthetic file's size, peak minus steady over that size, and the steady
bytes per milestone beyond the default timeline's."""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time


def validate(binary, args):
    start = time.monotonic()
    proc = subprocess.Popen([binary, "validate", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("validate %s failed" % " ".join(args))
    return elapsed, usage.ru_maxrss * 1024


def status_kib(pid, name):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024
    raise SystemExit("no %s for %d" % (name, pid))


def daemon(binary, args, workdir):
    state = tempfile.mkdtemp(dir=workdir)
    path = os.path.join(workdir, "notify-%d.sock" % len(os.listdir(workdir)))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(120)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    start = time.monotonic()
    proc = subprocess.Popen(
        [binary, "run", *args, "--state-dir", state, "--log-target", "stderr"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        while b"READY=1" not in sock.recv(65536).split(b"\n"):
            pass
        ready = time.monotonic() - start
        # The daemon goes idle right after READY=1; a second later its RSS no longer moves.
        time.sleep(1)
        steady, peak = status_kib(proc.pid, "VmRSS"), status_kib(proc.pid, "VmHWM")
    finally:
        proc.terminate()
        proc.wait(30)
        sock.close()
    return ready, steady, peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--milestones", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="sse-load-")
    try:
        big = os.path.join(workdir, "big.toml")
        with open(big, "wb") as f:
            subprocess.run(
                [options.binary, "generate-synthetic", "--milestones", str(options.milestones), "--reminders", "1"],
                stdout=f, check=True)
        size = os.path.getsize(big)
        results = {}
        for name, args in (("default", ["--default-timeline"]), ("%d" % options.milestones, ["--config", big])):
            runs = [validate(options.binary, args) for _ in range(options.runs)]
            runs_daemon = [daemon(options.binary, args, workdir) for _ in range(options.runs)]
            figures = {
                "validate time": statistics.median(r[0] for r in runs) * 1000,
                "validate peak RSS": statistics.median(r[1] for r in runs) / 1e6,
                "daemon exec to READY": statistics.median(r[0] for r in runs_daemon) * 1000,
                "daemon steady RSS": statistics.median(r[1] for r in runs_daemon) / 1e6,
                "daemon peak RSS": statistics.median(r[2] for r in runs_daemon) / 1e6,
            }
            results[name] = figures
            for label, value in figures.items():
                unit = "ms" if "time" in label or "READY" in label else "MB"
                print("%-10s %-22s %9.1f %s" % (name, label, value, unit))
        default, large = results["default"], results["%d" % options.milestones]
        print("synthetic file: %d milestones, %.2f MB" % (options.milestones, size / 1e6))
        print("daemon peak - steady at %d: %.1f MB = %.2f x the file"
              % (options.milestones, large["daemon peak RSS"] - large["daemon steady RSS"],
                 (large["daemon peak RSS"] - large["daemon steady RSS"]) * 1e6 / size))
        print("steady RSS per milestone beyond the default timeline's: %.0f B"
              % ((large["daemon steady RSS"] - default["daemon steady RSS"]) * 1e6 / options.milestones))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
