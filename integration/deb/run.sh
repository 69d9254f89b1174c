#!/usr/bin/env bash
# Test of the Debian package under a real systemd (issue 15), as root: what an admin does with it.
#
# Builds the package twice from this tree (`make deb`: the version from git, then the same tree at a higher
# version), boots a throwaway systemd container over the host's own tree (a tmpfs overlay over all of it, so
# dpkg can install and the host is not touched; see container_boot; no network) and, with apt-get,
# systemctl and journalctl only:
#   1 install: the service is enabled and active after READY=1, with a STATUS; the catalog and the user unit
#     are in place; nothing is a conffile
#   2 a user's own instance: enabled by the package, not started by it, runs once the user has a timeline
#   3 the admin's config (a main file and a drop-in) and `systemctl reload`: the reminder comes at its instant
#   4 upgrade to the higher version while a reminder is pending: restarted, config and state kept, nothing
#     sent twice, the pending reminder comes on time
#   5 remove: the service stopped and gone, config and state kept
#   6 purge: config and state gone (a user's own files stay)
# Every wait is on an event with a deadline. On a failure it prints the unit's journal and exits non-zero; the
# container is ended by the PID this script started, on every path.
#
#   bash integration/deb/run.sh             (or: make deb-test)
#   DEB_KEEP=1 bash integration/deb/run.sh  keeps the packages and the console log in /tmp for a post-mortem
#   DEB_PREBUILT=DIR                        takes the packages found in DIR instead of building them
#                                           (make deb-test passes the one make deb built)
set -eEuo pipefail
umask 022
cd "$(dirname "$0")/../.."
source integration/lib/container.sh

readonly UNIT=sse-timeline.service
readonly DUE_ID=5d62f99487414d09a86c67131bc79872
readonly CAUGHT_UP_ID=56917b90748648e782bd402cf29b16f2
# LATENESS_USEC of an on-time reminder: 1-2 ms on an idle machine; the machine is shared, so a quarter second.
readonly MAX_LATENESS_USEC=250000
# Host services that would start in the container with the host's /etc and get in the way: apt's timers would
# take the dpkg lock in the middle of the test, a database server has no business there.
readonly MASK=(systemd.mask=apt-daily.timer systemd.mask=apt-daily-upgrade.timer systemd.mask=postgresql.service)

[ "$(id -u)" = 0 ] || { echo "deb-test: must run as root (it boots a systemd container)" >&2; exit 1; }
need systemd-nspawn systemd-container
need dh debhelper

work=$(mktemp -d /tmp/sse-deb.XXXXXX)
chmod 0755 "$work"
trap containers_cleanup EXIT
trap 'printf "[%s] FAIL  line %s: %s\n" "$(elapsed)" "$LINENO" "$BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

