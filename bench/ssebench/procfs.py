"""What /proc says about a process: status fields, memory (RssAnon, Pss_Anon, Pss, RSS), context switches per
thread."""

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


def memory(pid):
    """What the process costs the machine, in bytes: {"rss_anon": RssAnon from /proc/PID/status (its heap and
    stacks), "pss_anon": Pss_Anon and "pss": Pss from /proc/PID/smaps_rollup (shared pages counted in part),
    "rss": VmRSS}. Memory is judged by the anonymous figures and PSS; RSS also counts the clean pages of the
    binary and libraries, which the kernel takes back by itself under pressure. A figure /proc does not give is
    None."""
    status = read_proc_status(pid)
    out = {"rss_anon": kib(status, "RssAnon"), "pss_anon": None, "pss": None, "rss": kib(status, "VmRSS")}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name in ("Pss", "Pss_Anon"):
                    out[name.lower()] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


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
