#!/usr/bin/env bash
# The bus API, snooze and dismiss, and on_due actions with the real parts (issue 13), as root: a booted systemd
# container with its system bus, polkit and a user's own manager and session bus.
#
# Installs with `make install PREFIX=/usr DESTDIR=<tmp>`, boots a throwaway systemd container over the host's
# own tree (writable under a tmpfs overlay, see integration/lib/container.sh; no network), copies the installed
# tree in as `make install` on that machine would (then systemd-sysusers, the catalog, daemon-reload, the bus
# policy), and checks, with systemctl, journalctl, busctl and sse-timeline only:
#   1 the system instance: its static user, one thread, its name and object on the system bus (busctl
#     introspect), the D-Bus policy (anyone lists, only root snoozes), an on_due template unit started under
#     the shipped polkit rule with the reminder's fields, a unit outside the prefix refused (by the daemon, and
#     by polkit when asked directly), systemd-analyze security at most 1.0
#   2 a user's own instance under a real `systemd --user` (lingering): READY, STATUS, a reminder in the user's
#     journal, `busctl --user introspect`, an on_due command (a transient service) and an on_due template unit
#     started with SSE_MILESTONE_ID, SSE_MILESTONE_TITLE, SSE_DUE_AT, SSE_REMINDER, SSE_SOURCE_URL, and
#     `sse-timeline --user pending/snooze/dismiss` against it: the snoozed reminder comes back once, the
#     dismissed one never
#   3 sse-timeline history: both instances' entries read back from the journal with sd-journal, and from the
#     journal files copied out (--file, --directory)
# Every wait is on an event with a deadline. On a failure it prints the units' journals and exits non-zero; the
# container is ended by the PID this script started, on every path.
#
#   bash integration/bus/run.sh              (or: make bus-test)
#   BUS_KEEP=1 bash integration/bus/run.sh   keeps the staged tree and the console log in /tmp for a post-mortem
#   BUS_STAGED=DIR                           takes a tree staged before (make install PREFIX=/usr DESTDIR=DIR)
set -eEuo pipefail
umask 022
cd "$(dirname "$0")/../.."
source integration/lib/container.sh

readonly UNIT=sse-timeline.service
readonly NAME=io.github.ssetimeline.Timeline1
readonly OBJECT=/io/github/ssetimeline/Timeline1
readonly DUE_ID=5d62f99487414d09a86c67131bc79872
readonly SNOOZED_ID=ef00c3c3556f46f7aec4fdd2e846d0ba
readonly DISMISSED_ID=07db1169f41643d88c439b56caecfe10
readonly RETURNED_ID=c6c7298c4669417aa63518f442586c62
readonly ACTION_STARTED_ID=eeb99dc57e5f4562a06b2a528345bf4d
readonly ACTION_FINISHED_ID=bdfb5609cc8b495e9a69265125af60d7
readonly ACTION_FAILED_ID=4cb9a38647614890bbaab3ec70985c84
# Host services that would start in the container with the host's /etc and get in the way.
readonly MASK=(systemd.mask=apt-daily.timer systemd.mask=apt-daily-upgrade.timer systemd.mask=postgresql.service)

[ "$(id -u)" = 0 ] || { echo "bus-test: must run as root (it boots a systemd container)" >&2; exit 1; }
need systemd-nspawn systemd-container
need /usr/lib/polkit-1/polkitd polkitd
need dbus-daemon dbus-daemon
# The session bus of a user's manager.
[ -e /usr/lib/systemd/user/dbus.socket ] || need /nonexistent/dbus-user-session dbus-user-session

work=$(mktemp -d /tmp/sse-bus.XXXXXX)
chmod 0755 "$work"
trap containers_cleanup EXIT
trap 'printf "[%s] FAIL  line %s: %s\n" "$(elapsed)" "$LINENO" "$BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