on_failure() {
    [ -n "${CT_PID[deb]:-}" ] && [ -d "/proc/${CT_PID[deb]}" ] || return 0
    echo "---- journalctl -u $UNIT ----" >&2
    ct deb journalctl -u "$UNIT" --no-pager -o short-precise 2>&1 | tail -n 100 >&2 || true
    echo "---- systemctl status ----" >&2
    ct deb systemctl status "$UNIT" --no-pager -l >&2 2>&1 || true
    echo "---- apt ----" >&2
    tail -n 40 "$work"/apt-*.log >&2 2>/dev/null || true
}
cleanup_extra() {
    if [ "${DEB_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}

# -- the two packages ----------------------------------------------------------------------------------

v1=${DEB_VERSION:-$(scripts/deb-version.sh)}
v2="$v1+upgrade1"
dpkg --compare-versions "$v2" gt "$v1" || fail "$v2 does not sort above $v1"
arch=$(dpkg --print-architecture)
mkdir -p "$work/debs"
for version in "$v1" "$v2"; do
    file=sse-timeline_${version}_$arch.deb
    if [ -n "${DEB_PREBUILT:-}" ] && [ -f "$DEB_PREBUILT/$file" ]; then
        cp "$DEB_PREBUILT/$file" "$work/debs/"
        say "took $file from $DEB_PREBUILT"
        continue
    fi
    t0=$(date +%s%N)
    # (No -dbgsym package: the test does not need one.)
    if ! DEB_BUILD_OPTIONS=noautodbgsym ${MAKE:-make} --no-print-directory deb DEB_VERSION="$version" \
        DEB_OUTDIR="$work/debs" LINTIAN=no >"$work/build-$version.log" 2>&1; then
        tail -n 40 "$work/build-$version.log" >&2
        fail "make deb DEB_VERSION=$version"
    fi
    say "built $file in $(ms_since "$t0") ms"
done
deb1=/mnt/sse-deb/sse-timeline_${v1}_$arch.deb
deb2=/mnt/sse-deb/sse-timeline_${v2}_$arch.deb
depends=$(dpkg-deb -f "$work/debs/sse-timeline_${v1}_$arch.deb" Depends)
grep -qi swift <<<"$depends" && fail "the package depends on Swift: $depends"

# -- the container -------------------------------------------------------------------------------------

say "booting a systemd container (the host's tree, writable under a tmpfs overlay; no network)"
container_boot deb "sse-deb-$$" "$work/console.log" --writable-host="$work/host" --private-network \
    --tmpfs=/usr/local:mode=0755 --bind-ro="$work/debs:/mnt/sse-deb" -- "${MASK[@]}"
ok "container up (${CT_STATE[deb]}), PID 1 is ${CT_PID[deb]} on the host"

sctl() { ct deb systemctl "$@"; }
prop() { sctl show -P "$1" "$UNIT"; }
jctl() { ct deb journalctl --no-pager -q "$@"; }
# apt-get as an admin types it, without a terminal; the lock timeout covers any apt run the host's /etc starts.
apt_get() {
    local log=$work/apt-$1.log
    shift
    ct deb env DEBIAN_FRONTEND=noninteractive apt-get -y -o DPkg::Lock::Timeout=120 "$@" >"$log" 2>&1 \
        || { tail -n 40 "$log" >&2; fail "apt-get $*"; }
}
at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
in_seconds() { echo $(( $(date +%s) + $1 )); }
put() { ct deb sh -c "mkdir -p \"\$(dirname '$1')\" && cat >'$1.new' && mv '$1.new' '$1'"; }
entries() { jctl -u "$UNIT" -o export "$@"; }
count() { jctl -u "$UNIT" -o export --output-fields=MESSAGE_ID "$@" | grep -c '^__CURSOR=' || true; }
field() {
    local name=$1
    shift
    entries "$@" | sed -n "s/^$name=//p"
}
has_count() { local n=$1; shift; [ "$(count "$@")" -ge "$n" ]; }
status_has() { grep -qF -- "$1" <<<"$(prop StatusText)"; }
package_state() { ct deb dpkg-query -W -f='${db:Status-Abbrev}${Version}' sse-timeline 2>/dev/null || true; }
# The admin's files and the service's state, as checksums, to compare across upgrade and removal.
config_sums() { ct deb sh -c 'cd /etc/sse-timeline && find . -type f | sort | xargs -r sha256sum'; }
state_files() { ct deb sh -c 'ls /var/lib/private/sse-timeline 2>/dev/null | sort | tr "\n" " "'; }

# An on-time reminder: exactly one entry of MILESTONE_ID, due at EPOCH, the on-time MESSAGE_ID, not late.
check_on_time() {
    local id=$1 due=$2 entry lateness
    entry=$(entries "MILESTONE_ID=$id")
    [ "$(grep -c '^MILESTONE_ID=' <<<"$entry")" = 1 ] || fail "MILESTONE_ID=$id: $(grep -c '^MILESTONE_ID=' <<<"$entry") entries, not 1"
    grep -qx "MESSAGE_ID=$DUE_ID" <<<"$entry" || fail "MILESTONE_ID=$id: not the on-time MESSAGE_ID (caught up?)"
    grep -qx "DUE_AT=$(date -u -d "@$due" +%Y-%m-%dT%H:%M:%S)+00:00" <<<"$entry" || fail "MILESTONE_ID=$id: DUE_AT"
    lateness=$(sed -n 's/^LATENESS_USEC=//p' <<<"$entry")
    [ "$lateness" -lt "$MAX_LATENESS_USEC" ] || fail "MILESTONE_ID=$id: LATENESS_USEC=$lateness"
    echo "$lateness"
}

# -- 1. install ------------------------------------------------------------------------------------------

# This machine's image has a policy-rc.d that forbids maintainer scripts to start services (as images made
# for Docker do); an admin's machine has none.
ct deb rm -f /usr/sbin/policy-rc.d

# A user with a running user manager before the package comes (lingering: as if logged in).
ct deb useradd -m -s /bin/sh alice
alice_uid=$(ct deb id -u alice)
ct deb loginctl enable-linger alice
user_manager_up() { [ "$(sctl show -P ActiveState "user@$alice_uid.service")" = active ]; }
wait_until 30 "alice's user manager" user_manager_up
as_alice() { ct deb runuser -u alice -- env XDG_RUNTIME_DIR="/run/user/$alice_uid" "$@"; }

t0=$(date +%s%N)
apt_get install install "$deb1"
install_ms=$(ms_since "$t0")
[ "$(package_state)" = "ii $v1" ] || fail "dpkg says $(package_state), not ii $v1"
[ "$(sctl is-enabled "$UNIT")" = enabled ] || fail "$UNIT is not enabled: $(sctl is-enabled "$UNIT")"
[ "$(prop ActiveState)/$(prop SubState)" = active/running ] \
    || fail "after install: $(prop ActiveState)/$(prop SubState), not active/running"
[ "$(prop Type)" = notify ] || fail "Type=$(prop Type)"
status=$(prop StatusText)
case $status in *"milestones"*"next: "*) ;; *) fail "no STATUS naming the next reminder: $status" ;; esac
fragment=$(ct deb realpath "$(prop FragmentPath)")
shipped=$(ct deb dpkg -L sse-timeline | grep '/systemd/system/sse-timeline.service$')
[ "$fragment" = "$(ct deb realpath "$shipped")" ] || fail "the unit $fragment is not the package's $shipped"
conffiles=$(ct deb dpkg-query -W -f='${Conffiles}' sse-timeline)
[ -z "$conffiles" ] || fail "the package has conffiles: $conffiles"
ct deb test -d /etc/sse-timeline/timeline.d || fail "no /etc/sse-timeline/timeline.d after install"
ct deb test ! -e /etc/sse-timeline/timeline.toml || fail "the package put a /etc/sse-timeline/timeline.toml"
used=$(jctl -u "$UNIT" -o cat --output-fields=CONFIG MESSAGE_ID=78a933bccce148dda28b4f43b25024c2 | tail -n 1)
[ "$used" = "<embedded default timeline>" ] || fail "the service started on $used, not the embedded default"
# systemd's dpkg trigger on /usr/lib/systemd/catalog ran journalctl --update-catalog.
# (grep reads all: with pipefail, grep -q leaving early would fail the pipeline with SIGPIPE.)
catalog_has_ours() { jctl --list-catalog 2>/dev/null | grep -c "^$DUE_ID " >/dev/null; }
catalog_has_ours || fail "the catalog is not in journald's database"
for file in /usr/bin/sse-timeline /usr/lib/systemd/user/sse-timeline.service /usr/share/man/man1/sse-timeline.1.gz \
    /usr/share/bash-completion/completions/sse-timeline /usr/share/zsh/vendor-completions/_sse-timeline \
    /usr/share/fish/vendor_completions.d/sse-timeline.fish /usr/share/sse-timeline/timeline.toml \
    /usr/share/doc/sse-timeline/copyright /usr/share/doc/sse-timeline/changelog.gz \
    /usr/share/doc/sse-timeline/operations.md /usr/lib/systemd/catalog/sse-timeline.catalog \
    /usr/share/man/man5/sse-timeline.toml.5.gz /usr/share/man/man8/sse-timeline.8.gz; do
    ct deb test -f "$file" || fail "$file is not installed"
