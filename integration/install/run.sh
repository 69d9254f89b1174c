#!/usr/bin/env bash
# `make install` at the default prefix and `make install-user` without root, on a machine without the package
# (issue 23), as root: a booted systemd container over the host's own tree (writable under a tmpfs overlay, see
# integration/lib/container.sh; no network), in which this checkout runs its own Makefile:
#   1 `make install` (PREFIX=/usr/local): the bus policy, the polkit rule, the sysusers.d user and the catalog go
#     where dbus-daemon, polkitd and systemd read them, and the install says so; `systemctl enable --now
#     sse-timeline`, then as with the package (integration/bus/run.sh): the name on the system bus, `sse-timeline
#     pending`, an on_due template unit started under the polkit rule, the catalog under `journalctl -x`, the
#     version in the journal; a calendar feed on the container's loopback fetched by sse-timeline-fetch.service
#     (its exposure reported, the daemon's at most 0.5) and its event's reminder written at its instant;
#     `make uninstall` removes every file it put
#   2 `make install-user` as an unprivileged user with a lingering manager: the binary in ~/.local/bin, the unit
#     in ~/.local/share/systemd/user running it, the man pages where `man` finds them, the bash completion where
#     bash-completion loads it; `systemctl --user enable --now sse-timeline`, a reminder in the user's journal;
#     `make uninstall-user` leaves nothing of it behind
# The binary is the one `make release` built on the host (the install targets rebuild it only when it is older
# than its sources). Every wait is on an event with a deadline; the container is ended by the PID this script
# started, on every path.
#
#   bash integration/install/run.sh              (or: make install-test; make e2e runs it as its last step)
#   INSTALL_KEEP=1 bash integration/install/run.sh   keeps the console log in /tmp for a post-mortem
set -eEuo pipefail
umask 022
cd "$(dirname "$0")/../.."
source integration/lib/container.sh

readonly UNIT=sse-timeline.service
readonly NAME=io.github.ssetimeline.Timeline1
readonly DUE_ID=5d62f99487414d09a86c67131bc79872
readonly ACTION_STARTED_ID=eeb99dc57e5f4562a06b2a528345bf4d
readonly ACTION_FINISHED_ID=bdfb5609cc8b495e9a69265125af60d7
readonly MASK=(systemd.mask=apt-daily.timer systemd.mask=apt-daily-upgrade.timer systemd.mask=postgresql.service)
repo=$(pwd)
release_bin=$repo/.build-release/release/sse-timeline
# Where the checkout is inside the container: bound there, since the host's path may not be visible (nspawn mounts
# a tmpfs on /tmp) or readable by an unprivileged user (a clone under /root).
readonly ct_repo=/srv/sse-timeline-checkout

[ "$(id -u)" = 0 ] || { echo "install-test: must run as root (it boots a systemd container)" >&2; exit 1; }
[ -x "$release_bin" ] || { echo "install-test: no $release_bin: run make release first" >&2; exit 1; }
need systemd-nspawn systemd-container
need /usr/lib/polkit-1/polkitd polkitd
need dbus-daemon dbus-daemon
[ -e /usr/lib/systemd/user/dbus.socket ] || need /nonexistent/dbus-user-session dbus-user-session
need scdoc scdoc
[ -f /usr/share/bash-completion/bash_completion ] || need /nonexistent/bash-completion bash-completion