on_failure() {
    [ -n "${CT_PID[bus]:-}" ] && [ -d "/proc/${CT_PID[bus]}" ] || return 0
    echo "---- journalctl (the services, the actions, polkit) ----" >&2
    ct bus journalctl --no-pager -o short-precise -n 200 _COMM=sse-timeline + _SYSTEMD_UNIT=polkit.service \
        + SYSLOG_IDENTIFIER=sse-timeline 2>&1 | tail -n 150 >&2 || true
    echo "---- systemctl status ----" >&2
    ct bus systemctl status "$UNIT" --no-pager -l >&2 2>&1 || true
}
cleanup_extra() {
    if [ "${BUS_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}

if [ -n "${BUS_STAGED:-}" ]; then
    say "taking the tree staged in $BUS_STAGED"
    cp -a "$BUS_STAGED" "$work/root"
else
    say "make install PREFIX=/usr DESTDIR=$work/root"
    if ! ${MAKE:-make} --no-print-directory -s install PREFIX=/usr DESTDIR="$work/root" >"$work/install.log" 2>&1; then
        tail -n 40 "$work/install.log" >&2
        fail "make install"
    fi
fi
chmod -R a+rX "$work/root"

say "booting a systemd container (the host's tree, writable under a tmpfs overlay; no network)"
container_boot bus "sse-bus-$$" "$work/console.log" --writable-host="$work/host" --private-network \
    --tmpfs=/usr/local:mode=0755 --bind-ro="$work/root:/mnt/sse-root" -- "${MASK[@]}"

sctl() { ct bus systemctl "$@"; }
prop() { sctl show -P "$1" "$UNIT"; }
jctl() { ct bus journalctl --no-pager -q "$@"; }
at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
local_at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S; }
in_seconds() { echo $(( $(date +%s) + $1 )); }
put() { ct bus sh -c "mkdir -p \"\$(dirname '$1')\" && cat >'$1.new' && mv '$1.new' '$1'"; }
# count MATCH...: the number of journal entries matching.
count() { jctl -o cat --output-fields=MESSAGE_ID "$@" | grep -c . || true; }
has_count() { local n=$1; shift; [ "$(count "$@")" -ge "$n" ]; }
field() { local name=$1; shift; jctl -o export "$@" | sed -n "s/^$name=//p"; }

# `make install` on this machine: the tree, then what its last step does on a running system.
ct bus cp -a /mnt/sse-root/. /
ct bus systemd-sysusers sse-timeline.conf
ct bus journalctl --update-catalog
sctl daemon-reload
sctl reload dbus.service
ct bus getent passwd sse-timeline >/dev/null || fail "systemd-sysusers did not create the user sse-timeline"
ok "container up (${CT_STATE[bus]}); installed: the bus policy, the sysusers.d user, the polkit rule, both units"

# -- 1. the system instance ---------------------------------------------------------------------------------

sys_due=$(in_seconds 12)
put /etc/sse-timeline/timeline.toml <<EOF
[defaults]
timezone = "UTC"
reminders = ["at start"]

[[milestone]]
id = "bus-sys"
title = "Bus system milestone"
start = $(at "$sys_due")
source = "https://example.org/sse-timeline/bus"
on_due = { unit = "sse-timeline-action-mark@.service" }

[[milestone]]
id = "bus-sys-outside"
title = "Bus system milestone outside the prefix"
start = $(at "$sys_due")
on_due = { unit = "outside-mark@.service" }
EOF
# The admin's template: it writes what it got into /run/sse-action-mark.
put /etc/systemd/system/sse-timeline-action-mark@.service <<'EOF'
[Service]
Type=oneshot
EnvironmentFile=-%t/sse-timeline/due/%I.env
ExecStart=/bin/sh -c 'env | grep ^SSE_ | sort >/run/sse-action-mark; echo "instance=%I" >>/run/sse-action-mark'
EOF
put /etc/systemd/system/outside-mark@.service <<'EOF'
[Service]
Type=oneshot
ExecStart=/bin/touch /run/outside-mark
EOF
sctl daemon-reload
sctl start "$UNIT" || fail "systemctl start $UNIT"
[ "$(prop ActiveState)/$(prop SubState)" = active/running ] || fail "$UNIT is $(prop ActiveState)/$(prop SubState)"
[ "$(prop User)" = sse-timeline ] || fail "$UNIT runs as $(prop User)"
pid=$(prop MainPID)
uid=$(ct bus stat -c %u "/proc/$pid")
[ "$uid" = "$(ct bus id -u sse-timeline)" ] || fail "PID $pid runs as UID $uid, not sse-timeline's"
tasks=$(ct bus ls "/proc/$pid/task" | wc -l)
[ "$tasks" = 1 ] || fail "the system instance has $tasks threads, not 1"

owner=$(ct bus busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
    GetConnectionUnixProcessID s "$NAME")
[ "$owner" = "u $pid" ] || fail "$NAME is owned by $owner, not the service's PID $pid"
introspection=$(ct bus busctl --system introspect "$NAME" "$OBJECT")
for member in ListPending Snooze Dismiss Reload NextDue Status ReminderDue org.freedesktop.DBus.Introspectable \
    org.freedesktop.DBus.Properties org.freedesktop.DBus.Peer; do
    grep -q -- "$member" <<<"$introspection" || fail "busctl introspect shows no $member: $introspection"
done
# The policy: anyone lists; only root snoozes (the daemon's own check agrees).
ct bus useradd -m -s /bin/sh alice
as_alice_plain() { ct bus runuser -u alice -- "$@"; }
listed=$(as_alice_plain sse-timeline pending) || fail "alice cannot list the system instance's reminders"
grep -qF "Bus system milestone, at start" <<<"$listed" || fail "sse-timeline pending as alice: $listed"
key="bus-sys|$(local_at "$sys_due")|at start"
if denied=$(as_alice_plain sse-timeline snooze "$key" "1 minute" 2>&1); then
    fail "alice snoozed a reminder of the system instance: $denied"
fi
grep -qF "not allowed" <<<"$denied" || fail "alice's snooze was refused without saying so: $denied"
root_pending=$(ct bus sse-timeline pending --json)
grep -qF "\"key\": \"$key\"" <<<"$root_pending" || fail "sse-timeline pending (root) does not list $key: $root_pending"
exposure=$(ct bus systemd-analyze security --no-pager "$UNIT" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 1.0) }' || fail "systemd-analyze security: exposure $exposure"
ok "1 system instance: user sse-timeline (UID $uid), one thread, owns $NAME on the system bus (busctl" \
    "introspect lists the API and the standard interfaces); alice may list, not snooze; exposure $exposure"