done
# The package's --version is that of the binary `make install` installs (issue 23): the same commit's build.
packaged_version=$(ct deb sse-timeline --version)
[ "$packaged_version" = "$(.build-release/release/sse-timeline --version)" ] \
    || fail "the package's --version \"$packaged_version\" is not make install's"
out=$(ct deb systemd-analyze verify --man=no "$UNIT" 2>&1) || fail "systemd-analyze verify: $out"
ok "1 apt-get install ($install_ms ms): $UNIT enabled, active/running after READY=1 on the embedded default;" \
    "no conffiles; catalog in journald's database (dpkg trigger); StatusText: $status"

# -- 2. a user's own instance -------------------------------------------------------------------------------

[ "$(sctl --global is-enabled "$UNIT")" = enabled ] || fail "the user unit is not enabled for users"
out=$(as_alice systemd-analyze --user verify --man=no "/usr/lib/systemd/user/$UNIT" 2>&1) \
    || fail "systemd-analyze --user verify: $out"
[ -z "$out" ] || fail "systemd-analyze --user verify is not clean: $out"
as_alice systemctl --user daemon-reload
user_state=$(as_alice systemctl --user is-active "$UNIT" || true)
[ "$user_state" = inactive ] || fail "the package started alice's user unit: $user_state"
# Without a timeline of her own the unit would not start (ConditionPathExists=): give her one.
user_due=$(in_seconds 5)
as_alice sh -c "mkdir -p ~/.config/sse-timeline && cat >~/.config/sse-timeline/timeline.toml" <<EOF
[defaults]
timezone = "UTC"
reminders = ["at start"]

