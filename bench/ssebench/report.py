"""The report: the table of figures with their targets, the side-by-side table, and what the JSON says about
the machine and the commit."""

import os
import platform

from .common import MS, NS, REPO, run


def fmt_ms(ns):
    if ns is None:
        return "n/a"
    ms = ns / MS
    if abs(ms) >= 1000:
        return f"{ms / 1000:.2f} s"
    if abs(ms) >= 100:
        return f"{ms:.0f} ms"
    if abs(ms) >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def fmt_us(ns):
    return "n/a" if ns is None else f"+{ns / 1000:.1f} us"


def fmt_mb(b):
    return "n/a" if b is None else f"{b / 1e6:.2f} MB"


def fmt_count(n):
    return "n/a" if n is None else f"{n:,.0f}"


def ratio(a, b):
    if a is None or b is None:
        return "n/a"
    if b == 0:
        return "same" if a == 0 else "∞"
    return f"{a / b:,.0f}x" if a / b >= 10 else f"{a / b:.1f}x"


def verdict(value, limit, cmp="<="):
    if value is None:
        return "NOT MEASURED"
    ok = value <= limit if cmp == "<=" else value == limit
    return "met" if ok else "MISSED"


def build_report(ctx):
    """Rows of (section, figure, median, min, max, runs, target, verdict) and the targets list."""
    R = ctx.results
    rows = []
    targets = []

    def row(section, figure, s, fmt, target="", status=""):
        if isinstance(s, dict):
            rows.append((section, figure, fmt(s["median"]), fmt(s["min"]), fmt(s["max"]), str(s["runs"]), target,
                         status))
        else:
            rows.append((section, figure, fmt(s), "", "", "", target, status))
        if target:
            targets.append({"figure": f"{section} {figure}".strip(), "target": target, "status": status})

    L = R.get("lateness")
    if L:
        row("1 Lateness", "p50 (1,000 reminders, 10 s)", L["p50_ns"], fmt_ms)
        row("", "p99", L["p99_ns"], fmt_ms, "<= 2 ms", verdict(L["p99_ns"]["median"], 2 * MS))
        row("", "max", L["max_ns"], fmt_ms, "<= 10 ms", verdict(L["max_ns"]["median"], 10 * MS))
        row("", "p50 as the daemon saw it (LATENESS_USEC)", L["internal_p50_ns"], fmt_ms)
        row("", "  first of each instant, p50 (LATENESS_USEC)", L["first_of_instant_p50_ns"], fmt_ms)
        row("", "  each further one due at the same instant", L["per_reminder_ns"], fmt_us)
        if L.get("first_lateness_ns"):
            row("", "  the first after start-up (LATENESS_USEC)", L["first_lateness_ns"], fmt_ms)
    I = R.get("idle")
    if I:
        secs = f"{I['seconds']:.0f} s"
        q = I["targets"].get("sse-timeline")
        if q:
            strict = max(c for c in (q["context_switches"], q.get("perf_context_switches")) if c is not None)
            row("2 Idle", f"context switches, {secs}, no watchdog", q["context_switches"], fmt_count, "0",
                verdict(strict, 0, "=="))
            if q.get("perf_context_switches") is not None:
                row("", "  same, counted by perf stat", q["perf_context_switches"], fmt_count)
        w = I["targets"].get("sse-timeline-watchdog")
        if w:
            wd = I["watchdog_usec"] / 1e6
            row("", f"WATCHDOG_USEC={wd:g} s: WATCHDOG=1 pings", w["pings"], fmt_count)
            exact = w["wakes_without_ping"] == 0 and w["pings_without_wake"] == 0
            row("", f"  wake-ups (/proc sampled every {I['interval'] * 1000:.0f} ms)", w["wake_episodes"],
                fmt_count)
            row("", "  wake-ups more than 0.5 s from a ping", w["wakes_without_ping"], fmt_count, "0 (= pings)",
                "met" if exact else "MISSED")
            cs = w["perf_context_switches"] if w.get("perf_context_switches") is not None else w["context_switches"]
            row("", "  context switches (" + ("perf" if w.get("perf_context_switches") is not None else "/proc")
                + f"), {cs / w['pings']:.1f} per ping" if w["pings"] else "", cs, fmt_count)
    M = R.get("memory_startup")
    if M:
        d = M.get("default")
        if d:
            anon = d.get("rss_anon_steady") or {"median": None}
            row("3 Memory", "steady RssAnon, default timeline", anon, fmt_mb, "<= 2 MB", verdict(anon["median"], 2e6))
            row("", "  steady Pss_Anon", d.get("pss_anon_steady") or {"median": None}, fmt_mb)
            row("", "  steady PSS", d.get("pss_steady") or {"median": None}, fmt_mb)
            row("", "  steady RSS", d["rss_steady"], fmt_mb)
            row("", "peak RSS, default timeline", d["rss_peak"], fmt_mb)
        fr = M.get("default-fr")
        if fr:
            anon = fr.get("rss_anon_steady") or {"median": None}
            row("", "steady RssAnon, default timeline in French", anon, fmt_mb, "<= 2 MB", verdict(anon["median"], 2e6))
            row("", "  steady RSS, in French", fr["rss_steady"], fmt_mb)
        delivered = (R.get("lateness") or {}).get("rss_after_delivery")
        if delivered:
            row("", "RSS after delivering (part 1's daemon)", delivered, fmt_mb)
        for size in ("10k", "100k", "1M"):
            s = M.get(size)
            if s:
                if s.get("rss_anon_steady"):
                    row("", f"steady RssAnon, {size} instances", s["rss_anon_steady"], fmt_mb)
                    row("", f"  steady PSS, {size} instances", s["pss_steady"], fmt_mb)
                row("", f"steady RSS, {size} instances", s["rss_steady"], fmt_mb)
                row("", f"peak RSS, {size} instances", s["rss_peak"], fmt_mb)
        per = R.get("memory_per_reminder")
        if per:
            row("", "steady RSS / pending reminder at 1M", per["bytes_per_pending_at_1M"],
                lambda v: "n/a" if v is None else f"{v:.0f} B", "<= 300 B",
                verdict(per["bytes_per_pending_at_1M"], 300))
            row("", "  marginal, 10k -> 1M", per["marginal_bytes_10k_to_1M"],
                lambda v: "n/a" if v is None else f"{v:.0f} B")
        for size in ("default", "default-fr", "10k", "100k", "1M"):
            s = M.get(size)
            if s:
                target, status = "", ""
                if size in ("default", "default-fr"):
                    target, status = "<= 50 ms", verdict(s["ready_ns"]["median"], 50 * MS)
                if size == "1M":
                    target, status = "<= 3 s", verdict(s["ready_ns"]["median"], 3 * NS)
                shown = "default, French" if size == "default-fr" else size
                row("4 Start-up" if size == "default" else "", f"exec -> READY=1, {shown}", s["ready_ns"], fmt_ms,
                    target, status)
        big = M.get("1M")
        if big:
            stop = dict(big["stop_seconds"])
            for key in ("median", "min", "max"):
                stop[key] = None if stop[key] is None else stop[key] * NS
            row("", "SIGTERM -> exit 0, 1M", stop, fmt_ms)
    RL = R.get("reload")
    if RL:
        for size in ("default", "100k"):
            s = RL.get(size)
            if s:
                target, status = ("<= 50 ms", verdict(s["ready_ns"]["median"], 50 * MS)) if size == "default" else ("", "")
                row("5 Reload" if size == "default" else "", f"SIGHUP -> READY=1, {size}", s["ready_ns"], fmt_ms,
                    target, status)
    B = R.get("burst")
    if B:
        n = B["size"]
        row("6 Burst", f"delivered of {n:,} due in one second", B["delivered"], fmt_count, f"all {n:,}",
            "met" if B["all_delivered_every_run"] else "MISSED")
        row("", "throughput (reminders/s)", B["throughput_per_s"], fmt_count)
        row("", "last one written after", B["last_lateness_ns"], fmt_ms)
    JB = R.get("journal_burst")
    if JB:
        n = JB["size"]
        row("" if B else "6 Burst", f"journal (container): in the journal of {n:,}", JB["delivered"], fmt_count,
            f"all {n:,}", "met" if JB["all_delivered_every_run"] else "MISSED")
        row("", "journal: throughput (reminders/s)", JB["throughput_per_s"], fmt_count)
        row("", "journal: last one received after", JB["last_lateness_ns"], fmt_ms)
    A = R.get("after_idle")
    if A:
        idle = A["idle_seconds"]["min"]
        row("8 After idle", "first entry after " + ("n/a" if idle is None else f"{idle:.0f} s") + " idle"
            + (", cache dropped" if A.get("drop_caches") else ", daemon"), A["daemon_ns"], fmt_ms)
        row("", "reference sleeper woken at the same instant", A["reference_ns"], fmt_ms)
        row("", "difference (daemon - reference)", A["difference_ns"], fmt_ms, "<= 0.5 ms",
            verdict(A["difference_ns"]["median"], 0.5 * MS))
        row("", "difference, worst round", A["worst_difference_ns"], fmt_ms, "<= 1 ms",
            verdict(A["worst_difference_ns"], 1 * MS))
        row("", "  the daemon's own LATENESS_USEC", A["daemon_lateness_usec_ns"], fmt_ms)
        row("", "  the reference's own wake stamp", A["reference_own_ns"], fmt_ms)
        quiet = A["quiet_switches"] + A["quiet_thread_changes"] if A["rounds"] else None
        row("", f"context switches while nothing due, {A['quiet_seconds']:.0f} s", A["quiet_switches"], fmt_count,
            "0", verdict(quiet, 0, "=="))
        if A["quiet_thread_changes"]:
            row("", "  threads started or ended while nothing due", A["quiet_thread_changes"], fmt_count)
        row("", "context switches from just before to after", A["at_instant_switches"], fmt_count)
        row("", "  reference sleeper, the same windows", A["reference_at_instant_switches"], fmt_count)
        row("", "wake-ups around an instant (voluntary)", A["at_instant_voluntary"], fmt_count)
        row("", "  of them waits for the disk (majflt)", A["major_faults_at_instant"], fmt_count)
        row("", "  reference sleeper's wake-ups", A["reference_at_instant_voluntary"], fmt_count)
        row("", "  of them waits for the disk", A["reference_major_faults_at_instant"], fmt_count)
        row("", "  extra, disk waits aside, a round", A["extra_wakeups_at_instant"], fmt_count,
            "0", verdict(A["extra_wakeups_at_instant"]["median"], 0, "=="))
        anon = A.get("rss_anon_idle") or {"median": None}
        row("", "RssAnon while idle (before each instant)", anon, fmt_mb, "<= 2 MB", verdict(anon["median"], 2e6))
        row("", "  Pss_Anon", A.get("pss_anon_idle") or {"median": None}, fmt_mb)
        row("", "  PSS", A.get("pss_idle") or {"median": None}, fmt_mb)
        row("", "  RSS", A["rss_idle"], fmt_mb)
    C = R.get("channels")
    if C:
        without, with_ = C["lateness"].get("without"), C["lateness"].get("with")
        if without and with_:
            row("9 Channels", "p99 lateness, no channels (private bus)", without["p99_ns"], fmt_ms)
            row("", "p99 lateness, 2 mail + 1 Apprise channels", with_["p99_ns"], fmt_ms)
            both = without["p99_ns"]["median"] is not None and with_["p99_ns"]["median"] is not None
            difference = with_["p99_ns"]["median"] - without["p99_ns"]["median"] if both else None
            row("", "  difference of the medians", difference, fmt_ms, "<= 0.2 ms", verdict(difference, 0.2 * MS))
        for label, burst in C["burst"].items():
            row("", f"longest loop iteration, burst of 1,000, {label}", burst["longest_iteration_ns"], fmt_ms)
    C = R.get("calendar")
    if C:
        section = f"10 Calendar ({C['events']:,} events, {C['bytes'] / 1e6:.1f} MB)"
        ours = C.get("ours_validate")
        limit = 4 * C["bytes"]
        if ours:
            row(section, "sse-timeline validate: wall", ours["wall_ns"], fmt_ms, "<= 300 ms",
                verdict(ours["wall_ns"]["median"], 0.3 * NS))
            row("", "  peak RSS", ours["peak_rss"], fmt_mb)
            row("", "  peak above an empty timeline's", ours["peak_above_idle"], fmt_mb, "<= 4x the file",
                verdict(ours["peak_above_idle"], limit))
        listed = C.get("ours_list")
        if listed:
            row("", f"sse-timeline list {C['from']}..{C['to']}: wall", listed["wall_ns"], fmt_ms)
            row("", "  peak RSS", listed["peak_rss"], fmt_mb)
            row("", "  peak above an empty timeline's", listed["peak_above_idle"], fmt_mb)
        for key, name in (("python", "python icalendar + recurring-ical-events"), ("libical", "libical")):
            peer = C.get(key)
            if peer:
                row("", f"{name}: wall", peer["wall_ns"], fmt_ms)
                row("", "  peak RSS", peer["peak_rss"], fmt_mb)
                row("", "  lines printed (what each counts differs)", peer["occurrences"], fmt_count)
        dropin, vdir = C.get("daemon_dropin"), C.get("daemon_vdir")
        if dropin:
            row("", "daemon with it as a drop-in: exec to READY=1", dropin["ready_ns"], fmt_ms)
            row("", "  RssAnon once ready", dropin["rss_anon"], fmt_mb, "<= 20 MB",
                verdict(dropin["rss_anon"], 20e6))
        if vdir:
            row("", f"daemon with a vdir of {vdir['files']:,} files: exec to READY=1", vdir["ready_ns"], fmt_ms)
            row("", "  RssAnon once ready", vdir["rss_anon"], fmt_mb, "<= 20 MB", verdict(vdir["rss_anon"], 20e6))
            row("", "  one changed item applied (rename to READY=1)", vdir["change_applied_ns"], fmt_ms, "<= 50 ms",
                verdict(vdir["change_applied_ns"]["median"], 50 * MS))
    return rows, targets