action_done() { has_count 1 "MESSAGE_ID=$ACTION_FINISHED_ID" MILESTONE_ID=bus-sys + "MESSAGE_ID=$ACTION_FINISHED_ID" \
    "REMINDER_KEY=$key"; }
wait_until 30 "the system instance's on_due job to finish" action_done
result=$(field JOB_RESULT "MESSAGE_ID=$ACTION_FINISHED_ID" "REMINDER_KEY=$key")
[ "$result" = done ] || fail "the on_due job of the system instance ended with $result"
started_unit=$(field UNIT "MESSAGE_ID=$ACTION_STARTED_ID" "REMINDER_KEY=$key")
[ "$started_unit" = "sse-timeline-action-mark@$(ct bus systemd-escape "$key").service" ] \
    || fail "the system instance started $started_unit"
mark=$(ct bus cat /run/sse-action-mark)
for want in "SSE_MILESTONE_ID=bus-sys" "SSE_MILESTONE_TITLE=Bus system milestone" \
    "SSE_DUE_AT=$(local_at "$sys_due")+00:00" "SSE_REMINDER=at start" \
    "SSE_SOURCE_URL=https://example.org/sse-timeline/bus" "SSE_REMINDER_KEY=$key" "instance=$key"; do
    grep -qxF "$want" <<<"$mark" || fail "the template unit did not get $want: $mark"
