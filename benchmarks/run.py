"""Counting benchmark (`make bench`): every time is a ratio to baselines measured in the same run.

Grouped NPS with intervals (``wb.estimate(data, "nps", by="unit")``) on 1 M, 10 M and 50 M responses
in 2,000 groups (one key with 2,000 values: pandas' fastest case), for integer, categorical and
text keys, against

- pandas ``groupby(key).size()`` (counts rows per group only),
- pandas' real equivalent ``groupby([key, answer]).size().unstack()`` (counts per group and answer,
  no validation, no intervals),
- the floor: one ``np.bincount`` over precomputed integer codes,
- DuckDB ``GROUP BY key, answer`` on the same DataFrame and on a Parquet file of it;

and ``wb.estimate`` on the Parquet file (counted by DuckDB). Peak memory is measured in a fresh
process per case (Linux ``VmHWM`` reset before the call, so DuckDB's and Arrow's allocations count
too) and printed as a multiple of the data's size in memory. Timings are the best of several
interleaved rounds, to damp the noise of a shared machine. Then the bootstrap figure: 10,000
replicates for 2,000 groups.

    python benchmarks/run.py                         # 1M, 10M, 50M rows (about 15 minutes)
    python benchmarks/run.py --rows 1e6 --repeats 3  # a quick run
    python benchmarks/run.py --profile               # the in-memory pass, stage by stage, at 10 M rows

Parquet files are written to data/generated/ (ignored by git) and deleted at the end.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import workbench as wb
from workbench.stats.intervals import level_interval

GROUPS = 2_000
KEYS = ("int", "cat", "str")
GENERATED = Path(__file__).resolve().parents[1] / "data" / "generated"


def make_frame(rows: int, keys: str, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """Responses with one key of 2,000 values and NPS answers 0-10; also the key's integer codes."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, GROUPS, rows, dtype=np.int32)
    nps = rng.integers(0, 11, rows, dtype=np.int64)
    labels = [f"unit {i:04d}" for i in range(GROUPS)]
    if keys == "int":
        unit = pd.Series(codes)
    elif keys == "cat":
        unit = pd.Series(pd.Categorical.from_codes(codes, labels))
    else:
        text = pc.take(pa.array(labels), pa.array(codes))
        unit = pd.Series(text, dtype=pd.StringDtype("pyarrow", na_value=np.nan))  # pandas 3's default `str`
    return pd.DataFrame({"unit": unit, "nps": nps}), codes


def best_times(cases: dict, repeats: int) -> dict[str, float]:
    """Best time of each case over ``repeats`` rounds, the cases interleaved within a round."""
    times = {name: float("inf") for name in cases}
    for _ in range(repeats):
        for name, func in cases.items():
            gc.collect()
            start = time.perf_counter()
            func()
            times[name] = min(times[name], time.perf_counter() - start)
    return times


