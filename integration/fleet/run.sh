#!/usr/bin/env bash
# The fleet, end to end (issue 15), as root: one host's reminders in another host's journal.
#
# Two throwaway systemd containers over the host's own tree (writable under a tmpfs overlay), each with its
# own hostname and machine ID, joined by a veth pair in two network namespaces that this script creates
# (link-local addresses, nothing routed anywhere else):
#   node A installs the package (apt-get install ./sse-timeline_*.deb) and runs systemd-journal-upload to B;
#   node B runs systemd-journal-remote (plain HTTP, for the test) into /var/log/journal/remote/.
# It checks, on B only with journalctl: A's reminder with every field A's journal has (MESSAGE_ID, DUE_AT,
# LATENESS_USEC, _HOSTNAME of A, ...); `journalctl -x` without and with the catalog installed on B; and that
# stopping and restarting the uploader, once idle and once amid a backlog, loses no entry: every entry of A's
# journal up to a marker is on B. It sends at most one again per stop (systemd 252: the last it had sent
# before the stop, which the test names), and nothing else twice.
# Every wait is on an event with a deadline. The containers are ended by the PIDs this script started and the
# network namespaces deleted, on every path.
#
#   bash integration/fleet/run.sh             (or: make fleet-test)
#   FLEET_KEEP=1 bash integration/fleet/run.sh keeps the package and console logs in /tmp for a post-mortem
#   DEB_PREBUILT=DIR                            takes the package from DIR when it is there (make fleet-test
#                                               passes the one make deb built)
set -eEuo pipefail
umask 022
cd "$(dirname "$0")/../.."
source integration/lib/container.sh

readonly UNIT=sse-timeline.service
readonly DUE_ID=5d62f99487414d09a86c67131bc79872
readonly REMOTE_DIR=/var/log/journal/remote
readonly PORT=19532
# A veth link between the two namespaces, IPv4 link-local (RFC 3927): never routed off the link.
readonly ADDR_A=169.254.77.1 ADDR_B=169.254.77.2
# Reminders due in one second while the uploader is stopped: a backlog to restart the uploader in the middle of.
readonly BACKLOG=3000
readonly MASK=(systemd.mask=apt-daily.timer systemd.mask=apt-daily-upgrade.timer systemd.mask=postgresql.service)

[ "$(id -u)" = 0 ] || { echo "fleet-test: must run as root (it boots systemd containers)" >&2; exit 1; }
need systemd-nspawn systemd-container
need /lib/systemd/systemd-journal-remote systemd-journal-remote
need dh debhelper
need ip iproute2

work=$(mktemp -d /tmp/sse-fleet.XXXXXX)
chmod 0755 "$work"
netns_a=sse-fleet-a-$$
netns_b=sse-fleet-b-$$
name_a=sse-fleet-a-$$
name_b=sse-fleet-b-$$
trap containers_cleanup EXIT
trap 'printf "[%s] FAIL  line %s: %s\n" "$(elapsed)" "$LINENO" "$BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

