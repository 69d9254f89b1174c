#!/usr/bin/env python3
"""The iCalendar export read back by independent readers (issue 14); run through run.sh.

    python3 integration/icalendar/check.py path/to/sse-timeline

Checks, each printed as "ok: ..." or "FAIL: ...", then a "N passed, N failed" line:

- the bytes: CRLF only, no physical line over 75 octets, every physical line whole UTF-8, and the same
  bytes twice with --dtstamp;
- python's icalendar and the stricter ical parse it without errors or warnings, and so does libical
  (no X-LIC-ERROR);
- each VTIMEZONE, read by icalendar as a time zone of its own, gives the offsets of the tz database's
  zone of that name, from the first year it covers to 30 years after;
- recurring-ical-events (python-dateutil underneath) and libical expand the occurrences that
  `sse-timeline list` prints, over 2019-2031 for the default timeline and over 2015-2035 for random
  rules in random zones;
- khal imports the default timeline and `khal list` shows each milestone on its days.
"""

import datetime as dt
import json
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
import warnings
import zoneinfo

import icalendar
import recurring_ical_events
from dateutil.rrule import rrulestr

UTC = dt.timezone.utc
HERE = os.path.dirname(os.path.abspath(__file__))
DTSTAMP = "2027-01-01T00:00:00Z"

results = {"passed": 0, "failed": 0}


def check(condition, what, details=""):
    if condition:
        results["passed"] += 1
        print(f"ok: {what}")
    else:
        results["failed"] += 1
        print(f"FAIL: {what}" + (f"\n{details}" if details else ""))
    return condition


def run(args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, **kwargs).stdout


class Timeline:
    """One config, exported and listed by the binary."""

    def __init__(self, binary, config_args, name, zones=None):
        self.binary, self.config_args, self.name = binary, config_args, name
        # The zones of timed milestones, by UID, where known.
        self.zones = zones or {}
        self.ics = run([binary, "export", "--format", "ics", "--dtstamp", DTSTAMP, *config_args])

    def listed(self, start, end):
        """{(uid, start)} from `sse-timeline list`: a date for all-day milestones, a UTC time otherwise."""
        # Two days wider than the window: an all-day date's instant is midnight in the milestone's zone.
        text = run([self.binary, "list", "--json", *self.config_args,
                    "--from", (start - dt.timedelta(days=2)).isoformat(),
                    "--to", (end + dt.timedelta(days=2)).isoformat()])
        found = set()
        for row in json.loads(text):
            if row["kind"] != "occurrence":
                continue
            uid = row["milestone"] + "@sse-timeline"
            due = dt.datetime.fromisoformat(row["due"])
            # All-day occurrences are printed as dates (or 2010-10, 2013 by precision).
            if "T" not in row["occurrence"]:
                found.add((uid, due.date()))
            else:
                found.add((uid, due.astimezone(UTC)))
        return {item for item in found if in_window(item[1], start, end)}


def in_window(value, start, end):
    if isinstance(value, dt.datetime):
        return start <= value <= end
    return start.date() <= value <= end.date()


def start_of(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC)
    return value


# ---------------------------------------------------------------------------------------------------
# The bytes and the parsers


def check_bytes(timeline):
    data = timeline.ics
    again = Timeline(timeline.binary, timeline.config_args, timeline.name).ics
    check(data == again, f"{timeline.name}: the same bytes twice with --dtstamp")
    lines = data.split(b"\r\n")
    check(lines[-1] == b"" and b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines),
          f"{timeline.name}: CRLF line ends only")
    long = [line for line in lines if len(line) > 75]
    check(not long, f"{timeline.name}: no line over 75 octets", repr(long[:3]))
    broken = []
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            broken.append(line)
    check(not broken, f"{timeline.name}: no fold inside a UTF-8 sequence", repr(broken[:3]))


class Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        if record.levelno >= logging.WARNING:
            self.records.append(self.format(record))


