#!/usr/bin/env bash
# What each measure of issue 11 buys: builds the release binary with one measure switched off at a time, runs
# bench part 8 (first reminder after idle) on each variant one after another, and prints their part-8 tables.
#
#   bash bench/after-idle-ablation.sh [bench.py options for part 8, e.g. --idle-rounds 3 --idle-drop-caches]
#
# Variants: current; noprewake (the prepare timer is never armed: the code comes back and the entries are built
# at the instant); norelease (the code pages are never given back); neither. Each is the current source with one
# line of Sources/Daemon/Service/DaemonService.swift changed by sed, built in the release scratch directory; the
# file is restored afterwards, also on failure. Needs a clean DaemonService.swift; takes 4 x (build + 5.5 min).
set -euo pipefail
cd "$(dirname "$0")/.."
file=Sources/Daemon/Service/DaemonService.swift
git diff --quiet -- "$file" || { echo "after-idle-ablation: $file has local changes" >&2; exit 1; }
out=$(mktemp -d /tmp/sse-ablation.XXXXXX)
trap 'git checkout -- "$file"' EXIT

prewake_off() {
    sed -i 's/prepareTimer.schedule(at: early.flatMap { $0 > clock.now() ? $0 : nil })/prepareTimer.schedule(at: nil)/' "$file"
    grep -q 'prepareTimer.schedule(at: nil)' "$file"
}
release_off() {
    sed -i 's/public var releaseCodePagesAfter: Duration = .seconds(10)/public var releaseCodePagesAfter: Duration = .seconds(1_000_000_000)/' "$file"
    grep -q 'seconds(1_000_000_000)' "$file"
}
build() {
    make --no-print-directory release >/dev/null
    cp .build-release/release/sse-timeline "$out/$1"
    git checkout -- "$file"
}

prewake_off; build noprewake
release_off; build norelease
prewake_off; release_off; build neither
build current
for variant in current noprewake norelease neither; do
    echo "== $variant" >&2
    bash bench/run.sh --only after-idle --binary "$out/$variant" --out "$out/$variant.json" "$@" >"$out/$variant.log" 2>&1 ||
        echo "after-idle-ablation: $variant: bench reported a failure (see $out/$variant.log)" >&2
done
for variant in current noprewake norelease neither; do
    echo
    echo "== $variant"
    python3 bench/bench.py --report "$out/$variant.json" | sed -n '/^8 After idle/,/anonymous/p'
done
echo
echo "written: $out"
