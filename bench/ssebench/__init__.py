"""The sse-timeline benchmark (issue 5): lateness, idle wake-ups, memory, start-up, reload and burst,
side by side with atd and a systemd timer, and the reading of a large calendar beside python's icalendar and
libical, in one run.

Run it through `make bench` (or `bash bench/run.sh`); `--help` lists the knobs. Python 3 standard library
only. Everything is measured from outside the daemon: its stderr pipe, its notify socket (bound here),
/proc, and perf where it works.

The run has three phases:
1. Side by side (quiet machine): reminders due at the same minute boundaries for the daemon, atd (`at`
   has minute resolution) and a systemd timer inside a throwaway systemd-nspawn container.
   The same reminders go to the daemon inside the container too (journal sink), and then a burst of
   100,000 through the container's journald.
2. The idle window (--idle-seconds, 300 by default): an idle daemon, one with WATCHDOG_USEC, atd and the
   container's systemd are watched for context switches while the daemon's other benchmarks run beside
   them (a sleeping process is not woken by load elsewhere, so this costs no accuracy and saves time).
3. The first reminder after idle (part 8, --idle-rounds x --idle-gap-seconds): the daemon's first entry of
   an instant after a long sleep, beside a reference C sleeper woken at the same instant, alone on the
   machine (the peers are stopped first).
Part 9 (other people's calendars, issue 20) runs after the idle window: a generated calendar of 10,000 events
read by `sse-timeline validate` and `list`, python's icalendar + recurring-ical-events (in a venv it makes under
.build/) and libical, one process at a time; `--only calendar` runs it alone.

Exit status: 0 when every figure was measured (targets met or not), 1 when something could not be.

The modules: `cli` (options, the order of the parts, latest.json), `context` (what the parts of a run
share), `daemon` (the daemon as a child process and its notify socket), `procfs`, `stats`, `timelines`,
`peers` (atd, the container), `monitor` (the idle sampler, a process of its own), `report` (the table), and
`parts/`, one module per part of the table.
"""
