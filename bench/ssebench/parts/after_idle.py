"""Part 8, the first reminder after idle (issue 11): how late the daemon's first entry of an instant is after an
idle of at least --idle-gap-seconds, beside a reference sleeper woken at the same instant.

One daemon (the binary under test, on stderr) holds a timeline with 3 one-reminder milestones due at each
round's instant and nothing before the first; the reference (bench/reference/sleeper.c, built here with `cc`)
sleeps with clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME) and 1 ns timer slack to the same instants and
writes one line on waking. Both are timed the same way: each pipe (the daemon's stderr, the sleeper's stdout)
is read by a stamper process of its own (bench/reference/stamper.c, also built with `cc`), which stamps a read
with CLOCK_REALTIME as soon as read(2) returns, and a StampedPipe thread here takes its frames. (The stamp used
to be taken by the Python thread itself; with the page cache dropped, one round in five then lost about 5 ms in
the harness while the daemon's entries were all written within 0.17 ms by its own readings.) Lateness is that stamp minus the instant, for the daemon the read
that held the instant's first entry. Whatever the pipe and the reader cost (waking a blocked reader thread,
the read, the clock) is in both figures and cancels in their difference; the sleeper's own wake stamp, also
kept, says how much it is. The daemon's LATENESS_USEC is kept too but not compared: it is the daemon's own
reading, taken wherever its delivery path takes it, while the stamp on the pipe is when the entry was out.

Between and around the instants the harness only sleeps: it reads /proc (context switches per thread, RSS) at
--idle-margin seconds before and after each instant, and otherwise its threads are blocked in read(2) or in a
wait, so nothing of the harness runs at an instant but the two stampers and readers woken by what they time.
"""

import math
import os
import shutil
import subprocess
import time

from ..common import MS, NS, REPO, Unmeasurable, log, run
from ..daemon import StampedPipe
from ..procfs import context_switch_kinds, major_faults, memory
from ..stats import summary
from ..timelines import iso, write_instants_timeline

# Reminders due at each round's instant (issue 11: three).
PER_INSTANT = 3
SLEEPER_SOURCE = os.path.join(REPO, "bench", "reference", "sleeper.c")
STAMPER_SOURCE = os.path.join(REPO, "bench", "reference", "stamper.c")


def build_reference(ctx, source):
    """Compiles one of bench/reference/*.c into the working directory; returns the executable's path."""
    cc = shutil.which("cc")
    if cc is None:
        raise Unmeasurable("no C compiler `cc` for the reference sleeper (apt-get install -y gcc)")
    out = os.path.join(ctx.workdir, os.path.splitext(os.path.basename(source))[0])
    result = run([cc, "-O2", "-Wall", "-Wextra", "-o", out, source])
    if result.returncode != 0:
        raise Unmeasurable(f"cc could not build {source}: {result.stderr.strip()[:300]}")
    return out


