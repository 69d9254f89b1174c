#!/usr/bin/env bash
# The mail and Apprise channels' delivery unit with the real parts (issue 21), as root: a booted systemd
# container (the host's tree, writable under a tmpfs overlay; loopback only) where the installed template unit
# sse-timeline-deliver@.service is started as the daemon starts it, with an environment file in
# /run/sse-timeline/deliver/, and what it sent is read back where it arrived:
#   1 mail through exim (exim4-daemon-light, local delivery to /var/mail): the message read back from two
#     mailboxes and parsed with Python's email (headers, RFC 2047, UTF-8 text) and icalendar (the
#     text/calendar part); delivery-sent in the journal
#   2 the MTA stopped, with msmtp as the sendmail relaying to exim over SMTP on loopback: the unit fails (75,
#     delivery-failed with msmtp's words as REASON); exim started again: the next attempt is delivered, with the
#     Message-ID of the first, exactly once
#   3 Apprise to a Matrix room on a real Synapse (PyPI, SQLite, loopback): the homeserver stopped, the attempt
#     fails; started, the next is sent and read back once through the client API
#   4 Apprise to a json:// webhook whose receiver fails the first three requests with 500: three failed
#     attempts, the fourth sent, one successful body
#   5 a credential readable by others refused (78), and systemd-analyze security of the system template
#   6 with the daemon's half merged (chandaemon): [channel.board], 20 reminders due while the MTA is stopped,
#     kill -9 of the daemon, the MTA started: 20 mails, each once (skipped when the daemon has no channels)
#   7 an .ics drop-in whose alarm is ACTION:EMAIL to two attendees, one of them in mail_allow: one mail to it,
#     a warning for the other
# Every wait is on an event with a deadline. Installs what it needs: exim4-daemon-light and msmtp (Debian),
# matrix-synapse, apprise and icalendar into a venv (.build-channels/venv, PyPI).
#
#   bash integration/channels/run.sh              (or: make channels-test)
#   CHANNELS_KEEP=1 bash integration/channels/run.sh   keeps the work directory for a post-mortem
set -eEuo pipefail
umask 022
cd "$(dirname "$0")/../.."
source integration/lib/container.sh

readonly SENT_ID=eaee9a90e3794eb7b1cd888d437ffdf6
readonly FAILED_ID=92259820a2314de2b51171b5388b6ba8
readonly TEMPLATE=sse-timeline-deliver@
readonly VENV=$PWD/.build-channels/venv
readonly CHECK="$VENV/bin/python3 $PWD/integration/channels/check.py"
readonly MASK=(systemd.mask=apt-daily.timer systemd.mask=apt-daily-upgrade.timer systemd.mask=postgresql.service)

[ "$(id -u)" = 0 ] || { echo "channels-test: must run as root (it boots a systemd container)" >&2; exit 1; }
install_packages() {
    say "installing $*"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}
command -v systemd-nspawn >/dev/null || install_packages systemd-container
[ -x /usr/sbin/exim4 ] && dpkg -s exim4-daemon-light >/dev/null 2>&1 || install_packages exim4-daemon-light
command -v msmtp >/dev/null || install_packages msmtp
if ! "$VENV/bin/python3" -c 'import synapse, apprise, icalendar' 2>/dev/null; then
    say "installing matrix-synapse, apprise and icalendar into $VENV"
    command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import venv, ensurepip' 2>/dev/null \
        || install_packages python3-venv
    /usr/bin/python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q matrix-synapse apprise icalendar
fi

work=$(mktemp -d /tmp/sse-channels.XXXXXX)
chmod 0755 "$work"
trap containers_cleanup EXIT
trap 'printf "[%s] FAIL  line %s: %s\n" "$(elapsed)" "$LINENO" "$BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

