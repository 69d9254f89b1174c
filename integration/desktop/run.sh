#!/usr/bin/env bash
# The desktop channel with a real notification server (issue 13): dunst under Xvfb, inside a session bus of
# its own (dbus-run-session), and the daemon on that bus as a user instance runs it (`run --user`). Run by
# `make desktop-test` (and so by `make test`), as root: it installs dunst, xvfb, dbus, imagemagick, x11-utils
# and the fonts and icons it shows when they are missing; not root, it says so and skips.
#
#   integration/desktop/run.sh [path/to/sse-timeline]
#   SCREENSHOT=docs/desktop-notification.png integration/desktop/run.sh    also keeps the screenshot there
#   DESKTOP_KEEP=1 ...                                                      keeps the work directory
#
# What it checks, each phase adding a drop-in and reloading, so that every reminder is due a few seconds after
# its phase starts:
#   1. a reminder with notify = ["desktop"] is shown by dunst: summary, body, urgency, the app name and icon,
#      the actions in dunst's context menu; "Snooze 5 seconds" chosen there (dunst's dmenu setting names a
#      script that answers with that line, standing in for a click) snoozes it, it comes back once, and
#      "Dismiss" ends it;
#   2. a critical nagging reminder: critical urgency, no timeout; it repeats until "Dismiss", then no more;
#   3. dunst goes away: the reminders still go to the log, and the problem is logged once;
#   4. dunst comes back: the daemon says so, shows the next reminder, and closing it (dunstctl close, reason 2)
#      dismisses it.
# The daemon writes to stderr (--log-target stderr): one line per entry with its MESSAGE_ID and fields. Every
# wait is on an event, with a deadline. Everything started is ended by its PID.
set -eEuo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" != --inside-session ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "desktop-test: skipped (needs root: it installs dunst, Xvfb, dbus and imagemagick)"
        exit 0
    fi
    binary=$(realpath "${1:-.build/debug/sse-timeline}")
    [ -x "$binary" ] || { echo "desktop-test: no binary at $binary (make build first)" >&2; exit 1; }
    missing=()
    for pair in dunst:dunst Xvfb:xvfb dbus-run-session:dbus dbus-daemon:dbus import:imagemagick \
        xdpyinfo:x11-utils; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
    [ -d /usr/share/icons/Adwaita ] || missing+=(adwaita-icon-theme)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    work=$(mktemp -d /tmp/sse-desktop.XXXXXX)
    # A session bus without service directories: no D-Bus activation, so the test alone starts and stops
    # the notification server.
    cat >"$work/session.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    status=0
    dbus-run-session --config-file="$work/session.conf" -- bash "$0" --inside-session "$binary" "$work" || status=$?
    if [ "$status" = 0 ] && [ -z "${DESKTOP_KEEP:-}" ]; then rm -rf "$work"; else echo "work directory: $work"; fi
    exit "$status"
fi

# ---- Inside the session bus ----------------------------------------------------------------------------------

binary=$2
work=$3
readonly DUE_ID=5d62f99487414d09a86c67131bc79872
readonly SNOOZED_ID=ef00c3c3556f46f7aec4fdd2e846d0ba
readonly DISMISSED_ID=07db1169f41643d88c439b56caecfe10
readonly RETURNED_ID=c6c7298c4669417aa63518f442586c62
readonly REPEATED_ID=7e36d920fbe34491b9baadc27159abbf
readonly DESKTOP_ID=f271a3ec1eb642cd89f202074e6a69ec
readonly LOADED_ID=78a933bccce148dda28b4f43b25024c2
readonly RELOADED_ID=af7d6442ef984da3a95669da0e611632

t_begin=$(date +%s%N)
elapsed() { printf '%5.1fs' "$(( ($(date +%s%N) - t_begin) / 1000000 ))e-3"; }
ok() { printf '[%s] ok    %s\n' "$(elapsed)" "$*"; }
fail() {
    printf '[%s] FAIL  %s\n' "$(elapsed)" "$*" >&2
    exit 1
}

xvfb_pid=
dunst_pid=
daemon_pid=
cleanup() {
    local status=$?
    trap - EXIT
    if [ "$status" != 0 ]; then
        echo "---- daemon log ----" >&2
        tail -n 60 "$work/daemon.log" >&2 || true
        echo "---- dunst log ----" >&2
        tail -n 30 "$work/dunst.log" >&2 || true
    fi
    for pid in $daemon_pid $dunst_pid $xvfb_pid; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    exit "$status"
}
trap cleanup EXIT