class Sleeper:
    """The reference sleeper as a child process, its stdout read by a StampedPipe as the daemon's stderr is.

    It is given one more instant, a day after the last: after the last round it sleeps on as it did between
    rounds (its last window counts the same switches as the others, and /proc still shows it) until stopped.
    """

    def __init__(self, ctx, executable, instants, stamper):
        self.stderr_path = os.path.join(ctx.workdir, "sleeper-stderr.txt")
        with open(self.stderr_path, "wb") as stderr:
            self.proc = subprocess.Popen(
                [executable, *(str(i) for i in instants), str(instants[-1] + 86400)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                close_fds=True,
            )
        self.pid = self.proc.pid
        self.stdout = StampedPipe(self.proc.stdout.fileno(), b"\n", stamper=stamper)

    def wakes(self):
        """{instant: (arrival wall ns, the sleeper's own wake stamp in ns)}."""
        out = {}
        for wall, data in self.stdout.snapshot():
            for line in data.split(b"\n"):
                fields = line.split()
                if len(fields) == 2:
                    out.setdefault(int(fields[0]), (wall, int(fields[1])))
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.stdout.join(5)

    def error(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace").strip()
        except OSError:
            return ""


def sleep_until(wall):
    """Sleeps until the wall-clock second `wall` (a float); the harness's only way of passing time here."""
    pause = wall - time.time()
    if pause > 0:
        time.sleep(pause)


def sample(pid):
    """What /proc says of `pid` at one moment: {tid: (voluntary, involuntary) context switches}, page faults
    that waited for a file, and its memory (`procfs.memory`)."""
    return {
        "wall": time.time(),
        "switches": context_switch_kinds(pid),
        "major_faults": major_faults(pid),
        **memory(pid),
    }


def switches_between(before, after):
    """Context switches from one sample to the next: the threads alive at both, plus every switch of a thread
    that is new at the second. Those of a thread that ended in between are lost, so the count is exact only
    when no thread ended; `ended` says how many did (a wake-up always leaves a trace: a thread woken then
    asleep again has one more switch, and one that ended is missing from the second sample)."""
    a, b = before["switches"], after["switches"]
    common, new = set(a) & set(b), set(b) - set(a)
    voluntary = sum(b[t][0] - a[t][0] for t in common) + sum(b[t][0] for t in new)
    involuntary = sum(b[t][1] - a[t][1] for t in common) + sum(b[t][1] for t in new)
    faults = (after["major_faults"] - before["major_faults"]
              if after["major_faults"] is not None and before["major_faults"] is not None else None)
    return {"switches": voluntary + involuntary, "voluntary": voluntary, "threads_new": len(new),
            "threads_ended": len(set(a) - set(b)), "major_faults": faults}


def plan(ctx, now):
    """The rounds' instants: the first at least the gap after start-up (a few seconds' allowance), then one every
    gap + 1 s, so that each idle, from the previous round's last entry to the instant, is at least the gap."""
    gap = ctx.args.idle_gap_seconds
    lead = max(5.0, 2 * ctx.args.settle_seconds)
    first = math.ceil(now + lead + gap)
    spacing = math.ceil(gap) + 1
    return [first + k * spacing for k in range(ctx.args.idle_rounds)]


def bench_after_idle(ctx):
    args = ctx.args
    if args.idle_margin * 2 >= args.idle_gap_seconds:
        raise Unmeasurable(f"--idle-margin {args.idle_margin:g} s leaves no quiet window in a gap of "
                           f"{args.idle_gap_seconds:g} s")
    executable = build_reference(ctx, SLEEPER_SOURCE)
    # Both pipes are read by a stamper process of their own (bench/reference/stamper.c), not by the harness's
    # Python threads: the stamp is taken as read(2) returns, whatever the interpreter is doing.
    stamper = build_reference(ctx, STAMPER_SOURCE)
    instants = plan(ctx, time.time())
    path = write_instants_timeline(os.path.join(ctx.workdir, "after-idle.toml"), instants, PER_INSTANT)
    log(f"after idle: {len(instants)} rounds, {PER_INSTANT} reminders at each of "
        f"{', '.join(iso(i) for i in instants)}")
    # The state on tmpfs: each delivery saves the state (write, fsync, rename, fsync of the directory), and on a
    # disk those fsyncs block the daemon a few times after its entries are out. On tmpfs they cost nothing, so
    # the context switches counted around an instant are the daemon's own wake-ups (the one a few milliseconds
    # before the instant, and the instant's), which is what the target is about. Lateness is the same either
    # way: the state is saved after the entries.
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    d = ctx.daemon(["--config", path], "after-idle", state_parent=shm, stamper=stamper)
    sleeper = None
    rounds = []
    try:
        d.wait_ready(30)
        sleeper = Sleeper(ctx, executable, instants, stamper)
        run_rounds(ctx, d, sleeper, instants, rounds)
    except Unmeasurable as error:
        # The rounds measured so far are kept.
        ctx.fail("after idle", error)
    finally:
        d.stop()
        if sleeper:
            sleeper.stop()
    if sleeper and sleeper.error():
        ctx.fail("after idle", f"the reference sleeper failed: {sleeper.error()}")
    ctx.results["after_idle"] = summarise(args, instants, rounds)
    ctx.results["after_idle"]["stamper"] = True
    for k, r in enumerate(rounds):
        if r["difference_ns"] is None:
            ctx.fail(f"after idle round {k + 1}", "no entry from the daemon or no line from the sleeper")
        elif r["entries"] < PER_INSTANT:
            ctx.fail(f"after idle round {k + 1}", f"only {r['entries']} of {PER_INSTANT} entries arrived")
        if r["idle_seconds"] < args.idle_gap_seconds:
            ctx.fail(f"after idle round {k + 1}", f"idle only {r['idle_seconds']:.1f} s before the instant, "
                     f"not the {args.idle_gap_seconds:g} s asked for")


def run_rounds(ctx, d, sleeper, instants, rounds):
    """Appends one measurement per instant to `rounds`."""
    args = ctx.args
    # The idle starts once start-up is over: READY=1 is sent before the daemon's last start-up steps.
    time.sleep(args.settle_seconds)
    previous = {"daemon": sample(d.pid), "sleeper": sample(sleeper.pid)}
    activity_end = previous["daemon"]["wall"]
    for k, instant in enumerate(instants):
        if args.idle_drop_caches:
            # Pages mapped by a process stay; those the daemon gave back, in the page cache only, go.
            sleep_until(instant - 10)
            os.sync()
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("1\n")
        sleep_until(instant - args.idle_margin)
        before = {"daemon": sample(d.pid), "sleeper": sample(sleeper.pid)}
        # Both pipes are read on threads of their own; this one waits for what they received.
        d.wait_reminders(PER_INSTANT * (k + 1), (instant + args.idle_deadline) * NS)
        sleeper.stdout.wait_marked(k + 1, (instant + args.idle_deadline) * NS)
        sleep_until(instant + args.idle_margin)
        after = {"daemon": sample(d.pid), "sleeper": sample(sleeper.pid)}
        r = measure_round(d, sleeper, instant, activity_end, previous, before, after)
        rounds.append(r)
        report_round(k, r)
        previous = after
        if r["last_arrival_ns"] is not None:
            activity_end = r["last_arrival_ns"] / NS
        if d.proc.poll() is not None:
            raise Unmeasurable(f"the daemon exited with {d.proc.returncode} after round {k + 1}")


def measure_round(d, sleeper, instant, activity_end, previous, before, after):
    due_ns = instant * NS
    entries = [row for row in d.reminders() if row[1] == instant]
    wake = sleeper.wakes().get(instant)
    daemon_ns = entries[0][0] - due_ns if entries else None
    reference_ns = wake[0] - due_ns if wake else None
    quiet = switches_between(previous["daemon"], before["daemon"])
    at_instant = switches_between(before["daemon"], after["daemon"])
    reference_at_instant = switches_between(before["sleeper"], after["sleeper"])
    return {
        "instant": iso(instant),
        "idle_seconds": instant - activity_end,
        "entries": len(entries),
        "daemon_ns": daemon_ns,
        "reference_ns": reference_ns,
        "difference_ns": daemon_ns - reference_ns if daemon_ns is not None and reference_ns is not None else None,
        "daemon_lateness_usec_ns": entries[0][2] * 1000 if entries and entries[0][2] is not None else None,
        "reference_own_ns": wake[1] - due_ns if wake else None,
        "reference_pipe_ns": wake[0] - wake[1] if wake else None,
        "last_arrival_ns": entries[-1][0] if entries else None,
        # Every entry of the instant: when it reached the reader and when the daemon read its clock for it
        # (LATENESS_USEC), both after the instant. A late arrival with an early reading is time lost between the
        # daemon's clock reading and the reader; a late reading of a later entry is a stall inside the daemon.
        "entries_detail": [{"arrival_ns": row[0] - due_ns, "lateness_usec": row[2]} for row in entries],
        # Context switches: in the quiet window before the instant (from --idle-margin after the previous
        # instant, or the end of start-up, to --idle-margin before this one), and from --idle-margin before
        # the instant to --idle-margin after it, for the daemon and for the sleeper.
        "quiet_seconds": before["daemon"]["wall"] - previous["daemon"]["wall"],
        "quiet": quiet,
        "at_instant": at_instant,
        "reference_at_instant": reference_at_instant,
        "rss_idle": before["daemon"]["rss"],
        "rss_anon_idle": before["daemon"]["rss_anon"],
        "pss_anon_idle": before["daemon"]["pss_anon"],
        "pss_idle": before["daemon"]["pss"],
        "rss_after": after["daemon"]["rss"],
        "reference_rss_idle": before["sleeper"]["rss"],
    }


def report_round(k, r):
    def ms(ns):
        return "n/a" if ns is None else f"{ns / MS:.3f} ms"

    log(f"after idle round {k + 1} ({r['idle_seconds']:.1f} s idle): daemon {ms(r['daemon_ns'])}, reference "
        f"{ms(r['reference_ns'])}, difference {ms(r['difference_ns'])}; context switches: "
        f"{r['quiet']['switches']} while idle, {r['at_instant']['switches']} at the instant "
        f"({r['at_instant']['voluntary']} voluntary, {r['at_instant']['major_faults']} waits for a page of a file; "
        f"reference {r['reference_at_instant']['switches']}, {r['reference_at_instant']['voluntary']} voluntary)"
        + (f", {r['at_instant']['threads_ended']} threads ended" if r["at_instant"]["threads_ended"] else ""))


def summarise(args, instants, rounds):
    def pick(name):
        return [r.get(name) for r in rounds]

    differences = [v for v in pick("difference_ns") if v is not None]
    # The daemon's wake-ups around an instant are its voluntary switches (it went to sleep, something woke it)
    # less those that were waits for a page read back from the disk (major faults: after minutes of idle the
    # machine may have dropped some of either process's pages from the page cache). Involuntary switches are
    # preemptions by other processes (the harness itself reads /proc in that window), chosen by neither. The
    # daemon, like the reference, wakes once per instant; judged on the median round.
    def own_wakeups(window):
        return window["voluntary"] - (window["major_faults"] or 0)

    extra_voluntary = [own_wakeups(r["at_instant"]) - own_wakeups(r["reference_at_instant"]) for r in rounds]
    return {
        "rounds_wanted": len(instants),
        "gap_seconds": args.idle_gap_seconds,
        "margin_seconds": args.idle_margin,
        "per_instant": PER_INSTANT,
        "drop_caches": args.idle_drop_caches,
        "rounds": rounds,
        "idle_seconds": summary(pick("idle_seconds")),
        "daemon_ns": summary(pick("daemon_ns")),
        "reference_ns": summary(pick("reference_ns")),
        "difference_ns": summary(pick("difference_ns")),
        "worst_difference_ns": max(differences) if differences else None,
        "daemon_lateness_usec_ns": summary(pick("daemon_lateness_usec_ns")),
        "reference_own_ns": summary(pick("reference_own_ns")),
        "reference_pipe_ns": summary(pick("reference_pipe_ns")),
        "quiet_switches": sum(r["quiet"]["switches"] for r in rounds),
        "quiet_thread_changes": sum(r["quiet"]["threads_new"] + r["quiet"]["threads_ended"] for r in rounds),
        "quiet_seconds": sum(r["quiet_seconds"] for r in rounds),
        "at_instant_switches": summary([r["at_instant"]["switches"] for r in rounds]),
        "reference_at_instant_switches": summary([r["reference_at_instant"]["switches"] for r in rounds]),
        "at_instant_voluntary": summary([r["at_instant"]["voluntary"] for r in rounds]),
        "reference_at_instant_voluntary": summary([r["reference_at_instant"]["voluntary"] for r in rounds]),
        "extra_wakeups_at_instant": summary(extra_voluntary),
        "major_faults_at_instant": summary([r["at_instant"]["major_faults"] for r in rounds]),
        "reference_major_faults_at_instant": summary([r["reference_at_instant"]["major_faults"] for r in rounds]),
        "threads_ended_at_instants": sum(r["at_instant"]["threads_ended"] for r in rounds),
        "rss_idle": summary(pick("rss_idle")),
        "rss_anon_idle": summary(pick("rss_anon_idle")),
        "pss_anon_idle": summary(pick("pss_anon_idle")),
        "pss_idle": summary(pick("pss_idle")),
        "reference_rss_idle": summary(pick("reference_rss_idle")),
    }
