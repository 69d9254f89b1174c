"""Parts 3 and 4, memory and start-up: exec to READY=1, steady and peak RSS, and SIGTERM to exit, for the
default timeline (in English, and in French beside it: LANG=fr_FR.UTF-8 with the French catalog) and synthetic
ones of 10k, 100k and 1M pending instances."""

import glob
import os
import platform
import time

from ..common import MS, REPO, Unmeasurable, log
from ..daemon import pending_from_status
from ..procfs import kib, memory
from ..stats import summary
from ..timelines import SIZES, timeline_args


def french_environment():
    """The daemon's environment for the French row: the locale, and the catalogs `make locale` compiled (the
    release binary looks beside its own directory, where `make release` writes none)."""
    env = {"LANG": "fr_FR.UTF-8"}
    compiled = os.path.join(REPO, ".build", f"{platform.machine()}-unknown-linux-gnu", "share", "locale")
    if glob.glob(os.path.join(compiled, "fr", "LC_MESSAGES", "sse-timeline.mo")):
        env["SSE_TIMELINE_LOCALEDIR"] = compiled
    return env


# The rows: name, pending instances (None: the default timeline), and the environment beside LANG=C.UTF-8.
ROWS = [(SIZES[0][0], SIZES[0][1], None), ("default-fr", None, french_environment())] + [
    (name, instances, None) for name, instances in SIZES[1:]
]


def bench_startup_memory(ctx):
    out = {}
    wanted = set(filter(None, ctx.args.startup_sizes.split(",")))
    for size_name, instances, env_extra in ROWS:
        if wanted and size_name not in wanted:
            continue
        runs_wanted = ctx.args.startup_runs_large if (instances or 0) >= 100_000 else ctx.args.startup_runs
        args = timeline_args(ctx, "default" if instances is None else size_name, instances)
        runs = []
        for i in range(runs_wanted):
            d = ctx.daemon(args, f"startup-{size_name}", env_extra)
            try:
                ready_ns = d.wait_ready(60)
                at_ready = d.proc_status()
                # Steady: one second after READY=1 (the daemon is asleep by then; RSS no longer moves).
                time.sleep(ctx.args.settle_seconds)
                settled = d.proc_status()
                steady = memory(d.pid)
                status = d.status()
                run = {
                    "ready_ns": ready_ns,
                    "rss_at_ready": kib(at_ready, "VmRSS"),
                    "rss_steady": steady["rss"],
                    "rss_peak": kib(settled, "VmHWM"),
                    "rss_anon_steady": steady["rss_anon"],
                    "pss_anon_steady": steady["pss_anon"],
                    "pss_steady": steady["pss"],
                    "threads": int(settled.get("Threads", "0") or 0),
                    "pending": pending_from_status(status),
                }
                code, stop_seconds = d.stop()
                run["exit_code"] = code
                run["stop_seconds"] = stop_seconds
                if instances is not None and run["pending"] != instances:
                    log(f"startup {size_name}: STATUS says {run['pending']} pending, expected {instances}")
                runs.append(run)
                log(
                    f"startup {size_name} run {i + 1}: READY after {ready_ns / MS:.1f} ms, RssAnon "
                    f"{(run['rss_anon_steady'] or 0) / 1e6:.2f} MB, PSS {(run['pss_steady'] or 0) / 1e6:.2f} MB, "
                    f"RSS steady {run['rss_steady'] / 1e6:.2f} MB, peak {run['rss_peak'] / 1e6:.2f} MB, "
                    f"{run['pending']} pending, SIGTERM->exit {stop_seconds * 1000:.0f} ms (code {code})"
                )
            except Unmeasurable as error:
                d.kill_if_running()
                ctx.fail(f"start-up {size_name} run {i + 1}", error)
                runs.append(None)
        out[size_name] = {
            "instances": instances,
            "runs": runs,
            "ready_ns": summary([r and r["ready_ns"] for r in runs]),
            "rss_steady": summary([r and r["rss_steady"] for r in runs]),
            "rss_peak": summary([r and r["rss_peak"] for r in runs]),
            "rss_anon_steady": summary([r and r["rss_anon_steady"] for r in runs]),
            "pss_anon_steady": summary([r and r["pss_anon_steady"] for r in runs]),
            "pss_steady": summary([r and r["pss_steady"] for r in runs]),
            "stop_seconds": summary([r and r["stop_seconds"] for r in runs]),
            "pending": runs[-1]["pending"] if runs and runs[-1] else None,
        }
    ctx.results["memory_startup"] = out
    big = out.get("1M", {}).get("rss_steady", {}).get("median")
    small = out.get("10k", {}).get("rss_steady", {}).get("median")
    if big is not None:
        ctx.results["memory_per_reminder"] = {
            "bytes_per_pending_at_1M": big / 1_000_000,
            "marginal_bytes_10k_to_1M": (big - small) / 990_000 if small is not None else None,
        }