done
outside_key="bus-sys-outside|$(local_at "$sys_due")|at start"
refused=$(jctl -o cat "MESSAGE_ID=$ACTION_FAILED_ID" "REMINDER_KEY=$outside_key")
grep -qF "starts only units named sse-timeline-action-*" <<<"$refused" || fail "no refusal of outside-mark: $refused"
ct bus test ! -e /run/outside-mark || fail "outside-mark@.service ran"
# The polkit rule, asked directly as the service's user: the prefix is allowed, anything else is not.
as_service() {
    ct bus runuser -u sse-timeline -- busctl --system call org.freedesktop.systemd1 /org/freedesktop/systemd1 \
        org.freedesktop.systemd1.Manager StartUnit ss "$1" replace 2>&1
}
as_service "sse-timeline-action-mark@direct.service" >/dev/null || fail "polkit refused the prefix: $(as_service x)"
if out=$(as_service "outside-mark@direct.service"); then fail "polkit let sse-timeline start outside-mark: $out"; fi
# A channel's delivery unit passes polkit (whether the template is installed is another matter); a name outside
# the pattern does not.
deliver=$(as_service "sse-timeline-deliver@0123456789abcdef-1.service" || true)
if grep -qiE "access denied|authentication required" <<<"$deliver"; then fail "polkit refused a delivery unit: $deliver"; fi
if evil=$(as_service "sse-timeline-deliver@evil.service"); then fail "polkit let sse-timeline start deliver@evil: $evil"; fi
grep -qiE "access denied|authentication required" <<<"$evil" || fail "deliver@evil refused for another reason: $evil"
ok "1 on_due on the system instance: $started_unit ran under the shipped polkit rule (job $result) with the" \
    "reminder's fields; outside-mark@ refused by the daemon, and by polkit when asked directly ($out)"

# -- 2. a user's own instance ---------------------------------------------------------------------------------

alice_uid=$(ct bus id -u alice)
ct bus loginctl enable-linger alice
user_manager_up() { [ "$(sctl show -P ActiveState "user@$alice_uid.service")" = active ]; }
wait_until 30 "alice's user manager" user_manager_up
as_alice() { ct bus runuser -u alice -- env XDG_RUNTIME_DIR="/run/user/$alice_uid" "$@"; }
user_due=$(in_seconds 15)
later=$(in_seconds 3600)
as_alice sh -c "mkdir -p ~/.config/sse-timeline ~/.config/systemd/user && cat >~/.config/sse-timeline/timeline.toml" <<EOF
[defaults]
timezone = "UTC"
reminders = ["at start"]

[[milestone]]
id = "bus-user"
title = "Alice's milestone"
start = $(at "$user_due")
source = "https://example.org/alice"
on_due = { exec = ["/bin/sh", "-c", "env | grep ^SSE_ | sort >/home/alice/exec-env"] }

[[milestone]]
id = "bus-user-unit"
title = "Alice's unit milestone"
start = $(at "$user_due")
on_due = { unit = "mark@.service" }

[[milestone]]
id = "bus-user-later"
title = "Alice's later milestone"
start = $(at "$later")
reminders = ["2 hours before", "at start"]
EOF
as_alice sh -c "cat >~/.config/systemd/user/mark@.service" <<'EOF'
[Service]
Type=oneshot
EnvironmentFile=-%t/sse-timeline/due/%I.env
ExecStart=/bin/sh -c 'env | grep ^SSE_ | sort >%h/unit-env'
EOF
as_alice systemctl --user daemon-reload
as_alice systemctl --user start "$UNIT" || fail "systemctl --user start"
uprop() { as_alice systemctl --user show -P "$1" "$UNIT"; }
[ "$(uprop ActiveState)/$(uprop SubState)" = active/running ] || fail "alice's instance: $(uprop ActiveState)"
user_status=$(uprop StatusText)
case $user_status in *"3 milestones"*"next: Alice's milestone"*) ;; *) fail "alice's StatusText: $user_status" ;; esac
user_pid=$(uprop MainPID)
[ "$(ct bus ls "/proc/$user_pid/task" | wc -l)" = 1 ] || fail "alice's instance has more than one thread"
user_introspection=$(as_alice busctl --user introspect "$NAME" "$OBJECT")
for member in .ListPending .Snooze .Dismiss .Reload .NextDue .Status .ReminderDue org.freedesktop.DBus.Introspectable \
    org.freedesktop.DBus.Properties org.freedesktop.DBus.Peer "a(ssssstt)"; do
    grep -qF -- "$member" <<<"$user_introspection" || fail "busctl --user introspect shows no $member"
done
ok "2 alice's instance: READY (systemctl --user start returned), STATUS \"$user_status\", one thread;" \
    "busctl --user introspect lists the API and the standard interfaces"

