"""What /proc says about a process: status fields, anonymous memory, context switches per thread."""

import os


def read_proc_status(pid):
    values = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                values[name] = value.strip()
    except OSError:
        pass
    return values


def kib(status, name):
    value = status.get(name)
    return int(value.split()[0]) * 1024 if value else None


def anonymous_memory(pid):
    """Bytes of anonymous memory (heap, stacks: the process's own) in its RSS, from smaps_rollup; the rest of
    the RSS is file-backed (the mapped binary and libraries, shared and reclaimable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Anonymous:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def major_faults(pid):
    """Page faults of `pid` that waited for a read from a file (field 12 of /proc/PID/stat): each such wait is
    also a voluntary context switch, one the process did not ask for by sleeping."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        return int(fields[9])
    except (OSError, IndexError, ValueError):
        return None


def context_switches(pid):
    """{tid: voluntary + involuntary} over the threads of `pid`, from /proc/PID/task/*/status."""
    return {tid: voluntary + involuntary for tid, (voluntary, involuntary) in context_switch_kinds(pid).items()}


def context_switch_kinds(pid):
    """{tid: (voluntary, involuntary)} over the threads of `pid`, from /proc/PID/task/*/status."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        counts = {}
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        name, _, value = line.partition(":")
                        counts[name] = int(value)
        except OSError:
            continue
        out[int(tid)] = (counts.get("voluntary_ctxt_switches", 0), counts.get("nonvoluntary_ctxt_switches", 0))
    return out
