"""Part 2, phase 2: the idle window. Idle daemons (one with WATCHDOG_USEC), atd and the container's systemd
are watched for context switches by the monitor process while the other parts run beside them."""

import json
import math
import os
import subprocess
import sys
import time

from ..common import ENTRY, NS, Unmeasurable, log
from ..monitor import episodes
from ..procfs import memory
from ..timelines import generate


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
        [sys.executable, ENTRY, "--monitor", result_path, str(ctx.args.idle_seconds),
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
    memories = {name: memory(t["pid"]) for name, t in data["targets"].items()}
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
            **memories.get(name, {}),
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