past="bus-user-later|$(local_at "$later")|2 hours before"
upcoming="bus-user-later|$(local_at "$later")|at start"
pending=$(as_alice sse-timeline --user pending)
grep -qF "key: '$upcoming'" <<<"$pending" || fail "sse-timeline --user pending does not list $upcoming: $pending"
snoozed=$(as_alice sse-timeline --user snooze "$past" "2 seconds") || fail "snooze: $snoozed"
dismissed=$(as_alice sse-timeline --user dismiss "$upcoming") || fail "dismiss: $dismissed"
came_back() { has_count 1 "_UID=$alice_uid" "MESSAGE_ID=$RETURNED_ID" "REMINDER_KEY=$past"; }
wait_until 15 "the snoozed reminder to come back" came_back
[ "$(count "_UID=$alice_uid" "MESSAGE_ID=$SNOOZED_ID" "REMINDER_KEY=$past")" = 1 ] || fail "no snooze entry"
[ "$(count "_UID=$alice_uid" "MESSAGE_ID=$DISMISSED_ID" "REMINDER_KEY=$upcoming")" = 1 ] || fail "no dismissal entry"
after=$(as_alice sse-timeline --user pending)
grep -qF "$upcoming" <<<"$after" && fail "the dismissed reminder is still pending: $after"
ok "2 sse-timeline --user: pending listed $upcoming; snooze 2 s came back once ($(field SNOOZED_UNTIL \
    "_UID=$alice_uid" "MESSAGE_ID=$RETURNED_ID")); dismiss took it off the list"

user_key="bus-user|$(local_at "$user_due")|at start"
reminded() { has_count 1 "_UID=$alice_uid" "MESSAGE_ID=$DUE_ID" "REMINDER_KEY=$user_key"; }
wait_until 30 "alice's reminder" reminded
[ "$(field _SYSTEMD_USER_UNIT "_UID=$alice_uid" "MESSAGE_ID=$DUE_ID" "REMINDER_KEY=$user_key")" = "$UNIT" ] \
    || fail "alice's reminder is not from her $UNIT"
both_done() { [ "$(count "_UID=$alice_uid" "MESSAGE_ID=$ACTION_FINISHED_ID")" -ge 2 ]; }
wait_until 30 "alice's two on_due jobs to finish" both_done
results=$(field JOB_RESULT "_UID=$alice_uid" "MESSAGE_ID=$ACTION_FINISHED_ID" | sort -u)
[ "$results" = done ] || fail "alice's on_due jobs ended with: $results"
exec_env=$(ct bus cat /home/alice/exec-env)
unit_env=$(ct bus cat /home/alice/unit-env)
for want in "SSE_MILESTONE_ID=bus-user" "SSE_MILESTONE_TITLE=Alice's milestone" "SSE_DUE_AT=$(local_at "$user_due")+00:00" \
    "SSE_REMINDER=at start" "SSE_SOURCE_URL=https://example.org/alice"; do
    grep -qxF "$want" <<<"$exec_env" || fail "the command did not get $want: $exec_env"
done
grep -qxF "SSE_MILESTONE_ID=bus-user-unit" <<<"$unit_env" || fail "mark@ did not get its fields: $unit_env"
transient=$(field UNIT "_UID=$alice_uid" "MESSAGE_ID=$ACTION_STARTED_ID" MILESTONE_ID=bus-user)
ok "2 alice's reminder is in her journal (from her $UNIT); on_due exec ran as $transient and on_due unit as" \
    "mark@..., both done, with SSE_MILESTONE_ID, SSE_MILESTONE_TITLE, SSE_DUE_AT, SSE_REMINDER, SSE_SOURCE_URL"

# -- 3. history: what both instances wrote, read back with sse-timeline history (sd-journal) ---------------------
# Its own step (issue 22): alice's reminders, snooze, return, dismissal and actions from `--user history`, the
# system instance's from `history`, and both from journal files copied out of the container (--file,
# --directory), with the host that wrote them.
ct bus journalctl --sync
host=$(ct bus hostname)
# check_history WHAT PYTHON-CONDITION: the JSON on stdin, as `entries`, satisfies the condition.
check_history() {
    python3 -c 'import json, sys
entries = json.load(sys.stdin)
ok = eval(sys.argv[2], {"entries": entries, "host": sys.argv[3], "uid": int(sys.argv[4]), "events":
    [e["event"] for e in entries], "keys": lambda event: [e["fields"].get("REMINDER_KEY") for e in entries
    if e["event"] == event]})
if not ok:
    print("\n".join(f"{e['time']} {e['host']} {e['uid']} {e['event']} {e['fields'].get('REMINDER_KEY')}" for e in entries),
        file=sys.stderr)
sys.exit(0 if ok else 1)' "$1" "$2" "$host" "$alice_uid" || fail "history: $1"
}
user_history=$(as_alice sse-timeline --user history --json) || fail "sse-timeline --user history: $user_history"
check_history "alice's entries all come from her instance on $host" \
    'entries and all(e["host"] == host and e["uid"] == uid and e["user_unit"] == "sse-timeline.service" for e in entries)' \
    <<<"$user_history"