# Polls `command...` every 0.1 s until it succeeds; fails the test after `seconds`.
wait_for() {
    local what=$1 seconds=$2
    shift 2
    local deadline=$(( $(date +%s%N) + seconds * 1000000000 ))
    until "$@"; do
        [ "$(date +%s%N)" -lt "$deadline" ] || fail "no $what within ${seconds}s"
        sleep 0.1
    done
}

# The daemon's entries with MESSAGE_ID $1 (and MILESTONE_ID $2, when given), one per line.
entries() {
    grep -F "MESSAGE_ID=$1" "$work/daemon.log" | { if [ -n "${2:-}" ]; then grep -F "MILESTONE_ID=$2"; else cat; fi; } \
        || true
}
count() { entries "$@" | wc -l; }
at_least() { [ "$(count "$2" "${3:-}")" -ge "$1" ]; }

# dunst's history (notifications closed or expired) as one JSON object per line, newest first.
history() {
    busctl --user --json=short call org.freedesktop.Notifications /org/freedesktop/Notifications \
        org.dunstproject.cmd0 NotificationListHistory \
        | python3 -c '
import json, sys
for n in json.load(sys.stdin)["data"][0]:
    print(json.dumps({k: v["data"] for k, v in n.items()}, sort_keys=True))'
}
# The newest history entry whose summary starts with $1.
history_entry() { history | python3 -c '
import json, sys
for line in sys.stdin:
    n = json.loads(line)
    if n["summary"].startswith(sys.argv[1]):
        print(line.strip()); break' "$1"; }
in_history() { [ -n "$(history_entry "$1")" ]; }
displayed() { [ "$(dunstctl count displayed 2>/dev/null || echo 0)" -ge "$1" ]; }

# Chooses the action labelled $1 in dunst's context menu, as a click would: the menu's dmenu is answer.sh,
# which keeps the menu it was offered and answers with the line of that label.
menus() { find "$work" -maxdepth 1 -name 'menu.*' | sort; }
last_menu() { cat "$(menus | tail -n 1)"; }
# dunst 1.9 refuses a context menu while the previous one is still winding down ("Context menu already
# running, refusing to rerun"), which after a menu left without a choice lasts a moment: the request is made
# again until a menu is offered, each time waiting (at most a second) for the menu to appear.
choose() {
    local before
    before=$(menus | wc -l)
    printf '%s\n' "$1" >"$work/choice"
    menu_appeared() { [ "$(find "$work" -maxdepth 1 -name 'menu.*' | wc -l)" -gt "$before" ]; }
    offered_within_a_second() {
        dunstctl context
        local deadline=$(( $(date +%s%N) + 1000000000 ))
        until menu_appeared; do
            [ "$(date +%s%N)" -lt "$deadline" ] || return 1
            sleep 0.05
        done
    }
    wait_for "context menu" 10 offered_within_a_second
}
# Whether the context menu, opened and left without a choice, offers a line containing $1.
menu_offers() {
    choose "(nothing)"
    grep -q -F "$1" <<<"$(last_menu)"
}

# A drop-in with one milestone, then a reload; waits until the daemon has taken it.
phase=0
add_milestone() {
    phase=$((phase + 1))
    local reloads
    reloads=$(count "$RELOADED_ID")
    cat >"$work/timeline.d/$phase.toml"
    kill -HUP "$daemon_pid"
    wait_for "reload $phase" 20 at_least $((reloads + 1)) "$RELOADED_ID"
}
# The local date-time in Europe/Zurich (the timeline's zone) of the Unix time $1.
local_time() { TZ=Europe/Zurich date -d "@$1" +%Y-%m-%dT%H:%M:%S; }
# The local date-time $1 seconds from now.
from_now() { local_time $(( $(date +%s) + $1 )); }

start_dunst() {
    DISPLAY=":$display" dunst -conf "$work/dunstrc" >>"$work/dunst.log" 2>&1 &
    dunst_pid=$!
    wait_for "dunst on the bus" 20 bash -c "dunstctl debug >/dev/null 2>&1"
}

# ---- The display, the notification server, the daemon ----------------------------------------------------

: >"$work/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
wait_for "Xvfb display" 20 test -s "$work/display"
display=$(head -n 1 "$work/display")
wait_for "X server answering" 20 bash -c "xdpyinfo -display ':$display' >/dev/null 2>&1"
ok "Xvfb on :$display"

cat >"$work/answer.sh" <<'EOF'
#!/bin/sh
# dunst's dmenu: keeps the menu offered, answers with the line of the label in $1/choice.
menu=$(cat)
printf '%s\n' "$menu" >"$1/menu.$(date +%s%N)"
printf '%s\n' "$menu" | grep -m 1 -F "#$(cat "$1/choice") ("
EOF
chmod +x "$work/answer.sh"
cat >"$work/dunstrc" <<EOF
[global]
    font = "DejaVu Sans 11"
    width = 460
    origin = top-right
    offset = 24x24
    padding = 12
    horizontal_padding = 14
    frame_width = 2
    frame_color = "#5e81ac"
    separator_height = 2
    corner_radius = 6
    markup = full
    format = "<b>%s</b>\n%b"
    icon_position = left
    min_icon_size = 48
    max_icon_size = 48
    icon_path = /usr/share/icons/Adwaita/48x48/legacy
    show_indicators = no
    history_length = 100
    dmenu = $work/answer.sh $work
    browser = /bin/true
[urgency_low]
    background = "#2e3440"
    foreground = "#d8dee9"
    timeout = 60
    set_category = urgency-low
[urgency_normal]
    background = "#2e3440"
    foreground = "#eceff4"
    timeout = 60
    set_category = urgency-normal
[urgency_critical]
    background = "#3b2430"
    foreground = "#eceff4"
    frame_color = "#bf616a"
    timeout = 0
    set_category = urgency-critical
EOF
start_dunst
ok "dunst owns org.freedesktop.Notifications"

mkdir -p "$work/timeline.d" "$work/state"
cat >"$work/timeline.toml" <<EOF
[defaults]
timezone = "Europe/Zurich"
notify = ["journal", "desktop"]

[[milestone]]
id = "far"
title = "Far away"
start = 2099-01-01
notify = ["journal"]
EOF
"$binary" run --user --config "$work/timeline.toml" --state-dir "$work/state" --log-target stderr \
    2>"$work/daemon.log" &
daemon_pid=$!
wait_for "daemon start" 30 at_least 1 "$LOADED_ID"
ok "the daemon runs on the session bus"

# ---- 1. Shown, snoozed from the notification, back once, dismissed ------------------------------------------

# Due 4 s from now; the milestone starts at the next whole minute 10 minutes later, so that the text reads
# "starts in 10 minutes".
due=$(( $(date +%s) + 4 ))
start=$(( (due + 600 + 59) / 60 * 60 ))
add_milestone <<EOF
[[milestone]]
id = "review"
title = "Budget review"
start = $(local_time "$start")
location = "Room 4 & 5"
source = "https://example.org/budget-2027"
snooze = ["5 seconds", "1 hour"]
reminders = ["$(( start - due )) seconds before"]
EOF
wait_for "reminder entry" 20 at_least 1 "$DUE_ID" review
wait_for "notification on screen" 20 displayed 1
ok "the reminder is in the log and on the screen"

# The screenshot, while it is on the screen: the root window, trimmed to the notification (taken again until
# the notification is drawn: at least 400 pixels wide).
screenshot() {
    import -display ":$display" -window root "$work/screen.png"
    convert "$work/screen.png" -trim +repage -bordercolor "#d8dee9" -border 12 "$work/notification.png" 2>/dev/null
    [ "$(identify -format %w "$work/notification.png")" -ge 400 ]
}
wait_for "the notification drawn" 20 screenshot
if [ -n "${SCREENSHOT:-}" ]; then
    cp "$work/notification.png" "$SCREENSHOT"
    ok "screenshot in $SCREENSHOT"
fi

choose "Snooze 5 seconds"
menu=$(last_menu)
for label in "Snooze 5 seconds" "Snooze 1 hour" "Dismiss"; do
    grep -q -F "#$label (Budget review starts in 10 minutes) [" <<<"$menu" || fail "no \"$label\" in the menu: $menu"
done
ok "dunst's context menu offers Snooze 5 seconds, Snooze 1 hour and Dismiss"
wait_for "snooze entry" 20 at_least 1 "$SNOOZED_ID" review
ok "Snooze chosen in dunst: $(entries "$SNOOZED_ID" review | grep -o 'Reminder snoozed until [^ ]*' | sed 's/:$//')"

# The daemon closed it after the action: it is in dunst's history, with everything it was sent.
wait_for "the notification in dunst's history" 20 in_history "Budget review"
TZ=Europe/Zurich python3 - "$(history_entry "Budget review")" "$start" <<'EOF' || fail "history entry"
import json, sys, time
n = json.loads(sys.argv[1])
start = time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(int(sys.argv[2])))  # TZ=Europe/Zurich
expected = {
    "appname": "sse-timeline",
    "summary": "Budget review starts in 10 minutes",
    "body": f"When: {start} (in 10 minutes)\nWhere: Room 4 &amp; 5\nSource: https://example.org/budget-2027",
    "category": "urgency-normal",
}
for key, value in expected.items():
    if n[key] != value:
        sys.exit(f"{key}: {n[key]!r}, expected {value!r}")
