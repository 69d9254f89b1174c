#!/usr/bin/env python3
"""Writes Tests/TimelineTests/Fixtures/rrule-oracle.json: random RRULEs expanded by python-dateutil.

    python3 scripts/rrule-oracle.py [--rules 2000] [--seed 5545] [--out PATH]

Each case is a rule string over the parts the Swift parser supports (FREQ DAILY...YEARLY, INTERVAL,
COUNT or UNTIL, BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY with ordinals, BYHOUR, BYMINUTE,
BYSECOND, BYSETPOS, WKST), a DTSTART between 1990 and 2030, and the first up to `limit` occurrences
that are not after `bound` (the end of DTSTART's year + 40, so sparse endless rules stay cheap;
dateutil's own end-of-time year is lowered to the bound's for the same reason).

The expected lists come from dateutil (`rrulestr(rule, dtstart=...)`). Every case is also expanded by
`brute_force` below, a deliberately naive day-by-day reading of RFC 5545 written independently of
dateutil. Where the two disagree the script accepts only the known dateutil bugs, and fails otherwise:

- weekly-bysetpos-first-week: dateutil starts the first WEEKLY period at DTSTART instead of at the
  start of its week, so BYSETPOS counts from DTSTART in that week. The expected list then comes from
  dateutil run from the week's start and filtered to DTSTART on, which brute_force must match.
- byweekno-year-boundary: dateutil misnumbers the days before week 1 when the previous year's first
  week also started late (its `lnumweeks` uses this year's length), and never matches the days before
  next year's week 1 by a negative BYWEEKNO. brute_force's week numbers are checked against Python's
  ISO calendar (WKST=MO) before it is trusted here.

Rules never mix plain and ordinal BYDAY entries: dateutil then requires both (BYDAY=MO,1FR never
occurs), where RFC 5545 means either; the Swift tests cover that case by hand.
"""

import argparse
import calendar
import datetime as datetime_module
import json
import random
import sys
import types
import warnings
from datetime import date, datetime, time, timedelta

import dateutil
import dateutil.rrule
from dateutil.rrule import rrulestr

FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
LIMIT = 40
BOUND_YEARS = 40


# ---------------------------------------------------------------------------------------------------
# Random rules


def sample(rng, population, low, high):
    return rng.sample(population, rng.randint(low, min(high, len(population))))


def signed(rng, top, favourites, favourite_share=0.5):
    if rng.random() < favourite_share:
        return rng.choice(favourites)
    return rng.choice([1, -1]) * rng.randint(1, top)


