#!/usr/bin/env bash
# `sse-timeline --version` of a fresh clone built with a plain `swift build` (no Makefile, no scripts run by
# hand) is the same as that of the binary `make install` installs (RELEASE_BIN), and names the version
# scripts/deb-version.sh gives the Debian package. (integration/deb/run.sh compares the package's.)
#
#   bash integration/version/run.sh RELEASE_BIN        (or: make version-test)
#   VERSION_KEEP=1 keeps the clone in /tmp.
set -euo pipefail
cd "$(dirname "$0")/../.."
release_bin=$(realpath "${1:?usage: run.sh RELEASE_BIN}")
swift=${SWIFT:-swift}

t_begin=$(date +%s)
clone=$(mktemp -d /tmp/sse-version.XXXXXX)
cleanup() { if [ "${VERSION_KEEP:-0}" = 1 ]; then echo "kept $clone" >&2; else rm -rf "$clone"; fi; }
trap cleanup EXIT

# The committed tree, as a new contributor gets it: uncommitted changes of this checkout are not in it.
git clone -q --no-hardlinks . "$clone/sse-timeline"
expected_version=$(cd "$clone/sse-timeline" && scripts/deb-version.sh)
if ! log=$(cd "$clone/sse-timeline" && "$swift" build --product sse-timeline 2>&1); then
    printf '%s\n' "$log" | tail -n 40 >&2
    echo "FAIL  swift build in a fresh clone" >&2
    exit 1
fi
fresh=$("$clone/sse-timeline/.build/debug/sse-timeline" --version)
installed=$("$release_bin" --version)
echo "fresh clone, swift build: $fresh"
echo "make install's binary:    $installed"
case $fresh in
"sse-timeline $expected_version (Swift "*", libsystemd "*")") ;;
*) echo "FAIL  the fresh clone's --version does not name $expected_version (scripts/deb-version.sh)" >&2; exit 1 ;;
esac
# The version depends only on the commit (git describe), so a checkout with uncommitted changes agrees too.
[ "$fresh" = "$installed" ] || { echo "FAIL  the two differ" >&2; exit 1; }
echo "ok    the same --version from a fresh clone's swift build and make install ($(( $(date +%s) - t_begin ))s)"
