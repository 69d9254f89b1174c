#!/usr/bin/env python3
"""Writes a large iCalendar file shaped as real exports are (Google Calendar's, Outlook's), for the benchmark of
reading other people's calendars (issue 20, bench part "calendar").

    scripts/generate-calendar.py [--events 10000] [--seed 5545] OUT.ics

Deterministic for a seed. What it holds, by design:
- four VTIMEZONEs (Europe/Paris, America/New_York, Asia/Tokyo, Europe/London) with STANDARD and DAYLIGHT;
- events from 2021 to 2028, timed in those zones or UTC, 12% all day; 15% weekly (BYDAY, some with UNTIL or
  COUNT) with 0 to 4 EXDATEs, 7% monthly (BYMONTHDAY or BYDAY=2TU style); a few moved occurrences
  (RECURRENCE-ID) of weekly series;
- 0 to 2 VALARMs each (DISPLAY and EMAIL), ORGANIZER and 0 to 4 ATTENDEEs with Google's parameters, a
  LOCATION, a CONFERENCE-like X- property, and DESCRIPTIONs of a hundred to a thousand characters with
  escaped newlines and commas;
- CRLF line ends, lines folded at 75 octets (UTF-8 sequences kept whole).
About 9 MB for 10,000 events.
"""

import argparse
import datetime as dt
import random

ZONES = {
    "Europe/Paris": ("+0100", "+0200", "CET", "CEST", "3", "-1SU", "10", "-1SU", "020000", "030000"),
    "America/New_York": ("-0500", "-0400", "EST", "EDT", "3", "2SU", "11", "1SU", "020000", "020000"),
    "Europe/London": ("+0000", "+0100", "GMT", "BST", "3", "-1SU", "10", "-1SU", "010000", "020000"),
}
WORDS = ("review planning budget roadmap sync design sprint retro customer launch hiring interview quarterly "
         "offsite training security audit migration release onboarding workshop demo standup architecture "
         "incident postmortem vendor contract renewal dentist school parents football piano birthday").split()
FIRST = "Alice Bob Chloé Dmitri Élodie Farid Grace Hiroshi Inès Jamal Katarzyna Liam Mei Nuno Olga Pablo".split()
LAST = "Martin Bernard Dubois Smith Jones Müller Tanaka Rossi Kowalski Silva Nguyen Haddad García Olsen".split()
DAYS = ["MO", "TU", "WE", "TH", "FR"]


def fold(line):
    """The content line folded at 75 octets, CRLF after each physical line."""
    data = line.encode()
    out = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        out.append(data[:cut])
        data = b" " + data[cut:]
        limit = 75
    out.append(data)
    return b"".join(part + b"\r\n" for part in out)


def text(value):
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def vtimezone(tzid):
    if tzid == "Asia/Tokyo":
        return ["BEGIN:VTIMEZONE", "TZID:Asia/Tokyo", "X-LIC-LOCATION:Asia/Tokyo", "BEGIN:STANDARD",
                "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900", "TZNAME:JST", "DTSTART:19700101T000000", "END:STANDARD",
                "END:VTIMEZONE"]
    standard, daylight, sname, dname, dmonth, dday, smonth, sday, dtime, stime = ZONES[tzid]
    return [
        "BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}",
        "BEGIN:DAYLIGHT", f"TZOFFSETFROM:{standard}", f"TZOFFSETTO:{daylight}", f"TZNAME:{dname}",
        f"DTSTART:1970{int(dmonth):02d}08T{dtime}", f"RRULE:FREQ=YEARLY;BYMONTH={dmonth};BYDAY={dday}",
        "END:DAYLIGHT",
        "BEGIN:STANDARD", f"TZOFFSETFROM:{daylight}", f"TZOFFSETTO:{standard}", f"TZNAME:{sname}",
        f"DTSTART:1970{int(smonth):02d}01T{stime}", f"RRULE:FREQ=YEARLY;BYMONTH={smonth};BYDAY={sday}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def person(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last}", f"{first.lower()}.{last.lower()}@example.com".encode("ascii", "ignore").decode()


def description(rng):
    paragraphs = []
    for _ in range(rng.choice([1, 1, 1, 2])):
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 10)))
        paragraphs.append(sentence.capitalize() + ", see the notes.")
    paragraphs.append("Join: https://meet.example.com/" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyz")
                                                                   for _ in range(10)))
    return "\n\n".join(paragraphs)


def stamp(value):
    return value.strftime("%Y%m%dT%H%M%SZ")


