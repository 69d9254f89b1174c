#!/usr/bin/env python3
"""Writes Tests/TimelineTests/Fixtures/libical-recur-table.txt: libical's own recurrence test table, the
cases sse-timeline's expander takes on.

    python3 scripts/libical-recur-table.py PATH/TO/libical/src/test/icalrecur_test.txt [--commit ID] [--out PATH]

libical's table (MPL-2.0 or LGPL-2.1) lists an RRULE, a DTSTART, sometimes a START-AT (the iterator starts
there) and the INSTANCES libical expects. Kept: FREQ=DAILY, WEEKLY, MONTHLY and YEARLY with an expected
list. Left out: HOURLY, MINUTELY and SECONDLY (not supported here) and the cases libical itself does not
implement (`INSTANCES: *** UNIMPLEMENTED`). The comments are dropped; each case keeps its line in libical's
file. RecurrenceRuleLibicalTableTests expands every case and compares.

Every case is also expanded by python-dateutil, which sse-timeline follows where libical and dateutil read a
rule differently (docs/configuration.md). Where they differ the case gets a `READING:` line naming which of
the known readings it is and a `DATEUTIL:` line with dateutil's instances; a difference that none of them
explains stops the script, except dateutil's known WEEKLY BYSETPOS bug, where libical's answer stands.
"""

import argparse
import datetime
import os
import re

from dateutil.rrule import rrulestr

SUPPORTED = re.compile(r"(^|;)FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;|$)")


def cases(path):
    case, start = {}, 0
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                if case:
                    yield start, case
                case = {}
                continue
            if not case:
                start = number
            name, _, value = line.partition(":")
            case[name] = value
    if case:
        yield start, case


def dateutil_instances(case):
    """dateutil's instances in libical's notation; a date DTSTART drops BYHOUR, BYMINUTE and BYSECOND (RFC 5545
    3.3.10), and UTC times are read as floating, as both sides compare them."""
    start = case["DTSTART"]
    is_date, is_utc = len(start) == 8, start.endswith("Z")
    form = "%Y%m%d" if is_date else "%Y%m%dT%H%M%S"
    rule = case["RRULE"].replace("Z;", ";").rstrip(";").removesuffix("Z")
    if is_date:
        rule = re.sub(r"BY(HOUR|MINUTE|SECOND)=[0-9,]+;?", "", rule).rstrip(";")
    dtstart = datetime.datetime.strptime(start[: 8 if is_date else 15], form)
    instances = [d.strftime(form) + ("Z" if is_utc else "") for d in rrulestr(rule, dtstart=dtstart)]
    return [i for i in instances if "START-AT" not in case or i >= case["START-AT"]]


def reading(rule):
    """The known reading where libical and dateutil differ that `rule` depends on, or None."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    if "BYWEEKNO" in parts and "BYDAY" not in parts:
        return "BYWEEKNO without BYDAY: every day of those weeks (libical: only DTSTART's weekday)"
    if parts["FREQ"] == "YEARLY" and "BYMONTHDAY" in parts and not {"BYMONTH", "BYWEEKNO", "BYYEARDAY"} & set(parts):
        return "YEARLY with BYMONTHDAY but no BYMONTH: those days of every month (libical: only DTSTART's month)"
    if parts["FREQ"] == "YEARLY" and "BYWEEKNO" in parts and int(parts.get("INTERVAL", "1")) > 1:
        return "YEARLY BYWEEKNO with INTERVAL: every INTERVAL-th calendar year (libical: week-numbering year)"
    return None


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("table")
    arguments.add_argument("--commit", default="unknown")
    here = os.path.dirname(os.path.abspath(__file__))
    arguments.add_argument(
        "--out", default=os.path.join(here, "..", "Tests", "TimelineTests", "Fixtures", "libical-recur-table.txt")
    )
    options = arguments.parse_args()
    kept, left = [], 0
    for line, case in cases(options.table):
        if not SUPPORTED.search(case["RRULE"]) or case["INSTANCES"].lstrip().startswith("***"):
            left += 1
            continue
        expected = case["INSTANCES"].split(",")
        if "START-AT" in case:
            expected = [i for i in expected if i >= case["START-AT"]]
        other = dateutil_instances(case)
        # dateutil's known bug (scripts/rrule-oracle.py): BYSETPOS counts from DTSTART in a WEEKLY rule's first week.
        dateutil_bug = "FREQ=WEEKLY" in case["RRULE"] and "BYSETPOS" in case["RRULE"]
        if other != expected and not dateutil_bug:
            why = reading(case["RRULE"])
            if why is None:
                raise SystemExit(f"line {line}: libical and dateutil differ, and no known reading explains it")
            case["READING"] = why
            case["DATEUTIL"] = ",".join(other)
        kept.append((line, case))
    with open(options.out, "w", encoding="utf-8") as out:
        out.write(f"# libical src/test/icalrecur_test.txt at {options.commit} (MPL-2.0 or LGPL-2.1), written by\n")
        out.write(f"# scripts/libical-recur-table.py: {len(kept)} cases kept, {left} left out (see the script).\n")
        for line, case in kept:
            out.write(f"\n# line {line}\n")
            for name in ("RRULE", "DTSTART", "START-AT", "INSTANCES", "READING", "DATEUTIL"):
                if name in case:
                    out.write(f"{name}:{case[name]}\n")
    differing = sum("DATEUTIL" in case for _, case in kept)
    print(f"{options.out}: {len(kept)} cases ({differing} read differently by dateutil), {left} left out")


if __name__ == "__main__":
    main()
