"""Part 10: other people's calendars (issue 20). One generated calendar of 10,000 events as real exports look
(scripts/generate-calendar.py), read side by side: `sse-timeline validate` and `list` over one year with it as a
timeline.d/ drop-in, python's icalendar + recurring-ical-events (in a venv made here), and libical (parse and
expand, integration/icalendar/libical-check.c compiled here). Wall time and peak RSS of each process; for ours
also the peak above the same command's on an empty timeline."""

import os
import time

from ..common import NS, REPO, Unmeasurable, log, run
from ..stats import summary
from .calendar_daemon import bench_calendar_daemon

FROM, TO = "2027-01-01", "2027-12-31"
PYTHON_PACKAGES = ["icalendar==7.3.2", "recurring-ical-events==3.8.2"]
# The venv outlives a run (under .build/, which git ignores): pip need not fetch the packages every time.
VENV = os.path.join(REPO, ".build", "bench-venv")

PYTHON_READER = """
import datetime as dt, sys
import icalendar, recurring_ical_events
with open(sys.argv[1], "rb") as file:
    calendar = icalendar.Calendar.from_ical(file.read())
start = dt.datetime.fromisoformat(sys.argv[2]).replace(tzinfo=dt.timezone.utc)
end = dt.datetime.fromisoformat(sys.argv[3]).replace(tzinfo=dt.timezone.utc) + dt.timedelta(days=1)
print(len(recurring_ical_events.of(calendar).between(start, end)))
"""


def measured_run(argv):
    """(wall ns, peak RSS bytes, stdout bytes, exit status) of one run: the peak is wait4's ru_maxrss of that
    child alone (RUSAGE_CHILDREN would give the largest of all children so far)."""
    read_end, write_end = os.pipe()
    started = time.monotonic_ns()
    pid = os.fork()
    if pid == 0:
        os.dup2(write_end, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(read_end)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic_ns() - started
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss * 1024, b"".join(chunks), code


def runs(ctx, name, argv, accept=(0,)):
    """The summaries of `--calendar-runs` runs of argv: wall ns, peak RSS; and the last stdout."""
    walls, peaks, out = [], [], b""
    for _ in range(ctx.args.calendar_runs):
        wall, peak, out, code = measured_run(argv)
        if code not in accept:
            raise Unmeasurable(f"{name}: {' '.join(argv)} exited {code}")
        walls.append(wall)
        peaks.append(peak)
    log(f"calendar: {name}: {summary(walls)['median'] / NS:.2f} s, {summary(peaks)['median'] / 1e6:.0f} MB peak")
    return {"wall_ns": summary(walls), "peak_rss": summary(peaks)}, out


def python_venv():
    python = os.path.join(VENV, "bin", "python3")
    if not os.path.exists(python):
        log(f"calendar: making {VENV} with {' '.join(PYTHON_PACKAGES)}")
        made = run(["python3", "-m", "venv", VENV])
        if made.returncode != 0:
            raise Unmeasurable(f"python3 -m venv: {made.stderr.strip()[-300:]}")
    check = run([python, "-c", "import icalendar, recurring_ical_events"])
    if check.returncode != 0:
        installed = run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PYTHON_PACKAGES])
        if installed.returncode != 0:
            raise Unmeasurable(f"pip install {' '.join(PYTHON_PACKAGES)}: {installed.stderr.strip()[-300:]}")
    return python


def libical_binary(ctx):
    """integration/icalendar/libical-check.c built with -O2, or Unmeasurable without libical-dev."""
    if run(["pkg-config", "--exists", "libical"]).returncode != 0:
        raise Unmeasurable("libical: no libical-dev (apt-get install libical-dev)")
    flags = run(["pkg-config", "--cflags", "--libs", "libical"]).stdout.split()
    path = os.path.join(ctx.workdir, "libical-check")
    built = run(["cc", "-O2", "-o", path, os.path.join(REPO, "integration", "icalendar", "libical-check.c"), *flags])
    if built.returncode != 0:
        raise Unmeasurable(f"libical: cc: {built.stderr.strip()[-300:]}")
    return path


def bench_calendar(ctx):
    """Part 10: the figures of each reader, with the calendar's size and how many occurrences each found."""
    root = os.path.join(ctx.workdir, "calendar")
    os.makedirs(os.path.join(root, "timeline.d"))
    path = os.path.join(root, "timeline.d", "team.ics")
    made = run(["python3", os.path.join(REPO, "scripts", "generate-calendar.py"), "--events",
                str(ctx.args.calendar_events), path])
    if made.returncode != 0:
        raise Unmeasurable(f"generate-calendar.py: {made.stderr.strip()[-300:]}")
    size = os.path.getsize(path)
    main = os.path.join(root, "timeline.toml")
    with open(main, "w") as file:
        file.write('[[milestone]]\nid = "main"\ntitle = "Main"\nstart = 2030-01-01\n')
    empty_root = os.path.join(ctx.workdir, "calendar-empty")
    os.makedirs(empty_root)
    empty = os.path.join(empty_root, "timeline.toml")
    with open(empty, "w") as file:
        file.write('[[milestone]]\nid = "main"\ntitle = "Main"\nstart = 2030-01-01\n')
    log(f"calendar: {ctx.args.calendar_events:,} events, {size / 1e6:.1f} MB, {path}")
    results = {"events": ctx.args.calendar_events, "bytes": size, "from": FROM, "to": TO}

    binary = ctx.binary
    for command, extra in (("validate", []), ("list", ["--from", FROM, "--to", TO])):
        idle, _ = runs(ctx, f"sse-timeline {command}, empty timeline", [binary, command, "--config", empty, *extra])
        figures, out = runs(ctx, f"sse-timeline {command}", [binary, command, "--config", main, *extra])
        figures["idle_peak_rss"] = idle["peak_rss"]
        figures["peak_above_idle"] = figures["peak_rss"]["median"] - idle["peak_rss"]["median"]
        if command == "list":
            figures["occurrences"] = out.count(b"\n")
        results[f"ours_{command}"] = figures

    try:
        python = python_venv()
        figures, out = runs(ctx, "python icalendar + recurring-ical-events", [python, "-c", PYTHON_READER, path,
                                                                              FROM, TO])
        figures["occurrences"] = int(out.strip() or 0)
        results["python"] = figures
    except Unmeasurable as error:
        ctx.fail("calendar: python", error)

    try:
        libical = libical_binary(ctx)
        start = int(time.mktime(time.strptime(FROM, "%Y-%m-%d"))) - time.timezone
        end = int(time.mktime(time.strptime(TO, "%Y-%m-%d"))) - time.timezone + 86400
        # Exit status 1: libical attached an X-LIC-ERROR somewhere; it still read and expanded the rest.
        figures, out = runs(ctx, "libical", [libical, path, str(start), str(end)], accept=(0, 1))
        figures["occurrences"] = out.count(b"\n")
        results["libical"] = figures
    except Unmeasurable as error:
        ctx.fail("calendar: libical", error)

    try:
        bench_calendar_daemon(ctx, path, results)
    except Unmeasurable as error:
        ctx.fail("calendar: daemon", error)
    ctx.results["calendar"] = results
