"""Part 1, lateness: 1,000 reminders due over about 10 s, timed on arrival at the harness and by the daemon's
own LATENESS_USEC."""

import math
import os
import statistics
import time

from ..common import MS, NS, Unmeasurable, log
from ..procfs import kib
from ..stats import percentile, summary
from ..timelines import generate


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
        # The RSS of a daemon that has delivered: the delivery path's pages are mapped by now.
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
