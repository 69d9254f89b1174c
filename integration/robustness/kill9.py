#!/usr/bin/env python3
"""Crash safety, measured: kill -9 the daemon at random moments while reminders come due, and check the ledger.

The daemon runs with a synthetic timeline of MILESTONES x REMINDERS reminders (default 600 x 5 = 3,000) due
over WINDOW seconds (default 40), writing each reminder as one line on stderr (--log-target stderr), which is
appended to a ledger file across restarts. It is killed with SIGKILL at random moments (at least KILLS times,
default 60; half of the kills land just after a second boundary, when a burst of reminders is being written)
and restarted at once each time, until the window has passed; a last run then catches up and stops on
SIGTERM. After every kill the state file must be readable (magic line and checksum, as StateStore.decode
checks), and the daemon must never log that it could not read it.

At the end every reminder due in the window (as `sse-timeline replay` lists them) must be in the ledger:
  - lost (due but never written): must be 0;
  - duplicates (written more than once): counted and reported. Without a readable journal the daemon has a
    crash window between the write(2) of a line and the append of its key to sent.log (docs/robustness.md).
    A duplicate is "in that window" when its first copy is the last line its process wrote before the kill
    (the test writes a marker line into the ledger before each start); any other duplicate is a bug and
    fails the test, and so do more than --max-duplicates in the window (default: no limit).

Usage: integration/robustness/kill9.py [--bin .build/debug/sse-timeline] [--kills 60] [--window 40] [--seed N]
Exit status 0 when nothing was lost, no state file was unreadable and every duplicate is in the window.
Python 3 standard library only; takes about WINDOW + 15 seconds.
"""
import argparse
import datetime
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REMINDER_IDS = {"5d62f99487414d09a86c67131bc79872", "56917b90748648e782bd402cf29b16f2"}
STATE_ERROR_ID = "3ddf402d29b54e0fa5820d3faa5aff4c"
MAGIC = b"sse-timeline-state 1\n"


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def state_problem(path):
    """Why the snapshot at `path` would not load (as StateStore.decode checks), or None."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return None
    if not data.startswith(MAGIC):
        return "bad first line"
    if not data.endswith(b"\n"):
        return "no final newline"
    last_start = data[:-1].rfind(b"\n") + 1
    expected = b"checksum %016x" % fnv1a64(data[:last_start])
    if data[last_start:-1] != expected:
        return "checksum mismatch"
    for line in data[len(MAGIC):last_start].split(b"\n")[:-1]:
        if not (line.startswith(b"watermark ") or (line.startswith(b"sent ") and len(line) > 5)):
            return "unexpected line %r" % line[:80]
    return None


def unescape(text):
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in 'nr\\"[<':
            out.append({"n": "\n", "r": "\r"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


FIELD = re.compile(r'([A-Z0-9_]+)=("(?:[^"\\]|\\.)*"|[^ "\[\]]+)')


def parse_fields(line):
    """The fields of a stderr line (StderrLine format): the list after the last ' [' that parses to the end."""
    line = line.rstrip("\n")
    start = line.find(" [")
    while start >= 0:
        rest, fields, pos = line[start + 2:], {}, 0
        while True:
            m = FIELD.match(rest, pos)
            if not m:
                break
            value = m.group(2)
            fields.setdefault(m.group(1), unescape(value[1:-1]) if value.startswith('"') else value)
            pos = m.end()
            if rest[pos:] == "]":
                return fields
            if rest[pos:pos + 1] != " ":
                break
            pos += 1
        start = line.find(" [", start + 1)
    return {}


def reminder_keys(lines):
    keys = []
    for line in lines:
        fields = parse_fields(line)
        if fields.get("MESSAGE_ID") in REMINDER_IDS and "REMINDER_KEY" in fields:
            keys.append(fields["REMINDER_KEY"])
    return keys


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.environ.get("SSE_TIMELINE_BIN", ".build/debug/sse-timeline"))
    parser.add_argument("--milestones", type=int, default=600)
    parser.add_argument("--reminders", type=int, default=5)
    parser.add_argument("--window", type=int, default=40, help="seconds over which the reminders come due")
    parser.add_argument("--kills", type=int, default=60, help="at least this many SIGKILLs")
    parser.add_argument("--max-duplicates", type=int, default=None,
                        help="fail when more duplicates than this are in the crash window (default: no limit)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        sys.exit("kill9: no daemon binary at %s (build it first: swift build)" % binary)

    work = tempfile.mkdtemp(prefix="sse-kill9-")
    state_dir = os.path.join(work, "state")
    os.mkdir(state_dir)
    config = os.path.join(work, "timeline.toml")
    ledger_path = os.path.join(work, "ledger")
    began = time.time()

    # The reminders come due from `first` (a few seconds from now, after the first start) to `last`.
    first = int(began) + 4
    start = first + args.reminders - 1  # the earliest reminder is (REMINDERS - 1) seconds before its start
    last = start + args.window
    with open(config, "w") as f:
        subprocess.run([binary, "generate-synthetic", "--milestones", str(args.milestones), "--reminders",
                        str(args.reminders), "--start", iso(start), "--spread", str(args.window)],
                       stdout=f, check=True)
    replay = subprocess.run([binary, "replay", "--config", config, "--from", iso(first - 2), "--to", iso(last)],
                            capture_output=True, text=True, check=True)
    expected = reminder_keys(replay.stdout.splitlines() + replay.stderr.splitlines())
    if len(expected) != args.milestones * args.reminders or len(set(expected)) != len(expected):
        sys.exit("kill9: replay listed %d reminders (%d distinct), expected %d"
                 % (len(expected), len(set(expected)), args.milestones * args.reminders))

    ledger = os.open(ledger_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    command = [binary, "run", "--config", config, "--state-dir", state_dir, "--log-target", "stderr"]

    starts = [0]

    def start_daemon():
        # A marker between incarnations, written while no daemon runs: what precedes it was the last output.
        starts[0] += 1
        os.write(ledger, b"#kill9 start %d\n" % starts[0])
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=ledger)

    kills, burst_kills, unreadable = 0, 0, []
    daemon = start_daemon()
    if time.time() >= first - 1:
        sys.exit("kill9: the first start took too long; nothing before it would be sent")
    while kills < args.kills or time.time() < last + 1:
        if kills % 2:
            # Just after a second boundary, when that second's reminders are being written.
            now = time.time()
            delay = (int(now) + 1 - now) + rng.uniform(0.0, 0.03)
            burst_kills += 1
        else:
            delay = rng.uniform(0.01, 1.0)
        time.sleep(delay)  # The random moment of the kill is the point of the test, not a wait for an event.
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        kills += 1
        problem = state_problem(os.path.join(state_dir, "state"))
        if problem:
            unreadable.append((kills, problem))
            shutil.copy(os.path.join(state_dir, "state"), os.path.join(work, "state.after-kill-%d" % kills))
        if os.path.exists(os.path.join(state_dir, "state.bad")):
            unreadable.append((kills, "the daemon quarantined the state file"))
        if rng.random() < 0.3:
            time.sleep(rng.uniform(0.0, 0.3))  # Some downtime, so that reminders come due meanwhile.
        daemon = start_daemon()

    # The last run catches up on what came due during the last downtime; wait for it with a deadline.
    deadline = time.time() + 30
    missing = set(expected)
    with open(ledger_path, "r", encoding="utf-8", errors="replace") as reader:
        seen = []
        while time.time() < deadline:
            seen += reminder_keys(reader.readlines())
            missing -= set(seen)
            if not missing:
                break
            time.sleep(0.05)
    daemon.send_signal(signal.SIGTERM)
    try:
        status = daemon.wait(timeout=10)
    except subprocess.TimeoutExpired:
        daemon.kill()
        status = "hung on SIGTERM"
    os.close(ledger)

    with open(ledger_path, "r", encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    written = []
    first_index = {}
    for index, line in enumerate(lines):
        keys = reminder_keys([line])
        if keys:
            written.append(keys[0])
            first_index.setdefault(keys[0], index)
    counts = {}
    for key in written:
        counts[key] = counts.get(key, 0) + 1
    expected_set = set(expected)
    lost = sorted(expected_set - set(counts))
    duplicates = sorted(key for key, n in counts.items() if n > 1)
    # In the crash window: written twice, and the first copy was the last thing its process wrote.
    in_window = [key for key in duplicates if counts[key] == 2 and first_index[key] + 1 < len(lines)
                 and lines[first_index[key] + 1].startswith("#kill9 start")]
    unexplained = sorted(set(duplicates) - set(in_window))
    unexpected = sorted(set(counts) - expected_set)
    torn = sum(1 for line in lines if not line.endswith("\n"))
    state_errors = [line for line in lines if STATE_ERROR_ID in line and line.startswith("<3>")]
    caught_up = sum(1 for line in lines if "CAUGHT_UP=1" in line)
    elapsed = time.time() - began

    print("kill9: seed %d, %d reminders due over %d s, %d SIGKILLs (%d just after a second boundary), %.0f s"
          % (seed, len(expected), args.window, kills, burst_kills, elapsed))
    print("kill9: written %d lines for %d distinct reminders (%d marked caught up); lost %d, duplicates %d "
          "(%d in the write/sent.log crash window, %d not), unexpected %d, torn lines %d"
          % (len(written), len(counts), caught_up, len(lost), len(duplicates), len(in_window), len(unexplained),
             len(unexpected), torn))
    print("kill9: state file unreadable after %d kills; state errors logged: %d; last run exit status %s"
          % (len(unreadable), len(state_errors), status))
    for key in lost[:10]:
        print("  lost: %s" % key)
    for key in duplicates[:10]:
        print("  duplicate (x%d, %s): %s" % (counts[key], "in the window" if key in in_window else "NOT explained",
                                             key))
    for kill, problem in unreadable[:10]:
        print("  state after kill %d: %s" % (kill, problem))
    for line in state_errors[:5]:
        print("  logged: %s" % line.rstrip())
    too_many = args.max_duplicates is not None and len(in_window) > args.max_duplicates
    failed = lost or unexpected or unreadable or state_errors or status != 0 or unexplained or too_many or torn
    if failed or args.keep:
        print("kill9: work directory kept: %s" % work)
    else:
        shutil.rmtree(work)
    if failed:
        print("kill9: FAILED")
        sys.exit(1)
    print("kill9: passed")


if __name__ == "__main__":
    main()
