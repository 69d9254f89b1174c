#!/usr/bin/env bash
# Working days and holidays checked against Remind (issue 22): the same schedules written in Remind's language
# and in a timeline, over ten years, compared day by day. Run by `make workdays-test` (and so by `make test`).
#
#   integration/workdays/run.sh [path/to/sse-timeline]
#
# Installs Remind from Debian when it is missing (as root; otherwise it fails and says how to install it).
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:-.build/debug/sse-timeline}

if ! command -v remind >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        echo "installing remind"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq remind >/dev/null
    else
        echo "workdays-test: remind is missing; install it (apt-get install remind) or run as root" >&2
        exit 1
    fi
fi

exec python3 integration/workdays/check.py "$binary"
