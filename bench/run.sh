#!/usr/bin/env bash
# Runs the sse-timeline benchmark (issue 5): `make bench` calls this after `make release`.
#
#   bash bench/run.sh [bench.py options]      e.g. --idle-seconds 60, --only lateness,burst, --help
#
# Installs what the side-by-side part needs when it is missing (as root, Debian/Ubuntu): `at` for atd and
# systemd-container for the throwaway systemd container; libical-dev and python3-venv for part 9. Prints the table and writes
# bench/results/latest.json. Exits non-zero only when something could not be measured.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v at >/dev/null 2>&1 || missing+=(at)
command -v systemd-nspawn >/dev/null 2>&1 || missing+=(systemd-container)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
# Part 9: libical read beside us (a C program built here), and python's venv module for icalendar.
pkg-config --exists libical 2>/dev/null && command -v cc >/dev/null 2>&1 || missing+=(libical-dev gcc pkg-config)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "bench: missing ${missing[*]}; the parts that need them will be reported as not measured" >&2
    fi
fi

binary=${BENCH_BINARY:-.build-release/release/sse-timeline}
if [ ! -x "$binary" ]; then
    echo "bench: no release binary at $binary; run 'make release' (or 'make bench')" >&2
    exit 1
fi
exec python3 bench/bench.py --binary "$binary" "$@"