check_history "alice's reminder sent, snoozed, back, dismissed" \
    "sorted(keys('sent')) == sorted(['$user_key', 'bus-user-unit|$(local_at "$user_due")|at start']) and keys('snoozed') == ['$past'] and keys('returned') == ['$past'] and keys('dismissed') == ['$upcoming']" \
    <<<"$user_history"
check_history "alice's two actions started and finished (done)" \
    'events.count("action-started") == 2 and [e["fields"]["JOB_RESULT"] for e in entries if e["event"] == "action-finished"] == ["done", "done"]' \
    <<<"$user_history"
check_history "the entries in time order with the snooze before its return" \
    '[e["time"] for e in entries] == sorted(e["time"] for e in entries) and events.index("snoozed") < events.index("returned")' \
    <<<"$user_history"
only_later=$(as_alice sse-timeline --user history --milestone bus-user-later --json)
check_history "--milestone bus-user-later: its snooze, return and dismissal only" \
    'sorted(events) == ["dismissed", "returned", "snoozed"] and all(e["milestone"] == "bus-user-later" for e in entries)' \
    <<<"$only_later"
none=$(as_alice sse-timeline --user history --since "$(at "$(in_seconds 3600)")" --json)
[ "$none" = "[]" ] || fail "history --since an hour ahead: $none"
user_text=$(as_alice sse-timeline --user history)
grep -E "^[0-9-]{10} [0-9:]{8} UTC  $host  alice  snoozed  .*REMINDER_KEY=$past.*SNOOZED_UNTIL=" <<<"$user_text" >/dev/null \
    || fail "history's line of the snooze (time, host, user, event, message, fields): $user_text"
system_history=$(ct bus sse-timeline history --json) || fail "sse-timeline history: $system_history"
check_history "the system instance's reminder and action, and none of alice's" \
    "'$key' in keys('sent') and keys('action-started') == ['$key'] and keys('action-finished') == ['$key'] and 'action-failed' in events and all(e['user_unit'] is None for e in entries)" \
    <<<"$system_history"
# The journal files copied out of the container, read on this machine as a fleet's central journal would be.
mkdir -p "$work/journal"
for file in $(ct bus find /var/log/journal /run/log/journal -name '*.journal' 2>/dev/null); do
    ct bus cat "$file" >"$work/journal/$(echo "$file" | tr / _)"
done
copied=("$work"/journal/*system.journal)
[ -s "${copied[0]}" ] || fail "no system.journal in the container: $(ls "$work/journal")"
from_file=$("$work/root/usr/bin/sse-timeline" history --file "${copied[0]}" --json) || fail "history --file: $from_file"
check_history "--file (the system.journal copied out): the system instance's action, written on $host" \
    "keys('action-started') == ['$key'] and all(e['host'] == host for e in entries)" <<<"$from_file"
from_directory=$("$work/root/usr/bin/sse-timeline" history --directory "$work/journal" --json)
check_history "--directory (every journal file copied out): both instances' entries" \
    "'$key' in keys('action-started') and keys('dismissed') == ['$upcoming']" <<<"$from_directory"
ok "3 history: alice's sent/snoozed/returned/dismissed/actions from --user history, the system instance's from" \
    "history, --milestone and --since filter; --file and --directory read the journal copied out (host $host)"

as_alice systemctl --user stop "$UNIT"
sctl stop "$UNIT"
[ "$(prop Result)" = success ] || fail "the system instance stopped with $(prop Result)"
ok "bus-test passed in $(elapsed)"
