#!/usr/bin/env bash
# Checks the man pages (make man-test): they render without a warning (groff -ww, mandoc -T lint, lexgrog), and
# they know what the binary knows. The lists come from the binary, not from a copy here:
#   - every command, and every option of every command (`--experimental-dump-help`), is in sse-timeline(1);
#   - every key of every table of the config language is in sse-timeline.toml(5): `validate` lists the keys a
#     table accepts when it meets one it does not know, so a file with such a key in each table asks for them;
#   - every MESSAGE_ID of the journal catalog is in sse-timeline(8).
#
#   scripts/check-manuals.sh BINARY
set -euo pipefail
binary=$(realpath "${1:?usage: check-manuals.sh BINARY}")
cd "$(dirname "$0")/.."
# The pages are English: the binary's help and validate's diagnostics, which follow the locale, are read in English.
export LC_ALL=C
unset LANGUAGE

failures=0
fail() { echo "FAIL  $*" >&2; failures=$((failures + 1)); }
# ok MESSAGE: says that a part passed, when it had no failure; the next part starts.
part_failures=0
ok() {
    [ "$failures" != "$part_failures" ] || echo "ok    $*"
    part_failures=$failures
}

if ! command -v mandoc >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "check-manuals: mandoc is missing (apt-get install mandoc)" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mandoc >/dev/null
fi

pages=$(mktemp -d /tmp/sse-man.XXXXXX)
trap 'rm -rf "$pages"' EXIT
scripts/generate-manuals.sh "$pages"
for page in sse-timeline.1 sse-timeline.toml.5 sse-timeline.8; do
    [ -s "$pages/$page" ] || { fail "$page was not generated"; continue; }
    warnings=$(groff -ww -man -z "$pages/$page" 2>&1) || fail "groff -ww -man -z $page failed"
    [ -z "$warnings" ] || fail "groff -ww on $page: $warnings"
    warnings=$(mandoc -T lint -W warning "$pages/$page" 2>&1) || fail "mandoc -T lint $page: $warnings"
    lexgrog "$pages/$page" >/dev/null || fail "lexgrog finds no NAME line in $page"
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES FILES "SEE ALSO"; do
        grep -Eq "^\.SH \"?([^\"]* )?$section\"?$" "$pages/$page" || fail "$page has no $section section"
    done
done
ok "the pages render without warnings (groff -ww -man -z, mandoc -T lint -W warning, lexgrog)"

# The text of a page as man shows it, on long lines.
text() { mandoc -T ascii -O width=1000 "$pages/$1" | col -bx; }
page1=$(text sse-timeline.1)
page5=$(text sse-timeline.toml.5)
page8=$(text sse-timeline.8)

# Commands and options from the binary's own description of itself.
read -r -d '' list_arguments <<'PY' || true
import json, sys
def walk(command):
    yield "command", command["commandName"]
    for argument in command.get("arguments", []):
        for name in argument.get("names", []):
            if name["kind"] == "long":
                yield "option", "--" + name["name"]
    for sub in command.get("subcommands", []):
        yield from walk(sub)
root = json.load(sys.stdin)["command"]
for kind, name in walk(root):
    print(kind, name)
PY
known=$("$binary" --experimental-dump-help | python3 -c "$list_arguments" | sort -u)
commands=0
options=0
while read -r kind name; do
    [ "$kind/$name" != command/sse-timeline ] || continue
    # help and the ArgumentParser's own completion options are not sse-timeline's.
    case $name in help | --help | --generate-completion-script | --experimental-dump-help) continue ;; esac
    grep -Eq -- "(^|[^-[:alnum:]])$name([^-[:alnum:]]|$)" <<<"$page1" || fail "sse-timeline(1) does not mention the $kind $name"
    if [ "$kind" = command ]; then commands=$((commands + 1)); else options=$((options + 1)); fi
done <<<"$known"
[ "$commands" -ge 10 ] || fail "only $commands commands in the binary's dump: the dump was not read"
ok "sse-timeline(1) names all $commands commands and $options options of $(basename "$binary") --experimental-dump-help"

# The config keys, table by table, from validate's "accepted keys" for an unknown key.
probe=$(mktemp -d /tmp/sse-keys.XXXXXX)
trap 'rm -rf "$pages" "$probe"' EXIT
unknown=zzzzzzzzzzzzzzzzzzzzzzzz
cat >"$probe/timeline.toml" <<EOF
$unknown = 1
[defaults]
$unknown = 1
[[milestone]]
id = "probe"
title = "probe"
start = 2030-01-01
$unknown = 1
on_due = { unit = "sse-timeline-action-probe@.service", $unknown = 1 }
repeat = { every = "5 minutes", times = 1, $unknown = 1 }
reminders = [{ at = "1 day before", $unknown = 1 }, { at = 2029-12-01T09:00:00, $unknown = 1 }]
[channel.probe]
mail = ["probe@example.org"]
$unknown = 1
[[calendar]]
name = "probe"
vdir = "$probe/calendar"
$unknown = 1
EOF
report=$("$binary" validate --config "$probe/timeline.toml" 2>&1 || true)
tables=$(grep -c "unknown key \"$unknown\"; accepted keys: " <<<"$report" || true)
[ "$tables" = 9 ] || fail "validate reported the unknown key in $tables tables, not 9: $report"
keys=$(sed -n "s/.*unknown key \"$unknown\"; accepted keys: //p" <<<"$report" | tr ',' '\n' | tr -d ' ' | sort -u)
count=0
for key in $keys; do
    count=$((count + 1))
    # A key is documented as "key=" (systemd's style for options), or as a table header ([key], [key.NAME]).
    grep -Eq -- "(^|[^_[:alnum:]])$key=|\[\[?$key(\]|\.)" <<<"$page5" || fail "sse-timeline.toml(5) does not document the key $key"
done
[ "$count" -ge 20 ] || fail "only $count keys from validate: $report"
ok "sse-timeline.toml(5) documents all $count keys of the $tables tables validate knows"

ids=$(sed -n 's/^-- \([0-9a-f]\{32\}\)$/\1/p' systemd/sse-timeline.catalog | sort -u)
count=0
for id in $ids; do
    count=$((count + 1))
    grep -q "$id" <<<"$page8" || fail "sse-timeline(8) does not list MESSAGE_ID $id"
done
ok "sse-timeline(8) lists all $count MESSAGE_IDs of systemd/sse-timeline.catalog"

[ "$failures" = 0 ] || { echo "check-manuals: $failures failures" >&2; exit 1; }
