#!/usr/bin/env python3
"""Runs the toml-test suite (Tests/TOMLTests/toml-test) through a decoder, as toml-test's own runner does.

    scripts/toml-test.py DECODER [SUITE_DIR]

The decoder reads TOML on standard input and writes toml-test's tagged JSON on standard output, or exits
non-zero for invalid TOML. Every file named in SUITE_DIR/files-toml-1.0.0 runs: a valid/X.toml must decode to
the value in valid/X.json (floats compared as numbers with nan equal to nan, date-times by value), an
invalid/X.toml must be rejected. Prints each failure and a closing 'N passed, N failed' line; exits 1 on any
failure."""
import datetime
import json
import math
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_datetime(kind, text):
    """A date/time value of `kind` as a comparable value (offset date-times as instants)."""
    text = text.replace("t", "T").replace("z", "Z").replace(" ", "T")
    nanos = 0
    match = re.search(r"\.(\d+)", text)
    if match:
        nanos = int((match.group(1) + "000000000")[:9])
        text = text[: match.start()] + text[match.end():]
    if kind == "time-local":
        return (datetime.time.fromisoformat(text), nanos)
    if kind == "date-local":
        return datetime.date.fromisoformat(text)
    text = text.replace("Z", "+00:00")
    value = datetime.datetime.fromisoformat(text)
    if kind == "datetime":
        return (value.astimezone(datetime.timezone.utc), nanos)
    if value.tzinfo is not None:
        raise ValueError("a local date-time with an offset: " + text)
    return (value, nanos)


def float_value(text):
    text = text.replace("_", "")
    if text.lstrip("+-") == "nan":
        return math.nan
    if text.lstrip("+-") == "inf":
        return -math.inf if text.startswith("-") else math.inf
    return float(text)


def compare(expected, actual, path="(root)"):
    """None when equal, else a sentence saying where and how they differ."""
    if isinstance(expected, dict) and set(expected) == {"type", "value"} and isinstance(expected["type"], str):
        if not (isinstance(actual, dict) and set(actual) == {"type", "value"}):
            return "%s: expected a %s value, got %r" % (path, expected["type"], actual)
        if expected["type"] != actual["type"]:
            return "%s: expected type %s, got %s" % (path, expected["type"], actual["type"])
        kind, want, got = expected["type"], expected["value"], actual["value"]
        try:
            if kind == "float":
                a, b = float_value(want), float_value(got)
                same = (math.isnan(a) and math.isnan(b)) or a == b
            elif kind == "integer":
                same = int(want) == int(got)
            elif kind in ("datetime", "datetime-local", "date-local", "time-local"):
                same = parse_datetime(kind, want) == parse_datetime(kind, got)
            else:
                same = want == got
        except ValueError as error:
            return "%s: cannot compare %r with %r (%s)" % (path, want, got, error)
        return None if same else "%s: expected %s %r, got %r" % (path, kind, want, got)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return "%s: expected a table, got %r" % (path, actual)
        if set(expected) != set(actual):
            return "%s: keys differ: expected %s, got %s" % (path, sorted(expected), sorted(actual))
        for key in expected:
            problem = compare(expected[key], actual[key], "%s.%s" % (path, key))
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return "%s: expected an array of %d, got %r" % (path, len(expected), actual)
        for i, (e, a) in enumerate(zip(expected, actual)):
            problem = compare(e, a, "%s[%d]" % (path, i))
            if problem:
                return problem
        return None
    return "%s: unexpected %r in the expected JSON" % (path, expected)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    decoder = sys.argv[1]
    suite = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "Tests", "TOMLTests", "toml-test")
    with open(os.path.join(suite, "files-toml-1.0.0")) as f:
        names = [line.strip() for line in f if line.strip().endswith(".toml")]
    passed, failures = 0, []
    for name in names:
        with open(os.path.join(suite, name), "rb") as f:
            source = f.read()
        try:
            run = subprocess.run([decoder], input=source, capture_output=True, timeout=10)
        except subprocess.TimeoutExpired:
            failures.append("%s: the decoder took over 10 s" % name)
            continue
        if name.startswith("invalid/"):
            if run.returncode == 0:
                failures.append("%s: accepted invalid TOML, decoded as %s" % (name, run.stdout.decode()[:200]))
            elif run.returncode != 1:
                failures.append("%s: the decoder crashed (exit %d): %s" % (name, run.returncode, run.stderr.decode()[-300:]))
            else:
                passed += 1
            continue
        if run.returncode != 0:
            failures.append("%s: rejected valid TOML: %s" % (name, run.stderr.decode().strip()[:300]))
            continue
        with open(os.path.join(suite, name[:-5] + ".json")) as f:
            expected = json.load(f)
        try:
            actual = json.loads(run.stdout)
        except ValueError as error:
            failures.append("%s: the decoder wrote invalid JSON (%s)" % (name, error))
            continue
        problem = compare(expected, actual)
        if problem:
            failures.append("%s: %s" % (name, problem))
        else:
            passed += 1
    for failure in failures:
        print("FAIL " + failure)
    valid = sum(1 for n in names if n.startswith("valid/"))
    print("toml-test 1.0.0: %d valid and %d invalid files" % (valid, len(names) - valid))
    print("toml-test: %d passed, %d failed" % (passed, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