def parse_quietly(parse):
    """Runs `parse`, returning (result, exception, warnings and log lines of WARNING and above)."""
    handler = Captured()
    logging.getLogger().addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return parse(), None, [str(w.message) for w in caught] + handler.records
            except Exception as error:  # noqa: BLE001 (any failure of the reader is the finding)
                return None, error, [str(w.message) for w in caught] + handler.records
    finally:
        logging.getLogger().removeHandler(handler)


def check_icalendar(timeline):
    calendar, error, noise = parse_quietly(lambda: icalendar.Calendar.from_ical(timeline.ics))
    check(error is None, f"{timeline.name}: icalendar parses it", repr(error))
    if calendar is None:
        return None
    errors = [(c.name, c.errors) for c in calendar.walk() if c.errors]
    check(not errors, f"{timeline.name}: icalendar reports no error", repr(errors[:5]))
    check(not noise, f"{timeline.name}: icalendar gives no warning", "\n".join(noise[:5]))
    return calendar


def check_ical(timeline):
    from ical.calendar_stream import IcsCalendarStream

    calendar, error, noise = parse_quietly(lambda: IcsCalendarStream.calendar_from_ics(timeline.ics.decode()))
    check(error is None, f"{timeline.name}: ical parses it", repr(error))
    check(not noise, f"{timeline.name}: ical gives no warning", "\n".join(noise[:5]))
    if calendar is not None:
        uids = {event.uid for event in calendar.events}
        check(len(uids) == timeline.ics.count(b"BEGIN:VEVENT"), f"{timeline.name}: ical reads every event")


def libical_binary(directory):
    if not shutil.which("cc") or subprocess.run(["pkg-config", "--exists", "libical"]).returncode != 0:
        return None
    flags = run(["pkg-config", "--cflags", "--libs", "libical"], text=True).split()
    path = os.path.join(directory, "libical-check")
    run(["cc", "-O1", "-o", path, os.path.join(HERE, "libical-check.c"), *flags])
    return path


def check_libical(timeline, binary, directory, start, end, expected):
    if binary is None:
        print(f"skipped: {timeline.name}: libical (no libical-dev or no C compiler)")
        return
    path = os.path.join(directory, timeline.name.replace(" ", "-") + ".ics")
    with open(path, "wb") as file:
        file.write(timeline.ics)
    process = subprocess.run([binary, path, str(int(start.timestamp()) - 2 * 86400),
                              str(int(end.timestamp()) + 2 * 86400)], capture_output=True, text=True)
    check(process.returncode == 0, f"{timeline.name}: libical parses it without X-LIC-ERROR", process.stderr[:2000])
    found = set()
    for line in process.stdout.splitlines():
        uid, text = line.split(" ")
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if "T" in text else dt.date.fromisoformat(text)
        if in_window(value, start, end):
            found.add((uid, value))
    # libical 3.0 moves local times near daylight-saving switches: a time that an overlap repeats is
    # read as the second of the two (RFC 5545 section 3.3.5, python and sse-timeline: the first); on
    # the day of a switch it reads later times with the earlier offset; and when DTSTART falls in a gap,
    # every later time keeps the hour it was moved by. So in zones with daylight saving, timed
    # milestones are compared with recurring-ical-events only; all-day ones and fixed zones with libical.
    def in_daylight_saving_zone(item):
        zone = timeline.zones.get(item[0])
        return zone is not None and zone.key not in FIXED_ZONES

    set_aside = {item for item in found | expected if in_daylight_saving_zone(item)}
    if set_aside:
        print(f"note: {timeline.name}: {len(set_aside)} occurrences of timed milestones in zones with daylight "
              "saving left to recurring-ical-events (libical moves times near switches)")
    compare(found - set_aside, expected - set_aside,
            f"{timeline.name}: libical expands what sse-timeline lists, {start.year}-{end.year}", "libical")