if not n["icon_path"].endswith("appointment-soon.png"):
    sys.exit(f"icon_path: {n['icon_path']!r}")
EOF
ok "dunst's history: app sse-timeline, summary, body, normal urgency, the appointment-soon icon"

wait_for "the return after the snooze" 20 at_least 1 "$RETURNED_ID" review
wait_for "the returned notification on screen" 20 displayed 1
ok "back after 5 seconds, on the screen again"
choose "Dismiss"
wait_for "dismiss entry" 20 at_least 1 "$DISMISSED_ID" review
wait_for "the returned notification in history" 20 bash -c \
    "busctl --user call org.freedesktop.Notifications /org/freedesktop/Notifications org.dunstproject.cmd0 \
    NotificationListHistory | grep -q 'Back after a snooze.'"
ok "Dismiss chosen in dunst on the returned notification (\"Back after a snooze.\"): dismissed"

# ---- 2. A critical nagging reminder, repeating until dismissed ---------------------------------------------

add_milestone <<EOF
[[milestone]]
id = "filing"
title = "Filing deadline"
start = $(from_now 4)
priority = "crit"
snooze = []
repeat = { every = "3 seconds", times = 5 }
reminders = ["at start"]
EOF
wait_for "critical reminder entry" 20 at_least 1 "$DUE_ID" filing
wait_for "first repeat" 20 at_least 1 "$REPEATED_ID" filing
# The repeat replaced the notification (dunst shows it again, "started ... ago") rather than adding one.
wait_for "the repeat on screen" 20 menu_offers "#Dismiss (Filing deadline started"
[ "$(grep -c -F "(Filing deadline" <<<"$(last_menu)")" = 1 ] || fail "more than one notification: $(last_menu)"
choose "Dismiss"
wait_for "dismissal of the nagging reminder" 20 at_least 1 "$DISMISSED_ID" filing
wait_for "critical notification in history" 20 in_history "Filing deadline"
python3 - "$(history_entry "Filing deadline")" <<'EOF' || fail "critical history entry"
import json, sys
n = json.loads(sys.argv[1])
if n["category"] != "urgency-critical" or n["timeout"] != 0:
    sys.exit(f"category {n['category']!r}, timeout {n['timeout']!r}: expected urgency-critical without timeout")
EOF
ok "critical (no timeout), repeated $(count "$REPEATED_ID" filing) time(s), then dismissed from dunst"

# ---- 3. No notification server ------------------------------------------------------------------------------

kill -TERM "$dunst_pid"
wait "$dunst_pid" 2>/dev/null || true
dunst_pid=
add_milestone <<EOF
[[milestone]]
id = "unseen-a"
title = "Unseen A"
start = $(from_now 3)
reminders = ["at start"]

[[milestone]]
id = "unseen-b"
title = "Unseen B"
start = $(from_now 3)
reminders = ["at start"]
EOF
wait_for "reminders without a server" 20 bash -c \
    "[ \$(grep -F 'MESSAGE_ID=$DUE_ID' '$work/daemon.log' | grep -c -F 'MILESTONE_ID=unseen-') -ge 2 ]"
wait_for "the problem in the log" 20 at_least 1 "$DESKTOP_ID"
ok "without a server: both reminders in the log, the problem logged: $(entries "$DESKTOP_ID" | head -n 1 | cut -c1-90)..."

# ---- 4. The server returns ----------------------------------------------------------------------------------

start_dunst
wait_for "the daemon noticing the server" 20 at_least 2 "$DESKTOP_ID"
ok "dunst is back: $(entries "$DESKTOP_ID" | tail -n 1 | cut -c1-80)..."
add_milestone <<EOF
[[milestone]]
id = "back"
title = "Back again"
start = $(from_now 3)
reminders = ["at start"]
EOF
wait_for "reminder after the restart" 20 at_least 1 "$DUE_ID" back
wait_for "its notification" 20 displayed 1
dunstctl close
wait_for "dismissal by closing" 20 at_least 1 "$DISMISSED_ID" back
wait_for "it in the new dunst's history" 20 in_history "Back again"
ok "the new server shows the next reminder; closing it (reason 2) dismissed it"

# ---- Everything once --------------------------------------------------------------------------------------

[ "$(count "$SNOOZED_ID" review)" = 1 ] || fail "snoozed $(count "$SNOOZED_ID" review) times"
[ "$(count "$RETURNED_ID" review)" = 1 ] || fail "came back $(count "$RETURNED_ID" review) times"
[ "$(count "$DISMISSED_ID")" = 3 ] || fail "$(count "$DISMISSED_ID") dismissals, expected 3"
[ "$(count "$DESKTOP_ID")" = 2 ] || fail "the server's absence and return logged $(count "$DESKTOP_ID") times, expected 2"
# No repeat of the nagging reminder after its dismissal.
last_repeat=$(grep -n -F "MESSAGE_ID=$REPEATED_ID" "$work/daemon.log" | grep -F MILESTONE_ID=filing | tail -n 1 | cut -d: -f1)
dismissal=$(grep -n -F "MESSAGE_ID=$DISMISSED_ID" "$work/daemon.log" | grep -F MILESTONE_ID=filing | cut -d: -f1)
[ "$last_repeat" -lt "$dismissal" ] || fail "a repeat after the dismissal"
for milestone in review filing unseen-a unseen-b back; do
    [ "$(count "$DUE_ID" "$milestone")" = 1 ] || fail "$milestone: $(count "$DUE_ID" "$milestone") reminder entries"
done
ok "each reminder in the log once; one snooze, one return, three dismissals; no repeat after the dismissal"

# ---- 5. In French (issue 24) --------------------------------------------------------------------------------

# `language = "fr"` in a drop-in makes the instance French from this reload on: the notification's words, its
# buttons and the milestone's French title and location, read back from dunst's context menu and history.
due=$(( $(date +%s) + 4 ))
start=$(( (due + 600 + 59) / 60 * 60 ))
add_milestone <<EOF
[defaults]
language = "fr"

[[milestone]]
id = "coop-day"
title = "International Day of Cooperatives"
title_fr = "Journée internationale des coopératives"
location = "worldwide"
location_fr = "dans le monde entier"
start = $(local_time "$start")
snooze = ["5 seconds"]
reminders = ["$(( start - due )) seconds before"]
EOF
wait_for "the French reminder's entry" 20 at_least 1 "$DUE_ID" coop-day
wait_for "the French notification on screen" 20 displayed 1
menu_offers "Reporter de 5 secondes" || fail "no \"Reporter de 5 secondes\" in the menu: $(last_menu)"
grep -q -F "#Ignorer (Journée internationale des coopératives commence dans 10 minutes) [" <<<"$(last_menu)" \
    || fail "no \"Ignorer\" in the menu: $(last_menu)"
ok "the context menu offers Reporter de 5 secondes and Ignorer"
dunstctl close
wait_for "the French notification in dunst's history" 20 in_history "Journée internationale"
TZ=Europe/Zurich python3 - "$(history_entry "Journée internationale")" "$start" <<'EOF' || fail "French history entry"
import json, sys, time
n = json.loads(sys.argv[1])
start = time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(int(sys.argv[2])))  # TZ=Europe/Zurich
expected = {
    "summary": "Journée internationale des coopératives commence dans 10 minutes",
    "body": f"Quand : {start} (dans 10 minutes)\nOù : dans le monde entier",
}
for key, value in expected.items():
    if n[key] != value:
        sys.exit(f"{key}: {n[key]!r}, expected {value!r}")
EOF
ok "dunst's history: the summary and body in French, with the milestone's French title and location"
