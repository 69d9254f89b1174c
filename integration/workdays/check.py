#!/usr/bin/env python3
"""Working days, holidays and on_non_working_day against Remind, the anchor of issue 22.

One set of holidays and milestones is written twice: as a timeline (holiday sets from `dates`, with a range,
and from an `.ics` file with yearly and Easter-based holidays) and as a Remind file (global OMITs of Saturday,
Sunday and the holidays; Easter from Remind's own easterdate()). Then `sse-timeline list --json` over ten years
is compared with `remind -s` over the same years:

- "N working days before" against Remind's back `-N`, which steps back over OMITted days;
- "N working days after" against a SATISFY of Remind's nonomitted() (Remind has no forward back);
- on_non_working_day = "before", "after", "skip" against REM ... BEFORE, AFTER, SKIP.

The years include holidays on weekends (Christmas 2027 and 2032 on a Saturday, New Year 2028 and 2033 too).
Every compared line must match; the script prints how many it compared and fails on the first differences.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile

FIRST_YEAR, LAST_YEAR = 2025, 2034
# Compared inside this window only: both tools see whole years around it.
WINDOW = (dt.date(FIRST_YEAR, 2, 1), dt.date(LAST_YEAR, 11, 30))


def easter(year):
    """Western Easter Sunday (the anonymous Gregorian algorithm); Remind's easterdate() checks it."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


YEARS = range(FIRST_YEAR - 1, LAST_YEAR + 2)
# Easter-based holidays: Good Friday, Easter Monday, Ascension, Whit Monday.
EASTER_OFFSETS = {-2: "Good Friday", 1: "Easter Monday", 39: "Ascension Day", 50: "Whit Monday"}
# Yearly holidays (month, day, name).
FIXED = [(1, 1, "New Year"), (5, 1, "Labour Day"), (12, 25, "Christmas Day"), (12, 26, "Boxing Day")]
# An office closure, given as a range.
CLOSURE = (dt.date(2029, 12, 27), dt.date(2029, 12, 31))


