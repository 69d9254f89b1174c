"""Part 9, channels (issue 21): what named channels cost the journal entry, and the loop during a burst.

There is no systemd manager on the host, so the daemon runs on a private session bus (a dbus-daemon of its own,
`--user`) where nobody owns org.freedesktop.systemd1: every StartUnit of a delivery unit comes back as an error
(ServiceUnknown), as fast as a refusing manager would answer. So the whole daemon side of a delivery runs for
real: the record in the state, the delivery-queued entry, the environment file, the asynchronous StartUnit, its
answer, the failure recorded and the retry timer armed. What the delivery unit itself does is not measured
(it is another process).

1. Lateness of the reminders' own entries (on stderr, timed on arrival as in part 1), 1,000 reminders over about
   10 s, once without channels and once with two mail channels and one Apprise channel on every reminder, both
   on the private bus: the difference is the delivery path.
2. A burst: 1,000 reminders due in the same second to one mail channel; `perf trace` records the daemon's
   epoll_wait calls, and the longest time between the return of one and the call of the next is the loop's
   longest iteration (the same burst without channels is measured beside it).
"""

import math
import os
import re
import shutil
import signal
import subprocess
import time

from ..common import MS, NS, Unmeasurable, log
from ..stats import percentile, summary
from ..timelines import generate

CHANNELS = """[channel.board]
mail = ["board@example.org"]

[channel.team]
mail = ["team@example.org", "Ana <ana@example.org>"]

[channel.phone]
apprise = "phone"

"""

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

# "  12.345 ( 0.012 ms): sse-timeline/123 epoll_wait(...) = 1": the call's start (ms) and its duration (ms).
RE_TRACE = re.compile(r"^\s*([0-9.]+) \(\s*([0-9.]+) ms\):.*epoll_(?:p?wait2?)\(")