def compare(found, expected, what, reader):
    missing = sorted(expected - found, key=str)
    extra = sorted(found - expected, key=str)
    check(not missing and not extra, what + f" ({len(expected)} occurrences)",
          f"  listed by sse-timeline, not by {reader}: {missing[:8]}\n"
          f"  by {reader}, not listed by sse-timeline: {extra[:8]}")


# ---------------------------------------------------------------------------------------------------
# Time zones and recurrence


def check_timezones(timeline, calendar):
    for component in calendar.walk("VTIMEZONE"):
        tzid = str(component["TZID"])
        try:
            reference = zoneinfo.ZoneInfo(tzid)
        except zoneinfo.ZoneInfoNotFoundError:
            print(f"skipped: {timeline.name}: VTIMEZONE {tzid} (not a tz database name)")
            continue
        own = component.to_tz()
        first = min(c.DTSTART.year for c in component.walk() if c.name in ("STANDARD", "DAYLIGHT"))
        instant = dt.datetime(first, 1, 2, tzinfo=UTC)
        stop = dt.datetime(max(first + 30, dt.date.today().year + 30), 1, 1, tzinfo=UTC)
        wrong = []
        while instant < stop:
            a = instant.astimezone(own).utcoffset()
            b = instant.astimezone(reference).utcoffset()
            if a != b:
                wrong.append(f"{instant}: {a} vs {b}")
            instant += dt.timedelta(hours=13)
        check(not wrong, f"{timeline.name}: VTIMEZONE {tzid} gives the offsets of the tz database, "
              f"{first}-{stop.year}", "\n".join(wrong[:5]))


def check_recurrence(timeline, calendar, start, end, expected):
    events = recurring_ical_events.of(calendar).between(start - dt.timedelta(days=2), end + dt.timedelta(days=2))
    found = {(str(event["UID"]), start_of(event["DTSTART"].dt)) for event in events}
    found = {item for item in found if in_window(item[1], start, end)}
    compare(found, expected, f"{timeline.name}: recurring-ical-events expands what sse-timeline lists, "
            f"{start.year}-{end.year}", "recurring-ical-events")


# ---------------------------------------------------------------------------------------------------
# Random rules

ZONES = ["Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Santiago",
         "Pacific/Chatham", "Etc/UTC", "Asia/Tokyo"]
