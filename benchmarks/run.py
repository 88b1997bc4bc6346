"""Performance benchmarks (`make bench`): ratios measured in one run against a baseline on the same data.

1. Grouped NPS with intervals on 10 million responses in 2,000 groups, as a ratio to
   pandas ``groupby(keys).size()`` on the same frame (target: at most 2.0).
2. 10,000 bootstrap replicates for 2,000 groups (target: at most 5 s on 2 cores).

Timings are the best of several repeats, to damp the noise of a shared machine.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import workbench as wb
from workbench.stats.intervals import level_interval


def best_of(repeats: int, func) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def make_frame(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    areas = np.array([f"area {i:02d}" for i in range(20)])
    units = np.array([f"unit {i:03d}" for i in range(100)])
    return pd.DataFrame({
        "area": areas[rng.integers(0, 20, rows)],
        "unit": units[rng.integers(0, 100, rows)],
        "nps": rng.integers(0, 11, rows),
    })


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    frame = make_frame(args.rows)
    keys = ["area", "unit"]
    baseline = best_of(args.repeats, lambda: frame.groupby(keys).size())
    ours = best_of(args.repeats, lambda: wb.estimate(frame, "nps", by=keys))
    groups = len(wb.estimate(frame, "nps", by=keys))
    print(f"grouped NPS with intervals, {args.rows:,} responses, {groups} groups:")
    print(f"  pandas groupby(keys).size(): {baseline:.3f} s")
    print(f"  workbench.estimate(nps):     {ours:.3f} s")
    print(f"  ratio: {ours / baseline:.2f} (target <= 2.0)")

    counts = wb.count(frame, "nps", by=keys).level_counts(wb.get_metric("nps")).astype(float)
    levels = wb.get_metric("nps").levels
    boot = best_of(1, lambda: level_interval(counts, levels, method="bootstrap", replicates=10_000, rng=1))
    print(f"bootstrap, 10,000 replicates x {len(counts)} groups: {boot:.2f} s (target <= 5 s)")


if __name__ == "__main__":
    main()
