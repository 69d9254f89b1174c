#!/usr/bin/env python3
"""Dismissals and snoozes written back (issue 20), read by python's icalendar; run through run.sh.

    python3 integration/icalendar/writeback.py path/to/ICalendarWriteBack

Over every test calendar of the installed icalendar package (its tests/**/*.ics), for every alarm of every
VEVENT and VTODO with a UID:

- acknowledged (ICalendarWriteBack acknowledge): one line differs from the file, `ACKNOWLEDGED:<UTC>`, added or
  in place of the old one, with the file's line end; icalendar reads the result with the same components, and
  that alarm's ACKNOWLEDGED is the instant written;
- snoozed (ICalendarWriteBack snooze), when the alarm has a UID: icalendar reads a VALARM with
  RELATED-TO;RELTYPE=SNOOZE:<that UID> and an absolute TRIGGER at the instant asked, the alarm acknowledged,
  and one component more (none when a snooze alarm of that UID was replaced); without a UID it is refused.

Prints "ok: ..." or "FAIL: ..." for each file, then "N passed, N failed".
"""

import datetime as dt
import glob
import os
import subprocess
import sys
import tempfile

import icalendar

UTC = dt.timezone.utc
AT = dt.datetime(2027, 5, 25, 8, 42, 47, tzinfo=UTC)
UNTIL = dt.datetime(2027, 5, 25, 8, 52, 47, tzinfo=UTC)

results = {"passed": 0, "failed": 0}


def check(condition, what, details=""):
    if condition:
        results["passed"] += 1
        print(f"ok: {what}")
    else:
        results["failed"] += 1
        print(f"FAIL: {what}" + (f"\n  {details}" if details else ""))
    return condition


def components(data):
    return icalendar.Component.from_ical(data, multiple=True)


def walk(roots):
    return [component for root in roots for component in root.walk()]


def alarms(roots):
    """(component, uid, recurrence id as written, index, alarm) for the first item of each UID and RECURRENCE-ID,
    as the write-back finds them."""
    seen = set()
    for component in walk(roots):
        if component.name not in ("VEVENT", "VTODO") or "UID" not in component:
            continue
        rid = component["RECURRENCE-ID"].to_ical().decode() if "RECURRENCE-ID" in component else ""
        key = (str(component["UID"]), rid.strip().upper())
        if key in seen:
            continue
        seen.add(key)
        for index, alarm in enumerate(c for c in component.subcomponents if c.name == "VALARM"):
            yield component, str(component["UID"]), rid, index, alarm


def lines(data):
    return data.splitlines(keepends=True)


def difference(before, after):
    a, b = lines(before), lines(after)
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[len(a) - 1 - suffix] == b[len(b) - 1 - suffix]:
        suffix += 1
    return a[prefix:len(a) - suffix], b[prefix:len(b) - suffix]


def nth_alarm(roots, uid, rid, index):
    for component, u, r, i, alarm in alarms(roots):
        if (u, r, i) == (uid, rid, index):
            return component, alarm
    return None, None


def run(tool, *args):
    return subprocess.run([tool, *map(str, args)], capture_output=True)


def check_file(tool, path, name):
    data = open(path, "rb").read()
    try:
        roots = components(data)
    except Exception as error:  # noqa: BLE001 (a file icalendar itself refuses is not ours to check)
        print(f"skipped: {name}: icalendar does not read it ({error!r})")
        return 0
    count = len(walk(roots))
    newline = b"\r\n" if b"\r\n" in data.split(b"\n", 1)[0] + b"\n" else b"\n"
    problems = []
    checked = 0
    with tempfile.NamedTemporaryFile(suffix=".ics") as copy:
        copy.write(data)
        copy.flush()
        for _, uid, rid, index, alarm in list(alarms(roots)):
            checked += 1
            what = f"{uid} {rid or '-'} #{index}"
            done = run(tool, "acknowledge", copy.name, uid, rid, index, int(AT.timestamp()))
            if done.returncode != 0:
                problems.append(f"{what}: acknowledge failed: {done.stderr.decode()}")
                continue
            # Written after the last line of a file without a final line end, it ends that line first.
            ended = data if data.endswith(b"\n") or not done.stdout.startswith(data + newline) else data + newline
            removed, added = difference(ended, done.stdout)
            ack = b"ACKNOWLEDGED:" + AT.strftime("%Y%m%dT%H%M%SZ").encode() + newline
            if added != [ack] or not all(line.upper().startswith(b"ACKNOWLEDGED") or line[:1] in b" \t"
                                         for line in removed):
                problems.append(f"{what}: lines changed: -{removed!r} +{added!r}")
            written = components(done.stdout)
            if len(walk(written)) != count:
                problems.append(f"{what}: {len(walk(written))} components, not {count}")
            _, acknowledged = nth_alarm(written, uid, rid, index)
            if acknowledged is None or acknowledged.get("ACKNOWLEDGED") is None \
                    or acknowledged["ACKNOWLEDGED"].dt != AT:
                problems.append(f"{what}: icalendar reads ACKNOWLEDGED "
                                f"{acknowledged and acknowledged.get('ACKNOWLEDGED')!r}")

            snoozed = run(tool, "snooze", copy.name, uid, rid, index, int(UNTIL.timestamp()), int(AT.timestamp()))
            alarm_uid = alarm.get("UID") or alarm.get("X-WR-ALARMUID")
            related = alarm.get("RELATED-TO")
            if alarm_uid is None and related is None:
                if snoozed.returncode == 0 or b"has no UID" not in snoozed.stderr:
                    problems.append(f"{what}: an alarm without UID snoozed: {snoozed.stderr.decode()}")
                continue
            if snoozed.returncode != 0:
                problems.append(f"{what}: snooze failed: {snoozed.stderr.decode()}")
                continue
            written = components(snoozed.stdout)
            item, _ = nth_alarm(written, uid, rid, 0)
            snoozes = [c for c in item.subcomponents if c.name == "VALARM" and "RELATED-TO" in c
                       and str(c["RELATED-TO"].params.get("RELTYPE", "")).upper() == "SNOOZE"
                       and isinstance(c["TRIGGER"].dt, dt.datetime) and c["TRIGGER"].dt == UNTIL]
            if len(snoozes) != 1:
                problems.append(f"{what}: {len(snoozes)} snooze alarms at {UNTIL} after snoozing")
            if len(walk(written)) not in (count, count + 1):
                problems.append(f"{what}: {len(walk(written))} components after snoozing, not {count} + 1")
    if checked == 0:
        return 0
    check(not problems, f"{name}: {checked} alarms acknowledged and snoozed, read back by icalendar",
          "\n  ".join(problems[:6]))
    return checked


def main():
    tool = os.path.abspath(sys.argv[1])
    suite = os.path.join(os.path.dirname(icalendar.__file__), "tests")
    paths = sorted(glob.glob(os.path.join(suite, "**", "*.ics"), recursive=True))
    check(len(paths) > 100, f"icalendar {icalendar.__version__}: {len(paths)} test calendars")
    total = 0
    for path in paths:
        name = os.path.relpath(path, suite)
        with open(path, "rb") as file:
            data = file.read()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            print(f"skipped: {name}: not UTF-8")
            continue
        if b"BEGIN:VALARM" not in data.upper():
            continue
        total += check_file(tool, path, name)
    check(total >= 40, f"{total} alarms in all")
    print(f"write-back: {results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