on_failure() {
    [ -n "${CT_PID[c]:-}" ] && [ -d "/proc/${CT_PID[c]}" ] || return 0
    echo "---- journalctl (the delivery units, exim, synapse) ----" >&2
    ct c journalctl --no-pager -o short-precise -n 40 -u "$TEMPLATE*" -u exim4 -u chan-synapse -u chan-hook >&2 || true
    echo "---- the delivery entries ----" >&2
    ct c journalctl --no-pager -o verbose -n 6 -t sse-timeline >&2 || true
}
cleanup_extra() {
    if [ "${CHANNELS_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}

say "make install PREFIX=/usr DESTDIR=$work/root"
if ! ${MAKE:-make} --no-print-directory -s install PREFIX=/usr DESTDIR="$work/root" >"$work/install.log" 2>&1; then
    tail -n 40 "$work/install.log" >&2
    fail "make install"
fi
[ "$(stat -c %a "$work/root/etc/sse-timeline/credentials")" = 700 ] \
    || fail "make install made no /etc/sse-timeline/credentials of mode 0700"
chmod -R a+rX "$work/root"
mkdir -p "$work/shared"

say "booting a systemd container (the host's tree, writable under a tmpfs overlay; no network but loopback)"
container_boot c "sse-chan-$$" "$work/console.log" --writable-host="$work/host" --private-network \
    --tmpfs=/usr/local:mode=0755 --bind-ro="$work/root:/mnt/sse-root" --bind="$work/shared:/mnt/chan" \
    -- "${MASK[@]}"

sctl() { ct c systemctl "$@"; }
jctl() { ct c journalctl --no-pager -q "$@"; }
count() { jctl -o cat --output-fields=MESSAGE_ID "$@" | grep -c . || true; }
field() { local name=$1; shift; jctl -o export "$@" | sed -n "s/^$name=//p"; }
put() { ct c sh -c "mkdir -p \"\$(dirname '$1')\" && cat >'$1.new' && mv '$1.new' '$1'"; }
check() { ct c $CHECK "$@"; }
port_open() { ct c bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

ct c cp -a /mnt/sse-root/. /
ct c systemd-sysusers sse-timeline.conf
ct c journalctl --update-catalog
sctl daemon-reload
ct c getent passwd sse-timeline >/dev/null || fail "systemd-sysusers did not create the user sse-timeline"
# The staged tree was made readable for the copy; the credentials directory goes back to root's alone.
ct c chmod 0700 /etc/sse-timeline/credentials
ln_apprise() { ct c mkdir -p /usr/local/bin && ct c ln -sf "$VENV/bin/apprise" /usr/local/bin/apprise; }
ln_apprise
ok "container up (${CT_STATE[c]}); installed: $(ct c ls /usr/lib/systemd/system | grep -c sse-timeline) system units"

# deliver ATTEMPT KIND CHANNEL KEY NAME=VALUE...: writes the environment file as the daemon does and starts
# the template unit; sets $instance and $unit_status (the unit's ExecMainStatus) and returns the unit's success.
declare -A RUNS=()
deliver() {
    local attempt=$1 kind=$2 channel=$3 key=$4
    shift 4
    local delivery="$key|$channel" id
    id=$(check delivery-id "$delivery")
    instance="$id-$attempt"
    check write-env "/run/sse-timeline/deliver/$instance.env" "SSE_DELIVERY_ID=$delivery" "SSE_CHANNEL=$channel" \
        "SSE_CHANNEL_KIND=$kind" "SSE_ATTEMPT=$attempt" "SSE_REMINDER_KEY=$key" "$@"
    local started=0
    sctl start "$TEMPLATE$instance.service" 2>/dev/null && started=1
    unit_status=$(sctl show -P ExecMainStatus "$TEMPLATE$instance.service")
    ct c rm -f "/run/sse-timeline/deliver/$instance.env"
    [ "$started" = 1 ]
}
# entry_of INSTANCE MESSAGE_ID: the delivery entry of that attempt has been written.
entries() { count "MESSAGE_ID=$1" "DELIVERY_ID=$2" "ATTEMPT=$3"; }

# -- 1. mail through exim's own sendmail ---------------------------------------------------------------------
ct c useradd -m -s /bin/sh board
ct c useradd -m -s /bin/sh ana
sctl start exim4.service || fail "exim4 does not start"
wait_until 30 "exim to listen on 127.0.0.1:25" port_open 25
mail_key='ilc-2027|2027-06-01|30 days before'
title='Conférence internationale du Travail — 115e session'
mail_fields=(
    "SSE_MAIL_TO=board@localhost, Zoé Ünicode-Ñandú <ana@localhost>"
    "SSE_MILESTONE_ID=ilc-2027" "SSE_MILESTONE_TITLE=$title" "SSE_MILESTONE_START=2027-06-01"
    "SSE_MILESTONE_END=2027-06-12" "SSE_MILESTONE_LOCATION=Genève, Palais des Nations"
    "SSE_REMINDER=30 days before" "SSE_DUE_AT=2027-05-02T09:00:00+02:00" "SSE_SOURCE_URL=https://www.ilo.org/ilc"
    "SSE_PRIORITY=5" "SSE_LANGUAGE=fr"
    # The instance's MESSAGE is English; a French channel's text is French, its title first instead.
    "SSE_MESSAGE=$title starts in 30 days (2027-06-01, Genève, Palais des Nations)."
)
deliver 1 mail board "$mail_key" "${mail_fields[@]}" || fail "the mail unit failed (status $unit_status)"
mail_id=$(check message-id "$mail_key|board")
[ "$(entries "$SENT_ID" "$mail_key|board" 1)" = 1 ] || fail "no delivery-sent entry for the mail"
[ "$(field MAIL_MESSAGE_ID "MESSAGE_ID=$SENT_ID" "DELIVERY_ID=$mail_key|board")" = "$mail_id" ] \
    || fail "the journal's MAIL_MESSAGE_ID is not $mail_id"
has_mail() { ct c grep -q "^Message-ID: $mail_id" "/var/mail/$1" 2>/dev/null; }
wait_until 30 "the mail in /var/mail/board and /var/mail/ana" eval 'has_mail board && has_mail ana'
put /mnt/chan/expect.json <<EOF
{"headers": {"Subject": "$title (30 days before)", "Auto-Submitted": "auto-generated", "MIME-Version": "1.0"},
 "language": "fr",
 "to": ["board@localhost", "ana@localhost"], "to_names": ["", "Zoé Ünicode-Ñandú"], "from_user": "sse-timeline",
 "text": ["$title (30 days before)\n", "Quand :   2027-06-01 – 2027-06-12 (commence dans ", "Genève, Palais des Nations",
   "https://www.ilo.org/ilc", "Clé :     $mail_key", "30 days before, échéance 2027-05-02T09:00:00+02:00"],
 "calendar": {"SUMMARY": "$title", "DTSTART": "2027-06-01", "DTEND": "2027-06-13", "LOCATION": "Genève, Palais des Nations",
   "UID": "ilc-2027@sse-timeline", "URL": "https://www.ilo.org/ilc"}}
EOF
check mail /var/mail/board "$mail_id" 1 /mnt/chan/expect.json
check mail /var/mail/ana "$mail_id" 1 /mnt/chan/expect.json
ok "1 mail through exim: one message in each mailbox, $mail_id; headers, encoded-words, UTF-8 text and the" \
    "text/calendar part read back by email and icalendar"

# -- 2. the MTA stopped, then started: msmtp as sendmail, relaying to exim over SMTP -------------------------
ct c ln -sf /usr/bin/msmtp /usr/sbin/sendmail
put /etc/msmtprc <<'EOF'
defaults
auth off
tls off
syslog off
account default
host 127.0.0.1
port 25
from sse-timeline@localhost
EOF
ct c chmod 0644 /etc/msmtprc
sctl stop exim4.service
wait_until 30 "exim to stop listening" eval '! port_open 25'
retry_key='sse-academy-2027|2027-09-20T09:00:00|7 days before'
retry_fields=("SSE_MAIL_TO=board@localhost" "SSE_MILESTONE_ID=sse-academy-2027" "SSE_MILESTONE_TITLE=SSE Academy"
    "SSE_MILESTONE_START=2027-09-20T09:00:00+02:00" "SSE_REMINDER=7 days before" "SSE_PRIORITY=5"
    "SSE_MESSAGE=SSE Academy starts in 7 days.")
if deliver 1 mail board "$retry_key" "${retry_fields[@]}"; then fail "the unit succeeded with the MTA stopped"; fi
[ "$unit_status" = 75 ] || fail "the unit exited $unit_status with the MTA stopped, not 75"
reason=$(field REASON "MESSAGE_ID=$FAILED_ID" "DELIVERY_ID=$retry_key|board" "ATTEMPT=1")
grep -qi "msmtp\|sendmail" <<<"$reason" && grep -qi "connect\|refused" <<<"$reason" \
    || fail "REASON does not give msmtp's words: $reason"
sctl start exim4.service
wait_until 30 "exim to listen again" port_open 25
deliver 2 mail board "$retry_key" "${retry_fields[@]}" || fail "attempt 2 failed (status $unit_status)"
retry_id=$(check message-id "$retry_key|board")
has_retry() { ct c grep -q "^Message-ID: $retry_id" /var/mail/board 2>/dev/null; }
wait_until 30 "the retried mail in /var/mail/board" has_retry
put /mnt/chan/expect2.json <<'EOF'
{"headers": {"Subject": "SSE Academy (7 days before)"}, "to": ["board@localhost"], "to_names": [""],
 "from_user": "sse-timeline", "text": ["SSE Academy starts in 7 days."],
 "calendar": {"DTSTART": "2027-09-20T07:00:00+00:00", "SUMMARY": "SSE Academy"}}
EOF
check mail /var/mail/board "$retry_id" 1 /mnt/chan/expect2.json
ok "2 MTA stopped: exit 75, REASON \"${reason:0:90}...\"; started again: attempt 2 delivered once, $retry_id"

# -- 3. Apprise to Matrix (Synapse) --------------------------------------------------------------------------
synapse_dir=/mnt/chan/synapse
ct c mkdir -p "$synapse_dir"
ct c "$VENV/bin/python3" -m synapse.app.homeserver --server-name localhost --config-path "$synapse_dir/homeserver.yaml" \
    --data-directory "$synapse_dir" --generate-config --report-stats=no >/dev/null
# The last of a repeated key wins: loopback only, no federation, no rate limits in the way of the test.
ct c sh -c "cat >>'$synapse_dir/homeserver.yaml'" <<'EOF'
listeners:
  - port: 8008
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
rc_message: {per_second: 1000, burst_count: 1000}
rc_login:
  address: {per_second: 1000, burst_count: 1000}
  account: {per_second: 1000, burst_count: 1000}
  failed_attempts: {per_second: 1000, burst_count: 1000}
rc_joins:
  local: {per_second: 1000, burst_count: 1000}
EOF
synapse_up() {
    ct c "$VENV/bin/python3" -c \
        'import urllib.request; urllib.request.urlopen("http://127.0.0.1:8008/_matrix/client/versions", timeout=5)' \
        2>/dev/null
}
start_synapse() {
    sctl reset-failed chan-synapse.service 2>/dev/null || true
    ct c systemd-run --quiet --unit=chan-synapse --property=WorkingDirectory="$synapse_dir" \
        "$VENV/bin/python3" -m synapse.app.homeserver -c "$synapse_dir/homeserver.yaml"
    wait_until 180 "Synapse to answer on 127.0.0.1:8008" synapse_up
}
start_synapse
for user in board:boardpass sse:ssepass; do
    ct c "$VENV/bin/register_new_matrix_user" -u "${user%%:*}" -p "${user#*:}" --no-admin \
        -c "$synapse_dir/homeserver.yaml" http://127.0.0.1:8008 >/dev/null
done
room=$(check matrix-room http://127.0.0.1:8008 board boardpass reminders)
put /etc/sse-timeline/credentials/phone <<EOF
# The reminders room on the homeserver on loopback, by its alias (room ids of room version 12 name no server).
matrix://sse:ssepass@127.0.0.1:8008/#reminders?discovery=no
EOF
ct c chmod 0600 /etc/sse-timeline/credentials/phone
matrix_key='day-of-cooperatives-2027|2027-07-03|at start'
matrix_fields=("SSE_APPRISE=phone" "SSE_MILESTONE_ID=day-of-cooperatives-2027"
    "SSE_MILESTONE_TITLE=International Day of Cooperatives" "SSE_MILESTONE_START=2027-07-03" "SSE_REMINDER=at start"
    "SSE_PRIORITY=4" "SSE_MESSAGE=International Day of Cooperatives starts now (2027-07-03).")
sctl stop chan-synapse.service
wait_until 30 "Synapse to stop listening" eval '! port_open 8008'
if deliver 1 apprise phone "$matrix_key" "${matrix_fields[@]}"; then fail "Apprise succeeded with Synapse stopped"; fi
[ "$unit_status" = 75 ] || fail "the Apprise unit exited $unit_status with Synapse stopped, not 75"
matrix_reason=$(field REASON "MESSAGE_ID=$FAILED_ID" "DELIVERY_ID=$matrix_key|phone")
[ -n "$matrix_reason" ] || fail "no REASON for the failed Matrix delivery"
start_synapse
deliver 2 apprise phone "$matrix_key" "${matrix_fields[@]}" || fail "the Matrix delivery failed (status $unit_status)"
[ "$(field APPRISE_TYPE "MESSAGE_ID=$SENT_ID" "DELIVERY_ID=$matrix_key|phone")" = warning ] \
    || fail "PRIORITY 4 was not sent as Apprise's warning"
seen=$(check matrix-read http://127.0.0.1:8008 board boardpass "$room" "International Day of Cooperatives starts now")
[ "$seen" = 1 ] || fail "the room holds $seen copies of the reminder, not 1"
ok "3 Apprise to Matrix: Synapse stopped, attempt 1 failed (75: ${matrix_reason:0:60}...); started, attempt 2" \
    "read back once in $room"

# -- 4. Apprise to a json:// webhook that fails three times -------------------------------------------------
ct c systemd-run --quiet --unit=chan-hook "$VENV/bin/python3" "$PWD/integration/channels/check.py" hook 8099 3 \
    /mnt/chan/hook.log
wait_until 30 "the webhook receiver on 127.0.0.1:8099" port_open 8099
put /etc/sse-timeline/credentials/hook <<'EOF'
json://127.0.0.1:8099/hook
EOF
ct c chmod 0600 /etc/sse-timeline/credentials/hook
hook_key='oecd-sse-2027|2027-11-15|1 day before'
hook_fields=("SSE_APPRISE=hook" "SSE_MILESTONE_TITLE=OECD SSE conference" "SSE_MILESTONE_START=2027-11-15"
    "SSE_REMINDER=1 day before" "SSE_PRIORITY=5" "SSE_MESSAGE=OECD SSE conference starts in 1 day.")
for attempt in 1 2 3; do
    if deliver "$attempt" apprise hook "$hook_key" "${hook_fields[@]}"; then fail "attempt $attempt got through a 500"; fi
    [ "$(entries "$FAILED_ID" "$hook_key|hook" "$attempt")" = 1 ] || fail "no delivery-failed for attempt $attempt"
done
deliver 4 apprise hook "$hook_key" "${hook_fields[@]}" || fail "attempt 4 failed (status $unit_status)"
[ "$(entries "$SENT_ID" "$hook_key|hook" 4)" = 1 ] || fail "no delivery-sent for attempt 4"
hook_summary=$(ct c "$VENV/bin/python3" -c '
import json, sys
requests = [json.loads(line) for line in open(sys.argv[1])]
print(" ".join(str(r["status"]) for r in requests))
ok = [r for r in requests if r["status"] == 200]
body = json.loads(ok[0]["body"])
assert len(ok) == 1, ok
assert body["title"] == "OECD SSE conference (1 day before)", body
assert "OECD SSE conference starts in 1 day." in body["message"], body
assert body["type"] == "info", body
' /mnt/chan/hook.log) || fail "the receiver's log: $hook_summary"
[ "$hook_summary" = "500 500 500 200" ] || fail "the receiver answered: $hook_summary"
ok "4 json:// webhook: 500, 500, 500 (three delivery-failed), then 200: one successful body"

# -- 5. a credential readable by others; the sandbox's exposure ----------------------------------------------
ct c runuser -u board -- sh -c 'mkdir -p ~/.config/sse-timeline/credentials &&
    echo json://127.0.0.1:8099/x >~/.config/sse-timeline/credentials/phone &&
    chmod 0644 ~/.config/sse-timeline/credentials/phone'
refused=$(ct c runuser -u board -- env -i HOME=/home/board SSE_DELIVERY_ID='k|phone' SSE_CHANNEL=phone \
    SSE_CHANNEL_KIND=apprise SSE_APPRISE=phone SSE_REMINDER_KEY=k SSE_MILESTONE_TITLE=T \
    sh -c '/usr/bin/sse-timeline deliver; echo "status $?"' 2>&1 || true)
refusal=$(field REASON "MESSAGE_ID=$FAILED_ID" "DELIVERY_ID=k|phone")
grep -q "status 78" <<<"$refused" && grep -q "mode 0644 lets group or others read or change it.*chmod 600" <<<"$refusal" \
    || fail "a user credential of mode 0644 was not refused with 78: $refused; REASON: $refusal"
exposure=$(ct c systemd-analyze security --no-pager "${TEMPLATE}exposure.service" 2>/dev/null \
    | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || fail "systemd-analyze security gave no exposure"
ok "5 a user's credential of mode 0644 refused (78, says chmod 600); exposure of ${TEMPLATE}.service: $exposure"

# -- 6. the whole path with the daemon: 20 reminders while the MTA is stopped, kill -9, the MTA started -------
burst_config() {
    local due=$1 n
    printf '[defaults]\ntimezone = "UTC"\nreminders = ["at start"]\nnotify = ["journal", "burst"]\n\n'
    printf '[channel.burst]\nmail = ["board@localhost"]\n'
    for n in $(seq -w 1 20); do
        printf '\n[[milestone]]\nid = "burst-%s"\ntitle = "Burst %s"\nstart = %s\n' "$n" "$n" \
            "$(date -u -d "@$due" +%Y-%m-%dT%H:%M:%SZ)"
    done
}
burst_config "$(( $(date +%s) + 3600 ))" | put /mnt/chan/probe.toml
if ! probe=$(ct c sse-timeline validate --config /mnt/chan/probe.toml 2>&1); then
    grep -q "channel" <<<"$probe" || fail "validate refused the burst config for another reason: $probe"
    note "6 skipped: this tree's daemon has no [channel.NAME] (the daemon's half is not merged): ${probe:0:160}"
else
    ct c systemctl is-active --quiet polkit.service || sctl start polkit.service
    sctl stop exim4.service
    wait_until 30 "exim to stop listening" eval '! port_open 25'
    burst_due=$(( $(date +%s) + 15 ))
    burst_config "$burst_due" | put /etc/sse-timeline/timeline.toml
    sctl start sse-timeline.service || fail "the daemon does not start with [channel.burst]"
    burst_failed() { [ "$(count "MESSAGE_ID=$FAILED_ID" CHANNEL=burst ATTEMPT=1)" -ge 20 ]; }
    wait_until 90 "20 first attempts to fail with the MTA stopped" burst_failed
    pid=$(sctl show -P MainPID sse-timeline.service)
    ct c kill -KILL "$pid"
    restarted() { local now; now=$(sctl show -P MainPID sse-timeline.service); [ "$now" != 0 ] && [ "$now" != "$pid" ]; }
    wait_until 30 "systemd to restart the daemon after kill -9" restarted
    sctl start exim4.service
    wait_until 30 "exim to listen again" port_open 25
    all_arrived() { [ "$(check count-ids /var/mail/board "Burst ")" = "20 20" ]; }
    wait_until 420 "20 burst mails in /var/mail/board (retries back off from 1 minute)" all_arrived
    all_sent() { [ "$(count "MESSAGE_ID=$SENT_ID" CHANNEL=burst)" -ge 20 ]; }
    wait_until 60 "20 delivery-sent entries" all_sent
    [ "$(count "MESSAGE_ID=$SENT_ID" CHANNEL=burst)" = 20 ] || fail "more than 20 deliveries of the burst were sent"
    running=$(sctl list-units --no-legend --state=activating,active 'sse-timeline-deliver@*' | wc -l)
    [ "$running" = 0 ] || fail "$running delivery units still run after all were sent"
    counts=$(check count-ids /var/mail/board "Burst ")
    [ "$counts" = "20 20" ] || fail "the mailbox holds $counts (mails, distinct Message-IDs) of the burst, not 20 20"
    failed_attempts=$(count "MESSAGE_ID=$FAILED_ID" CHANNEL=burst)
    ok "6 the daemon: 20 reminders to [channel.burst] failed while the MTA was stopped ($failed_attempts failed" \
        "attempts), kill -9, MTA started: 20 mails, 20 distinct Message-IDs, 20 delivery-sent"
fi
# -- 7. an .ics alarm with ACTION:EMAIL: mail only to the attendee mail_allow lists, a warning for the other ------
if [ -n "${burst_due:-}" ]; then
    invite_due=$(( $(date +%s) + 20 ))
    put /etc/sse-timeline/timeline.toml <<EOF
[defaults]
timezone = "UTC"
mail_allow = ["board@localhost"]
EOF
    put /etc/sse-timeline/timeline.d/invite.ics <<EOF
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//sse-timeline channels-test//EN
BEGIN:VEVENT
UID:invite@channels-test
DTSTAMP:20261201T000000Z
DTSTART:$(date -u -d "@$invite_due" +%Y%m%dT%H%M%SZ)
SUMMARY:Invite from another calendar
BEGIN:VALARM
ACTION:EMAIL
TRIGGER:PT0S
SUMMARY:Invite from another calendar
DESCRIPTION:The board meets now.
ATTENDEE:mailto:board@localhost
ATTENDEE:mailto:stranger@example.org
END:VALARM
END:VEVENT
END:VCALENDAR
EOF
    sctl reload sse-timeline.service || fail "systemctl reload with the invitation"
    warned() { jctl -u sse-timeline.service -o cat | grep -q 'stranger@example.org.*not in mail_allow'; }
    wait_until 30 "a warning for the attendee mail_allow does not list" warned
    invite_arrived() { [ "$(check count-ids /var/mail/board "Invite from another calendar")" = "1 1" ]; }
    wait_until 90 "the invitation's mail in /var/mail/board" invite_arrived
    invite_sent() { [ "$(count "MESSAGE_ID=$SENT_ID" CHANNEL=ics-mail)" -ge 1 ]; }
    wait_until 30 "the ics-mail delivery-sent entry" invite_sent
    [ "$(count "MESSAGE_ID=$SENT_ID" CHANNEL=ics-mail)" = 1 ] || fail "the invitation was sent more than once"
    ok "7 an ACTION:EMAIL alarm from an .ics file: one mail to the allowed attendee, a warning for the other"
fi
ok "channels-test passed"
