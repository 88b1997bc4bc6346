"""Respondent-level paths at scale (`make bench`): weighted and raked estimates by group, weighted overall
scores and case-mix adjustment, as ratios to the unweighted path on the same data (issue 15, item 2).

Before, the weighted estimate by group built a respondents × groups matrix of influence values (100k × 2,000:
18.7 s and 7.7 GB; 1M × 2,000 did not fit) and case-mix adjustment a respondents × units dummy matrix. Both
are now linear in the rows: the design engine works from sums per (PSU, group) cell
(``workbench.stats.variance``) and case-mix demeans within units. Target: weighted <= 5 x unweighted at
1M rows × 2,000 units.

Times are the best of ``--repeats`` runs; peak memory is measured separately with tracemalloc (numpy and
pandas allocations), as a multiple of the input frame's size.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
import pandas as pd

import workbench as wb


def best_of(repeats: int, func) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_bytes(func) -> int:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def make_frame(rows: int, units: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "unit": rng.integers(0, units, rows).astype(np.int32),
        "nps": rng.integers(0, 11, rows).astype(np.int8),
        "age": rng.integers(0, 4, rows).astype(np.int8),
        "sex": rng.integers(0, 2, rows).astype(np.int8),
        "w": rng.uniform(0.5, 2.0, rows),
    })


MARGINS = {"age": {0: 0.2, 1: 0.3, 2: 0.3, 3: 0.2}, "sex": {0: 0.48, 1: 0.52}}


def run(rows: int, units: int, repeats: int) -> list[dict]:
    frame = make_frame(rows, units)
    raked = wb.rake(frame, MARGINS)
    volumes = {u: 1000 + 10 * u for u in range(units)}
    weights = wb.Design(weights="w")
    steps = {
        "unweighted estimate by unit": lambda: wb.estimate(frame, "nps", by="unit", method="wald"),
        "unweighted, default interval": lambda: wb.estimate(frame, "nps", by="unit"),
        "weighted estimate by unit": lambda: wb.estimate(frame, "nps", by="unit", design=weights),
        "raked estimate by unit": lambda: wb.estimate(frame, "nps", by="unit", design=raked),
        "overall, respondent weights": lambda: wb.overall(frame, "nps", unit="unit", scheme="volume",
                                                          volumes=volumes, design=weights),
        "case-mix adjustment": lambda: wb.case_mix_adjust(frame, "nps", unit="unit", adjusters=["age", "sex"]),
    }
    size = frame.memory_usage(deep=True).sum()
    out = []
    for name, func in steps.items():
        seconds = best_of(repeats, func)
        out.append({"rows": rows, "units": units, "step": name, "seconds": seconds,
                    "peak_gb": peak_bytes(func) / 1e9, "peak_x_input": peak_bytes(func) / size})
    base = out[0]["seconds"]
    for row in out:
        row["ratio"] = row["seconds"] / base
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="100000x20,100000x200,100000x2000,1000000x2000")
    args = parser.parse_args(argv)
    table = []
    for size in args.sizes.split(","):
        rows, units = (int(v) for v in size.split("x"))
        table += run(rows, units, args.repeats)
    frame = pd.DataFrame(table)
    print("respondent-level paths (ratio = time / unweighted estimate by unit, Wald interval, on the same data):")
    with pd.option_context("display.width", 120, "display.max_rows", 100):
        print(frame.to_string(index=False, formatters={"seconds": "{:.3f}".format, "peak_gb": "{:.3f}".format,
                                                       "peak_x_input": "{:.1f}".format, "ratio": "{:.2f}".format}))
    big = frame[(frame["rows"] == 1_000_000) & (frame["units"] == 2000)].set_index("step")
    if len(big):
        print(f"1M rows x 2,000 units: weighted / unweighted = {big.loc['weighted estimate by unit', 'ratio']:.2f} "
              f"(target <= 5); raked {big.loc['raked estimate by unit', 'ratio']:.2f}; overall "
              f"{big.loc['overall, respondent weights', 'ratio']:.2f}; case-mix {big.loc['case-mix adjustment', 'ratio']:.2f}")


if __name__ == "__main__":
    main()
