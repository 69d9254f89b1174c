"""Percentiles and the per-run summary {median, min, max, runs} that every figure of the table is."""

import math
import statistics


def percentile(values, p):
    """Nearest-rank percentile of `values` (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values):
    """{median, min, max, runs} of the per-run values (None entries are runs that could not be measured)."""
    measured = [v for v in values if v is not None]
    if not measured:
        return {"median": None, "min": None, "max": None, "runs": 0, "values": values}
    return {
        "median": statistics.median(measured),
        "min": min(measured),
        "max": max(measured),
        "runs": len(measured),
        "values": values,
    }