def event(rng, index, now):
    uid = "".join(rng.choice("0123456789abcdefghijklmnopqrstuv") for _ in range(26)) + "@google.com"
    zone = rng.choice(["Europe/Paris", "Europe/Paris", "America/New_York", "Asia/Tokyo", "Europe/London", "UTC"])
    day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(8 * 365))
    all_day = rng.random() < 0.12
    start = dt.datetime.combine(day, dt.time(rng.choice(range(7, 20)), rng.choice([0, 15, 30, 45])))
    end = start + dt.timedelta(minutes=rng.choice([15, 30, 45, 60, 60, 90, 120]))
    lines = ["BEGIN:VEVENT"]
    if all_day:
        lines += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{day + dt.timedelta(days=rng.choice([1, 1, 1, 2, 3])):%Y%m%d}"]
    elif zone == "UTC":
        lines += [f"DTSTART:{stamp(start)}", f"DTEND:{stamp(end)}"]
    else:
        lines += [f"DTSTART;TZID={zone}:{start:%Y%m%dT%H%M%S}", f"DTEND;TZID={zone}:{end:%Y%m%dT%H%M%S}"]
    kind = rng.random()
    weekly = kind < 0.15
    if weekly:
        days = sorted(set([DAYS[start.weekday() % 5]] + rng.sample(DAYS, rng.randint(0, 2))), key=DAYS.index)
        rule = f"RRULE:FREQ=WEEKLY;WKST=MO;BYDAY={','.join(days)}"
        roll = rng.random()
        if roll < 0.3:
            rule += f";UNTIL={stamp(start + dt.timedelta(days=rng.randint(60, 900)))}"
        elif roll < 0.5:
            rule += f";COUNT={rng.randint(5, 60)}"
        if all_day:
            # UNTIL is a DATE when DTSTART is one.
            rule = rule.split(";UNTIL=")[0]
        lines.append(rule)
        for _ in range(rng.randint(0, 4)):
            skipped = start + dt.timedelta(weeks=rng.randint(1, 40))
            if all_day:
                lines.append(f"EXDATE;VALUE=DATE:{skipped:%Y%m%d}")
            elif zone == "UTC":
                lines.append(f"EXDATE:{stamp(skipped)}")
            else:
                lines.append(f"EXDATE;TZID={zone}:{skipped:%Y%m%dT%H%M%S}")
    elif kind < 0.22:
        if rng.random() < 0.5:
            lines.append(f"RRULE:FREQ=MONTHLY;BYMONTHDAY={day.day}")
        else:
            lines.append(f"RRULE:FREQ=MONTHLY;BYDAY={(day.day - 1) // 7 + 1}{DAYS[start.weekday() % 5]}")
    created = now - dt.timedelta(days=rng.randint(1, 900))
    name, email = person(rng)
    lines += [
        f"DTSTAMP:{stamp(now)}",
        f"ORGANIZER;CN={name}:mailto:{email}",
        f"UID:{uid}",
    ]
    for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 3, 4])):
        cn, mail = person(rng)
        partstat = rng.choice(["ACCEPTED", "NEEDS-ACTION", "DECLINED", "TENTATIVE"])
        lines.append(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};RSVP=TRUE;CN={cn};"
                     f"X-NUM-GUESTS=0:mailto:{mail}")
    lines += [
        "X-GOOGLE-CONFERENCE:https://meet.example.com/" + uid[:10],
        f"CREATED:{stamp(created)}",
        "DESCRIPTION:" + text(description(rng)),
        f"LAST-MODIFIED:{stamp(created + dt.timedelta(days=rng.randint(0, 30)))}",
        "LOCATION:" + text(rng.choice(["Room 4.12, Building B", "Online", "Café de la Gare, Lyon",
                                       "HQ Main Hall"])),
        f"SEQUENCE:{rng.randint(0, 3)}",
        "STATUS:CONFIRMED",
        "SUMMARY:" + text(" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize()),
        "TRANSP:" + rng.choice(["OPAQUE", "TRANSPARENT"]),
    ]
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        action = rng.choice(["DISPLAY", "DISPLAY", "EMAIL"])
        minutes = rng.choice([10, 15, 30, 60, 1440])
        lines += ["BEGIN:VALARM", f"ACTION:{action}", "DESCRIPTION:This is an event reminder"]
        if action == "EMAIL":
            lines += ["SUMMARY:Alarm notification", f"ATTENDEE:mailto:{email}"]
        lines += [f"TRIGGER:-P0DT{minutes // 60}H{minutes % 60}M0S", "END:VALARM"]
    lines.append("END:VEVENT")
    # A moved occurrence of a weekly series, as Google exports it after the series.
    if weekly and not all_day and rng.random() < 0.1:
        moved = start + dt.timedelta(weeks=rng.randint(1, 5))
        tz = "" if zone == "UTC" else f";TZID={zone}"

        def value(time):
            return stamp(time) if zone == "UTC" else f"{time:%Y%m%dT%H%M%S}"

        later = moved + dt.timedelta(hours=2)
        lines += ["BEGIN:VEVENT", f"DTSTART{tz}:{value(later)}", f"DTEND{tz}:{value(later + (end - start))}",
                  f"DTSTAMP:{stamp(now)}", f"UID:{uid}", f"RECURRENCE-ID{tz}:{value(moved)}",
                  "SUMMARY:Moved occurrence", "SEQUENCE:1", "STATUS:CONFIRMED", "END:VEVENT"]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5545)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    now = dt.datetime(2026, 11, 30, 12, 0, 0)
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Team", "X-WR-TIMEZONE:Europe/Paris"]
    for zone in ("Europe/Paris", "America/New_York", "Asia/Tokyo", "Europe/London"):
        lines += vtimezone(zone)
    for index in range(args.events):
        lines += event(rng, index, now)
    lines.append("END:VCALENDAR")
    with open(args.out, "wb") as file:
        file.write(b"".join(fold(line) for line in lines))


if __name__ == "__main__":
    main()
