"""Part 5, reload: SIGHUP to the READY=1 that follows RELOADING=1, for the default timeline and 100k."""

from ..common import MS, Unmeasurable, log
from ..procfs import kib
from ..stats import summary
from ..timelines import timeline_args


def bench_reload(ctx):
    out = {}
    for size_name, instances in [("default", None), ("100k", 100_000)]:
        wanted = ctx.args.reload_runs
        d = ctx.daemon(timeline_args(ctx, size_name, instances), f"reload-{size_name}")
        runs = []
        try:
            d.wait_ready(60)
            for i in range(wanted):
                try:
                    ns, status = d.reload(60)
                    runs.append(ns)
                    log(f"reload {size_name} run {i + 1}: READY=1 {ns / MS:.1f} ms after SIGHUP")
                except Unmeasurable as error:
                    ctx.fail(f"reload {size_name} run {i + 1}", error)
                    runs.append(None)
                    break
            rss = kib(d.proc_status(), "VmRSS")
        except Unmeasurable as error:
            ctx.fail(f"reload {size_name}", error)
            rss = None
        finally:
            d.stop()
        out[size_name] = {"runs": runs, "ready_ns": summary(runs), "rss_after": rss}
    ctx.results["reload"] = out