[[milestone]]
id = "deb-alice"
title = "Alice's own milestone"
start = $(at "$user_due")
EOF
as_alice systemctl --user start "$UNIT" || fail "systemctl --user start"
user_status=$(as_alice systemctl --user show -P StatusText "$UNIT")
case $user_status in *"next: Alice's own milestone"*) ;; *) fail "alice's StatusText: $user_status" ;; esac
user_pid=$(as_alice systemctl --user show -P MainPID "$UNIT")
user_proc=$(ct deb cat "/proc/$user_pid/status")
for want in "NoNewPrivs:	1" "Seccomp:	2" "Uid:	$alice_uid	"; do
    grep -qF "$want" <<<"$user_proc" || fail "alice's instance (PID $user_pid): no \"$want\" in its status"
done
alice_has() { [ "$(jctl "_UID=$alice_uid" MILESTONE_ID=deb-alice -o cat | grep -c .)" -ge 1 ]; }
wait_until 15 "alice's reminder in her journal" alice_has
user_unit=$(jctl "_UID=$alice_uid" MILESTONE_ID=deb-alice -o export | sed -n 's/^_SYSTEMD_USER_UNIT=//p')
[ "$user_unit" = "$UNIT" ] || fail "alice's reminder came from $user_unit"
[ "$(count MILESTONE_ID=deb-alice)" = 0 ] || fail "the system service sent alice's milestone"
# A running user instance is the user's business: the package does not stop it on removal (debhelper has no
# way to reach users' managers). Stop it as alice would, so that step 5 sees the system service alone.
as_alice systemctl --user stop "$UNIT"
ok "2 user unit: verify clean, enabled for users, not started by the package; alice's own instance (her UID," \
    "NoNewPrivs, seccomp) ran her timeline (\"$user_status\") into her journal"

# -- 3. the admin's config and a reload ------------------------------------------------------------------

soon=$(in_seconds 6)
put /etc/sse-timeline/timeline.toml <<EOF
# The admin's main file: replaces the embedded default timeline.
[defaults]
timezone = "UTC"
reminders = ["at start"]

[[milestone]]
id = "deb-far"
title = "Deb far milestone"
start = 2099-01-01T00:00:00Z
EOF
put /etc/sse-timeline/timeline.d/50-soon.toml <<EOF
[[milestone]]
id = "deb-soon"
title = "Deb soon milestone"
start = $(at "$soon")
EOF
ct deb sse-timeline validate >/dev/null 2>&1 || fail "sse-timeline validate on the admin's config"
sctl reload "$UNIT" || fail "systemctl reload"
wait_until 5 "StatusText names the drop-in's milestone" status_has "next: Deb soon milestone"
wait_until 15 "the drop-in's reminder" has_count 1 MILESTONE_ID=deb-soon
lateness=$(check_on_time deb-soon "$soon")
ok "3 /etc/sse-timeline/timeline.toml + timeline.d/50-soon.toml, systemctl reload: the reminder came at its" \
    "instant ($lateness µs late)"

# -- 4. upgrade while a reminder is pending ------------------------------------------------------------------

