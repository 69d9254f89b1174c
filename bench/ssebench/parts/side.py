"""Part 7, phase 1: reminders due at the same minute boundaries for the daemon (on stderr, and in the container
on journald), atd and a systemd timer."""

import math
import os
import re
import statistics
import subprocess
import time

from ..common import MS, NS, Unmeasurable, log
from ..stats import summary
from ..timelines import iso, write_instants_timeline


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
