#!/usr/bin/env bash
# Writes debian/changelog for the package built from this checkout: one entry, for VERSION, listing the
# commits since the previous v* tag (all of them before the first tag), newest first. The package is native
# and versioned by git (scripts/deb-version.sh), so its changelog is made from git too; the date is the
# last commit's, so that two builds of one commit are alike.
#
#   scripts/deb-changelog.sh VERSION >debian/changelog
set -euo pipefail
version=${1:?usage: deb-changelog.sh VERSION}
cd "$(dirname "$0")/.."

maintainer=$(sed -n 's/^Maintainer: *//p' debian/control)
if head=$(git rev-parse --short=7 HEAD 2>/dev/null); then
    # The last tag before this commit (for a tagged commit, the one before that tag).
    base=HEAD
    if git describe --tags --exact-match --match 'v[0-9]*' >/dev/null 2>&1; then base=HEAD^; fi
    if tag=$(git describe --tags --abbrev=0 --match 'v[0-9]*' "$base" 2>/dev/null); then
        range="$tag..HEAD"
    else
        tag=
        range=HEAD
    fi
    date=$(git log -1 --format=%cD)
    subjects=$(git log --no-merges --format='%s' "$range")
else
    head=unknown
    date=$(date -R -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")
    subjects=
fi

echo "sse-timeline ($version) unstable; urgency=medium"
echo
echo "  * Built from git commit $head."
if [ -n "$subjects" ]; then
    echo "  * Changes${tag:+ since $tag}, newest first:"
    # Each subject a bullet, wrapped to 80 columns.
    while IFS= read -r subject; do
        fold -s -w 72 <<<"$subject" | sed -e '1s/^/    - /' -e '1!s/^/      /' -e 's/ *$//'
    done <<<"$subjects"
fi
echo
echo " -- $maintainer  $date"
