#!/usr/bin/env python3
"""Snooze and dismiss through kill -9: nothing lost, nothing doubled.

The daemon runs as a user instance on a private bus (a dbus-daemon of the test's own), its entries on stderr
appended to a ledger across restarts (--log-target stderr, no journal: the at-least-once case of
docs/robustness.md). Its timeline has MILESTONES reminders that came due an hour before the first start. The
test snoozes each of them with `sse-timeline --user snooze` for 4 to 4 + SPREAD seconds, dismisses every sixth
right after its snooze, and then kills the daemon with SIGKILL at random moments (at least KILLS times),
restarting it at once, until every snooze has ended; while it does, it snoozes again every reminder that came
back (each second return must come too). A snooze or dismissal that `sse-timeline` reported done must hold:

  - every snooze not dismissed comes back: its RETURN_KEY (key@until) is in the ledger (lost: must be 0);
  - no dismissed reminder comes back;
  - no return is written twice, except in the crash window between the write(2) of its line and the append of
    its +back record (its first copy is then the last line its process wrote before the kill);
  - every snooze and dismissal is in the ledger with its own MESSAGE_ID.

Usage: integration/robustness/kill9_snooze.py [--bin .build/debug/sse-timeline] [--kills 15] [--seed N]
Python 3 standard library, dbus-daemon; takes about SPREAD + 20 seconds.
"""
import argparse
import datetime
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kill9 import parse_fields  # noqa: E402  (the stderr line format, shared)

