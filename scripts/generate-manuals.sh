#!/usr/bin/env bash
# Writes the man pages of sse-timeline from their scdoc sources (docs/man/*.scd) into OUTDIR:
# sse-timeline.1 (the commands), sse-timeline.toml.5 (the config language), sse-timeline.8 (the service).
#
#   scripts/generate-manuals.sh OUTDIR
#
# The date in the pages is the last commit's (or SOURCE_DATE_EPOCH), the version scripts/deb-version.sh's, so
# the pages are reproducible. scdoc opens every section and every indented block with a paragraph macro,
# which `mandoc -T lint` reports ("skipping paragraph macro: PP empty" / "PP after SH"): the awk step below drops
# those that start nothing, so that the pages render without warnings (scripts/check-manuals.sh checks).
set -euo pipefail

outdir=${1:?usage: generate-manuals.sh OUTDIR}
cd "$(dirname "$0")/.."
command -v scdoc >/dev/null || { echo "generate-manuals: scdoc is missing (make man-deps installs it)" >&2; exit 1; }

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH
version=$(scripts/deb-version.sh 2>/dev/null || echo "${SSE_TIMELINE_VERSION:-unknown}")

# Holds back each .P until something follows that it starts: none after a heading, none before another
# .P, a heading or the end; before .RE it moves after it (the next entry starts a new paragraph).
drop_empty_paragraphs() {
    awk '
        $0 == ".P" { pending = 1; next }
        /^\.(SH|SS|TH)( |$)/ { pending = 0; heading = 1; print; next }
        $0 == ".RE" { print; next }
        {
            if (pending && !heading) print ".P"
            pending = 0
            if ($0 !~ /^\.\\"/ && $0 !~ /^\.(ie|el|nh|ad|ds)/) heading = 0
            print
        }
    '
}

mkdir -p "$outdir"
for source in docs/man/*.scd; do
    page=$(basename "$source" .scd)
    sed "s/@VERSION@/$version/g" "$source" | scdoc | drop_empty_paragraphs >"$outdir/$page.new"
    mv "$outdir/$page.new" "$outdir/$page"
done