work=$(mktemp -d /tmp/sse-install.XXXXXX)
chmod 0755 "$work"
trap containers_cleanup EXIT
trap 'printf "[%s] FAIL  line %s: %s\n" "$(elapsed)" "$LINENO" "$BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM
on_failure() {
    [ -n "${CT_PID[c]:-}" ] && [ -d "/proc/${CT_PID[c]}" ] || return 0
    echo "---- make output ----" >&2
    cat "$work"/*.log 2>/dev/null | tail -n 60 >&2 || true
    echo "---- journalctl (the services, the actions, polkit) ----" >&2
    ct c journalctl --no-pager -o short-precise -n 150 _COMM=sse-timeline + _SYSTEMD_UNIT=polkit.service \
        + SYSLOG_IDENTIFIER=sse-timeline 2>&1 | tail -n 100 >&2 || true
}
cleanup_extra() {
    if [ "${INSTALL_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}

say "booting a systemd container (the host's tree, writable under a tmpfs overlay; no network)"
container_boot c "sse-install-$$" "$work/console.log" --writable-host="$work/host" --private-network \
    --bind="$repo:$ct_repo" \
    -- "${MASK[@]}"

sctl() { ct c systemctl "$@"; }
prop() { sctl show -P "$1" "$UNIT"; }
jctl() { ct c journalctl --no-pager -q "$@"; }
at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
local_at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S; }
in_seconds() { echo $(( $(date +%s) + $1 )); }
put() { ct c sh -c "mkdir -p \"\$(dirname '$1')\" && cat >'$1.new' && mv '$1.new' '$1'"; }
count() { jctl -o cat --output-fields=MESSAGE_ID "$@" | grep -c . || true; }
has_count() { local n=$1; shift; [ "$(count "$@")" -ge "$n" ]; }
field() { local name=$1; shift; jctl -o export "$@" | sed -n "s/^$name=//p"; }
version=$("$release_bin" --version)

# A machine without the package: whatever the host has of sse-timeline is taken out of the container's view.
ct c sh -c 'rm -rf /usr/bin/sse-timeline /usr/lib/systemd/system/sse-timeline.service \
    /lib/systemd/system/sse-timeline.service /usr/lib/systemd/user/sse-timeline.service \
    /usr/lib/systemd/catalog/sse-timeline.catalog /usr/share/dbus-1/system.d/io.github.ssetimeline.Timeline1.conf \
    /usr/lib/sysusers.d/sse-timeline.conf /usr/share/polkit-1/rules.d/50-sse-timeline.rules /usr/local/bin/sse-timeline \
    /usr/local/lib/systemd /usr/local/lib/sysusers.d /usr/local/share/sse-timeline /etc/sse-timeline'
sctl daemon-reload

# -- 1. make install at the default prefix ----------------------------------------------------------------------

say "make install (PREFIX=/usr/local) in the container"
if ! ct c env HOME=/root bash -c "cd '$ct_repo' && make --no-print-directory install" >"$work/install.log" 2>&1; then
    fail "make install"
fi
outside=$(sed -n '/^installed outside PREFIX=\/usr\/local/,/^next:/p' "$work/install.log")
for path in /usr/share/dbus-1/system.d/io.github.ssetimeline.Timeline1.conf \
    /usr/share/polkit-1/rules.d/50-sse-timeline.rules /etc/sse-timeline/timeline.d/; do
    grep -qxF "  $path" <<<"$outside" || fail "make install does not say it put $path outside the prefix: $outside"
    ct c test -e "$path" || fail "make install did not install $path"
done
for path in /usr/local/bin/sse-timeline /usr/local/lib/systemd/system/sse-timeline.service \
    /usr/local/lib/systemd/catalog/sse-timeline.catalog /usr/local/lib/sysusers.d/sse-timeline.conf \
    /usr/local/share/man/man1/sse-timeline.1 /usr/local/share/man/man5/sse-timeline.toml.5 \
    /usr/local/share/man/man8/sse-timeline.8; do
    ct c test -e "$path" || fail "make install did not install $path"
done
[ "$(ct c sse-timeline --version)" = "$version" ] || fail "the installed --version is not $version"
ct c getent passwd sse-timeline >/dev/null || fail "make install did not create the user sse-timeline (sysusers.d)"
ok "1 make install: the bus policy, the polkit rule and /etc/sse-timeline/timeline.d outside the prefix, as it" \
    "said; the units, catalog, sysusers.d under /usr/local; --version \"$version\""

sys_due=$(in_seconds 15)
put /etc/sse-timeline/timeline.toml <<EOF
[defaults]
timezone = "UTC"
reminders = ["at start"]

[[milestone]]
id = "install-sys"
title = "Install system milestone"
start = $(at "$sys_due")
on_due = { unit = "sse-timeline-action-mark@.service" }
EOF
put /etc/systemd/system/sse-timeline-action-mark@.service <<'EOF'
[Service]
Type=oneshot
EnvironmentFile=-%t/sse-timeline/due/%I.env
ExecStart=/bin/sh -c 'env | grep ^SSE_ | sort >/run/sse-action-mark'
EOF
sctl daemon-reload
sctl enable --now "$UNIT" >/dev/null 2>&1 || fail "systemctl enable --now $UNIT"
[ "$(prop FragmentPath)" = /usr/local/lib/systemd/system/sse-timeline.service ] || fail "the unit is $(prop FragmentPath)"
[ "$(prop ActiveState)/$(prop User)" = active/sse-timeline ] || fail "$UNIT: $(prop ActiveState), user $(prop User)"
pid=$(prop MainPID)
owner=$(ct c busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
    GetConnectionUnixProcessID s "$NAME") || fail "nobody owns $NAME on the system bus"
[ "$owner" = "u $pid" ] || fail "$NAME is owned by $owner, not the service's PID $pid"
key="install-sys|$(local_at "$sys_due")|at start"
ct c sse-timeline pending | grep -qF "$key" || fail "sse-timeline pending does not list $key"
jctl -u "$UNIT" -o cat | grep -qxF "starting $version" || fail "the daemon did not log \"starting $version\""
action_done() { has_count 1 "MESSAGE_ID=$ACTION_FINISHED_ID" "REMINDER_KEY=$key"; }
wait_until 40 "the on_due job of the system instance to finish" action_done
result=$(field JOB_RESULT "MESSAGE_ID=$ACTION_FINISHED_ID" "REMINDER_KEY=$key")
[ "$result" = done ] || fail "the on_due job ended with $result"
ct c grep -qxF "SSE_MILESTONE_ID=install-sys" /run/sse-action-mark || fail "the action unit did not get its fields"
explained=$(jctl -x -u "$UNIT" "MESSAGE_ID=$DUE_ID" "REMINDER_KEY=$key")
grep -qF "Subject: Reminder due: Install system milestone (at start)" <<<"$explained" \
    || fail "journalctl -x shows no catalog text: $explained"
ok "1 the instance of make install: owns $NAME (PID $pid), pending lists the reminder, on_due" \
    "$(field UNIT "MESSAGE_ID=$ACTION_STARTED_ID" "REMINDER_KEY=$key") ran under the polkit rule ($result)," \
    "journalctl -x explains the reminder, the journal has \"starting $version\""

# A calendar feed (issue 20): served on the container's loopback, downloaded by sse-timeline-fetch.service in its
# own sandbox, and its event's reminder written by the daemon (which has no network) at its instant.
readonly FEED_UPDATED_ID=44c80f22fb25459e8fce52e269d9676a
feed_due=$(in_seconds 25)
put /srv/feed/team.ics <<EOF
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//sse-timeline install-test//EN
BEGIN:VEVENT
UID:feed-event@test
DTSTAMP:20261201T000000Z
DTSTART:$(date -u -d "@$feed_due" +%Y%m%dT%H%M%SZ)
SUMMARY:Feed event
END:VEVENT
END:VCALENDAR
EOF
ct c systemd-run --quiet --unit=sse-test-web python3 -m http.server 8765 --bind 127.0.0.1 --directory /srv/feed
web_up() { ct c curl -sf -o /dev/null http://127.0.0.1:8765/team.ics; }
wait_until 20 "the feed's web server" web_up
put /etc/sse-timeline/timeline.d/feed.toml <<'EOF'
[[calendar]]
name = "team"
url = "http://127.0.0.1:8765/team.ics"
EOF
sctl reload "$UNIT" || fail "systemctl reload $UNIT with a feed calendar"
sctl start sse-timeline-fetch.service || fail "sse-timeline-fetch.service failed"
has_count 1 "MESSAGE_ID=$FEED_UPDATED_ID" CALENDAR=team || fail "the fetch unit wrote no feed-updated entry"
feed_match=("MESSAGE_ID=$DUE_ID" "MILESTONE_TITLE=Feed event")
feed_written() { has_count 1 "${feed_match[@]}"; }
wait_until 60 "the feed event's reminder" feed_written
feed_status=$(ct c sse-timeline status --json) || fail "sse-timeline status --json"
python3 - "$feed_status" <<'EOF' || fail "sse-timeline status does not show the feed as fetched: $feed_status"
import json, sys
team = [c for c in json.loads(sys.argv[1])["calendars"] if c["name"] == "team"][0]
assert team["items"] == 1 and team["last_success"] and not team["last_error"], team
EOF
feed_late=$(field LATENESS_USEC "${feed_match[@]}")
feed_at=$(field DUE_AT "${feed_match[@]}")
[ "$(date -u -d "$feed_at" +%s)" = "$feed_due" ] || fail "the feed reminder is due at $feed_at, not $(at "$feed_due")"
exposure() { ct c systemd-analyze security --no-pager "$1" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p'; }
fetch_exposure=$(exposure sse-timeline-fetch.service)
daemon_exposure=$(exposure "$UNIT")
awk -v e="$daemon_exposure" 'BEGIN { exit !(e != "" && e <= 0.5) }' || fail "the daemon's exposure is $daemon_exposure"
sctl stop sse-test-web.service
ok "1 a feed fetched by sse-timeline-fetch.service (exposure $fetch_exposure; the daemon's $daemon_exposure), its" \
    "event's reminder written at $(at "$feed_due") by the daemon, $feed_late us late"

if ! ct c env HOME=/root bash -c "cd '$ct_repo' && make --no-print-directory uninstall" >"$work/uninstall.log" 2>&1; then
    fail "make uninstall"
fi
left=$(ct c sh -c 'ls -d /usr/local/bin/sse-timeline /usr/local/lib/systemd/system/sse-timeline.service \
    /usr/local/share/man/man*/sse-timeline* /usr/local/share/sse-timeline /usr/local/share/doc/sse-timeline \
    /usr/share/dbus-1/system.d/io.github.ssetimeline.Timeline1.conf /usr/share/polkit-1/rules.d/50-sse-timeline.rules \
    /usr/local/lib/systemd/catalog/sse-timeline.catalog /usr/local/lib/sysusers.d/sse-timeline.conf 2>/dev/null' || true)
[ -z "$left" ] || fail "make uninstall left: $left"
[ "$(prop LoadState)" = not-found ] || fail "after make uninstall the unit is $(prop LoadState)"
ct c test -f /etc/sse-timeline/timeline.toml || fail "make uninstall removed the admin's config"
ok "1 make uninstall: the service stopped and disabled, every file gone, /etc/sse-timeline kept"

# -- 2. make install-user, without root ---------------------------------------------------------------------------

ct c useradd -m -s /bin/bash bob
bob_uid=$(ct c id -u bob)
ct c loginctl enable-linger bob
user_manager_up() { [ "$(sctl show -P ActiveState "user@$bob_uid.service")" = active ]; }
wait_until 30 "bob's user manager" user_manager_up
as_bob() {
    ct c runuser -u bob -- env HOME=/home/bob USER=bob XDG_RUNTIME_DIR="/run/user/$bob_uid" \
        PATH=/home/bob/.local/bin:/usr/local/bin:/usr/bin:/bin "$@"
}
# bob installs from this checkout as from a clone of his own: git may read it.
as_bob git config --global --add safe.directory '*'
user_due=$(in_seconds 20)
as_bob sh -c 'mkdir -p ~/.config/sse-timeline && cat >~/.config/sse-timeline/timeline.toml' <<EOF
[defaults]
timezone = "UTC"
reminders = ["at start"]

[[milestone]]
id = "install-user"
title = "Bob's milestone"
start = $(at "$user_due")
EOF
before=$(ct c find /home/bob -mindepth 1 | sort)
if ! as_bob bash -c "cd '$ct_repo' && make --no-print-directory install-user" >"$work/install-user.log" 2>&1; then
    fail "make install-user (as bob)"
fi
for path in .local/bin/sse-timeline .local/share/systemd/user/sse-timeline.service \
    .local/share/bash-completion/completions/sse-timeline .local/share/fish/vendor_completions.d/sse-timeline.fish; do
    ct c test -e "/home/bob/$path" || fail "make install-user did not install ~/$path"
done
[ "$(ct c stat -c %U /home/bob/.local/bin/sse-timeline)" = bob ] || fail "the binary does not belong to bob"
page=$(as_bob man -w sse-timeline) || fail "man -w sse-timeline finds nothing for bob"
[ "$page" = /home/bob/.local/share/man/man1/sse-timeline.1 ] || fail "man finds $page"
page5=$(as_bob man -w 5 sse-timeline.toml) || fail "man -w 5 sse-timeline.toml finds nothing for bob"
[ "$page5" = /home/bob/.local/share/man/man5/sse-timeline.toml.5 ] || fail "man finds $page5"
if ct c test -f /usr/share/bash-completion/bash_completion; then
    completion=$(as_bob bash -c 'source /usr/share/bash-completion/bash_completion; __load_completion sse-timeline;
        complete -p sse-timeline') || fail "bash-completion does not load bob's completion"
else
    completion="(bash-completion is not installed: not tried)"
fi
as_bob systemctl --user enable --now "$UNIT" >/dev/null 2>&1 || fail "systemctl --user enable --now $UNIT"
uprop() { as_bob systemctl --user show -P "$1" "$UNIT"; }
[ "$(uprop FragmentPath)" = "/home/bob/.local/share/systemd/user/$UNIT" ] || fail "bob's unit is $(uprop FragmentPath)"
exec_start=$(uprop ExecStart)
grep -qF "path=/home/bob/.local/bin/sse-timeline" <<<"$exec_start" || fail "bob's unit runs: $exec_start"
[ "$(uprop ActiveState)" = active ] || fail "bob's instance is $(uprop ActiveState)"
user_key="install-user|$(local_at "$user_due")|at start"
reminded() { has_count 1 "_UID=$bob_uid" "MESSAGE_ID=$DUE_ID" "REMINDER_KEY=$user_key"; }
wait_until 40 "bob's reminder in his journal" reminded
[ "$(field _SYSTEMD_USER_UNIT "_UID=$bob_uid" "MESSAGE_ID=$DUE_ID" "REMINDER_KEY=$user_key")" = "$UNIT" ] \
    || fail "bob's reminder is not from his $UNIT"
ok "2 make install-user as bob: ~/.local/bin, the unit in ~/.local/share/systemd/user running it, man -w finds" \
    "$page and $page5, $completion; systemctl --user enable --now; the reminder is in bob's journal"

if ! as_bob bash -c "cd '$ct_repo' && make --no-print-directory uninstall-user" >"$work/uninstall-user.log" 2>&1; then
    fail "make uninstall-user (as bob)"
fi
[ "$(uprop LoadState)" = not-found ] || fail "after make uninstall-user bob's unit is $(uprop LoadState)"
after=$(ct c find /home/bob -mindepth 1 | sort)
# What may differ: the state the daemon kept (as make uninstall keeps the system instance's) and ~/.local above
# it, and the directories `systemctl --user enable` made for its link.
extra=$(comm -13 <(echo "$before") <(echo "$after") \
    | grep -vE '^/home/bob/(\.local(/state(/sse-timeline(/.*)?)?)?|\.config/systemd(/user(/default\.target\.wants)?)?)$' || true)
missing=$(comm -23 <(echo "$before") <(echo "$after"))
[ -z "$extra" ] || fail "make uninstall-user left behind: $extra"
[ -z "$missing" ] || fail "make uninstall-user removed what was there before: $missing"
ct c sh -c 'test -z "$(ls -A /home/bob/.config/systemd/user/default.target.wants 2>/dev/null)"' \
    || fail "the enable link is still there"
ok "2 make uninstall-user: the unit stopped and gone, nothing of the install left in /home/bob (the daemon's" \
    "state in ~/.local/state/sse-timeline stays)"

ok "install-test passed in $(elapsed)"