def side_table(ctx):
    """Part 7: the daemon beside atd and a systemd timer, with the peers' figures as ratios to the daemon's."""
    S = ctx.results.get("side_by_side")
    I = ctx.results.get("idle")
    lines = []
    if not S and not I:
        return lines
    header = (f"{'7 Side by side':<36} {'sse-timeline':>12} {'(journal)':>10} {'atd':>10} {'ratio':>7} "
              f"{'systemd timer':>13} {'ratio':>7}")
    lines.append(header)
    lines.append("-" * len(header))

    def line(label, d, j, a, s, fmt):
        lines.append(f"{label:<36} {fmt(d):>12} {fmt(j):>10} {fmt(a):>10} {ratio(a, d):>7} {fmt(s):>13} "
                     f"{ratio(s, d):>7}")

    if S:
        n = len(S["instants"])
        for label, pick in (
            (f"lateness, median ({n} instants x {S['per_instant']})", lambda r: r["median_ns"]["median"]),
            ("lateness, worst", lambda r: r["max_ns"]["max"]),
        ):
            v = {name: (pick(S[name]) if S.get(name) else None) for name in ("daemon", "journal", "atd", "systemd")}
            line(label, v["daemon"], v["journal"], v["atd"], v["systemd"], fmt_ms)
    if I:
        t = I["targets"]

        def switches(name):
            entry = t.get(name)
            if not entry:
                return None
            counts = [c for c in (entry.get("context_switches"), entry.get("perf_context_switches")) if c is not None]
            return max(counts) if counts else None

        line(f"idle context switches, {I['seconds']:.0f} s", switches("sse-timeline"), None, switches("atd"),
             switches("systemd"), fmt_count)
        for key, label in (("rss_anon", "RssAnon while idle"), ("pss_anon", "Pss_Anon while idle"),
                           ("pss", "PSS while idle"), ("rss", "RSS while idle")):
            v = {name: (t.get(name) or {}).get(key) for name in ("sse-timeline", "atd", "systemd")}
            line(label, v["sse-timeline"], None, v["atd"], v["systemd"], fmt_mb)
    lines.append("Ratios: the peer's figure over sse-timeline's (stderr). (journal): the same daemon in the "
                 "container, timed by journald's receive time.")
    lines.append("Idle: sse-timeline holds 1,000 pending reminders, atd one job, the container's systemd (PID 1) "
                 "one timer besides its own units.")
    return lines


