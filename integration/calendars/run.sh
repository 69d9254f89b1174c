#!/usr/bin/env bash
# Calendars on real CalDAV servers (Radicale and Xandikos, on loopback, each with an account) synced by vdirsyncer
# into a vdir that sse-timeline reads and writes dismissals back into (issue 20); see check.py. Run by `make
# calendars-test` (and so by `make test`).
#
#   integration/calendars/run.sh [path/to/sse-timeline]
#
# Installs what it needs when missing: radicale, xandikos, vdirsyncer and caldav with pip into a venv of its own
# (.build/calendars-venv), and dbus-daemon with apt-get (as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:-.build/debug/sse-timeline}

venv=.build/calendars-venv
python_packages="radicale==3.9.0 xandikos==0.4.10 cryptography==51.0.1 vdirsyncer==0.21.0 caldav==3.6.0"
if ! [ -x $venv/bin/python ] || ! $venv/bin/python -c 'import radicale, xandikos, cryptography, vdirsyncer, caldav, icalendar' 2>/dev/null; then
    echo "installing $python_packages into $venv"
    python3 -m venv $venv
    $venv/bin/pip install --quiet --disable-pip-version-check $python_packages
fi
if ! command -v dbus-daemon >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        echo "installing dbus-daemon"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq dbus-daemon >/dev/null
    else
        echo "not root: cannot install dbus-daemon" >&2
        exit 1
    fi
fi
exec $venv/bin/python integration/calendars/check.py "$binary"