def _vm(field: str) -> int:
    return int(re.search(rf"{field}:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1)) * 1024


def child(mode: str, rows: int, keys: str, path: str) -> None:
    """Peak extra memory of one call, in this fresh process: print JSON for the parent."""
    frame = None
    if mode != "parquet":
        frame, _ = make_frame(rows, keys)
    tiny = pd.DataFrame({"unit": [1, 2], "nps": [9, 10]})
    wb.estimate(duckdb.from_df(tiny), "nps", by="unit")  # imports (DuckDB, Ibis) before the baseline, as any
    wb.estimate(tiny, "nps", by="unit")                  # earlier call in a session would
    calls = {
        "ours": lambda: wb.estimate(frame, "nps", by="unit"),
        "size": lambda: frame.groupby("unit", observed=True).size(),
        "real": lambda: frame.groupby(["unit", "nps"], observed=True).size().unstack(fill_value=0),
        "parquet": lambda: wb.estimate(path, "nps", by="unit"),
    }
    gc.collect()
    base = _vm("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    calls[mode]()
    print(json.dumps({"peak_extra": _vm("VmHWM") - base}))


def peak_extra(mode: str, rows: int, keys: str, path: Path) -> float:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(rows), keys, str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["peak_extra"]


def run_case(rows: int, keys: str, repeats: int, memory: bool) -> dict:
    frame, codes = make_frame(rows, keys)
    input_bytes = int(frame.memory_usage(deep=True, index=False).sum())
    GENERATED.mkdir(parents=True, exist_ok=True)
    path = GENERATED / f"bench_{keys}_{rows}.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    flat = codes.astype(np.intp) * 11 + frame["nps"].to_numpy()
    con = duckdb.connect()
    con.register("frame", frame)
    grouped = "SELECT unit, nps, count(*) AS n FROM {} GROUP BY unit, nps"
    # Same table from every path before timing anything.
    ours_table = wb.count(frame, "nps", by="unit")
    assert ours_table.counts.sum() == rows and len(ours_table.keys) == GROUPS
    assert wb.count(path, "nps", by="unit").to_frame().equals(ours_table.to_frame())
    times = best_times({
        "ours": lambda: wb.estimate(frame, "nps", by="unit"),
        "size": lambda: frame.groupby("unit", observed=True).size(),
        "real": lambda: frame.groupby(["unit", "nps"], observed=True).size().unstack(fill_value=0),
        "floor": lambda: np.bincount(flat, minlength=GROUPS * 11),
        "duckdb_frame": lambda: con.sql(grouped.format("frame")).to_arrow_table(),
        "ours_parquet": lambda: wb.estimate(path, "nps", by="unit"),
        "duckdb_parquet": lambda: con.sql(grouped.format(f"read_parquet('{path}')")).to_arrow_table(),
        "count_only": lambda: wb.count(frame, "nps", by="unit"),
    }, repeats)
    del frame, flat, con
    gc.collect()
    result = {"rows": rows, "keys": keys, "input_bytes": input_bytes, "file_bytes": path.stat().st_size, **times}
    if memory:
        for mode in ("ours", "size", "real", "parquet"):
            result[f"mem_{mode}"] = peak_extra(mode, rows, keys, path)
    path.unlink()
    return result


def print_times(results: list[dict]) -> None:
    print("\nGrouped NPS with intervals, 2,000 groups: wb.estimate's time as a ratio to each baseline (same run);"
          "\n'count /size' is wb.count alone (the pass without the intervals); 'Parquet' is wb.estimate on the file")
    print(f"{'rows':>11} {'keys':>4} {'ours s':>7} {'/size':>6} {'/real eq':>8} {'/floor':>7} {'/DuckDB df':>10}"
          f" {'count /size':>11} {'Parquet s':>9} {'/DuckDB pq':>10}")
    for r in results:
        print(f"{r['rows']:>11,} {r['keys']:>4} {r['ours']:7.3f} {r['ours'] / r['size']:6.2f} "
              f"{r['ours'] / r['real']:8.2f} {r['ours'] / r['floor']:7.1f} {r['ours'] / r['duckdb_frame']:10.2f} "
              f"{r['count_only'] / r['size']:11.2f} {r['ours_parquet']:9.3f} "
              f"{r['ours_parquet'] / r['duckdb_parquet']:10.2f}")
    print("  baselines (s): size / real equivalent / floor / DuckDB on the frame / DuckDB on Parquet / wb.count")
    for r in results:
        print(f"  {r['rows']:>11,} {r['keys']:>4}  {r['size']:.3f} / {r['real']:.3f} / {r['floor']:.3f} / "
              f"{r['duckdb_frame']:.3f} / {r['duckdb_parquet']:.3f} / {r['count_only']:.3f}")


def print_memory(results: list[dict]) -> None:
    if "mem_ours" not in results[0]:
        return
    print("\nPeak extra memory of one call (fresh process), as a multiple of the data's size in memory")
    print(f"{'rows':>11} {'keys':>4} {'data MB':>8} {'file MB':>8} {'ours':>6} {'size()':>7} {'real eq':>8}"
          f" {'Parquet (DuckDB)':>17}")
    for r in results:
        data = r["input_bytes"]
        print(f"{r['rows']:>11,} {r['keys']:>4} {data / 1e6:8.0f} {r['file_bytes'] / 1e6:8.0f} "
              f"{r['mem_ours'] / data:6.2f} {r['mem_size'] / data:7.2f} {r['mem_real'] / data:8.2f} "
              f"{r['mem_parquet'] / data:6.2f} ({r['mem_parquet'] / 1e6:5.0f} MB)")


def bootstrap() -> None:
    frame, _ = make_frame(1_000_000, "int")
    counts = wb.count(frame, "nps", by="unit").level_counts(wb.get_metric("nps")).astype(float)
    levels = wb.get_metric("nps").levels
    seconds = best_times({"boot": lambda: level_interval(counts, levels, method="bootstrap", replicates=10_000,
                                                         rng=1)}, 1)["boot"]
    print(f"\nbootstrap, 10,000 replicates x {len(counts):,} groups: {seconds:.2f} s (target <= 5 s)")


def profile(rows: int, repeats: int) -> None:
    """Where wb.estimate spends its time, stage by stage (best of ``repeats``), on each key type."""
    from workbench.data import tabulate as tab  # the stages are private: timed here, never imported by the package

    scale = wb.get_metric("nps").scale
    print(f"\nprofile: wb.estimate(frame, 'nps', by='unit'), {rows:,} rows, 2,000 groups; ms, best of {repeats}")
    print(f"{'keys':>4} {'key codes':>9} {'combine':>8} {'answers':>8} {'bincount':>8} {'count':>6} {'estimate':>8}"
          f" {'size()':>7}  (count = the whole pass; estimate adds the intervals)")
    for keys in KEYS:
        frame, _ = make_frame(rows, keys)
        state = {}

        def stage_codes():
            state["part"] = tab._key_part(frame["unit"], "unit", None, rows)

        def stage_combine():
            state["flat"] = tab._combine([state["part"]], rows, scale.size + 3)[0]

        def stage_answers():
            tab._AnswerSlots(frame["nps"], scale).add_to(state["flat"])

        def stage_bincount():
            np.bincount(state["flat"], minlength=GROUPS * (scale.size + 3))

        times = {name: float("inf") for name in ("codes", "combine", "answers", "bincount", "count", "estimate",
                                                  "size")}
        for _ in range(repeats):
            for name, func in (("codes", stage_codes), ("combine", stage_combine), ("answers", stage_answers),
                               ("bincount", stage_bincount), ("count", lambda: wb.count(frame, "nps", by="unit")),
                               ("estimate", lambda: wb.estimate(frame, "nps", by="unit")),
                               ("size", lambda: frame.groupby("unit", observed=True).size())):
                gc.collect()
                start = time.perf_counter()
                func()
                times[name] = min(times[name], time.perf_counter() - start)
        print(f"{keys:>4} " + " ".join(f"{1000 * times[n]:{w}.0f}" for n, w in
                                       (("codes", 9), ("combine", 8), ("answers", 8), ("bincount", 8), ("count", 6),
                                        ("estimate", 8), ("size", 7))))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1e6,1e7,5e7", help="comma-separated sizes, e.g. 1e6,1e7")
    parser.add_argument("--keys", default=",".join(KEYS), help="comma-separated: int,cat,str")
    parser.add_argument("--repeats", type=int, default=0, help="rounds per size (default 7, 4, 3 by size)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory processes")
    parser.add_argument("--profile", action="store_true", help="profile the in-memory pass at the largest size")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, rows, keys, path = args.child
        child(mode, int(rows), keys, path)
        return
    sizes = [int(float(r)) for r in args.rows.split(",")]
    if args.profile:
        profile(min(max(sizes), 10_000_000), args.repeats or 5)
        return
    results = []
    for rows in sizes:
        repeats = args.repeats or (7 if rows <= 2_000_000 else 4 if rows <= 20_000_000 else 3)
        for keys in args.keys.split(","):
            print(f"  measuring {rows:,} rows, {keys} keys ...", file=sys.stderr, flush=True)
            results.append(run_case(rows, keys, repeats, memory=not args.no_memory))
    print_times(results)
    print_memory(results)
    bootstrap()


if __name__ == "__main__":
    main()
