"""The command line: options, the order of the parts, cleanup, and writing the table and latest.json."""

import argparse
import datetime
import json
import os
import shutil
import signal
import sys
import time

from . import __doc__ as PACKAGE_DOC
from .common import DEFAULT_BINARY, REPO, Unmeasurable, log
from .context import Context
from .monitor import monitor_main
from .parts.after_idle import bench_after_idle, summarise
from .parts.burst import bench_burst
from .parts.channels import bench_channels
from .parts.idle import finish_idle, start_idle
from .parts.journal import journal_burst
from .parts.lateness import bench_lateness
from .parts.reload import bench_reload
from .parts.side import side_by_side
from .parts.startup import bench_startup_memory
from .peers import Atd, Container
from .report import build_report, git_info, machine, render


def parse_args(argv):
    env = os.environ.get
    p = argparse.ArgumentParser(description=PACKAGE_DOC.split("\n\n")[0],
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
    p.add_argument("--startup-sizes", default=env("BENCH_STARTUP_SIZES", ""),
                   help="comma list of the start-up rows to run (default, default-fr, 10k, 100k, 1M); empty: all")
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
    p.add_argument("--idle-rounds", type=int, default=int(env("BENCH_IDLE_ROUNDS", "5")),
                   help="part 8, first reminder after idle: rounds, each after an idle of --idle-gap-seconds "
                        "(env BENCH_IDLE_ROUNDS)")
    p.add_argument("--idle-gap-seconds", type=float, default=float(env("BENCH_IDLE_GAP_SECONDS", "60")),
                   help="part 8: the least idle before each round's instant (env BENCH_IDLE_GAP_SECONDS)")
    p.add_argument("--idle-ten-minutes", action="store_true",
                   help="part 8 as one round after 10 minutes idle (--idle-rounds 1 --idle-gap-seconds 600)")
    p.add_argument("--idle-drop-caches", action="store_true",
                   help="part 8: 10 s before each instant, drop the page cache (sync; echo 1 > "
                        "/proc/sys/vm/drop_caches; root): the daemon's code must come from the disk again, as on a "
                        "machine short of memory")
    p.add_argument("--idle-margin", type=float, default=1.0,
                   help="part 8: /proc is read this long before and after each instant; the context switches "
                        "in between count as the instant's, those outside as idle ones")
    p.add_argument("--idle-deadline", type=float, default=10,
                   help="part 8: seconds after an instant before a missing entry counts as lost")
    p.add_argument("--report", metavar="FILE",
                   help="print the table of a saved run (a latest.json) again, part 8 judged as now; runs nothing")
    p.add_argument("--channel-runs", type=int, default=int(env("BENCH_CHANNEL_RUNS", "3")),
                   help="part 9, channels: runs of each lateness and burst measurement (env BENCH_CHANNEL_RUNS)")
    p.add_argument("--only", default="",
                   help="comma list of: side,journal,idle,lateness,startup,reload,burst,channels,after-idle")
    args = p.parse_args(argv)
    if args.idle_ten_minutes:
        args.idle_rounds, args.idle_gap_seconds = 1, 600.0
    return args


def attempt(ctx, part, function, *args):
    """Runs one part; whatever goes wrong in it is reported as not measured, and the other parts go on."""
    try:
        return function(*args)
    except Unmeasurable as error:
        ctx.fail(part, error)
    except Exception as error:  # a broken part must not take the others' figures with it
        ctx.fail(part, f"{type(error).__name__}: {error}")
    return None


def report_main(path):
    """`--report FILE`: the table of a saved run again, from its raw values. Part 8's summary is computed afresh
    from its rounds, so a run saved before a change of how the rounds are judged reads as the code now judges."""
    with open(path) as f:
        document = json.load(f)
    ctx = argparse.Namespace(results=document["results"])
    after_idle = ctx.results.get("after_idle")
    if after_idle:
        args = argparse.Namespace(idle_gap_seconds=after_idle["gap_seconds"], idle_margin=after_idle["margin_seconds"],
                                  idle_drop_caches=after_idle.get("drop_caches", False))
        ctx.results["after_idle"] = summarise(args, [None] * after_idle["rounds_wanted"], after_idle["rounds"])
        ctx.results["after_idle"]["stamper"] = after_idle.get("stamper", False)
    rows, _ = build_report(ctx)
    print(document["table"].split("\n\n", 1)[0])
    print(f"(from {path}: {document['command']}, commit {document['git'].get('commit')}; re-rendered)")
    print()
    print(render(ctx, rows))
    return 0


def main(argv):
    if argv[:1] == ["--monitor"]:
        monitor_main(argv[1:])
        return 0
    args = parse_args(argv)
    if args.report:
        return report_main(args.report)
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
                            ("reload", bench_reload), ("burst", bench_burst), ("channels", bench_channels)):
            if want(name):
                attempt(ctx, name, bench, ctx)
        if idle:
            attempt(ctx, "idle", finish_idle, ctx, idle)
        # Phase 3: the first reminder after idle, alone on the machine (the peers are stopped first): its
        # instants are for the daemon and the reference sleeper only.
        if want("after-idle"):
            if container:
                container.stop()
                container = None
            if atd:
                atd.cleanup()
                atd = None
            attempt(ctx, "after idle", bench_after_idle, ctx)
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
    # State directories kept outside the working directory (on /dev/shm, part 8) go either way.
    for d in ctx.daemons:
        if not d.state_dir.startswith(ctx.workdir):
            shutil.rmtree(d.state_dir, ignore_errors=True)
    if not ctx.failures:
        shutil.rmtree(ctx.workdir, ignore_errors=True)
    else:
        print(f"kept for inspection: {ctx.workdir}")
    return 1 if ctx.failures else 0