def random_case(rng):
    day = date(1990, 1, 1) + timedelta(days=rng.randrange((date(2030, 12, 31) - date(1990, 1, 1)).days))
    kind = rng.random()
    clock = time(0, 0) if kind < 0.5 else time(9, 0) if kind < 0.8 else time(
        rng.randrange(24), rng.randrange(60), rng.randrange(60))
    dtstart = datetime.combine(day, clock)

    freq = rng.choices(FREQS, weights=[2, 2, 3, 3])[0]
    parts = {"FREQ": freq}
    if rng.random() < 0.45:
        parts["INTERVAL"] = str(rng.randint(2, 4))
    if rng.random() < 0.35:
        parts["WKST"] = rng.choice(DAYS)

    by = {}
    if rng.random() < (0.45 if freq == "YEARLY" else 0.3):
        by["BYMONTH"] = sorted(sample(rng, range(1, 13), 1, 4))
    if freq == "YEARLY" and rng.random() < 0.2:
        by["BYWEEKNO"] = sorted({signed(rng, 53, [1, 2, 52, 53, -1, -2, -52, -53]) for _ in range(rng.randint(1, 3))})
    if freq == "YEARLY" and rng.random() < 0.2:
        by["BYYEARDAY"] = sorted({signed(rng, 366, [1, 59, 60, 365, 366, -1, -365, -366]) for _ in range(rng.randint(1, 4))})
    if freq != "WEEKLY" and rng.random() < 0.35:
        by["BYMONTHDAY"] = sorted({signed(rng, 31, [28, 29, 30, 31, -1, -2, -31]) for _ in range(rng.randint(1, 4))})
    if rng.random() < 0.45:
        ordinals_allowed = freq == "MONTHLY" or (freq == "YEARLY" and "BYWEEKNO" not in by)
        if ordinals_allowed and rng.random() < 0.5:
            small = freq == "MONTHLY" or "BYMONTH" in by or rng.random() < 0.5
            entries = set()
            for _ in range(rng.randint(1, 3)):
                n = rng.choice([1, -1]) * (rng.randint(1, 5) if small else rng.randint(1, 53))
                sign = "+" if n > 0 and rng.random() < 0.2 else ""
                entries.add(f"{sign}{n}{rng.choice(DAYS)}")
            by["BYDAY"] = sorted(entries)
        else:
            by["BYDAY"] = sample(rng, DAYS, 1, 5)
    if rng.random() < 0.08:
        by["BYHOUR"] = sorted(sample(rng, range(24), 1, 3))
    if rng.random() < 0.08:
        by["BYMINUTE"] = sorted(sample(rng, range(60), 1, 3))
    if rng.random() < 0.08:
        by["BYSECOND"] = sorted(sample(rng, range(60), 1, 3))
    if by and rng.random() < 0.3:
        by["BYSETPOS"] = sorted({signed(rng, 30, [1, 2, 3, -1, -2, -3], 0.7) for _ in range(rng.randint(1, 3))})
    for name, values in by.items():
        parts[name] = ",".join(str(v) for v in values)

    end = rng.random()
    if end < 0.35:
        parts["COUNT"] = str(rng.randint(1, 40) if rng.random() < 0.9 else rng.randint(41, 1000))
    elif end < 0.65:
        until = dtstart + timedelta(days=rng.randint(-30, 3650), seconds=rng.randrange(86400))
        parts["UNTIL"] = until.strftime("%Y%m%d") if rng.random() < 0.4 else until.strftime("%Y%m%dT%H%M%S")

    names = list(parts)
    rng.shuffle(names)
    text = ";".join(f"{name}={parts[name]}" for name in names)
    if rng.random() < 0.05:
        text = text.lower()
    if rng.random() < 0.1:
        text = "RRULE:" + text
    return text, dtstart


# ---------------------------------------------------------------------------------------------------
# Independent day-by-day expansion (RFC 5545 with dateutil's defaults)


def parse(text):
    text = text.upper()
    if text.startswith("RRULE:"):
        text = text[6:]
    parts = dict(part.split("=", 1) for part in text.split(";"))
    ints = lambda name: [int(v) for v in parts[name].split(",")] if name in parts else []
    byday = []
    for entry in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else []:
        byday.append((DAYS.index(entry[-2:]), int(entry[:-2]) if entry[:-2] else None))
    until = None
    if "UNTIL" in parts:
        value = parts["UNTIL"]
        until = datetime.strptime(value, "%Y%m%dT%H%M%S") if "T" in value else datetime.strptime(value, "%Y%m%d")
    return {
        "freq": parts["FREQ"], "interval": int(parts.get("INTERVAL", 1)),
        "count": int(parts["COUNT"]) if "COUNT" in parts else None, "until": until,
        "bymonth": ints("BYMONTH"), "byweekno": ints("BYWEEKNO"), "byyearday": ints("BYYEARDAY"),
        "bymonthday": ints("BYMONTHDAY"), "byday": byday, "byhour": ints("BYHOUR"),
        "byminute": ints("BYMINUTE"), "bysecond": ints("BYSECOND"), "bysetpos": ints("BYSETPOS"),
        "wkst": DAYS.index(parts.get("WKST", "MO")),
    }


def week_one(year, wkst):
    january4 = date(year, 1, 4)
    return january4 - timedelta(days=(january4.weekday() - wkst) % 7)


def week_number(day, wkst):
    """(week, weeks in that week-numbering year) for weeks starting on wkst, week 1 holding 4 January."""
    for year in (day.year + 1, day.year, day.year - 1):
        first = week_one(year, wkst)
        if day >= first:
            return (day - first).days // 7 + 1, (week_one(year + 1, wkst) - first).days // 7


def nth_days(first, last, byday):
    days = set()
    for weekday, n in byday:
        if n is None:
            continue
        if n > 0:
            day = first + timedelta(days=(n - 1) * 7 + (weekday - first.weekday()) % 7)
        else:
            day = last + timedelta(days=(n + 1) * 7 - (last.weekday() - weekday) % 7)
        if first <= day <= last:
            days.add(day)
    return days


