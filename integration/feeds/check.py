#!/usr/bin/env python3
"""Calendar feeds (issue 20, point 4 and 6): `sse-timeline fetch` against a real web server on loopback.

A ThreadingHTTPServer serves one feed over http and over https (a test CA made with openssl), with ETag and
Last-Modified, and can be told to fail in each way of issue 20's point 6. Each step runs the real binary and
checks the copy in the state directory, the status file, what `list` reads, the exit status, and the journal
lines (on stderr: no journald on the host; `<4>` is a warning, `<6>` info, `<5>` a notice).

    integration/feeds/check.py [path/to/sse-timeline]
"""

import hashlib
import os
import socket
import ssl
import stat
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/sse-timeline")
TIMEOUT = 3  # the feeds' `timeout` in the config, in seconds


def event(uid, summary, start):
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:{start}\r\n"
            f"SUMMARY:{summary}\r\nEND:VEVENT\r\n")


def calendar(*events):
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sse-timeline tests//EN\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


class Feed:
    """What the server serves and how it misbehaves; the requests it saw."""

    def __init__(self):
        self.body = calendar(event("one@test", "Feed event one", "20270115T090000Z"))
        self.modified = "Tue, 01 Dec 2026 00:00:00 GMT"
        self.mode = "ok"
        self.requests = []  # (path, If-None-Match, If-Modified-Since, Authorization)
        self.release = threading.Event()

    @property
    def etag(self):
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


