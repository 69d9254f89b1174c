#!/usr/bin/env bash
# Writes OUTDIR/BuildInfo.swift: what `sse-timeline --version` prints and the daemon logs at start.
#
#   scripts/build-info.sh OUTDIR [SWIFTC]
#
# Run by the BuildInfo plugin (Plugins/BuildInfo) before every build of the CLI target, so that a plain
# `swift build`, `make install` and the Debian package agree. The version is scripts/deb-version.sh's (from
# `git describe`; the package's own version); outside a git checkout it is $SSE_TIMELINE_VERSION, else
# "unknown". The file is rewritten only when its text changes: an unchanged tree recompiles nothing.
set -euo pipefail

outdir=${1:?usage: build-info.sh OUTDIR [SWIFTC]}
swiftc=${2:-swiftc}
here=$(cd "$(dirname "$0")" && pwd)

# Only characters that need no escaping in a Swift string literal.
clean() { tr -cd 'A-Za-z0-9.~+:_ ()-' | head -c 200; }

version=$("$here/deb-version.sh" 2>/dev/null || echo "${SSE_TIMELINE_VERSION:-unknown}")
# "Swift version 6.3.1 (swift-6.3.1-RELEASE)" -> "Swift 6.3.1"
compiler=$("$swiftc" --version 2>/dev/null | sed -n 's/.*Swift version \([^ ]*\).*/Swift \1/p' | head -n 1)
libsystemd=$(pkg-config --modversion libsystemd 2>/dev/null || true)

mkdir -p "$outdir"
file="$outdir/BuildInfo.swift"
text="// Written by scripts/build-info.sh at build time; not in git.

/// What this binary was built from.
enum BuildInfo {
    /// The version, from \`git describe\` (scripts/deb-version.sh): the Debian package's version.
    static let version = \"$(clean <<<"$version")\"
    /// The Swift compiler that built it.
    static let compiler = \"$(clean <<<"${compiler:-Swift (unknown version)}")\"
    /// The libsystemd it was built against (pkg-config --modversion libsystemd).
    static let libsystemd = \"$(clean <<<"${libsystemd:-unknown}")\"
}"
if [ ! -f "$file" ] || [ "$(cat "$file")" != "$text" ]; then
    printf '%s\n' "$text" >"$file.new"
    mv "$file.new" "$file"
fi