def brute_force(rule, dtstart, bound, limit):
    r = dict(rule)
    if not (r["byweekno"] or r["byyearday"] or r["bymonthday"] or r["byday"]):
        if r["freq"] == "YEARLY":
            r["bymonth"] = r["bymonth"] or [dtstart.month]
            r["bymonthday"] = [dtstart.day]
        elif r["freq"] == "MONTHLY":
            r["bymonthday"] = [dtstart.day]
        elif r["freq"] == "WEEKLY":
            r["byday"] = [(dtstart.weekday(), None)]
    if r["freq"] in ("DAILY", "WEEKLY"):
        r["byday"] = [(weekday, None) for weekday, _ in r["byday"]]
    times = sorted(
        time(h, m, s)
        for h in (r["byhour"] or [dtstart.hour])
        for m in (r["byminute"] or [dtstart.minute])
        for s in (r["bysecond"] or [dtstart.second]))
    until = min(bound, r["until"]) if r["until"] else bound
    plain = {weekday for weekday, n in r["byday"] if n is None}
    interval, out = r["interval"], []

    def matches(day, ordinal):
        if r["bymonth"] and day.month not in r["bymonth"]:
            return False
        length = calendar.monthrange(day.year, day.month)[1]
        if r["bymonthday"] and day.day not in r["bymonthday"] and day.day - length - 1 not in r["bymonthday"]:
            return False
        if r["byday"] and day.weekday() not in plain and day not in ordinal:
            return False
        if r["byyearday"]:
            n, year_length = day.timetuple().tm_yday, 366 if calendar.isleap(day.year) else 365
            if n not in r["byyearday"] and n - year_length - 1 not in r["byyearday"]:
                return False
        if r["byweekno"]:
            week, weeks = week_number(day, r["wkst"])
            if week not in r["byweekno"] and week - weeks - 1 not in r["byweekno"]:
                return False
        return True

    k = 0
    while True:
        if r["freq"] == "YEARLY":
            year = dtstart.year + k * interval
            if year > until.year:
                return out
            days = [date(year, 1, 1) + timedelta(days=i) for i in range(366 if calendar.isleap(year) else 365)]
            if r["bymonth"]:
                ranges = [(date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])) for m in r["bymonth"]]
            else:
                ranges = [(date(year, 1, 1), date(year, 12, 31))]
        elif r["freq"] == "MONTHLY":
            index = dtstart.year * 12 + dtstart.month - 1 + k * interval
            year, month = divmod(index, 12)
            month += 1
            if date(year, month, 1) > until.date():
                return out
            length = calendar.monthrange(year, month)[1]
            days = [date(year, month, d) for d in range(1, length + 1)]
            ranges = [(days[0], days[-1])]
        elif r["freq"] == "WEEKLY":
            first = dtstart.date() - timedelta(days=(dtstart.weekday() - r["wkst"]) % 7) + timedelta(weeks=k * interval)
            if first > until.date():
                return out
            days, ranges = [first + timedelta(days=i) for i in range(7)], []
        else:
            first = dtstart.date() + timedelta(days=k * interval)
            if first > until.date():
                return out
            days, ranges = [first], []
        ordinal = set()
        for first, last in ranges:
            ordinal |= nth_days(first, last, r["byday"])
        chosen = [datetime.combine(day, t) for day in days if matches(day, ordinal) for t in times]
        if r["bysetpos"]:
            picked = set()
            for position in r["bysetpos"]:
                index = position - 1 if position > 0 else len(chosen) + position
                if 0 <= index < len(chosen):
                    picked.add(chosen[index])
            chosen = sorted(picked)
        for occurrence in chosen:
            if occurrence > until:
                return out
            if occurrence >= dtstart:
                out.append(occurrence)
                if len(out) == limit or (r["count"] is not None and len(out) == r["count"]):
                    return out
        k += 1


# ---------------------------------------------------------------------------------------------------
# dateutil


class _BoundedDatetime(types.ModuleType):
    """The datetime module with a smaller MAXYEAR, for dateutil.rrule's end-of-time checks."""

    def __getattr__(self, name):
        return getattr(datetime_module, name)


