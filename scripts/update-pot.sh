#!/bin/bash
# Writes the message template (po/sse-timeline.pot, or $1) from the messages the sources mark for translation:
# Localizer.tr("...") and .trn("one", "other", n). xgettext has no Swift parser; its C lexer reads these calls
# (it warns about Swift's multi-line string literals, which hold no marked message, and those warnings go).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-po/sse-timeline.pot}
mapfile -t sources < <(find Sources -name '*.swift' | LC_ALL=C sort)
xgettext --language=C --from-code=UTF-8 --keyword= --keyword=tr --keyword=trn:1,2 \
    --add-location=file --sort-by-file --omit-header -o "$out" "${sources[@]}" 2>/dev/null
