#!/usr/bin/env python3
"""The sse-timeline benchmark's entry point: `make bench` runs it through bench/run.sh, `--help` lists the
knobs, and the code is the package beside it, bench/ssebench/ (its docstring says what each module holds)."""

import sys

from ssebench.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