FIXED_ZONES = {"Asia/Kolkata", "Etc/UTC", "Asia/Tokyo"}
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def random_rule(rng, all_day):
    """A rule over the parts where RFC 5545, python-dateutil and libical agree: no BYWEEKNO, no YEARLY
    BYMONTHDAY without BYMONTH (docs/configuration.md says how they differ there), no BYSETPOS in DAILY
    or WEEKLY rules nor beside BYHOUR (libical 3.0 applies it per day, or ignores it), no mixed plain and
    ordinal BYDAY."""
    freq = rng.choice(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
    parts = [f"FREQ={freq}"]
    if rng.random() < 0.4:
        parts.append(f"INTERVAL={rng.randint(2, 4)}")
    has_by = False
    # libical 3.0 restarts a WEEKLY rule's INTERVAL count at each BYMONTH month: not here.
    if freq == "YEARLY" or (rng.random() < 0.3 and not (freq == "WEEKLY" and "INTERVAL" in parts[-1])):
        if rng.random() < 0.7 or freq == "YEARLY":
            parts.append("BYMONTH=" + ",".join(str(m) for m in sorted(rng.sample(range(1, 13), rng.randint(1, 3)))))
            has_by = True
    if freq in ("MONTHLY", "YEARLY") and rng.random() < 0.4:
        days = sorted({rng.choice([1, 10, 15, 28, 29, 30, 31, -1, -2, rng.randint(1, 28)]) for _ in range(2)})
        parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
        has_by = True
    elif rng.random() < 0.5:
        if freq in ("MONTHLY", "YEARLY") and rng.random() < 0.5:
            parts.append("BYDAY=" + ",".join(f"{rng.choice([1, 2, 3, 4, -1, -2])}{rng.choice(DAYS)}"
                                              for _ in range(rng.randint(1, 2))))
        else:
            parts.append("BYDAY=" + ",".join(rng.sample(DAYS, rng.randint(1, 3))))
        has_by = True
    if not all_day and rng.random() < 0.25:
        parts.append("BYHOUR=" + ",".join(str(h) for h in sorted(rng.sample([1, 2, 3, 9, 12, 23], 2))))
        has_by = True
    if has_by and freq in ("MONTHLY", "YEARLY") and "BYHOUR" not in ";".join(parts) and rng.random() < 0.15:
        parts.append(f"BYSETPOS={rng.choice([1, -1, 2])}")
    if rng.random() < 0.4:
        parts.append(f"COUNT={rng.randint(1, 30)}")
    elif rng.random() < 0.5:
        parts.append(f"UNTIL={2020 + rng.randint(0, 12)}{rng.randint(1, 12):02d}15")
    return ";".join(parts)


def random_timeline(rng, count):
    """A TOML timeline of `count` random milestones, all-day and timed, with RDATE and EXDATE; and the
    zone of each timed one by UID."""
    lines = ['[defaults]\nreminders = ["1 day before", "2 hours before"]\n']
    zones = {}
    for index in range(count):
        all_day = rng.random() < 0.4
        zone = rng.choice(ZONES)
        day = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(9 * 365))
        # Some start in the small hours, where daylight-saving gaps and overlaps are.
        clock = dt.time(rng.choice([0, 1, 2, 3, 9, 13, 23]), rng.choice([0, 30]))
        start = dt.datetime.combine(day, clock)
        rule = random_rule(rng, all_day)
        if "UNTIL" in rule and not all_day and rng.random() < 0.5:
            rule = rule.replace(rule.split("UNTIL=")[1].split(";")[0], rule.split("UNTIL=")[1].split(";")[0] + "T120000Z")
        value = (lambda d: d.date().isoformat()) if all_day else (lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"))
        lines.append("[[milestone]]")
        lines.append(f'id = "random-{index}"')
        lines.append(f'title = "Random {index}: {rule}"')
        lines.append(f"start = {value(start)}")
        lines.append(f'timezone = "{zone}"')
        if not all_day:
            zones[f"random-{index}@sse-timeline"] = zoneinfo.ZoneInfo(zone)
        if rng.random() < 0.5:
            lines.append(f"end = {value(start + dt.timedelta(days=rng.randint(0, 3), hours=0 if all_day else 2))}")
        lines.append(f'rrule = "{rule}"')
        occurrences = list(rrulestr(rule.replace("T120000Z", "T120000"), dtstart=start, cache=False)[:6])
        if len(occurrences) > 2 and rng.random() < 0.5:
            lines.append(f"exdate = [{value(rng.choice(occurrences[1:]))}]")
        if rng.random() < 0.3:
            lines.append(f"rdate = [{value(start + dt.timedelta(days=rng.randint(1, 900)))}]")
        lines.append("")
    return "\n".join(lines), zones


# ---------------------------------------------------------------------------------------------------
# khal


def check_khal(timeline, directory, start, end, expected):
    if not shutil.which("khal"):
        print(f"skipped: {timeline.name}: khal (not installed)")
        return
    home = os.path.join(directory, "khal")
    os.makedirs(os.path.join(home, "calendar"))
    config = os.path.join(home, "config")
    with open(config, "w") as file:
        file.write(f"""[calendars]
[[sse]]
path = {home}/calendar
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
[default]
default_calendar = sse
[sqlite]
path = {home}/khal.db
""")
    path = os.path.join(home, "sse.ics")
    with open(path, "wb") as file:
        file.write(timeline.ics)
    environment = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home)
    imported = subprocess.run(["khal", "-c", config, "import", "--batch", "-a", "sse", path],
                              capture_output=True, text=True, env=environment)
    check(imported.returncode == 0 and not imported.stderr.strip(), f"{timeline.name}: khal imports it",
          imported.stdout + imported.stderr)
    # A multi-day event is listed on each of its days, with the same start date.
    listed = subprocess.run(["khal", "-c", config, "list", "--day-format", "",
                             "--format", "{start-date}|{start-time}|{uid}",
                             start.date().isoformat(), end.date().isoformat()],
                            capture_output=True, text=True, env=environment)
    found = set()
    for line in listed.stdout.splitlines():
        if line.count("|") != 2:
            continue
        day, clock, uid = line.split("|")
        if clock:
            value = dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=UTC)
        else:
            value = dt.date.fromisoformat(day)
        if in_window(value, start, end):
            found.add((uid, value))
    # khal lists minutes: compare timed starts to the minute.
    trimmed = {(uid, value.replace(second=0) if isinstance(value, dt.datetime) else value) for uid, value in expected}
    compare(found, trimmed, f"{timeline.name}: khal lists each milestone on its days, {start.year}-{end.year}",
            "khal")


