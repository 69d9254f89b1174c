#!/usr/bin/env bash
# The iCalendar export checked against independent readers (issue 14): python's icalendar and ical,
# recurring-ical-events, libical and khal; and the write-back of dismissals read by icalendar (issue 20,
# writeback.py). Run by `make icalendar-test` (and so by `make test`).
#
#   integration/icalendar/run.sh [path/to/sse-timeline]
#
# Installs what it needs when missing: the PyPI packages with pip, khal and libical-dev with apt-get (as
# root; otherwise those checks are skipped and say so).
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:-.build/debug/sse-timeline}

python_packages="icalendar==7.3.2 ical==14.3.1 recurring-ical-events==3.8.2"
if ! python3 -c 'import icalendar, ical, recurring_ical_events' 2>/dev/null; then
    echo "installing $python_packages"
    pip install --quiet --disable-pip-version-check --root-user-action=ignore $python_packages
fi

missing=()
command -v khal >/dev/null || missing+=(khal)
pkg-config --exists libical 2>/dev/null && command -v cc >/dev/null || missing+=(libical-dev gcc)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "installing ${missing[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "not root: cannot install ${missing[*]}; those checks are skipped"
    fi
fi

status=0
python3 integration/icalendar/check.py "$binary" || status=1
# Dismissals and snoozes written back (issue 20): ICalendarWriteBack is built beside the binary by `swift build`.
python3 integration/icalendar/writeback.py "$(dirname "$binary")/ICalendarWriteBack" || status=1
exit $status