# Due well after the upgrade has finished: three times the install's duration, and at least 15 s.
lead=$(( install_ms * 3 / 1000 + 5 ))
[ "$lead" -ge 15 ] || lead=15
pending=$(in_seconds "$lead")
put /etc/sse-timeline/timeline.d/60-pending.toml <<EOF
[[milestone]]
id = "deb-pending"
title = "Deb pending milestone"
start = $(at "$pending")
EOF
sctl reload "$UNIT" || fail "systemctl reload (pending)"
wait_until 5 "StatusText names the pending milestone" status_has "next: Deb pending milestone"
sums_before=$(config_sums)
state_before=$(state_files)
[ -n "$state_before" ] || fail "no state in /var/lib/private/sse-timeline before the upgrade"
pid_before=$(prop MainPID)

t0=$(date +%s%N)
apt_get upgrade install "$deb2"
upgrade_ms=$(ms_since "$t0")
[ "$(date +%s)" -lt "$pending" ] || fail "the upgrade took $upgrade_ms ms and ended after the pending reminder's instant"
[ "$(package_state)" = "ii $v2" ] || fail "after the upgrade dpkg says $(package_state), not ii $v2"
[ "$(prop ActiveState)" = active ] || fail "not active after the upgrade"
pid_after=$(prop MainPID)
[ "$pid_after" != "$pid_before" ] || fail "not restarted by the upgrade (same PID $pid_before)"
if grep -q "Conffile\|configuration file" "$work/apt-upgrade.log"; then fail "the upgrade asked about a config file"; fi
[ "$(config_sums)" = "$sums_before" ] || fail "the upgrade changed the admin's config"
[ "$(state_files)" = "$state_before" ] || fail "state files before ($state_before) and after ($(state_files))"
status_has "next: Deb pending milestone" || fail "after the upgrade StatusText is $(prop StatusText)"
wait_until $(( pending - $(date +%s) + 10 )) "the pending reminder" has_count 1 MILESTONE_ID=deb-pending
lateness=$(check_on_time deb-pending "$pending")
[ "$(count MILESTONE_ID=deb-soon)" = 1 ] || fail "deb-soon was sent again after the upgrade"
ok "4 upgrade $v1 -> $v2 ($upgrade_ms ms) with a reminder pending: restarted (PID $pid_before -> $pid_after)," \
    "config and state ($state_before) kept, the pending reminder came once on time ($lateness µs late), none again"

# -- 5. remove -----------------------------------------------------------------------------------------------

apt_get remove remove sse-timeline
[ "$(package_state)" = "rc $v2" ] || fail "after remove dpkg says $(package_state), not rc $v2"
[ "$(prop LoadState)" = not-found ] || fail "the unit is still there: LoadState=$(prop LoadState)"
if ct deb pgrep -x sse-timeline >/dev/null; then fail "an sse-timeline process still runs after remove"; fi
[ "$(config_sums)" = "$sums_before" ] || fail "remove changed the admin's config"
[ "$(state_files)" = "$state_before" ] || fail "remove changed the state: $(state_files)"
if catalog_has_ours; then fail "the catalog is still in journald's database"; fi
stop_entry=$(jctl -u "$UNIT" -o cat --output-fields=MESSAGE -n 3 | tr '\n' ' ')
ok "5 apt-get remove: stopped, unit gone, no process; config and state kept; catalog out of the database" \
    "(last lines: $stop_entry)"

# -- 6. purge ------------------------------------------------------------------------------------------------

apt_get purge purge sse-timeline
[ -z "$(package_state)" ] || [ "$(package_state)" = "un " ] || fail "after purge dpkg says $(package_state)"
for path in /etc/sse-timeline /var/lib/private/sse-timeline /var/lib/sse-timeline; do
    if ct deb test -e "$path" || ct deb test -L "$path"; then fail "$path is still there after purge"; fi
done
ct deb test -f "/home/alice/.config/sse-timeline/timeline.toml" || fail "purge removed alice's own timeline"

# -- nothing sent twice, over the whole run ----------------------------------------------------------------

dups=$(jctl -u "$UNIT" "MESSAGE_ID=$DUE_ID" "MESSAGE_ID=$CAUGHT_UP_ID" -o cat --output-fields=REMINDER_KEY \
    | sort | uniq -d)
[ -z "$dups" ] || fail "reminders sent twice: $dups"
ok "6 apt-get purge: /etc/sse-timeline and the state gone, alice's ~/.config/sse-timeline kept;" \
    "no reminder sent twice over the run; finished in $(elapsed)"
