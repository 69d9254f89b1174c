"""Part 10, the daemon's side (issue 20): the running daemon with the generated calendar loaded, as one
timeline.d/ drop-in and as a vdir of one file per event (as vdirsyncer keeps a CalDAV collection). For each:
exec to READY=1 and the anonymous memory once ready; for the vdir also how long one changed item takes to be
applied: from the rename of its new version into the directory (as vdirsyncer writes) to the READY=1 that ends
the reload it causes, the new reminder planned."""

import os
import re
import time

from ..common import NS, Unmeasurable, log
from ..daemon import Daemon
from ..procfs import memory
from ..stats import summary

CHANGES = 5


def split_into_vdir(path, directory):
    """One .ics file per UID (an event and its overrides), each with the VTIMEZONEs it names; returns the
    number of files."""
    with open(path, encoding="utf-8", newline="") as file:
        text = file.read()
    zones = {m.group(1): m.group(0) for m in re.finditer(
        r"BEGIN:VTIMEZONE\r\nTZID:([^\r\n]*)\r\n.*?END:VTIMEZONE\r\n", text, re.S)}
    items = {}
    for m in re.finditer(r"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", text, re.S):
        uid = re.search(r"\r\nUID:([^\r\n]*)", m.group(0)).group(1)
        items.setdefault(uid, []).append(m.group(0))
    os.makedirs(directory)
    for n, (uid, events) in enumerate(items.items()):
        body = "".join(events)
        used = "".join(zone for tzid, zone in zones.items() if f"TZID={tzid}" in body)
        with open(os.path.join(directory, f"item-{n:05d}.ics"), "w", encoding="utf-8", newline="") as file:
            file.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sse-timeline bench//EN\r\n" + used + body
                       + "END:VCALENDAR\r\n")
    return len(items)


def asleep(pid):
    """Whether the process sleeps in epoll_wait (/proc/PID/wchan): the daemon's loop with nothing to do."""
    try:
        with open(f"/proc/{pid}/wchan") as file:
            return file.read().strip() == "do_epoll_wait"
    except OSError:
        return False


def started(ctx, name, config):
    daemon = Daemon(ctx, ["--config", config], name)
    try:
        ready = daemon.wait_ready(120)
        mem = memory(daemon.pid)
        # After READY=1 the daemon still writes the first read's warnings (one or two per item of a real export)
        # to its stderr pipe: the change is timed from a loop asleep in epoll_wait, as it is in service.
        deadline = time.monotonic() + 120
        while not asleep(daemon.pid):
            if time.monotonic() > deadline:
                raise Unmeasurable(f"{name}: the loop was not idle within 120 s of READY=1")
            time.sleep(0.05)
        return daemon, ready, mem
    except Exception:
        daemon.kill_if_running()
        raise


def change_one(daemon, directory, n):
    """Replaces one item by a new event an hour from now (a temporary file, then a rename); the nanoseconds
    from the rename to the READY=1 after the RELOADING=1 it causes, and the STATUS that READY brought."""
    due = time.gmtime(time.time() + 3600 + n * 60)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", due)
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sse-timeline bench//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:bench-change-{n}@bench\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:{stamp}\r\nSUMMARY:Changed {n}\r\n"
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nDESCRIPTION:x\r\nEND:VALARM\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")
    temporary = os.path.join(directory, ".item-00000.ics.tmp")
    with open(temporary, "w", encoding="utf-8", newline="") as file:
        file.write(text)
    start_index = daemon.notify.count()
    t0 = time.monotonic_ns()
    os.rename(temporary, os.path.join(directory, "item-00000.ics"))
    deadline = t0 + 30 * NS
    reloading = daemon.notify.wait_for("RELOADING", start_index, deadline)
    if reloading is None:
        raise Unmeasurable("calendar: no reload within 30 s of a changed vdir item")
    ready = daemon.notify.wait_for("READY", reloading + 1, deadline)
    if ready is None:
        raise Unmeasurable("calendar: no READY=1 after the reload of a changed vdir item")
    message = daemon.notify.messages[ready]
    return message[0] - t0, message[2].get("STATUS", "")


def bench_calendar_daemon(ctx, ics_path, results):
    """Adds results["daemon_dropin"] and results["daemon_vdir"]."""
    root = os.path.dirname(os.path.dirname(ics_path))
    daemon, ready, mem = started(ctx, "calendar-dropin", os.path.join(root, "timeline.toml"))
    daemon.stop()
    results["daemon_dropin"] = {"ready_ns": ready, **mem}
    log(f"calendar: daemon with the drop-in: READY=1 after {ready / 1e6:.0f} ms, RssAnon "
        f"{(mem['rss_anon'] or 0) / 1e6:.1f} MB")

    vdir_root = os.path.join(ctx.workdir, "calendar-vdir")
    directory = os.path.join(vdir_root, "team")
    files = split_into_vdir(ics_path, directory)
    config = os.path.join(vdir_root, "timeline.toml")
    with open(config, "w") as file:
        file.write(f'[[milestone]]\nid = "main"\ntitle = "Main"\nstart = 2030-01-01\n\n'
                   f'[[calendar]]\nname = "team"\nvdir = "{directory}"\nread_only = true\n')
    daemon, ready, mem = started(ctx, "calendar-vdir", config)
    try:
        changes, statuses = [], []
        for n in range(CHANGES):
            elapsed, status = change_one(daemon, directory, n)
            changes.append(elapsed)
            statuses.append(status)
    finally:
        daemon.stop()
    results["daemon_vdir"] = {"files": files, "ready_ns": ready, **mem, "change_applied_ns": summary(changes),
                              "status_after_change": statuses[-1]}
    log(f"calendar: daemon with a vdir of {files:,} files: READY=1 after {ready / 1e6:.0f} ms, RssAnon "
        f"{(mem['rss_anon'] or 0) / 1e6:.1f} MB, a changed item applied in "
        f"{summary(changes)['median'] / 1e6:.1f} ms (median of {CHANGES})")
