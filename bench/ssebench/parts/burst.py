"""Part 6, burst on stderr: 100,000 one-reminder milestones due in the same second, every line counted."""

import math
import os
import time

from ..common import NS, Unmeasurable, log
from ..procfs import kib
from ..stats import summary
from ..timelines import generate


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
