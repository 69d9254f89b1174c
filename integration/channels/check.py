#!/usr/bin/env python3
"""Helpers of integration/channels/run.sh, run inside the container with the test's venv (icalendar, synapse).

  check.py delivery-id ID                          the unit instance id: FNV-1a 64 of the delivery id, 16 hex
  check.py message-id ID                           the Message-ID sse-timeline derives from the delivery id
  check.py write-env PATH NAME=VALUE...            an environment file as the daemon writes it (0644)
  check.py mail MBOX MESSAGE_ID COUNT EXPECT.json  the mailbox holds COUNT mails with MESSAGE_ID; the last one's
                                                   headers, text and calendar part are as EXPECT says
  check.py count-ids MBOX PREFIX                   prints how many mails and distinct Message-IDs start so
  check.py hook PORT FAILURES LOG                  a json:// receiver: the first FAILURES POSTs get 500, the rest
                                                   200; every request appended to LOG as one JSON line
  check.py matrix-room BASE USER PASSWORD ALIAS    logs in, creates a public room, prints its id
  check.py matrix-read BASE USER PASSWORD ROOM TEXT  prints how many messages in ROOM contain TEXT
"""
import datetime
import email
import email.policy
import http.server
import json
import mailbox
import os
import sys
import urllib.parse
import urllib.request


def fnv1a64(text, basis=0xCBF29CE484222325):
    value = basis
    for byte in text.encode():
        value ^= byte
        value = (value * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def message_id(delivery):
    return "<%016x.%016x@sse-timeline>" % (fnv1a64(delivery), fnv1a64(delivery, 0x84222325CBF29CE4))


def write_env(path, assignments):
    lines = []
    for assignment in assignments:
        name, value = assignment.split("=", 1)
        value = value.replace("\\", "\\\\").replace('"', '\\"')
        lines.append('%s="%s"\n' % (name, value))
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    with open(path + ".new", "w", encoding="utf-8") as f:
        f.write("".join(lines))
    os.chmod(path + ".new", 0o644)
    os.rename(path + ".new", path)


def fail(text):
    print("check.py: " + text, file=sys.stderr)
    sys.exit(1)


def check_mail(mbox_path, wanted_id, count, expect_path):
    with open(expect_path, encoding="utf-8") as f:
        expect = json.load(f)
    box = mailbox.mbox(mbox_path, create=False)
    found = []
    for key in box.keys():
        raw = box.get_bytes(key)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if message["Message-ID"] == wanted_id:
            found.append((raw, message))
    if len(found) != count:
        fail("%d mails with Message-ID %s in %s, expected %d" % (len(found), wanted_id, mbox_path, count))
    raw, message = found[-1]
    for line in raw.split(b"\n"):
        if len(line.rstrip(b"\r")) > 998:
            fail("a line of %d octets" % len(line))
    checks = {
        "Subject": str(message["Subject"]),
        "Auto-Submitted": str(message["Auto-Submitted"]),
        "MIME-Version": str(message["MIME-Version"]),
    }
    for name, value in expect["headers"].items():
        if checks.get(name, str(message[name])) != value:
            fail("%s: %r, expected %r" % (name, checks.get(name, str(message[name])), value))
    # Every header is ASCII on the wire (RFC 2047 encoded-words for the rest).
    try:
        raw.split(b"\n\n", 1)[0].decode("ascii")
    except UnicodeDecodeError:
        fail("a header is not ASCII")
    to = [address.addr_spec for address in message["To"].addresses]
    if to != expect["to"]:
        fail("To: %r, expected %r" % (to, expect["to"]))
    names = [address.display_name for address in message["To"].addresses]
    if names != expect["to_names"]:
        fail("To: names %r, expected %r" % (names, expect["to_names"]))
    from_address = message["From"].addresses[0].addr_spec
    if not from_address.startswith(expect["from_user"] + "@"):
        fail("From: %r, expected %s@..." % (from_address, expect["from_user"]))
    date = message["Date"].datetime
    now = datetime.datetime.now(datetime.timezone.utc)
    if abs((now - date).total_seconds()) > 600:
        fail("Date: %s is not now" % date)
    if message.get_content_type() != "multipart/mixed":
        fail("content type %s" % message.get_content_type())
    text = message.get_body(preferencelist=("plain",))
    if text is None or text.get_content_charset() != "utf-8":
        fail("no UTF-8 text/plain part")
    body = text.get_content()
    if expect.get("language") and text["Content-Language"] != expect["language"]:
        fail("Content-Language of the text: %r, expected %r" % (text["Content-Language"], expect["language"]))
    for piece in expect["text"]:
        if piece not in body:
            fail("the text lacks %r:\n%s" % (piece, body))
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    if len(parts) != 1:
        fail("%d text/calendar parts" % len(parts))
    if parts[0].get_param("method") != "PUBLISH":
        fail("text/calendar without method=PUBLISH: %s" % parts[0]["Content-Type"])
    import icalendar

    calendar = icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))
    if str(calendar["METHOD"]) != "PUBLISH":
        fail("METHOD %s" % calendar.get("METHOD"))
    events = list(calendar.walk("VEVENT"))
    if len(events) != 1:
        fail("%d VEVENTs" % len(events))
    event = events[0]
    for name, value in expect["calendar"].items():
        got = event.decoded(name)
        got = got.isoformat() if hasattr(got, "isoformat") else (got.decode() if isinstance(got, bytes) else str(got))
        if got != value:
            fail("VEVENT %s: %r, expected %r" % (name, got, value))
    print("mail ok: %s, %r, %d octets" % (wanted_id, str(message["Subject"]), len(raw)))


