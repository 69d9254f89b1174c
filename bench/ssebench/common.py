"""What every part of the benchmark shares: units, paths, the error that marks a figure as not measured, the
progress log and a subprocess helper."""

import os
import subprocess
import sys
import time


NS = 1_000_000_000
MS = 1_000_000

# bench/ssebench/common.py: three levels below the repository.
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_BINARY = os.path.join(REPO, ".build-release", "release", "sse-timeline")
# The entry point, which the idle monitor is started through (`bench.py --monitor ...`).
ENTRY = os.path.join(REPO, "bench", "bench.py")


class Unmeasurable(Exception):
    """A figure could not be measured; the run goes on, and exits non-zero at the end."""


def log(text):
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] {text}", file=sys.stderr, flush=True)


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)
