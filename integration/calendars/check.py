#!/usr/bin/env python3
"""Calendars kept on a real CalDAV server reach the daemon through vdirsyncer, and its dismissals go back (issue 20).

On loopback, for Radicale and for Xandikos, each with an account: the `caldav` client creating an event with a VALARM, a task with DUE and
its VALARM, and a second event; `vdirsyncer sync` into a local vdir; `sse-timeline list` and the running daemon's
`pending` (on a private session bus) show them. Then, on the server, the event is moved, the task deleted and the
second event's alarm acknowledged; after the next sync the daemon has applied each (waited for on its own log
lines, with a deadline). Last, a snooze and a dismissal through `sse-timeline snooze` and `dismiss` are written into
the item's file by the daemon, and after the next sync the caldav client reads the snooze alarm and ACKNOWLEDGED on
that alarm on the server.

    check.py path/to/sse-timeline [radicale|xandikos]...   (default: both; run with the python of a venv holding
                                                           radicale, xandikos, vdirsyncer and caldav)
"""

import base64
import datetime as dt
import hashlib
import json
import os
import queue
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

import caldav
import icalendar
import urllib3

# Xandikos' certificate is its own, self-signed: the checks say once that it is not verified, not per request.
urllib3.disable_warnings()

BINARY = os.path.abspath(sys.argv[1])
BIN_DIR = os.path.dirname(sys.executable)
USER, PASSWORD = "ann", "correct horse"
DEADLINE = 20.0
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what, flush=True)
    if not condition:
        failures.append(what)
    return condition


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lines:
    """A child's output lines, read by a thread into a queue, waited for with a deadline."""

    def __init__(self, stream):
        self.queue = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def wait(self, pattern, timeout=DEADLINE):
        """The first line from now on matching `pattern`; None at the deadline or when the output ends."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            self.seen.append(line)
            if re.search(pattern, line):
                return line


def utc(moment):
    return moment.strftime("%Y%m%dT%H%M%SZ")


def calendar(body):
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sse-timeline test//EN\r\n" + body + "END:VCALENDAR\r\n"


def event(uid, summary, start, alarm_uid, trigger):
    return calendar(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{utc(start)}\r\nDTSTART:{utc(start)}\r\n"
        f"DTEND:{utc(start + dt.timedelta(hours=1))}\r\nSUMMARY:{summary}\r\n"
        f"BEGIN:VALARM\r\nUID:{alarm_uid}\r\nACTION:DISPLAY\r\nDESCRIPTION:{summary}\r\nTRIGGER:{trigger}\r\n"
        "END:VALARM\r\nEND:VEVENT\r\n"
    )


def start_radicale(work, children):
    """Radicale with one account (htpasswd), over http; its URL, and True."""
    port = free_port()
    with open(f"{work}/users", "w") as f:
        f.write(f"{USER}:{PASSWORD}\n")
    with open(f"{work}/radicale.conf", "w") as f:
        f.write(
            f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = htpasswd\nhtpasswd_filename = {work}/users\n"
            f"htpasswd_encryption = plain\n[storage]\nfilesystem_folder = {work}/radicale\n"
            "[rights]\ntype = owner_only\n[logging]\nlevel = info\n"
        )
    radicale = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", f"{work}/radicale.conf"], stderr=subprocess.PIPE, text=True
    )
    children.append(radicale)
    if Lines(radicale.stderr).wait(r"Radicale server ready") is None:
        raise SystemExit("Radicale did not say it was ready")
    return f"http://127.0.0.1:{port}/", True


def start_xandikos(work, children):
    """Xandikos with one account: its Basic authentication needs its own TLS (a self-signed certificate), so its
    URL is given with the certificate's SHA-256 fingerprint, which vdirsyncer checks (the caldav client does not). It says "Listening on" before its socket listens: until a connection is accepted, each
    refused connect waits for the server's next line, at most 50 ms."""
    port = free_port()
    digest = base64.b64encode(hashlib.sha1(PASSWORD.encode()).digest()).decode()
    with open(f"{work}/htpasswd", "w") as f:
        f.write(f"{USER}:{{SHA}}{digest}\n")
    xandikos = subprocess.Popen(
        [
            f"{BIN_DIR}/xandikos", "serve", "-d", f"{work}/xandikos", "--state-dir", f"{work}/xandikos-state",
            "--autocreate", "--current-user-principal", f"/{USER}/", "--htpasswd", f"{work}/htpasswd",
            "--autocert", "--no-detect-systemd", "-l", "127.0.0.1", "-p", str(port),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    children.append(xandikos)
    output = Lines(xandikos.stderr)
    if output.wait(r"HTTP Basic authentication enabled") is None:
        raise SystemExit("Xandikos did not start: " + " | ".join(output.seen[-5:]))
    end = time.monotonic() + DEADLINE
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except ConnectionRefusedError:
            if time.monotonic() > end or xandikos.poll() is not None:
                raise SystemExit("Xandikos does not accept connections: " + " | ".join(output.seen[-5:]))
            output.wait(r".", timeout=0.05)
    with open(f"{work}/xandikos-state/certs/selfsigned.crt") as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    return f"https://127.0.0.1:{port}/", hashlib.sha256(der).hexdigest()


def main():
    servers = {"radicale": start_radicale, "xandikos": start_xandikos}
    for name in sys.argv[2:] or servers:
        print(f"== {name}", flush=True)
        on(servers[name])
    if failures:
        print(f"{len(failures)} check(s) failed", flush=True)
        sys.exit(1)
    print("all calendar checks passed", flush=True)


def on(start_server):
    work = tempfile.mkdtemp(prefix="sse-timeline-calendars.")
    children = []
    try:
        run(work, children, *start_server(work, children))
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        shutil.rmtree(work, ignore_errors=True)


def run(work, children, url, fingerprint):
    """The checks on the server at `url`, whose certificate has that SHA-256 `fingerprint` (True: plain http)."""
    # The caldav client makes the calendar and its items on the server.
    client = caldav.DAVClient(url=url, username=USER, password=PASSWORD, ssl_verify_cert=fingerprint is True)
    team = client.principal().make_calendar(name="Team", cal_id="team")
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    meeting_start = (now + dt.timedelta(days=3)).replace(minute=0, second=0)
    team.save_event(event("meeting-1", "Planning", meeting_start, "alarm-1", "-PT15M"))
    review_start = meeting_start + dt.timedelta(hours=2)
    team.save_event(event("review-1", "Review", review_start, "alarm-2", "-PT10M"))
    # An alarm already due when the daemon starts: it is sent as caught up, and can be snoozed.
    standup_start = now + dt.timedelta(minutes=5)
    team.save_event(event("standup-1", "Standup", standup_start, "alarm-3", "-PT10M"))
    due = meeting_start + dt.timedelta(days=2)
    team.save_todo(
        calendar(
            f"BEGIN:VTODO\r\nUID:task-1\r\nDTSTAMP:{utc(now)}\r\nDUE:{utc(due)}\r\nSUMMARY:Send the report\r\n"
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Report\r\nTRIGGER:-PT1H\r\nEND:VALARM\r\nEND:VTODO\r\n"
        )
    )

    # vdirsyncer keeps the collection in a local vdir.
    vdir = f"{work}/calendars"
    os.makedirs(vdir)
    with open(f"{work}/vdirsyncer.conf", "w") as f:
        f.write(
            f'[general]\nstatus_path = "{work}/status/"\n\n'
            '[pair team]\na = "local"\nb = "server"\ncollections = ["from b"]\nmetadata = ["displayname", "color"]\n\n'
            f'[storage local]\ntype = "filesystem"\npath = "{vdir}/"\nfileext = ".ics"\n\n'
            f'[storage server]\ntype = "caldav"\nurl = "{url}"\nusername = "{USER}"\npassword = "{PASSWORD}"\n'
            + ("" if fingerprint is True else f'verify_fingerprint = "{fingerprint}"\n')
        )
    vdirsyncer = [f"{BIN_DIR}/vdirsyncer", "-c", f"{work}/vdirsyncer.conf"]

    def sync():
        result = subprocess.run(vdirsyncer + ["sync"], capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stdout + result.stderr, flush=True)
        check(result.returncode == 0, "vdirsyncer sync")

    discovered = subprocess.run(vdirsyncer + ["discover"], input="y\n" * 5, text=True, capture_output=True)
    if not check(discovered.returncode == 0, "vdirsyncer discover"):
        raise SystemExit(discovered.stdout + discovered.stderr)
    sync()
    subprocess.run(vdirsyncer + ["metasync"], text=True, check=True, capture_output=True)
    files = sorted(os.listdir(f"{vdir}/team"))
    check(len([n for n in files if n.endswith(".ics")]) == 4, f"four items synced into the vdir: {files}")

    config = f"{work}/timeline.toml"
    with open(config, "w") as f:
        f.write(f'[[calendar]]\nname = "team"\nvdir = "{vdir}"\ntags = ["work"]\n')

    # One-shot commands read the vdir.
    listed = subprocess.run(
        [BINARY, "list", "--config", config, "--json"], capture_output=True, text=True, check=True
    ).stdout
    ids = {entry["milestone"] for entry in json.loads(listed)}
    expected = {"team-meeting-1", "team-review-1", "team-task-1", "team-standup-1"}
    check(expected <= ids, f"list shows the events and the task: {sorted(ids)}")

    # The daemon, on a private session bus.
    bus_dir = f"{work}/bus"
    os.makedirs(bus_dir)
    bus_address = f"unix:path={bus_dir}/socket"
    with open(f"{bus_dir}/bus.conf", "w") as f:
        f.write(
            '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"\n'
            ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">\n'
            f"<busconfig><type>session</type><listen>{bus_address}</listen><auth>EXTERNAL</auth>"
            '<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>'
            '<allow own="*"/></policy></busconfig>\n'
        )
    bus = subprocess.Popen(
        ["dbus-daemon", f"--config-file={bus_dir}/bus.conf", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    children.append(bus)
    bus.stdout.readline()  # printed once it listens
    environment = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=bus_address, TZ="UTC", LANG="C")
    daemon = subprocess.Popen(
        [BINARY, "run", "--user", "--config", config, "--state-dir", f"{work}/state", "--log-target", "stderr"],
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    children.append(daemon)
    log = Lines(daemon.stderr)
    check(log.wait(r"loaded .*1 calendar \(4 items\)") is not None, "the daemon loaded the calendar's 4 items")

    def cli(*arguments):
        return subprocess.run(
            [BINARY, "--user", *arguments], capture_output=True, text=True, env=environment
        )

    def pending():
        result = cli("pending", "--json", "--count", "100")
        if result.returncode != 0:
            return None
        return {entry["key"]: entry for entry in json.loads(result.stdout)}

    def wait_until(condition, what):
        """Waits for the daemon's reloads until `condition(pending())` holds; fails at the deadline."""
        end = time.monotonic() + DEADLINE
        while True:
            current = pending()
            if current is not None and condition(current):
                return check(True, what)
            left = end - time.monotonic()
            if left <= 0 or log.wait(r"reloaded", timeout=left) is None:
                print(f"      pending: {sorted(current or {})}", flush=True)
                return check(False, what)

    meeting_key = f"team-meeting-1|{meeting_start.strftime('%Y-%m-%dT%H:%M:%S')}|15 minutes before"
    task_key = f"team-task-1|{due.strftime('%Y-%m-%dT%H:%M:%S')}|1 hour before"
    review_key = f"team-review-1|{review_start.strftime('%Y-%m-%dT%H:%M:%S')}|10 minutes before"
    wait_until(
        lambda p: {meeting_key, task_key, review_key} <= p.keys(),
        "pending shows the event's VALARM, the task's and the second event's",
    )

    # Moved, deleted and acknowledged on the server; applied by the daemon after one sync.
    moved_start = meeting_start + dt.timedelta(days=1)
    meeting = team.event_by_uid("meeting-1")
    meeting.data = event("meeting-1", "Planning", moved_start, "alarm-1", "-PT15M")
    meeting.save()
    team.todo_by_uid("task-1").delete()
    review = team.event_by_uid("review-1")
    acknowledged = icalendar.Calendar.from_ical(review.data)
    for alarm in acknowledged.walk("VALARM"):
        alarm.add("ACKNOWLEDGED", review_start)
    review.data = acknowledged.to_ical().decode()
    review.save()
    sync()
    moved_key = f"team-meeting-1|{moved_start.strftime('%Y-%m-%dT%H:%M:%S')}|15 minutes before"
    wait_until(lambda p: moved_key in p and meeting_key not in p, "the event moved on the server moved in pending")
    wait_until(lambda p: task_key not in p, "the task deleted on the server left pending")
    wait_until(lambda p: review_key not in p, "an acknowledgement made on the server stopped the daemon's reminder")

    status = cli("status", "--json")
    if check(status.returncode == 0, f"sse-timeline status --json {status.stderr.strip()}"):
        calendars = json.loads(status.stdout)["calendars"]
        check(
            len(calendars) == 1 and calendars[0]["name"] == "team" and calendars[0]["items"] == 3
            and calendars[0]["display_name"] == "Team"
            and calendars[0]["last_success"] is not None and calendars[0]["last_error"] is None,
            f"status shows the calendar, its display name, its 3 items and its last read: {calendars}",
        )

    # A snooze and a dismissal in the daemon reach the server after the next sync.
    standup_key = f"team-standup-1|{standup_start.strftime('%Y-%m-%dT%H:%M:%S')}|10 minutes before"
    result = cli("snooze", standup_key, "10 minutes")
    check(result.returncode == 0, f"sse-timeline snooze: {result.stdout.strip()}{result.stderr.strip()}")
    check(log.wait(r"wrote a snooze alarm into .*calendar team") is not None, "the daemon wrote the snooze alarm")
    result = cli("dismiss", moved_key)
    check(result.returncode == 0, f"sse-timeline dismiss: {result.stdout.strip()}{result.stderr.strip()}")
    check(log.wait(r"wrote ACKNOWLEDGED into .*calendar team") is not None, "the daemon wrote ACKNOWLEDGED")
    sync()
    alarms = list(icalendar.Calendar.from_ical(team.event_by_uid("meeting-1").data).walk("VALARM"))
    original = [a for a in alarms if str(a.get("UID", "")) == "alarm-1"]
    check(
        len(original) == 1 and original[0].get("ACKNOWLEDGED") is not None,
        "the caldav client reads ACKNOWLEDGED on that alarm on the server",
    )
    alarms = list(icalendar.Calendar.from_ical(team.event_by_uid("standup-1").data).walk("VALARM"))
    snoozes = [a for a in alarms if str(a.get("RELATED-TO", "")) == "alarm-3"]
    check(
        len(snoozes) == 1 and snoozes[0]["RELATED-TO"].params.get("RELTYPE") == "SNOOZE",
        "the caldav client reads the RFC 9074 snooze alarm on the server",
    )
    check(daemon.poll() is None, "the daemon is still running")


if __name__ == "__main__":
    main()
