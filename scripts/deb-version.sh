#!/usr/bin/env bash
# Prints the Debian version of the package built from this checkout, from `git describe`.
#
#   tag v1.2.0 on HEAD                 1.2.0
#   3 commits after v1.2.0             1.2.0+git3.gabc1234
#   no v* tag yet, 29 commits          0~git29.gabc1234
#
# Each form sorts above the one before it as commits are added (dpkg --compare-versions), and 0~git... sorts
# below any tagged release (`~` sorts first). A `-` in a tag (v1.0-rc1) becomes `~` (1.0~rc1, before 1.0),
# since a `-` would split off a Debian revision. The count is of the commits reachable from HEAD: a shallow
# clone counts too few (`git fetch --unshallow`), and a source tree without git needs `make deb DEB_VERSION=...`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! git rev-parse --verify -q HEAD >/dev/null 2>&1; then
    echo "deb-version: not a git checkout; give the version: make deb DEB_VERSION=1.2.3" >&2
    exit 1
fi
if described=$(git describe --tags --long --match 'v[0-9]*' 2>/dev/null); then
    # v1.2.0-3-gabc1234: the tag may itself contain dashes, so take the last two fields off the end.
    hash=${described##*-}
    rest=${described%-*}
    count=${rest##*-}
    tag=${rest%-*}
    version=${tag#v}
    version=${version//-/\~}
    [ "$count" = 0 ] || version="$version+git$count.$hash"
else
    version="0~git$(git rev-list --count HEAD).g$(git rev-parse --short=7 HEAD)"
fi
printf '%s\n' "$version"