def count_ids(mbox_path, prefix):
    box = mailbox.mbox(mbox_path, create=False) if os.path.exists(mbox_path) else []
    ids = []
    for key in (box.keys() if box else []):
        message = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        subject = str(message["Subject"])
        if subject.startswith(prefix):
            ids.append(message["Message-ID"])
    print(len(ids), len(set(ids)))


def hook(port, failures, log):
    state = {"requests": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8", "replace")
            state["requests"] += 1
            status = 500 if state["requests"] <= failures else 200
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps({"n": state["requests"], "status": status, "body": body}) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", port), Handler)
    server.serve_forever()


def matrix(base, path, token=None, body=None, method=None):
    request = urllib.request.Request(base + path, method=method or ("POST" if body is not None else "GET"))
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(request, data, timeout=30) as response:
        return json.load(response)


def login(base, user, password):
    answer = matrix(
        base,
        "/_matrix/client/v3/login",
        body={"type": "m.login.password", "identifier": {"type": "m.id.user", "user": user}, "password": password},
    )
    return answer["access_token"]


def matrix_room(base, user, password, alias):
    token = login(base, user, password)
    answer = matrix(
        base,
        "/_matrix/client/v3/createRoom",
        token,
        {"preset": "public_chat", "room_alias_name": alias, "name": "sse-timeline reminders"},
    )
    print(answer["room_id"])


def matrix_read(base, user, password, room, text):
    token = login(base, user, password)
    path = "/_matrix/client/v3/rooms/%s/messages?dir=b&limit=100" % urllib.parse.quote(room)
    answer = matrix(base, path, token)
    bodies = [
        event["content"].get("body", "")
        for event in answer.get("chunk", [])
        if event.get("type") == "m.room.message"
    ]
    print(sum(1 for body in bodies if text in body))


def main():
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "delivery-id":
        print("%016x" % fnv1a64(arguments[0]))
    elif command == "message-id":
        print(message_id(arguments[0]))
    elif command == "write-env":
        write_env(arguments[0], arguments[1:])
    elif command == "mail":
        check_mail(arguments[0], arguments[1], int(arguments[2]), arguments[3])
    elif command == "count-ids":
        count_ids(arguments[0], arguments[1])
    elif command == "hook":
        hook(int(arguments[0]), int(arguments[1]), arguments[2])
    elif command == "matrix-room":
        matrix_room(*arguments)
    elif command == "matrix-read":
        matrix_read(*arguments)
    else:
        fail("unknown command " + command)


if __name__ == "__main__":
    main()