on_failure() {
    local key unit
    for key in a b; do
        [ -n "${CT_PID[$key]:-}" ] && [ -d "/proc/${CT_PID[$key]}" ] || continue
        for unit in sse-timeline.service systemd-journal-upload.service systemd-journal-remote.service; do
            echo "---- node $key: journalctl -u $unit ----" >&2
            ct "$key" journalctl -u "$unit" --no-pager -o short-precise 2>&1 | grep -v 'Synthetic milestone' \
                | tail -n 30 >&2 || true
        done
    done
}
cleanup_extra() {
    ip netns delete "$netns_a" 2>/dev/null || true
    ip netns delete "$netns_b" 2>/dev/null || true
    if [ "${FLEET_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}

# -- the package, the network, the nodes ------------------------------------------------------------------

version=${DEB_VERSION:-$(scripts/deb-version.sh)}
arch=$(dpkg --print-architecture)
mkdir -p "$work/debs"
if [ -n "${DEB_PREBUILT:-}" ] && [ -f "$DEB_PREBUILT/sse-timeline_${version}_$arch.deb" ]; then
    cp "$DEB_PREBUILT/sse-timeline_${version}_$arch.deb" "$work/debs/"
    say "took sse-timeline_${version}_$arch.deb from $DEB_PREBUILT"
else
    t0=$(date +%s%N)
    if ! DEB_BUILD_OPTIONS=noautodbgsym ${MAKE:-make} --no-print-directory deb DEB_VERSION="$version" \
        DEB_OUTDIR="$work/debs" LINTIAN=no >"$work/build.log" 2>&1; then
        tail -n 40 "$work/build.log" >&2
        fail "make deb"
    fi
    say "built sse-timeline_${version}_$arch.deb in $(ms_since "$t0") ms"
fi
deb=/mnt/sse-fleet/sse-timeline_${version}_$arch.deb

ip netns add "$netns_a"
ip netns add "$netns_b"
ip -n "$netns_a" link add veth0 type veth peer name veth0 netns "$netns_b"
ip -n "$netns_a" addr add "$ADDR_A/24" dev veth0
ip -n "$netns_b" addr add "$ADDR_B/24" dev veth0
for ns in "$netns_a" "$netns_b"; do
    ip -n "$ns" link set lo up
    ip -n "$ns" link set veth0 up
done

# Each node its own hostname and machine ID (the overlaid /etc is the host's), bound over the host's files.
for key in a b; do
    mkdir -p "$work/$key"
    name_var=name_$key
    echo "${!name_var}" >"$work/$key/hostname"
    systemd-id128 new >"$work/$key/machine-id"
done
boot() {
    local key=$1 name=$2 netns=$3
    container_boot "$key" "$name" "$work/$key/console.log" --writable-host="$work/$key/host" \
        --network-namespace-path="/run/netns/$netns" --tmpfs=/usr/local:mode=0755 \
        --bind-ro="$work/$key/hostname:/etc/hostname" --bind-ro="$work/$key/machine-id:/etc/machine-id" \
        --bind-ro="$work/debs:/mnt/sse-fleet" -- "${MASK[@]}"
}
boot b "$name_b" "$netns_b"
# This machine's image forbids maintainer scripts to start services (policy-rc.d, as Docker images have).
ct b rm -f /usr/sbin/policy-rc.d
boot a "$name_a" "$netns_a"
ct a rm -f /usr/sbin/policy-rc.d
[ "$(ct a hostname)" = "$name_a" ] && [ "$(ct b hostname)" = "$name_b" ] || fail "hostnames $(ct a hostname), $(ct b hostname)"
[ "$(ct a cat /etc/machine-id)" != "$(ct b cat /etc/machine-id)" ] || fail "the nodes share a machine ID"
ok "nodes up: A $name_a (${CT_STATE[a]}) at $ADDR_A, B $name_b (${CT_STATE[b]}) at $ADDR_B, linked by a veth pair"

at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
in_seconds() { echo $(( $(date +%s) + $1 )); }
put() {
    local key=$1 path=$2
    ct "$key" sh -c "mkdir -p \"\$(dirname '$path')\" && cat >'$path.new' && mv '$path.new' '$path'"
}
# On A, its own journal; on B, the remote directory only.
jctl_a() { ct a journalctl --no-pager -q "$@"; }
jctl_b() { ct b journalctl --no-pager -q -D "$REMOTE_DIR" "$@"; }
# The number of entries that match.
count_a() { jctl_a -o export --output-fields=MESSAGE_ID "$@" | grep -c '^__CURSOR=' || true; }
count_b() { jctl_b -o export --output-fields=MESSAGE_ID "$@" | grep -c '^__CURSOR=' || true; }
has_a() { local n=$1; shift; [ "$(count_a "$@")" -ge "$n" ]; }
has_b() { local n=$1; shift; [ "$(count_b "$@")" -ge "$n" ]; }

# -- B: systemd-journal-remote over plain HTTP ----------------------------------------------------------------

# The shipped unit listens for HTTPS with certificates it does not have; a test uses HTTP (docs/fleet.md has the
# TLS set-up for production).
put b /etc/systemd/system/systemd-journal-remote.service.d/50-fleet-http.conf <<EOF
[Service]
ExecStart=
ExecStart=/lib/systemd/systemd-journal-remote --listen-http=-3 --output=$REMOTE_DIR/
EOF
ct b systemctl daemon-reload
ct b systemctl start systemd-journal-remote.socket
[ "$(ct b systemctl is-active systemd-journal-remote.socket)" = active ] || fail "journal-remote socket not active"
ok "B: systemd-journal-remote.socket listening on $ADDR_B:$PORT (HTTP), storing into $REMOTE_DIR"

# -- A: the package, a reminder, and systemd-journal-upload to B ------------------------------------------------

ct a env DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=120 "$deb" >"$work/apt.log" 2>&1 \
    || { tail -n 30 "$work/apt.log" >&2; fail "apt-get install on A"; }
[ "$(ct a systemctl is-active "$UNIT")" = active ] || fail "$UNIT not active on A after install"
put a /etc/systemd/journal-upload.conf.d/50-fleet.conf <<EOF
[Upload]
URL=http://$ADDR_B:$PORT
EOF
ct a systemctl start systemd-journal-upload.service
[ "$(ct a systemctl is-active systemd-journal-upload.service)" = active ] || fail "journal-upload not active on A"

due=$(in_seconds 6)
put a /etc/sse-timeline/timeline.d/50-fleet.toml <<EOF
[[milestone]]
id = "fleet-a"
title = "Fleet milestone on node A"
start = $(at "$due")
timezone = "UTC"
location = "node A"
tags = ["fleet"]
source = "https://example.org/sse-timeline/fleet"
reminders = ["at start"]
EOF
ct a systemctl reload "$UNIT"
wait_until 15 "A's reminder in A's journal" has_a 1 MILESTONE_ID=fleet-a
t_local=$(date +%s%N)
wait_until 30 "A's reminder on B" has_b 1 MILESTONE_ID=fleet-a
forward_ms=$(ms_since "$t_local")
ok "A: package installed, uploader started; A's reminder reached B's $REMOTE_DIR about $forward_ms ms after" \
    "it was in A's journal"

# -- the entry on B: every field A has -------------------------------------------------------------------------

# Fields of one entry in export format, without the journal's own bookkeeping (__CURSOR, __SEQNUM...),
# which each journal numbers for itself.
fields() { grep -v '^__' | grep . | sort; }
entry_a=$(jctl_a -o export MILESTONE_ID=fleet-a)
entry_b=$(jctl_b -o export MILESTONE_ID=fleet-a)
[ "$(count_b MILESTONE_ID=fleet-a)" = 1 ] || fail "B has $(count_b MILESTONE_ID=fleet-a) entries of fleet-a, not 1"
for f in "MESSAGE_ID=$DUE_ID" "DUE_AT=$(date -u -d "@$due" +%Y-%m-%dT%H:%M:%S)+00:00" "_HOSTNAME=$name_a" \
    "MILESTONE_ID=fleet-a" "SYSLOG_IDENTIFIER=sse-timeline" "_SYSTEMD_UNIT=$UNIT" "TAGS=fleet" \
    "MILESTONE_LOCATION=node A" "SOURCE_URL=https://example.org/sse-timeline/fleet" \
    "_MACHINE_ID=$(ct a cat /etc/machine-id)"; do
    grep -qxF -- "$f" <<<"$entry_b" || fail "B's entry has no $f: $entry_b"
done
grep -q '^LATENESS_USEC=[0-9]' <<<"$entry_b" || fail "B's entry has no LATENESS_USEC"
missing=$(comm -23 <(fields <<<"$entry_a") <(fields <<<"$entry_b"))
[ -z "$missing" ] || fail "fields of A's entry that B lacks or has otherwise: $missing"
for t in __REALTIME_TIMESTAMP __MONOTONIC_TIMESTAMP; do
    [ "$(grep "^$t=" <<<"$entry_a")" = "$(grep "^$t=" <<<"$entry_b")" ] || fail "$t differs between A and B"
done
ok "B: journalctl -D $REMOTE_DIR MILESTONE_ID=fleet-a finds A's reminder once, with all $(fields <<<"$entry_a" | wc -l)" \
    "fields of A's entry, identical (MESSAGE_ID, DUE_AT, $(grep '^LATENESS_USEC=' <<<"$entry_b"), _HOSTNAME=$name_a," \
    "...) and A's timestamps"

# -- the catalog on B -------------------------------------------------------------------------------------------

explained() { jctl_b -x MILESTONE_ID=fleet-a; }
if grep -qF "Subject: Reminder due" <<<"$(explained)"; then fail "B explains the entry before it has the catalog"; fi
# What docs/fleet.md tells an operator of a central host that does not run sse-timeline: the package's catalog
# file into /usr/local/lib/systemd/catalog/, then journalctl --update-catalog.
ct b sh -c "dpkg-deb --fsys-tarfile '$deb' | tar -xO ./usr/lib/systemd/catalog/sse-timeline.catalog" \
    | put b /usr/local/lib/systemd/catalog/sse-timeline.catalog
ct b journalctl --update-catalog
text=$(explained)
grep -qF "Subject: Reminder due: Fleet milestone on node A (at start)" <<<"$text" \
    || fail "journalctl -x on B shows no catalog text: $text"
grep -qF "journalctl -u sse-timeline MILESTONE_ID=fleet-a" <<<"$text" || fail "the catalog text is not filled in: $text"
ok "B: journalctl -x shows no text before the catalog is installed, and A's entry explained after"

# -- the uploader stopped and restarted: nothing lost, nothing twice ---------------------------------------------

# 1. Stopped while idle; reminders come due on A meanwhile; started again.
ct a systemctl stop systemd-journal-upload.service
while_stopped=$(in_seconds 3)
{
    for i in 1 2 3; do
        printf '[[milestone]]\nid = "fleet-stopped-%s"\ntitle = "Fleet reminder while the uploader is stopped %s"\n' "$i" "$i"
        printf 'start = %s\nreminders = ["at start"]\n\n' "$(at $((while_stopped + i)))"
    done
} | put a /etc/sse-timeline/timeline.d/60-stopped.toml
ct a systemctl reload "$UNIT"
wait_until 15 "the three reminders in A's journal" has_a 1 MILESTONE_ID=fleet-stopped-3
[ "$(count_b MILESTONE_ID=fleet-stopped-1)" = 0 ] || fail "B got an entry while the uploader was stopped"
ct a systemctl start systemd-journal-upload.service
wait_until 30 "the three reminders on B" has_b 1 MILESTONE_ID=fleet-stopped-3
ok "uploader stopped while 3 reminders came due on A, started again: they reached B"

# 2. Stopped again; a backlog of reminders due in one second; started, and restarted at once while it catches up.
# (A stop never cuts a request short: journal-upload ends the request it is in, then exits.)
ct a systemctl stop systemd-journal-upload.service
backlog_at=$(in_seconds 5)
ct a sse-timeline generate-synthetic --milestones "$BACKLOG" --reminders 1 --spread 0 --start "$(at "$backlog_at")" \
    | put a /etc/sse-timeline/timeline.d/70-backlog.toml
ct a systemctl reload "$UNIT"
backlog_ids() { jctl_a "MESSAGE_ID=$DUE_ID" -o cat --output-fields=MILESTONE_ID | grep -c '^synthetic-' || true; }
backlog_on_a() { [ "$(backlog_ids)" -ge "$BACKLOG" ]; }
wait_until 60 "$BACKLOG backlog reminders in A's journal" backlog_on_a
ct a systemctl start systemd-journal-upload.service
ct a systemctl restart systemd-journal-upload.service
# A marker after everything: when it is on B, B has all that A had before it.
marker="fleet-marker-$$-$(date +%s%N)"
ct a systemd-cat -t fleet-test echo "$marker"
wait_until 5 "the marker in A's journal" has_a 1 "MESSAGE=$marker"
wait_until 60 "the marker on B" has_b 1 "MESSAGE=$marker"

# Every entry of A's journal up to the marker, by what identifies it (boot, both timestamps, the writing
# process, the message), against B's. Lost: fewer on B than on A. Sent again: more on B than on A. The
# uploader was stopped or restarted 3 times; systemd 252's journal-upload sends the last entry it had sent
# before a stop once more after the start (its saved cursor is right, its resume lands on it again): so at
# most one entry per stop, and only one of the few entries written up to the uploader's "Stopping" line.
compare() {
    python3 - "$marker" "$work/a.json" "$work/b.json" <<'PY'
import collections, json, sys
marker, a_path, b_path = sys.argv[1:]
def entries(path, until=None):
    out = []
    for line in open(path):
        e = json.loads(line)
        out.append(((e.get("_BOOT_ID"), e["__REALTIME_TIMESTAMP"], e["__MONOTONIC_TIMESTAMP"], e.get("_PID"),
                     json.dumps(e.get("MESSAGE"))), e))
        if until is not None and e.get("MESSAGE") == until:
            break
    return out
a, b = entries(a_path, marker), entries(b_path)
count_a = collections.Counter(k for k, _ in a)
count_b = collections.Counter(k for k, _ in b)
lost = [k for k in count_a if count_b[k] < count_a[k]]
again = [k for k in count_a if count_b[k] > count_a[k]]
stops = [i for i, (_, e) in enumerate(a)
         if str(e.get("MESSAGE", "")).startswith("Stopping systemd-journal-upload.service")]
before_stop = {a[j][0] for i in stops for j in range(max(0, i - 5), i + 1)}
keys_b = collections.Counter(e.get("REMINDER_KEY") for _, e in b if e.get("MILESTONE_ID", "").startswith("synthetic-"))
print(json.dumps({
    "entries": len(a), "marker_last": a[-1][1].get("MESSAGE") == marker, "stops": len(stops),
    "lost": [str(k) for k in lost[:5]], "lost_count": len(lost),
    "again": [json.loads(k[4]) for k in again], "again_count": sum(count_b[k] - count_a[k] for k in again),
    "again_not_before_a_stop": [str(k) for k in again if k not in before_stop],
    "backlog_keys": len(keys_b),
}))
PY
}
jctl_a -o json --output-fields=_BOOT_ID,_PID,MESSAGE,MILESTONE_ID,REMINDER_KEY >"$work/a.json"
jctl_b -o json --output-fields=_BOOT_ID,_PID,MESSAGE,MILESTONE_ID,REMINDER_KEY >"$work/b.json"
result=$(compare)
get() { python3 -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1])[sys.argv[2]]))' "$result" "$1"; }
[ "$(get marker_last)" = true ] || fail "the marker is not in A's journal as read"
[ "$(get stops)" = 3 ] || fail "expected 3 stops of the uploader in A's journal, found $(get stops)"
[ "$(get lost_count)" = 0 ] || fail "$(get lost_count) entries of A are not on B, e.g. $(get lost)"
[ "$(get again_not_before_a_stop)" = "[]" ] || fail "entries sent twice that were not the last before a stop: $(get again_not_before_a_stop)"
[ "$(get again_count)" -le 3 ] || fail "$(get again_count) entries sent twice for 3 stops: $(get again)"
[ "$(get backlog_keys)" = "$BACKLOG" ] || fail "B has $(get backlog_keys) distinct backlog reminders, not $BACKLOG"
ok "uploader stopped twice and restarted once, once amid a backlog of $BACKLOG reminders: none of the $(get entries)" \
    "entries of A's journal up to a marker is missing on B, and all $BACKLOG backlog reminders are there"
if [ "$(get again_count)" != 0 ]; then
    note "journal-upload sent $(get again_count) entries twice, each the last it had sent before a stop: $(get again)"
fi
say "finished in $(elapsed)"