def render(ctx, rows):
    widths = [12, 42, 10, 10, 10, 4, 10, 12]
    head = ("part", "figure", "median", "min", "max", "runs", "target", "")
    out = []
    fmt = lambda r: (f"{r[0]:<{widths[0]}} {r[1]:<{widths[1]}} {r[2]:>{widths[2]}} {r[3]:>{widths[3]}} "
                     f"{r[4]:>{widths[4]}} {r[5]:>{widths[5]}}  {r[6]:<{widths[6]}} {r[7]}").rstrip()
    out.append(fmt(head))
    out.append("-" * len(fmt(head)))
    for r in rows:
        out.append(fmt(r))
    out.append("")
    side = side_table(ctx)
    out.extend(side)
    rounds = after_idle_table(ctx)
    if rounds:
        if side:
            out.append("")
        out.extend(rounds)
    return "\n".join(out)


def after_idle_table(ctx):
    """Part 8, round by round: how late the daemon's first entry and the reference sleeper were at each instant."""
    A = ctx.results.get("after_idle")
    if not A:
        return []
    header = (f"{'8 After idle, each round':<33} {'idle':>7} {'daemon':>9} {'reference':>10} {'difference':>10}  "
              f"switches: idle, at instant (reference); wake-ups, disk waits (reference)")
    lines = [header, "-" * len(header)]
    for k, r in enumerate(A["rounds"]):
        ended = r["at_instant"]["threads_ended"]
        label = f"round {k + 1}, {r['instant']}"
        lines.append(
            f"{label:<33} {r['idle_seconds']:>6.1f}s {fmt_ms(r['daemon_ns']):>9} {fmt_ms(r['reference_ns']):>10} "
            f"{fmt_ms(r['difference_ns']):>10}  {r['quiet']['switches']}, {r['at_instant']['switches']} "
            f"({r['reference_at_instant']['switches']}); {r['at_instant']['voluntary']}, "
            f"{r['at_instant'].get('major_faults', '?')} ({r['reference_at_instant']['voluntary']}, "
            f"{r['reference_at_instant'].get('major_faults', '?')})" + (f", {ended} threads ended" if ended else ""))
    reader = ("as read(2) returned by a stamper process of its own (bench/reference/stamper.c)" if A.get("stamper")
              else "on arrival through its pipe by the same reader (a thread of the harness)")
    lines.append(f"Each round: {A['per_instant']} reminders due at the instant; the daemon's first entry and the "
                 f"sleeper's line, each stamped {reader}.")
    lines.append(f"Context switches at the instant: from {A['margin_seconds']:g} s before it to "
                 f"{A['margin_seconds']:g} s after; idle: the rest of the time between instants. Wake-ups: the "
                 "voluntary ones among them; disk waits: page faults that read from the disk (each also a "
                 "voluntary switch).")
    return lines


def machine():
    info = {"kernel": platform.release(), "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            info["memory_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    info["os"] = line.split("=", 1)[1].strip().strip('"')
        if os.path.exists("/sys/hypervisor/type") or "hypervisor" in open("/proc/cpuinfo").read():
            info["virtualised"] = True
    except OSError:
        pass
    return info


def git_info():
    head = run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = bool(run(["git", "-C", REPO, "status", "--porcelain", "--", "Sources", "Package.swift"]).stdout.strip())
    return {"commit": head or None, "sources_modified": dirty}