SNOOZED_ID = "ef00c3c3556f46f7aec4fdd2e846d0ba"
DISMISSED_ID = "07db1169f41643d88c439b56caecfe10"
RETURNED_ID = "c6c7298c4669417aa63518f442586c62"
STATE_ERROR_ID = "3ddf402d29b54e0fa5820d3faa5aff4c"
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.environ.get("SSE_TIMELINE_BIN", ".build/debug/sse-timeline"))
    parser.add_argument("--milestones", type=int, default=36)
    parser.add_argument("--spread", type=int, default=20, help="snoozes end over this many seconds")
    parser.add_argument("--kills", type=int, default=15, help="at least this many SIGKILLs")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        sys.exit("kill9_snooze: no daemon binary at %s (build it first: swift build)" % binary)
    if not shutil.which("dbus-daemon"):
        sys.exit("kill9_snooze: no dbus-daemon (apt-get install dbus-daemon)")

    work = tempfile.mkdtemp(prefix="sse-kill9-snooze-")
    began = time.time()
    socket = os.path.join(work, "bus")
    with open(os.path.join(work, "bus.conf"), "w") as f:
        f.write(BUS_CONFIG % socket)
    bus = subprocess.Popen(["dbus-daemon", "--config-file=" + os.path.join(work, "bus.conf"), "--nofork",
                            "--nopidfile", "--print-address=1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if not bus.stdout.readline().startswith(b"unix:path="):
        sys.exit("kill9_snooze: dbus-daemon did not start")
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS="unix:path=" + socket, TZ="UTC")

    start = int(began) + 3600
    config = os.path.join(work, "timeline.toml")
    with open(config, "w") as f:
        f.write('[defaults]\ntimezone = "UTC"\nreminders = ["2 hours before"]\n')
        for i in range(args.milestones):
            f.write('\n[[milestone]]\nid = "s%02d"\ntitle = "Snoozed %d"\nstart = %s\n' % (i, i, iso(start + i)))
    keys = ["s%02d|%s|2 hours before" % (i, local(start + i)) for i in range(args.milestones)]
    state_dir = os.path.join(work, "state")
    os.mkdir(state_dir)
    ledger_path = os.path.join(work, "ledger")
    ledger = os.open(ledger_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    command = [binary, "run", "--user", "--config", config, "--state-dir", state_dir, "--log-target", "stderr"]
    starts = [0]

    def cli(*arguments):
        return subprocess.run([binary, "--user"] + list(arguments), env=env, capture_output=True, text=True)

    def start_daemon():
        starts[0] += 1
        os.write(ledger, b"#kill9 start %d\n" % starts[0])
        daemon = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=ledger)
        # Ready once it answers on the bus (it owns its name before READY=1); a deadline, not a pause.
        deadline = time.time() + 15
        while cli("pending", "--count", "1").returncode != 0:
            if daemon.poll() is not None or time.time() > deadline:
                sys.exit("kill9_snooze: the daemon did not come up (start %d)" % starts[0])
            time.sleep(0.02)
        return daemon

    def until_of(output):
        """The instant `sse-timeline snooze` printed ("snoozed until 2030-01-01 12:00:05 UTC: KEY")."""
        text = output.split("snoozed until ", 1)[1].split(" UTC:", 1)[0]
        fmt = "%Y-%m-%d %H:%M:%S" if text.count(":") == 2 else "%Y-%m-%d %H:%M"
        return int(datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc).timestamp())

    expected_returns = {}  # key@until -> key, every snooze reported done and not dismissed
    dismissed = set()
    resnoozed = set()
    failures = []

    daemon = start_daemon()
    for index, key in enumerate(keys):
        result = cli("snooze", key, "%d seconds" % (4 + index * args.spread // len(keys)))
        if result.returncode != 0:
            sys.exit("kill9_snooze: snooze %s: %s" % (key, result.stderr.strip()))
        until = until_of(result.stdout)
        if index % 6 == 5:
            result = cli("dismiss", key)
            if result.returncode != 0:
                sys.exit("kill9_snooze: dismiss %s: %s" % (key, result.stderr.strip()))
            dismissed.add(key)
        else:
            expected_returns["%s@%d" % (key, until)] = key

    def returns_in_ledger():
        with open(ledger_path, "r", encoding="utf-8", errors="replace") as f:
            return [parse_fields(line).get("RETURN_KEY") for line in f
                    if RETURNED_ID in line and "RETURN_KEY=" in line]

    kills = 0
    end = time.time() + args.spread + 8
    while kills < args.kills or time.time() < end:
        time.sleep(rng.uniform(0.05, 1.2))  # The random moment of the kill is the point of the test.
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        kills += 1
        if rng.random() < 0.3:
            time.sleep(rng.uniform(0.0, 0.5))  # Some downtime, so that snoozes end meanwhile.
        daemon = start_daemon()
        # Snooze again what came back once, so that records are written between kills too.
        for value in set(returns_in_ledger()):
            key = value.rsplit("@", 1)[0] if value else None
            if key and key not in resnoozed and key not in dismissed and time.time() < end - 6:
                result = cli("snooze", key, "%d seconds" % rng.randint(2, 4))
                if result.returncode == 0:
                    resnoozed.add(key)
                    expected_returns["%s@%d" % (key, until_of(result.stdout))] = key
                elif "cannot reach" not in result.stderr and "no sse-timeline daemon" not in result.stderr:
                    failures.append("snooze again %s: %s" % (key, result.stderr.strip()))

    # The last run brings back what ended during the last downtime; wait for it with a deadline.
    deadline = time.time() + 30
    while time.time() < deadline and not set(expected_returns) <= set(returns_in_ledger()):
        time.sleep(0.05)
    daemon.send_signal(signal.SIGTERM)
    try:
        status = daemon.wait(timeout=10)
    except subprocess.TimeoutExpired:
        daemon.kill()
        status = "hung on SIGTERM"
    os.close(ledger)
    bus.terminate()
    bus.wait()

    with open(ledger_path, "r", encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    counts, first_index = {}, {}
    snoozes = dismissals = 0
    for index, line in enumerate(lines):
        fields = parse_fields(line)
        message_id = fields.get("MESSAGE_ID")
        if message_id == SNOOZED_ID:
            snoozes += 1
        elif message_id == DISMISSED_ID:
            dismissals += 1
        elif message_id == RETURNED_ID:
            value = fields.get("RETURN_KEY", "")
            counts[value] = counts.get(value, 0) + 1
            first_index.setdefault(value, index)
    lost = sorted(set(expected_returns) - set(counts))
    came_back_dismissed = sorted(v for v in counts if v.rsplit("@", 1)[0] in dismissed)
    unexpected = sorted(set(counts) - set(expected_returns) - set(came_back_dismissed))
    duplicates = sorted(v for v, n in counts.items() if n > 1)
    in_window = [v for v in duplicates if counts[v] == 2 and first_index[v] + 1 < len(lines)
                 and lines[first_index[v] + 1].startswith("#kill9 start")]
    unexplained = sorted(set(duplicates) - set(in_window))
    state_errors = [line for line in lines if STATE_ERROR_ID in line and line.startswith("<3>")]
    quarantined = os.path.exists(os.path.join(state_dir, "state.bad"))

    print("kill9_snooze: seed %d, %d reminders snoozed (%d dismissed right after, %d snoozed again after coming back), "
          "%d SIGKILLs, %.0f s" % (seed, len(keys), len(dismissed), len(resnoozed), kills, time.time() - began))
    print("kill9_snooze: %d returns expected, %d written (distinct %d); lost %d, dismissed that came back %d, "
          "unexpected %d, duplicates %d (%d in the write/record crash window, %d not); snooze entries %d, "
          "dismissal entries %d; state errors %d%s; last run exit status %s"
          % (len(expected_returns), sum(counts.values()), len(counts), len(lost), len(came_back_dismissed),
             len(unexpected), len(duplicates), len(in_window), len(unexplained), snoozes, dismissals,
             len(state_errors), ", state quarantined" if quarantined else "", status))
    for value in (lost + came_back_dismissed + unexpected + unexplained)[:10]:
        print("  %s" % value)
    for failure in failures[:5]:
        print("  %s" % failure)
    failed = (lost or came_back_dismissed or unexpected or unexplained or state_errors or quarantined or failures
              or status != 0 or snoozes < len(expected_returns) + len(dismissed) or dismissals < len(dismissed))
    if failed or args.keep:
        print("kill9_snooze: work directory kept: %s" % work)
    else:
        shutil.rmtree(work)
    if failed:
        print("kill9_snooze: FAILED")
        sys.exit(1)
    print("kill9_snooze: passed")


if __name__ == "__main__":
    main()
