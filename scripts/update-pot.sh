#!/bin/bash
# Writes the message template (po/sse-timeline.pot, or $1) from the messages the sources mark for translation:
# Localizer.tr("...") and .trn("one", "other", n). xgettext has no Swift parser; its C lexer reads these calls.
# It cannot read Swift's multi-line string literals (the help texts' paragraphs), so it reads a copy of the
# sources in which each is one C string literal of the same value (scripts/swift-multiline-to-c.py), on the
# same line; the template names the sources' own paths.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-po/sse-timeline.pot}")
mapfile -t sources < <(find Sources -name '*.swift' | LC_ALL=C sort)
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
python3 scripts/swift-multiline-to-c.py "$copy" "${sources[@]}"
# The C lexer still warns about what it cannot read in Swift (raw strings, interpolations), none of it marked.
# Without a header xgettext writes ASCII and drops any other character of a message: that one fails here.
(cd "$copy" && xgettext --language=C --from-code=UTF-8 --keyword= --keyword=tr --keyword=trn:1,2 \
    --add-location=file --sort-by-file --omit-header -o "$out" "${sources[@]}" 2>"$copy/warnings") || true
if grep -A3 'contains non-ASCII' "$copy/warnings" >&2; then
    echo "update-pot: a marked message must be ASCII (pass such text as a %s argument)" >&2
    exit 1
fi
[ -s "$out" ] || { cat "$copy/warnings" >&2; exit 1; }
