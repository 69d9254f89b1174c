"""Timelines for the daemon: synthetic ones from `sse-timeline generate-synthetic`, and reminders due at given
instants."""

import datetime
import os
import subprocess

from .common import Unmeasurable


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(ctx, path, milestones, reminders, start_epoch, spread, step=1):
    with open(path, "wb") as out:
        result = subprocess.run(
            [
                ctx.binary,
                "generate-synthetic",
                "--milestones",
                str(milestones),
                "--reminders",
                str(reminders),
                "--start",
                iso(start_epoch),
                "--spread",
                str(spread),
                "--step",
                str(step),
            ],
            stdout=out,
            stderr=subprocess.PIPE,
        )
    if result.returncode != 0:
        raise Unmeasurable(f"generate-synthetic failed: {result.stderr.decode(errors='replace').strip()[:200]}")
    return path


def write_instants_timeline(path, instants, per_instant):
    """`per_instant` one-reminder milestones due at each epoch second of `instants`."""
    lines = ['[defaults]\ntimezone = "UTC"\nreminders = ["at start"]\n']
    for k, instant in enumerate(instants):
        for j in range(per_instant):
            lines.append(
                f'[[milestone]]\nid = "side-{k}-{j}"\ntitle = "Side by side {k}.{j}"\nstart = {iso(instant)}\n'
            )
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


SIZES = [("default", None), ("10k", 10_000), ("100k", 100_000), ("1M", 1_000_000)]


def timeline_args(ctx, size_name, instances):
    """Run arguments for a timeline size: the embedded default, or N instances (N/5 milestones x 5)."""
    if instances is None:
        return ["--default-timeline"]
    path = os.path.join(ctx.workdir, f"synthetic-{size_name}.toml")
    if not os.path.exists(path):
        # Far in the future (2030 on), spread over a year: everything pending, nothing due during the run.
        generate(ctx, path, instances // 5, 5, 1_893_456_000, 365 * 86400, 60)
    return ["--config", path]
