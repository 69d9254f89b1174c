#!/usr/bin/env bash
# The calendar, agenda and history views as a person uses them (issue 22): typed into a real terminal, tmux, at
# a wide and a narrow width, and read back from the screen with capture-pane (-e keeps the colours). Checks the
# layout (months side by side or one under the other, no line wider than the terminal), the colours (today,
# marked days, weekends, headings), their absence with NO_COLOR and in a pipe, and the content with --json.
# Every wait is on tmux's wait-for, with a deadline. Installs tmux when missing (as root).
#
#   bash integration/views/run.sh .build/debug/sse-timeline     (or: make views-test)
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/debug/sse-timeline}")
[ -x "$binary" ] || { echo "views-test: no binary at $binary (swift build first)" >&2; exit 1; }

if ! command -v tmux >/dev/null; then
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    echo "installing tmux"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tmux >/dev/null
fi

work=$(mktemp -d /tmp/sse-views.XXXXXX)
session=views
terminals=0
socket=
cleanup() {
    for s in "$work"/tmux.*; do [ -S "$s" ] && tmux -S "$s" kill-server 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

fail() { printf 'FAIL  %s\n' "$*" >&2; exit 1; }
ok() { printf 'ok    %s\n' "$*"; }

cp Tests/TimelineTests/Fixtures/views.toml "$work/timeline.toml"
views=(--config "$work/timeline.toml" --now 2027-07-10T12:00:00Z)

# A new terminal COLS x ROWS (a tmux server of its own) running a plain bash in UTC, with ENV... set in it.
terminal() {
    local cols=$1 rows=$2
    shift 2
    [ -z "$socket" ] || tmux -S "$socket" kill-server
    terminals=$((terminals + 1))
    socket="$work/tmux.$terminals"
    tmux -S "$socket" new-session -d -s "$session" -x "$cols" -y "$rows" \
        env -i PATH="$PATH" HOME="$work" TERM=tmux-256color TZ=UTC "$@" bash --norc --noprofile
    tmux -S "$socket" set-option -t "$session" status off >/dev/null
}
# type COMMAND: types it as a person would and waits (at most 20 s) until it has finished; the screen is cleared
# first, so that what capture-pane shows is its output, then the prompt.
type_in() {
    tmux -S "$socket" send-keys -t "$session" "clear; $1; tmux -S '$socket' wait-for -S typed" Enter
    timeout 20 tmux -S "$socket" wait-for typed || fail "'$1' did not finish within 20 s"
}
screen() { tmux -S "$socket" capture-pane -p -e -t "$session"; }
plain() { tmux -S "$socket" capture-pane -p -J -t "$session"; }
esc=$'\e'
# styled SGR TEXT: a pattern for TEXT in colour SGR (e.g. 31, red) as capture-pane -e writes it: tmux splits and
# repeats the codes (bold then red then the default background), so any codes may stand between.
styled() { echo "${esc}\\[([0-9;]*;)?$1m(${esc}\\[[0-9;]*m)*$2"; }

# -- calendar, wide: three months side by side, coloured ------------------------------------------------------
terminal 100 40
type_in "$binary calendar ${views[*]} 2>/dev/null"
wide=$(plain)
head -n 1 <<<"$wide" | grep -qE '^ +July 2027 +August 2027 +September 2027$' || fail "wide: months not side by side: $wide"
grep -qE '^ 5\* 6\* 7\* 8  9 10 11 +2  3  4' <<<"$wide" || fail "wide: the academy's days are not marked *: $wide"
grep -qE '^          1\+ 2  3\* 4' <<<"$wide" || fail "wide: the reminder (+) and the day (*) are not marked: $wide"
grep -qF 'Tu 2027-07-20  * 00:00      Call with Tokyo (online)  [09:00 JST Asia/Tokyo]' <<<"$wide" \
    || fail "wide: the list under the grid lacks the Tokyo call in both zones: $wide"
awk 'length > 100 { exit 1 }' <<<"$wide" || fail "wide: a line is wider than 100 columns"
coloured=$(screen)
# tmux writes the colours back as it holds them: reverse (7) for today, the 10th, a Saturday (dim, 2).
grep -qE "$(styled 7 10)" <<<"$coloured" || fail "wide: today (the 10th) is not in reverse video: $coloured"
grep -qE "$(styled 31 ' 5\*')" <<<"$coloured" || fail "wide: the academy's first day is not red"
grep -qE "$(styled 36 ' 1\+')" <<<"$coloured" || fail "wide: the reminder's day is not cyan"
grep -qE "$(styled 2 11)" <<<"$coloured" || fail "wide: Sunday the 11th is not dim"
ok "calendar at 100 columns: July, August, September side by side; * and + marks; today reversed, marked days red and cyan, weekends dim; the list under the grid in UTC and Tokyo time"

# -- calendar, narrow: one month under the other ----------------------------------------------------------------
terminal 30 80
type_in "$binary calendar ${views[*]} --week-numbers 2>/dev/null"
narrow=$(plain)
[ "$(grep -cE '^ +(July|August|September) 2027$' <<<"$narrow")" = 3 ] || fail "narrow: not one month a row: $narrow"
grep -qE '^Wk Mo Tu We Th Fr Sa Su$' <<<"$narrow" || fail "narrow: no week-number column: $narrow"
grep -qE '^27  5\* 6\* 7\*' <<<"$narrow" || fail "narrow: week 27 is not the academy's: $narrow"
# capture-pane -J joins the lines the terminal wrapped: no line of the grids may be longer than the terminal.
awk '/^[A-Z][a-z] [0-9][0-9][0-9][0-9]-/ { exit } length > 30 { exit 1 }' <<<"$narrow" || fail "narrow: a grid line wraps: $narrow"
ok "calendar at 30 columns: the three months one under the other, ISO week numbers, no line wider than the terminal"

# -- no colour: NO_COLOR, and a pipe --------------------------------------------------------------------------
terminal 100 40 NO_COLOR=1
type_in "$binary calendar ${views[*]} 2>/dev/null"
no_color=$(screen)
grep -qF "$esc[" <<<"$no_color" && fail "NO_COLOR: the calendar is coloured: $no_color"
grep -qE '^ +July 2027 +August 2027' <<<"$no_color" || fail "NO_COLOR: no calendar: $no_color"
terminal 100 40
type_in "$binary calendar ${views[*]} 2>/dev/null | cat"
piped=$(screen)
grep -qF "$esc[" <<<"$piped" && fail "piped: the calendar is coloured: $piped"
# In a pipe the width comes from $COLUMNS, else 80: three months of 21 columns still fit.
head -n 1 <<<"$piped" | grep -qE '^ +July 2027 +August 2027 +September 2027$' || fail "piped: $piped"
ok "calendar with NO_COLOR=1 and through a pipe: the same layout, no colour"

# -- agenda ---------------------------------------------------------------------------------------------------
terminal 100 40
type_in "$binary agenda --config $work/timeline.toml --now 2027-07-01T08:00:00Z --days 7 2>/dev/null"
agenda=$(plain)
expected="Today, Thursday 2027-07-01
  + 09:00      International Day of Cooperatives: 2 days before
Saturday 2027-07-03
  * all day    International Day of Cooperatives
Monday 2027-07-05
  * day 1/3    SSE Academy
Tuesday 2027-07-06
  * day 2/3    SSE Academy
Wednesday 2027-07-07
  * day 3/3    SSE Academy"
[ "$(head -n 10 <<<"$agenda")" = "$expected" ] || fail "agenda: $agenda"
grep -qE "$(styled 1 'Today, Thursday')" <<<"$(screen)" || fail "agenda: the heading is not bold: $(screen)"
type_in "TZ=America/New_York $binary agenda --config $work/timeline.toml --now 2027-07-19T12:00:00Z --days 1 2>/dev/null"
grep -qF '  * 20:00      Call with Tokyo (online)  [2027-07-20 09:00 JST Asia/Tokyo]' <<<"$(plain)" \
    || fail "agenda in New York: the Tokyo call not at 20:00 the day before with its own time: $(plain)"
ok "agenda: days grouped under bold headings, empty days left out, an all-day span day by day; in New York the Tokyo call at 20:00 with [2027-07-20 09:00 JST Asia/Tokyo]"

# -- content, with --json -----------------------------------------------------------------------------------
TZ=UTC "$binary" calendar "${views[@]}" 2027-07 --json 2>/dev/null | python3 -c '
import json, sys
view = json.load(sys.stdin)
assert (view["from"], view["to"], view["zone"]) == ("2027-07-01", "2027-07-31", "UTC"), view
days = {d["date"]: d for d in view["days"]}
assert sorted(days) == ["2027-07-01", "2027-07-03", "2027-07-05", "2027-07-06", "2027-07-07", "2027-07-20"], sorted(days)
assert [e["kind"] for e in days["2027-07-03"]["entries"]] == ["occurrence"]
assert days["2027-07-03"]["working_day"] is False and days["2027-07-05"]["working_day"] is True
reminder = days["2027-07-01"]["entries"][0]
assert (reminder["kind"], reminder["milestone"], reminder["reminder"], reminder["due"]) == (
    "reminder", "coop-day", "2 days before", "2027-07-01T09:00:00+00:00"), reminder
call = days["2027-07-20"]["entries"][0]
assert (call["time"], call["due"]) == ("00:00", "2027-07-20T09:00:00+09:00"), call
' || fail "calendar --json"
TZ=UTC "$binary" agenda --config "$work/timeline.toml" --now 2027-07-06T00:00:00Z --days 2 --json 2>/dev/null | python3 -c '
import json, sys
view = json.load(sys.stdin)
assert [(d["date"], [e["time"] for e in d["entries"]]) for d in view["days"]] == [
    ("2027-07-06", ["day 2/3"]), ("2027-07-07", ["day 3/3"])], view
' || fail "agenda --json"
ok "calendar --json and agenda --json: the days, their entries (kind, milestone, reminder, due, time), working days"

# -- history, where there is no journal to read -----------------------------------------------------------------
type_in "$binary history --file $work/missing.journal; echo status \$?"
grep -qF "sse-timeline: cannot open the journal file $work/missing.journal: No such file or directory" <<<"$(plain)" \
    || fail "history --file missing: $(plain)"
grep -qx 'status 1' <<<"$(plain)" || fail "history --file missing: not exit status 1: $(plain)"
ok "history --file of a missing file: says which and why, exit status 1 (its journal tests are in integration/bus)"
echo "views-test passed"