def end_dateutil_after(year):
    # dateutil only compares UNTIL with occurrences it finds, so a rule that stops matching is walked
    # to MAXYEAR (9999): seconds per rule. Everything after `year` is cut off anyway.
    bounded = _BoundedDatetime("datetime")
    bounded.MAXYEAR = year
    dateutil.rrule.datetime = bounded


def with_dateutil(text, dtstart, bound, limit, from_week_start=False):
    end_dateutil_after(bound.year)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        rule = rrulestr(text, dtstart=dtstart)
        until = min(rule._until, bound) if rule._until else bound
        count = rule._count
        if from_week_start:
            # RFC reading of WEEKLY + BYSETPOS: the first period is DTSTART's whole week.
            start = dtstart - timedelta(days=(dtstart.weekday() - rule._wkst) % 7)
            changes = {"dtstart": start, "count": None, "until": until}
            if rule._original_rule.get("byweekday") is None and not (
                    rule._original_rule.get("bymonthday") or rule._original_rule.get("byyearday")
                    or rule._original_rule.get("byweekno")):
                changes["byweekday"] = dtstart.weekday()
            rule = rule.replace(**changes)
        else:
            rule = rule.replace(until=until)
    out = []
    for occurrence in rule:
        if occurrence < dtstart:
            continue
        out.append(occurrence)
        if len(out) == limit or (count is not None and len(out) == count):
            break
    return out


def check_week_numbers():
    """brute_force's week numbers against Python's ISO calendar (WKST=MO)."""
    day = date(1985, 1, 1)
    while day.year < 2080:
        iso_year, iso_week, _ = day.isocalendar()
        weeks = date(iso_year, 12, 28).isocalendar()[1]
        assert week_number(day, 0) == (iso_week, weeks), day
        day += timedelta(days=1)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5545)
    parser.add_argument("--out", default="Tests/TimelineTests/Fixtures/rrule-oracle.json")
    args = parser.parse_args()

    check_week_numbers()
    rng = random.Random(args.seed)
    cases, categories, unexplained = [], {}, []
    while len(cases) < args.rules:
        text, dtstart = random_case(rng)
        bound = datetime(dtstart.year + BOUND_YEARS, 12, 31, 23, 59, 59)
        expected = with_dateutil(text, dtstart, bound, LIMIT)
        rule = parse(text)
        naive = brute_force(rule, dtstart, bound, LIMIT)
        case = {"rule": text, "dtstart": iso(dtstart), "bound": iso(bound), "limit": LIMIT}
        if naive != expected:
            if rule["freq"] == "WEEKLY" and rule["bysetpos"] and dtstart.weekday() != rule["wkst"]:
                category = "weekly-bysetpos-first-week"
                corrected = with_dateutil(text, dtstart, bound, LIMIT, from_week_start=True)
                if corrected != naive:
                    unexplained.append((text, dtstart, "corrected dateutil", corrected, naive))
            elif rule["freq"] == "YEARLY" and rule["byweekno"]:
                category = "byweekno-year-boundary"
            else:
                unexplained.append((text, dtstart, "dateutil", expected, naive))
                continue
            categories[category] = categories.get(category, 0) + 1
            case["dateutilDiffers"] = category
            case["dateutil"] = [iso(o) for o in expected]
            expected = naive
        case["expected"] = [iso(o) for o in expected]
        cases.append(case)

    for text, dtstart, name, theirs, ours in unexplained[:10]:
        print(f"UNEXPLAINED {text} from {dtstart}:\n  {name}: {[iso(o) for o in theirs][:8]}\n"
              f"  brute: {[iso(o) for o in ours][:8]}", file=sys.stderr)
    if unexplained:
        sys.exit(f"{len(unexplained)} disagreements between dateutil and the brute force are not known bugs")

    header = {
        "generator": "scripts/rrule-oracle.py", "dateutil": dateutil.__version__, "seed": args.seed,
        "rules": len(cases), "limit": LIMIT, "dateutilBugsCorrected": categories,
    }
    with open(args.out, "w") as out:
        out.write("{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in header.items()))
        out.write(',\n"cases": [\n' + ",\n".join(json.dumps(c, separators=(",", ":")) for c in cases) + "\n]\n}\n")
    occurrences = sum(len(c["expected"]) for c in cases)
    print(f"{len(cases)} rules, {occurrences} occurrences, dateutil bugs corrected: {categories}")


if __name__ == "__main__":
    main()
