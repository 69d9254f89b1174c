"""Part 6 through journald: the burst again, inside the container, counted in the journal."""

import math
import os
import subprocess
import time

from ..common import NS, Unmeasurable, log
from ..daemon import pending_from_status
from ..peers import unit_journal_settings
from ..stats import summary
from ..timelines import generate


def journal_burst(ctx, container):
    """The burst again, inside the container, through journald: counted in the journal."""
    count = ctx.args.burst_size
    runs = []
    for index in range(ctx.args.journal_burst_runs):
        unit = f"ssebench-burst-{index}"
        try:
            margin = 15.0
            for attempt in range(3):
                due = math.ceil(time.time() + margin * 2**attempt)
                path = generate(ctx, os.path.join(ctx.workdir, f"jburst-{index}-{attempt}.toml"), count, 1, due, 0)
                container.start_daemon(f"{unit}-{attempt}", container.share(path))
                if time.time() < due - 0.2:
                    unit = f"{unit}-{attempt}"
                    break
                container.stop_unit(f"{unit}-{attempt}")
                log(f"journal burst run {index + 1}: not ready before the due instant; again")
            else:
                raise Unmeasurable("the daemon in the container was never ready before the burst came due")
            # The daemon says in STATUS= when nothing is pending any more (read once a second, after the due
            # instant); then `journalctl --sync` returns once journald has stored all it was sent.
            pause = due + 1 - time.time()
            if pause > 0:
                time.sleep(pause)  # waiting for the due instant to pass
            finished = False
            while time.time() < due + ctx.args.burst_deadline:
                if pending_from_status(container.status_text(unit)) == 0:
                    finished = True
                    break
                time.sleep(1)
            container.sync_journal()
            rows = container.journal_reminders(unit)
            container.stop_unit(unit)
            if not rows:
                raise Unmeasurable("no reminder reached the journal")
            last = max(wall for wall, _ in rows)
            first = min(wall for wall, _ in rows)
            run = {
                "expected": count,
                "delivered": len(rows),
                "first_lateness_ns": first - due * NS,
                "last_lateness_ns": last - due * NS,
                "throughput_per_s": len(rows) / ((last - due * NS) / NS) if last > due * NS else None,
                "daemon_finished": finished,
                "unit_settings": dict(unit_journal_settings()),
            }
            log(f"journal burst run {index + 1}: {run['delivered']} of {count} in the journal, last after "
                f"{run['last_lateness_ns'] / NS:.2f} s, {run['throughput_per_s']:.0f}/s")
            runs.append(run)
        except (Unmeasurable, subprocess.TimeoutExpired) as error:
            ctx.fail(f"journal burst run {index + 1}", error)
            runs.append(None)
    ctx.results["journal_burst"] = {
        "size": count,
        "runs": runs,
        "delivered": summary([r and r["delivered"] for r in runs]),
        "throughput_per_s": summary([r and r["throughput_per_s"] for r in runs]),
        "last_lateness_ns": summary([r and r["last_lateness_ns"] for r in runs]),
        "all_delivered_every_run": bool(runs) and all(r and r["delivered"] == count for r in runs),
    }
