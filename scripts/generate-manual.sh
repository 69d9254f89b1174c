#!/usr/bin/env bash
# Writes the man page of sse-timeline, generated from its CLI definition.
#
#   scripts/generate-manual.sh BINARY OUTDIR [SCRATCH]
#
# swift-argument-parser's `swift package generate-manual` plugin rebuilds the whole package (a second
# release build, without --static-swift-stdlib) only to run its `generate-manual` tool on the result.
# This runs the same tool on the binary already built: the tool is an executable target of the
# swift-argument-parser dependency, built into SCRATCH (default .build-release) next to the release build,
# offline. The tool asks BINARY for `--experimental-dump-help` and writes OUTDIR/sse-timeline.1 (mdoc).
# The date in the page is the last commit's (or SOURCE_DATE_EPOCH), so the page is reproducible.
set -euo pipefail

binary=${1:?usage: generate-manual.sh BINARY OUTDIR [SCRATCH]}
outdir=${2:?usage: generate-manual.sh BINARY OUTDIR [SCRATCH]}
scratch=${3:-.build-release}
swift=${SWIFT:-swift}

cd "$(dirname "$0")/.."
if ! log=$("$swift" build -c release --static-swift-stdlib --scratch-path "$scratch" \
    --product generate-manual 2>&1); then
    printf '%s\n' "$log" >&2
    exit 1
fi
tool="$scratch/release/generate-manual"

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
fi
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)

mkdir -p "$outdir"
"$tool" "$binary" --date "$date" --section 1 --output-directory "$outdir"
test -s "$outdir/sse-timeline.1"
# The tool copies the blank lines between paragraphs of the help text into the page; in roff a blank line is
# an error (`man --warnings`: "Empty input line"), a paragraph break is .Pp.
sed -i 's/^$/.Pp/' "$outdir/sse-timeline.1"