def ics_text():
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sse-timeline//workdays test//EN"]
    for month, day, name in FIXED:
        lines += [
            "BEGIN:VEVENT",
            f"UID:fixed-{month}-{day}@test",
            f"DTSTART;VALUE=DATE:{FIRST_YEAR - 1}{month:02}{day:02}",
            "RRULE:FREQ=YEARLY",
            f"SUMMARY:{name}",
            "END:VEVENT",
        ]
    for year in YEARS:
        for offset, name in EASTER_OFFSETS.items():
            date = easter(year) + dt.timedelta(days=offset)
            lines += [
                "BEGIN:VEVENT",
                f"UID:easter-{year}-{offset}@test",
                f"DTSTART;VALUE=DATE:{date:%Y%m%d}",
                f"SUMMARY:{name}",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


# Yearly milestones: (id, month, day, reminders as (timeline text, working days: negative before, positive after)).
YEARLY = [
    ("board", 1, 4, [("3 working days before", -3), ("1 working day before", -1), ("2 working days after", 2)]),
    ("midyear", 7, 3, [("5 working days before", -5), ("1 working day after", 1)]),
    ("closing", 12, 28, [("2 working days before", -2), ("3 working days after", 3)]),
]
# Yearly milestones moved off non-working days: (id, month, day, on_non_working_day).
MOVED = [("xmas-before", 12, 25, "before"), ("newyear-after", 1, 1, "after"), ("midjune-skip", 6, 15, "skip"), ("whit-skip", 5, 24, "skip"),
         ("boxing-after", 12, 26, "after"), ("sat-before", 7, 4, "before")]


def yearly_milestone(ident, month, day, *keys):
    """A [[milestone]] every year on `month`/`day`, with more `keys` lines."""
    start = f"{FIRST_YEAR - 1}-{month:02}-{day:02}"
    return ["[[milestone]]", f'id = "{ident}"', f'title = "{ident}"', f"start = {start}", 'rrule = "FREQ=YEARLY"',
            *keys, ""]


def timeline_text():
    text = [
        "[defaults]",
        'timezone = "UTC"',
        'holidays = ["public", "office"]',
        "",
        "[holidays.public]",
        'ics = "holidays.ics"',
        "",
        "[holidays.office]",
        f'dates = ["{CLOSURE[0]}..{CLOSURE[1]}"]',
        "",
    ]
    for ident, month, day, reminders in YEARLY:
        text += yearly_milestone(ident, month, day, "reminders = [" + ", ".join(f'"{r}"' for r, _ in reminders) + "]")
    # The Tuesday after Easter, one-off per year: the working day before steps over Easter Monday, the weekend
    # and Good Friday.
    for year in YEARS:
        text += [
            "[[milestone]]",
            f'id = "easter-tuesday-{year}"',
            'title = "easter-tuesday"',
            f"start = {easter(year) + dt.timedelta(days=2)}",
            'reminders = ["1 working day before"]',
            "",
        ]
    for ident, month, day, rule in MOVED:
        text += yearly_milestone(ident, month, day, f'on_non_working_day = "{rule}"', 'reminders = ["at start"]')
    return "\n".join(text)


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def remind_text():
    text = ["OMIT Sat Sun"]
    text += [f"OMIT {day} {MONTHS[month - 1]}" for month, day, _ in FIXED]
    for year in YEARS:
        text += [f"OMIT [easterdate({year}) + {offset}]" for offset in EASTER_OFFSETS]
    text.append(f"OMIT {CLOSURE[0]} THROUGH {CLOSURE[1]}")
    for ident, month, day, reminders in YEARLY:
        for label, count in reminders:
            tag = f"{ident}|{label}"
            if count < 0:
                text.append(f"REM {day} {MONTHS[month - 1]} {count} MSG {tag}")
                continue
            # The first day after the occurrence with `count` non-omitted days in (occurrence, day].
            for year in YEARS:
                start = dt.date(year, month, day)
                after = start + dt.timedelta(days=1)
                text.append(
                    f"REM SCANFROM {after} UNTIL {start + dt.timedelta(days=40)} "
                    f"SATISFY [!isomitted(trigdate()) && nonomitted('{after}', trigdate() + 1) == {count}] "
                    f"MSG {tag}"
                )
    for year in YEARS:
        text.append(f"REM [easterdate({year}) + 2] -1 MSG easter-tuesday|1 working day before")
    for ident, month, day, rule in MOVED:
        text.append(f"REM {day} {MONTHS[month - 1]} {rule.upper()} MSG {ident}|at start")
    return "\n".join(text) + "\n"


def in_window(date):
    return WINDOW[0] <= date <= WINDOW[1]


def ours(binary, directory):
    output = subprocess.run(
        [binary, "list", "--config", os.path.join(directory, "timeline.toml"),
         "--from", f"{FIRST_YEAR}-01-01", "--to", f"{LAST_YEAR}-12-31", "--json"],
        check=True, capture_output=True, text=True,
    ).stdout
    result = set()
    moved = 0
    for item in json.loads(output):
        if item["kind"] != "reminder":
            continue
        date = dt.date.fromisoformat(item["due"][:10])
        title = item["title"]
        if in_window(date):
            result.add((date, f"{title}|{item['reminder']}"))
            moved += "moved_from" in item
    return result, moved


def theirs(directory):
    months = (LAST_YEAR - FIRST_YEAR + 1) * 12
    output = subprocess.run(
        ["remind", f"-s{months}", os.path.join(directory, "timeline.rem"), f"{FIRST_YEAR}-01-01"],
        check=True, capture_output=True, text=True,
    )
    if output.stderr.strip():
        sys.exit("remind complained:\n" + "\n".join(output.stderr.splitlines()[:5]))
    result = set()
    for line in output.stdout.splitlines():
        fields = line.split(" ", 5)
        date = dt.date(*map(int, fields[0].split("/")))
        if in_window(date):
            result.add((date, fields[5]))
    return result


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/sse-timeline"
    with tempfile.TemporaryDirectory() as directory:
        for name, text in [("timeline.toml", timeline_text()), ("holidays.ics", ics_text()),
                           ("timeline.rem", remind_text())]:
            with open(os.path.join(directory, name), "w") as file:
                file.write(text)
        mine, moved = ours(binary, directory)
        reference = theirs(directory)
    only_ours = sorted(mine - reference)
    only_remind = sorted(reference - mine)
    for date, tag in only_ours[:20]:
        print(f"only sse-timeline: {date} {tag}")
    for date, tag in only_remind[:20]:
        print(f"only Remind:       {date} {tag}")
    if only_ours or only_remind:
        sys.exit(f"workdays-test: {len(only_ours)} + {len(only_remind)} differences from Remind")
    tags = {tag.split("|")[0] for _, tag in mine}
    print(f"workdays-test: {len(mine)} reminders of {len(tags)} schedules from {WINDOW[0]} to {WINDOW[1]} "
          f"match Remind ({moved} moved off non-working days)")


if __name__ == "__main__":
    main()
