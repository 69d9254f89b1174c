# Helpers for the container tests (integration/deb, integration/fleet): output with elapsed times, waits on an
# event with a deadline, and booting, entering and ending throwaway systemd containers with systemd-nspawn.
# Sourced, not run. A test sets `trap containers_cleanup EXIT` right after sourcing, and may define
# `on_failure` (called while the containers still run, to print what helps a post-mortem).
#
# Each container is a key (a, b, deb): container_boot KEY NAME ... starts it, ct KEY COMMAND... runs a command
# in all its namespaces, and every container started is ended on every exit path, by the PIDs this shell
# started (never by machine name: other tests may run containers at the same time).

t_begin=$(date +%s%N)
failed=0
declare -A CT_NSPAWN=() CT_PID=() CT_LOG=() CT_STATE=()

elapsed() { printf '%5.1fs' "$(( ($(date +%s%N) - t_begin) / 1000000 ))e-3"; }
say() { printf '[%s] %s\n' "$(elapsed)" "$*"; }
ok() { printf '[%s] ok    %s\n' "$(elapsed)" "$*"; }
note() { printf '[%s] note  %s\n' "$(elapsed)" "$*"; }
fail() {
    printf '[%s] FAIL  %s\n' "$(elapsed)" "$*" >&2
    failed=1
    exit 1
}

# wait_until SECONDS DESCRIPTION COMMAND...: runs COMMAND every 0.1 s until it succeeds; fails at the deadline.
wait_until() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$(( $(date +%s%N) + seconds * 1000000000 ))
    until "$@"; do
        [ "$(date +%s%N)" -lt "$deadline" ] || fail "timed out after ${seconds}s waiting for: $what"
        sleep 0.1
    done
}

# ms_since NANOSECONDS: milliseconds from then to now.
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# Installs Debian packages when a command they bring is missing: need COMMAND PACKAGE...
need() {
    local command=$1
    shift
    if ! command -v "$command" >/dev/null && [ ! -x "$command" ]; then
        say "installing $*"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    fi
}

# ct KEY COMMAND...: runs COMMAND inside container KEY.
ct() {
    local key=$1
    shift
    nsenter -t "${CT_PID[$key]}" -a "$@"
}

# container_boot KEY NAME LOG [--writable-host=DIR | NSPAWN OPTIONS...] [-- INIT ARGUMENTS...]: boots the host's
# tree as machine NAME with the options given (--volatile=..., network, binds), its console into LOG; returns
# once its systemd says running or degraded. INIT ARGUMENTS go to the container's systemd (systemd.mask=UNIT).
#
# --writable-host=DIR: the whole host tree, writable, under a tmpfs overlay mounted on DIR (an empty directory).
# dpkg can install into it and the host stays as it was; its /etc and /var are the host's, as on a machine an
# admin installs on. nspawn's own --volatile=overlay refuses the host's root directory ("Spawning container on
# root directory is not supported"), so the overlay is mounted in a mount namespace of nspawn's own, which
# takes it away when nspawn ends. Without it: -D / (--volatile=yes or =state for a read-only host tree).
container_boot() {
    local key=$1 name=$2 log=$3
    shift 3
    local options=() init_args=() writable=
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        case $1 in
        --writable-host=*) writable=${1#--writable-host=} ;;
        *) options+=("$1") ;;
        esac
        shift
    done
    [ $# -gt 0 ] && shift
    init_args=("$@")
    CT_LOG[$key]=$log
    if [ -n "$writable" ]; then
        mkdir -p "$writable"
        # shellcheck disable=SC2016 # expanded by the inner shell
        unshare --mount --propagation private sh -c '
            set -e
            dir=$1
            shift
            mount -t tmpfs -o mode=0755 sse-overlay "$dir"
            mkdir "$dir/upper" "$dir/work" "$dir/root"
            mount -t overlay -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" sse-overlay "$dir/root"
            exec systemd-nspawn -D "$dir/root" "$@"
        ' sh "$writable" --quiet --register=no --keep-unit -M "$name" "${options[@]}" \
            -b --console=pipe "${init_args[@]}" >"$log" 2>&1 </dev/null &
    else
        systemd-nspawn --quiet -D / --register=no --keep-unit -M "$name" "${options[@]}" \
            -b --console=pipe "${init_args[@]}" >"$log" 2>&1 </dev/null &
    fi
    CT_NSPAWN[$key]=$!
    local nspawn_pid=$! pid= own_pidns
    own_pidns=$(readlink /proc/self/ns/pid)
    # The container's PID 1 is the child of nspawn in a new PID namespace.
    local deadline=$(( $(date +%s) + 30 ))
    while [ -z "$pid" ]; do
        kill -0 "$nspawn_pid" 2>/dev/null || { tail -n 30 "$log" >&2; fail "container $name: systemd-nspawn exited"; }
        [ "$(date +%s)" -lt "$deadline" ] || fail "container $name: no PID 1 after 30 s"
        local child
        for child in $(pgrep -P "$nspawn_pid" || true); do
            if [ "$(readlink "/proc/$child/ns/pid" 2>/dev/null)" != "$own_pidns" ] \
                && [ "$(cat "/proc/$child/comm" 2>/dev/null)" = systemd ]; then
                pid=$child
            fi
        done
        [ -n "$pid" ] || sleep 0.1
    done
    CT_PID[$key]=$pid
    local state
    deadline=$(( $(date +%s) + 90 ))
    while true; do
        state=$(ct "$key" systemctl is-system-running 2>/dev/null || true)
        case $state in running | degraded) break ;; esac
        if [ "$(date +%s)" -ge "$deadline" ]; then
            tail -n 50 "$log" >&2
            fail "container $name not up after 90 s ($state)"
        fi
        sleep 0.2
    done
    CT_STATE[$key]=$state
}

# container_stop KEY: halts the container in order (SIGTERM to nspawn), SIGKILL after 20 s.
container_stop() {
    local key=$1
    local nspawn_pid=${CT_NSPAWN[$key]:-}
    if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
        kill -TERM "$nspawn_pid" 2>/dev/null || true
        local deadline=$(( $(date +%s) + 20 ))
        while kill -0 "$nspawn_pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
        if kill -0 "$nspawn_pid" 2>/dev/null; then
            [ -z "${CT_PID[$key]:-}" ] || kill -KILL "${CT_PID[$key]}" 2>/dev/null || true
            kill -KILL "$nspawn_pid" 2>/dev/null || true
        fi
        wait "$nspawn_pid" 2>/dev/null || true
    fi
    unset "CT_NSPAWN[$key]" "CT_PID[$key]"
}

# The EXIT trap: on a failure, on_failure (if defined) while the containers still run; then every container
# ends; then the test's own cleanup_extra (if defined: network namespaces, work directories).
containers_cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ "$status" != 0 ] || [ "$failed" = 1 ]; then
        failed=1
        if declare -F on_failure >/dev/null; then on_failure || true; fi
    fi
    local key
    for key in "${!CT_NSPAWN[@]}"; do container_stop "$key"; done
    if declare -F cleanup_extra >/dev/null; then cleanup_extra || true; fi
    if [ "$failed" = 1 ]; then
        echo "$(basename "$(dirname "$0")"): FAILED after $(elapsed)" >&2
        exit 1
    fi
}