FEED = Feed()
PORTS = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        FEED.requests.append((self.path, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"),
                              self.headers.get("Authorization")))
        mode = FEED.mode
        if self.path == "/private.ics" and self.headers.get("Authorization") != "Basic YW5hOnNlY3JldA==":
            return self.reply(401, b"who are you?", extra=[("WWW-Authenticate", 'Basic realm="feeds"')])
        if mode == "500":
            return self.reply(500, b"oops")
        if mode == "hang":
            FEED.release.wait(TIMEOUT * 4)
            return self.reply(200, FEED.body)
        if mode == "truncated":
            self.send_response(200)
            self.send_header("Content-Length", str(len(FEED.body)))
            self.end_headers()
            self.wfile.write(FEED.body[: len(FEED.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "html":
            return self.reply(200, b"<html><body>Please log in</body></html>")
        if mode == "huge":
            # 200 MB, chunked: no Content-Length for libcurl to refuse up front.
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"X-FILLER:" + b"x" * 65000 + b"\r\n"
            try:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(calendar()[:30]), calendar()[:30]))
                for _ in range(200 * 1024 * 1024 // len(chunk)):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        if mode == "downgrade":
            return self.reply(302, b"", extra=[("Location", f"http://127.0.0.1:{PORTS['http']}/feed.ics")])
        if self.headers.get("If-None-Match") == FEED.etag:
            return self.reply(304, None)
        self.reply(200, FEED.body, extra=[("ETag", FEED.etag), ("Last-Modified", FEED.modified),
                                          ("Content-Type", "text/calendar; charset=utf-8")])

    def reply(self, status, body, extra=()):
        try:
            self.send(status, body, extra)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout step): what it did is checked on its side

    def send(self, status, body, extra):
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


def serve(tls_context=None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls_context:
        server.socket = tls_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def make_ca(directory):
    """A test CA and a certificate for 127.0.0.1 signed by it (openssl)."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=sse-timeline test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1")
    with open(os.path.join(directory, "san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "san.ext")
    return os.path.join(directory, "ca.pem")


failures = 0


def check(condition, what):
    global failures
    print(("ok      " if condition else "FAILED  ") + what)
    if not condition:
        failures += 1


def main():
    work = tempfile.mkdtemp(prefix="sse-feeds-")
    ca = make_ca(work)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(work, "server.pem"), os.path.join(work, "server.key"))
    plain, secure = serve(), serve(context)
    PORTS["http"], PORTS["https"] = plain.server_address[1], secure.server_address[1]
    state, home = os.path.join(work, "state"), os.path.join(work, "home")
    os.makedirs(os.path.join(home, ".config/sse-timeline/credentials"))
    config = os.path.join(work, "timeline.toml")
    with open(config, "w") as f:
        f.write(f"""
[[calendar]]
name = "team"
url = "http://127.0.0.1:{PORTS['http']}/feed.ics"
timeout = "{TIMEOUT} seconds"

[[calendar]]
name = "secure"
url = "webcal://127.0.0.1:{PORTS['https']}/feed.ics"
ca_file = "{ca}"
timeout = "{TIMEOUT} seconds"

[[calendar]]
name = "unverified"
url = "https://127.0.0.1:{PORTS['https']}/feed.ics"
timeout = "{TIMEOUT} seconds"

[[calendar]]
name = "private"
url = "http://127.0.0.1:{PORTS['http']}/private.ics"
credential = "private-feed"
timeout = "{TIMEOUT} seconds"
""")
    env = dict(os.environ, HOME=home, STATE_DIRECTORY=state, LANG="C.UTF-8")
    env.pop("XDG_CONFIG_HOME", None)
    copy = lambda name: os.path.join(state, "feeds", name, name + ".ics")

    def fetch(*names, force=True):
        args = [BINARY, "fetch", "--config", config, "--state-dir", state] + (["--force"] if force else [])
        return subprocess.run(args + list(names), env=env, capture_output=True, text=True, timeout=120)

    def listed():
        result = subprocess.run([BINARY, "list", "--config", config, "--from", "2027-01-01", "--to", "2027-12-31"],
                                env=env, capture_output=True, text=True, timeout=60)
        return result.stdout

    def status(name):
        with open(os.path.join(state, "feeds", name + ".status")) as f:
            return dict(line.split("=", 1) for line in f.read().splitlines())

    # A first fetch: the copy is the body, the validators are kept, list reads it.
    result = fetch("team")
    check(result.returncode == 0, f"first fetch succeeds (exit {result.returncode}: {result.stderr.strip()})")
    check(open(copy("team"), "rb").read() == FEED.body, "the copy is the served body")
    check(status("team").get("etag") == FEED.etag, "the ETag is kept in the status")
    check("Feed event one" in listed(), "list shows the feed's event from the copy")

    # Unchanged: one conditional request, a 304, the copy not rewritten (same inode and mtime: no reload).
    before, seen = os.stat(copy("team")), len(FEED.requests)
    result = fetch("team")
    after = os.stat(copy("team"))
    check(result.returncode == 0 and "unchanged" in result.stderr, "an unchanged feed says unchanged")
    check(len(FEED.requests) == seen + 1 and FEED.requests[-1][1] == FEED.etag,
          "one request, with If-None-Match: the ETag")
    check((before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns), "the copy is not rewritten")

    # Not due: without --force and within its refresh (1 hour), no request at all (a config of this feed alone).
    only_team = os.path.join(work, "team.toml")
    with open(only_team, "w") as f:
        f.write(open(config).read().split("[[calendar]]")[1].join(["[[calendar]]", ""]))
    seen = len(FEED.requests)
    result = subprocess.run([BINARY, "fetch", "--config", only_team, "--state-dir", state], env=env,
                            capture_output=True, text=True, timeout=60)
    check(result.returncode == 0 and len(FEED.requests) == seen and "not due before" in result.stderr,
          "a feed within its refresh is not fetched again")

    # Changed: the new copy replaces the old one.
    FEED.body = calendar(event("one@test", "Feed event one, moved", "20270116T090000Z"),
                         event("two@test", "Feed event two", "20270301T090000Z"))
    result = fetch("team")
    check(result.returncode == 0 and open(copy("team"), "rb").read() == FEED.body, "a changed feed replaces the copy")
    check("Feed event two" in listed(), "list shows the changed feed")
    good = FEED.body

    # Every failure keeps the last good copy; the first of an outage is a warning, the next ones info.
    for mode, expected in [("500", "HTTP status 500"), ("hang", "timed out"), ("truncated", ""),
                           ("html", "not an iCalendar file"), ("huge", "larger than the limit")]:
        FEED.mode = mode
        FEED.body = calendar(event("three@test", "Should not appear", "20270401T090000Z"))
        result = fetch("team")
        FEED.release.set()
        check(result.returncode == 75, f"{mode}: exit 75 (EX_TEMPFAIL), got {result.returncode}")
        check(expected in result.stderr, f"{mode}: the reason is said ({result.stderr.strip()[:160]})")
        check(open(copy("team"), "rb").read() == good, f"{mode}: the last good copy stays")
        FEED.release.clear()
    warnings = [line for line in result.stderr.splitlines() if line.startswith("<4>")]
    check(status("team").get("last_error") and not warnings, "later failures of one outage are not warnings")

    # The server stopped: connection refused, the copy stays; then back: one notice of recovery.
    FEED.mode = "ok"
    FEED.body = good
    plain.shutdown()
    plain.server_close()
    result = fetch("team")
    check(result.returncode == 75 and open(copy("team"), "rb").read() == good, "server stopped: the copy stays")
    plain2 = ThreadingHTTPServer(("127.0.0.1", PORTS["http"]), Handler)
    threading.Thread(target=plain2.serve_forever, daemon=True).start()
    result = fetch("team")
    check(result.returncode == 0 and "<5>" in result.stderr and "can be fetched again" in result.stderr,
          "recovery is a notice")
    check("last_error" not in status("team"), "the status forgets the error after a success")

    # https with the test CA (a webcal:// URL): verified against ca_file; without it, refused.
    result = fetch("secure")
    check(result.returncode == 0 and open(copy("secure"), "rb").read() == good, "webcal over https with ca_file")
    result = fetch("unverified")
    check(result.returncode == 75 and not os.path.exists(copy("unverified")),
          f"https with an unknown CA is refused ({result.stderr.strip()[:120]})")

    # Never from https to http.
    FEED.mode = "downgrade"
    result = fetch("secure")
    check(result.returncode == 75 and open(copy("secure"), "rb").read() == good, "a redirect from https to http is refused")
    FEED.mode = "ok"

    # A credential: refused while others may read it, sent as HTTP basic once private; never in argv or status.
    secret = os.path.join(home, ".config/sse-timeline/credentials/private-feed")
    with open(secret, "w") as f:
        f.write("ana:secret\n")
    os.chmod(secret, 0o644)
    result = fetch("private")
    check(result.returncode == 75 and "chmod 600" in result.stderr, "a credential readable by others is refused")
    os.chmod(secret, stat.S_IRUSR | stat.S_IWUSR)
    result = fetch("private")
    check(result.returncode == 0 and os.path.exists(copy("private")), "the private feed is fetched with basic auth")
    check("secret" not in open(os.path.join(state, "feeds", "private.status")).read() and "secret" not in result.stderr,
          "the secret is in neither the status nor the output")

    # A bad config key is a located error with the accepted values.
    with open(config, "a") as f:
        f.write('\n[[calendar]]\nname = "bad"\nurl = "ftp://example.org/x.ics"\nrefresh = "10 seconds"\n')
    result = subprocess.run([BINARY, "validate", "--config", config], env=env, capture_output=True, text=True)
    check(result.returncode != 0 and "not an http, https or webcal URL" in result.stderr
          and "shorter than a minute" in result.stderr, "validate locates a bad url and refresh")

    print(f"feeds-test: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
