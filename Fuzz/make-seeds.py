#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into Fuzz/Corpus/<target>/ from the project's fixtures:
the default timeline, the TOML examples of docs/configuration.md, a sample of the RRULE oracle fixture,
a few real TZif files and POSIX TZ strings, the documented state-file and stderr formats, every form of
the command line's dates and times, the icalendar package's test calendars (Tests/TimelineTests/Fixtures/ics).

Run from the repository root when the fixtures change; the output is committed. Deterministic."""
import json
import os
import random
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")
DROP_IN = "\n#--- drop-in ---\n"
SENT_LOG = "\n#--- sent.log ---\n"


def open_reproducers(target):
    """The inputs of open findings (Fuzz/Open/<target>): not seeds, or every run would stop on them at once."""
    directory = os.path.join(ROOT, "Fuzz", "Open", target)
    if not os.path.isdir(directory):
        return set()
    return {open(os.path.join(directory, name), "rb").read() for name in os.listdir(directory)}


def write(target, name, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    if data in open_reproducers(target):
        return
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def state_file(watermark, keys):
    body = "sse-timeline-state 1\nwatermark %s\n" % watermark + "".join("sent %s\n" % k for k in sorted(keys))
    return body + "checksum %016x\n" % fnv1a64(body.encode())


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    random.seed(5545)

    # Config loader: the default timeline, the documented examples, and drop-in sets.
    timeline = read("Config/timeline.toml")
    write("FuzzConfigLoader", "default-timeline.toml", timeline)
    examples = re.findall(r"```toml\n(.*?)```", read("docs/configuration.md"), re.S)
    for i, example in enumerate(examples):
        write("FuzzConfigLoader", "doc-example-%d.toml" % i, example)
    blocks = timeline.split("[[milestone]]")
    write("FuzzConfigLoader", "drop-ins.toml",
          "[defaults]\ntimezone = \"Europe/Paris\"\n[[milestone]]" + blocks[1] + DROP_IN
          + "[defaults]\nall_day_time = 07:15:00\n[[milestone]]" + blocks[2] + DROP_IN
          + "[[milestone]]" + blocks[1])
    write("FuzzConfigLoader", "errors.toml",
          "[[milestone]]\ntimezon = \"Europe/Pariss\"\ntitle = 5\nstart = 2030-02-30\n"
          "rrule = \"FREQ=MONTHLY;BYMONTHDAY=40\"\nreminders = [\"3 fortnights before\"]\n")
    write("FuzzConfigLoader", "dst.toml",
          "[[milestone]]\nid = \"gap\"\ntitle = \"Gap\"\nstart = 2030-03-31T02:30:00\ntimezone = \"Europe/Paris\"\n"
          "rrule = \"FREQ=DAILY;COUNT=3\"\nreminders = [\"at start\", \"1 day before\", \"2 hours before\"]\n"
          "[[milestone]]\nid = \"all-day\"\ntitle = \"All day\"\nstart = 2030-10-27\nend = 2030-10-28\n"
          "timezone = \"America/New_York\"\nexdate = [2031-10-27]\nrdate = [2032-01-01]\n"
          "rrule = \"FREQ=YEARLY\"\nreminders = [{ at = \"1 day after end\", priority = \"warning\" }]\n")

    # TOML: the toml-test 1.0.0 files (valid and invalid) and every config seed above.
    suite = os.path.join(ROOT, "Tests", "TOMLTests", "toml-test")
    with open(os.path.join(suite, "files-toml-1.0.0")) as f:
        names = [line.strip() for line in f if line.strip().endswith(".toml")]
    for name in names:
        with open(os.path.join(suite, name), "rb") as f:
            write("FuzzTOML", "toml-test-" + name[:-5].replace("/", "-"), f.read())
    for name in sorted(os.listdir(os.path.join(CORPUS, "FuzzConfigLoader"))):
        with open(os.path.join(CORPUS, "FuzzConfigLoader", name), "rb") as f:
            write("FuzzTOML", "config-" + name, f.read())

    # RRULE: a sample of the oracle fixture, with and without a DTSTART line.
    cases = json.loads(read("Tests/TimelineTests/Fixtures/rrule-oracle.json"))["cases"]
    for i, case in enumerate(random.sample(cases, 60)):
        dtstart = case["dtstart"].replace("-", "").replace(":", "")
        write("FuzzRecurrenceRule", "oracle-%02d" % i, dtstart + "\n" + case["rule"] if i % 2 else case["rule"])
    for i, rule in enumerate(re.findall(r'rrule = "([^"]+)"', timeline + read("docs/configuration.md"))):
        write("FuzzRecurrenceRule", "doc-%02d" % i, rule)
    for i, rule in enumerate(["FREQ=DAILY;BYMONTHDAY=31;BYMONTH=2", "FREQ=DAILY;COUNT=1000000000",
                              "20300101T000000\nFREQ=WEEKLY;UNTIL=20200101", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO",
                              "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                              "FREQ=YEARLY;BYYEARDAY=-366,366;BYHOUR=0,23;BYMINUTE=0,59;BYSECOND=0,59"]):
        write("FuzzRecurrenceRule", "edge-%02d" % i, rule)

    # Reminder offsets and durations.
    offsets = ["at start", "at end", "30 days before", "2 hours before", "1 day after end",
               "1 week 2 days before start", "90 minutes after", "30d before", "1 Day 2 Hours Before",
               "5 s before", "7 days", "12 hours", "10000000 weeks before", "1 w 1 d 1 h 1 min 1 s after end"]
    offsets += re.findall(r'"(\d+ [a-z ]+)"', timeline)
    for i, text in enumerate(sorted(set(offsets))):
        write("FuzzReminderOffset", "offset-%02d" % i, text)

    # Zones: real TZif files (version 2+, slim and fat) and POSIX TZ strings.
    for zone in ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "Etc/UTC", "Asia/Tehran"]:
        with open("/usr/share/zoneinfo/" + zone, "rb") as f:
            write("FuzzZone", zone.replace("/", "-") + ".tzif", f.read())
    for i, tz in enumerate(["CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,M3.2.0,M11.1.0",
                            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
                            "EET-2EEST,M3.4.4/50,M10.4.4/50", "IST-2IDT,M3.4.4/26,M10.5.0", "UTC0",
                            "<+0330>-3:30", "AEST-10AEDT,J60/2,J300/3", "XXX3YYY,0/0,365/25"]):
        write("FuzzZone", "posix-%02d" % i, tz)

    # State files: snapshot, optionally followed by sent.log.
    write("FuzzStateFile", "first-start", "")
    write("FuzzStateFile", "snapshot", state_file(1717315200, ["exam|2024-06-02T09:00:00|at start", "ü"]))
    write("FuzzStateFile", "snapshot-none", state_file("none", []))
    write("FuzzStateFile", "snapshot-and-log", state_file(42, ["a"]) + SENT_LOG + "b\nc\n\x00\nd")
    write("FuzzStateFile", "torn", state_file(7, ["k"])[:-9])
    write("FuzzStateFile", "foreign", "sse-timeline-state 2\nwatermark 1\n")

    # Stderr lines, and entries (mode 0x01: fields split by 0x02, name and value by 0x03).
    lines = ['<5>Exam in 15 minutes [MESSAGE_ID=6b1c REMINDER_KEY="exam 2025-06-02" NOTE="line one\\nline two"]',
             "<3>reload failed: t.toml:3:9: error", "plain message", "<6>\\[not a list] [A=1]",
             '<4>x [MESSAGE_ID=1 CAUGHT_UP=1 DUE_AT=2030-01-01T12:00:00+00:00 LATENESS_USEC=300]',
             "[A=b] [C=\"d\\\"\"]", "<9>bad priority", "\\<5>escaped"]
    for i, line in enumerate(lines):
        write("FuzzStderrLine", "line-%02d" % i, line)
    entries = [[("MESSAGE", "Exam\nsoon [A=1]"), ("PRIORITY", "5"), ("reminder-key", "a|b c")],
               [("PRIORITY", "12"), ("MESSAGE", "<5>x"), ("", "")],
               [("NOTE", "tab\there \"quoted\" \\ back\rslash")]]
    for i, entry in enumerate(entries):
        data = b"\x01" + b"\x02".join(n.encode() + b"\x03" + v.encode() for n, v in entry)
        write("FuzzStderrLine", "entry-%02d" % i, data)

    # Command-line dates and times (--now, --from, --to, --start): every accepted form, at the edges of the years
    # and of the offsets, in a DST gap and overlap, then texts one step outside a form.
    accepted = ["now", "2030-06-10", "2030-06-10T09:30", "2030-06-10T09:30:15", "2030-06-10T09:30Z",
                "2030-06-10T09:30:15Z", "2030-06-10T09:30:00+02:00", "2030-06-10 09:30:00-05:30", "2030-06-10 09:30",
                "2030-06-10 09:30:15", "2030-06-10T09:30+05:45", "2030-06-10T09:30:00-00:00", "2024-02-29T23:59:59",
                "0001-01-01", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "2030-03-31T02:30",
                "2030-10-27T02:30:00", "2027-01-01", "2030-01-01T00:00:00Z", "2030-06-10 09:30Z"]
    rejected = ["", "tomorrow", "NOW", "now ", "2030-02-30", "2031-02-29", "0000-01-01", "2030-13-01", "2030-6-10",
                "2030-06-10T", "2030-06-10T25:00", "2030-06-10T09:60", "2030-06-10T09:30:60", "2030-06-10T9:30",
                "2030-06-10t09:30", "2030-06-10T09:30+2", "2030-06-10T09:30:00+24:00", "2030-06-10T09:30:00+02:60",
                "2030-06-10T09:30:00+0200", "2030-06-10T09:30:00Zx", "2030-06-10T09:30:00.5Z", "2030-06-10T09:30:",
                "2030-06-10T09:30:0", "2030-06-10T09:30:00z", "+2030-06-10", "2030-06-10\n", "２０３０-06-10"]
    for i, text in enumerate(accepted):
        write("FuzzTimeArgument", "form-%02d" % i, text)
    for i, text in enumerate(rejected):
        write("FuzzTimeArgument", "bad-%02d" % i, text)

    # iCalendar: the test calendars of python's icalendar vendored for the unit tests (real clients' files), and
    # the forms the write-back edits: folded, LF, a snooze alarm, a component closed by an outer END, no final
    # line end.
    fixtures = os.path.join(ROOT, "Tests", "TimelineTests", "Fixtures", "ics")
    for name in sorted(os.listdir(fixtures)):
        if name.endswith(".ics"):
            with open(os.path.join(fixtures, name), "rb") as f:
                data = f.read()
            write("FuzzICalendar", name[:-4], data)
            write("FuzzAlarmWriteBack", name[:-4], data)
    edges = [
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20300101T090000Z\nRRULE:FREQ=DAILY;COUNT=3\nBEGIN:VALARM\n"
        "UID:x\nTRIGGER:-PT5M\nACKNOWLEDGED:2030\n 0101T000000Z\nEND:VALARM\nBEGIN:VALARM\nTRIGGER;VALUE=DATE-TIME:"
        "20300101T090500Z\nRELATED-TO;RELTYPE=SNOOZE:x\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR",
        "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:t\r\nDUE:20300101\r\nBEGIN:VALARM\r\nUID:y\r\nTRIGGER:-P1D\r\n"
        "END:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:b\nDTSTART;TZID=Europe/Paris:20300101T090000\nBEGIN:VALARM\nTRIGGER:PT0S",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:c\nRECURRENCE-ID:20300102T090000Z\nDTSTART:20300102T100000Z\n"
        "BEGIN:VALARM\nUID:z\nTRIGGER:-PT1H\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n",
    ]
    for i, text in enumerate(edges):
        write("FuzzICalendar", "edge-%02d" % i, text)
        write("FuzzAlarmWriteBack", "edge-%02d" % i, text)


if __name__ == "__main__":
    main()
