"""What the parts of one run share: the arguments, the working directory, the daemons started, the results and
what could not be measured."""

import tempfile

from .common import log
from .daemon import Daemon


class Context:
    def __init__(self, args):
        self.args = args
        self.binary = args.binary
        self.workdir = tempfile.mkdtemp(prefix="sse-bench-")
        self.failures = []  # what could not be measured
        self.results = {}
        self.daemons = []
        self.burst_ready_s = None

    def fail(self, section, error):
        text = f"{section}: {error}"
        log("NOT MEASURED " + text)
        self.failures.append(text)

    def daemon(self, args, name, env_extra=None, state_parent=None, stamper=None):
        d = Daemon(self, args, name, env_extra, state_parent, stamper)
        self.daemons.append(d)
        return d