# ---------------------------------------------------------------------------------------------------
# Back in


def check_round_trip(timeline, binary, directory, start, end, expected):
    """The export dropped into a timeline.d/ as an .ics file: validate accepts it, and list shows the same
    occurrences (each UID <id>@sse-timeline gives back the id)."""
    root = os.path.join(directory, "round-trip")
    os.makedirs(os.path.join(root, "timeline.d"))
    main_file = os.path.join(root, "timeline.toml")
    with open(main_file, "w") as file:
        file.write('[[milestone]]\nid = "main"\ntitle = "Main"\nstart = 2030-01-01\n')
    with open(os.path.join(root, "timeline.d", "sse.ics"), "wb") as file:
        file.write(timeline.ics)
    validated = subprocess.run([binary, "validate", "--config", main_file], capture_output=True, text=True)
    check(validated.returncode == 0, f"{timeline.name}: validate accepts the export as timeline.d/sse.ics",
          validated.stderr[-2000:])
    again = Timeline(binary, ["--config", main_file], f"{timeline.name} imported").listed(start, end)
    again = {item for item in again if not item[0].startswith("main@")}
    compare(again, expected, f"{timeline.name}: imported back, it lists the same occurrences", "the import")


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="sse-ics-") as directory:
        libical = libical_binary(directory)

        default = Timeline(binary, ["--default-timeline"], "default timeline")
        start, end = dt.datetime(2019, 1, 1, tzinfo=UTC), dt.datetime(2031, 12, 31, 23, 59, 59, tzinfo=UTC)
        expected = default.listed(start, end)
        check(len(expected) > 50, f"default timeline: sse-timeline lists {len(expected)} occurrences in 2019-2031")
        check_bytes(default)
        calendar = check_icalendar(default)
        check_ical(default)
        if calendar is not None:
            check_timezones(default, calendar)
            check_recurrence(default, calendar, start, end, expected)
        check_libical(default, libical, directory, start, end, expected)
        check_khal(default, directory, start, end, expected)

        check_round_trip(default, binary, directory, start, end, expected)

        seed = int(os.environ.get("ICS_SEED", "5545"))
        rng = random.Random(seed)
        path = os.path.join(directory, "random.toml")
        text, zones = random_timeline(rng, 120)
        with open(path, "w") as file:
            file.write(text)
        randomized = Timeline(binary, ["--config", path], f"random rules (seed {seed})", zones)
        start, end = dt.datetime(2015, 1, 1, tzinfo=UTC), dt.datetime(2035, 12, 31, 23, 59, 59, tzinfo=UTC)
        expected = randomized.listed(start, end)
        check(len(expected) > 1000, f"{randomized.name}: sse-timeline lists {len(expected)} occurrences")
        check_bytes(randomized)
        calendar = check_icalendar(randomized)
        check_ical(randomized)
        if calendar is not None:
            check_timezones(randomized, calendar)
            check_recurrence(randomized, calendar, start, end, expected)
        check_libical(randomized, libical, directory, start, end, expected)

    print(f"icalendar: {results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