class PrivateBus:
    """A dbus-daemon of our own, with no service files: nothing is activated, org.freedesktop.systemd1 is nobody."""

    def __init__(self, ctx):
        if not shutil.which("dbus-daemon"):
            raise Unmeasurable("no dbus-daemon (apt-get install dbus-daemon)")
        socket = os.path.join(ctx.workdir, "bus.socket")
        config = os.path.join(ctx.workdir, "bus.conf")
        with open(config, "w") as f:
            f.write(BUS_CONFIG.format(socket=socket))
        self.proc = subprocess.Popen(["dbus-daemon", "--config-file", config, "--nofork", "--print-address"],
                                     stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        self.address = self.proc.stdout.readline().decode().strip()
        if not self.address:
            self.stop()
            raise Unmeasurable("dbus-daemon printed no address")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def with_channels(path, channels):
    """The generated timeline at `path`, with the channel tables and `notify` naming them in [defaults]."""
    with open(path) as f:
        text = f.read()
    names = ", ".join(f'"{name}"' for name in channels)
    text = text.replace("[defaults]\n", f"[defaults]\nnotify = [\"journal\", {names}]\n", 1)
    tables = "".join(block + "\n\n" for block in CHANNELS.strip().split("\n\n")
                     if block.split("]")[0][len("[channel."):] in channels)
    with open(path, "w") as f:
        f.write(tables + text)
    return path


def start_daemon(ctx, bus, path, name):
    runtime = os.path.join(ctx.workdir, f"runtime-{name}")
    os.makedirs(runtime, exist_ok=True)
    d = ctx.daemon(["--config", path, "--user"], name,
                   env_extra={"DBUS_SESSION_BUS_ADDRESS": bus.address, "RUNTIME_DIRECTORY": runtime})
    return d


def lateness_run(ctx, bus, index, channels):
    start = math.ceil(time.time()) + 3
    path = generate(ctx, os.path.join(ctx.workdir, f"channels-lateness-{index}-{len(channels)}.toml"),
                    500, 2, start + 1, 9, 1)
    if channels:
        with_channels(path, channels)
    d = start_daemon(ctx, bus, path, "channels-lateness")
    try:
        d.wait_ready(10)
        if time.time() >= start:
            raise Unmeasurable("the daemon was not ready before the first reminder came due")
        got = d.wait_reminders(1000, (start + 20) * NS)
    finally:
        d.stop()
    # Each delivery-queued entry is written right after its reminder's, in the same iteration.
    queued = sum(chunk.count(b"MESSAGE_ID=b0c166fd18f842a992c0e331b2aff9bd") for _, chunk in d.stderr.snapshot())
    if got < 1000:
        raise Unmeasurable(f"only {got} of 1000 reminders arrived")
    rows = d.reminders()
    late = [wall - due * NS for wall, due, _, _ in rows]
    internal = [usec * 1000 for _, _, usec, _ in rows if usec is not None]
    return {
        "p50_ns": percentile(late, 50),
        "p99_ns": percentile(late, 99),
        "max_ns": max(late),
        "internal_p99_ns": percentile(internal, 99),
        "deliveries_queued": queued,
    }


def longest_iteration(trace_path):
    """The longest gap, in ns, between an epoll_wait's return and the next epoll_wait, in a `perf trace` file."""
    calls = []
    with open(trace_path) as f:
        for line in f:
            match = RE_TRACE.match(line)
            if match:
                calls.append((float(match.group(1)), float(match.group(2))))
    if len(calls) < 2:
        raise Unmeasurable(f"perf trace saw {len(calls)} epoll_wait calls")
    return max(int((b[0] - (a[0] + a[1])) * MS) for a, b in zip(calls, calls[1:])), len(calls)


def failed_attempts(state_dir):
    """How many `+failed` records the daemon's state log holds."""
    try:
        with open(os.path.join(state_dir, "sent.log"), "rb") as f:
            return sum(1 for line in f if line.startswith(b"+failed "))
    except OSError:
        return 0


def wait_until(condition, deadline_wall):
    """Polls `condition` every 10 ms until it holds; Unmeasurable at the wall-clock deadline."""
    while not condition():
        if time.time() > deadline_wall:
            raise Unmeasurable("the deliveries' first attempts did not all end in time")
        time.sleep(0.01)


def burst_run(ctx, bus, index, channels):
    # Far enough ahead for the start-up and for perf to attach, on a loaded machine too.
    due = math.ceil(time.time()) + 15
    path = generate(ctx, os.path.join(ctx.workdir, f"channels-burst-{index}-{len(channels)}.toml"),
                    1000, 1, due, 0, 1)
    if channels:
        with_channels(path, channels)
    d = start_daemon(ctx, bus, path, "channels-burst")
    trace_path = os.path.join(ctx.workdir, f"channels-burst-{index}-{len(channels)}.trace")
    tracer = None
    try:
        d.wait_ready(10)
        tracer = subprocess.Popen(["perf", "trace", "-p", str(d.pid), "-e", "epoll_*", "-o", trace_path],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # perf prints a call in progress when it attached without its start: a bus ping 2 s before the due
        # instant ends that call, so that the one the burst ends has both its start and its duration.
        pause = due - 2 - time.time()
        if pause < 0:
            raise Unmeasurable("the daemon and perf were not ready 2 s before the burst")
        time.sleep(pause)  # until 2 s before the due instant, when the ping goes
        subprocess.run(["busctl", f"--address={bus.address}", "call", "io.github.ssetimeline.Timeline1",
                        "/io/github/ssetimeline/Timeline1", "org.freedesktop.DBus.Peer", "Ping"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=5)
        got = d.wait_reminders(1000, (due + 20) * NS)
        # The iterations after the burst's (each StartUnit answer starts the next delivery) are measured too:
        # until every delivery's first attempt has failed, as the state's log says.
        if channels:
            wait_until(lambda: failed_attempts(d.state_dir) >= 1000, due + 30)
    finally:
        # The daemon first: SIGTERM ends the epoll_wait it sleeps in, so that the trace holds the call after the
        # last iteration; perf ends with the process it traces.
        d.stop()
        if tracer:
            try:
                tracer.wait(10)
            except subprocess.TimeoutExpired:
                tracer.send_signal(signal.SIGINT)
                tracer.wait(10)
    if tracer and tracer.returncode not in (0, -signal.SIGINT, 130):
        raise Unmeasurable(f"perf trace failed: {tracer.stderr.read().decode(errors='replace')[:200]}")
    if got < 1000:
        raise Unmeasurable(f"only {got} of 1000 reminders arrived")
    longest, calls = longest_iteration(trace_path)
    return {"longest_iteration_ns": longest, "epoll_calls": calls}


def runs_of(ctx, what, measure, describe):
    """`--channel-runs` runs of `measure(index)`, each logged with `describe(run)`; a run that cannot be measured
    is reported and left out."""
    runs = []
    for i in range(ctx.args.channel_runs):
        try:
            runs.append(measure(i))
            log(f"channels {what} run {i + 1}: {describe(runs[-1])}")
        except Unmeasurable as error:
            ctx.fail(f"channels {what} run {i + 1}", error)
    return runs


def bench_channels(ctx):
    bus = PrivateBus(ctx)
    try:
        result = {"lateness": {}, "burst": {}}
        for label, channels in (("without", []), ("with", ["board", "team", "phone"])):
            runs = runs_of(
                ctx, f"lateness {label}", lambda i: lateness_run(ctx, bus, i, channels),
                lambda r: f"p50 {r['p50_ns'] / MS:.3f} ms, p99 {r['p99_ns'] / MS:.3f} ms, "
                          f"{r['deliveries_queued']} deliveries queued")
            result["lateness"][label] = {"runs": runs, **{
                name: summary([r[name] for r in runs]) for name in ("p50_ns", "p99_ns", "max_ns")}}
        if not shutil.which("perf"):
            raise Unmeasurable("no perf for the burst's longest iteration (apt-get install linux-perf)")
        for label, channels in (("without", []), ("with one mail channel", ["board"])):
            runs = runs_of(
                ctx, f"burst {label}", lambda i: burst_run(ctx, bus, i, channels),
                lambda r: f"longest loop iteration {r['longest_iteration_ns'] / MS:.2f} ms")
            result["burst"][label] = {"runs": runs,
                                      "longest_iteration_ns": summary([r["longest_iteration_ns"] for r in runs])}
        ctx.results["channels"] = result
    finally:
        bus.stop()
