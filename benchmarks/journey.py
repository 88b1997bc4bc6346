"""Benchmark of survey sending (`make bench`): one year of about 10 million contact events through every rule.

The events are the synthetic sample's generator at every area and scale 2.5, written once to
``data/generated/events_10m.parquet`` (not committed). In a fresh process, to measure its own peak memory:
read and validate the events with DuckDB, then simulate the sample's sending rules (cooldown 90 days, response
cooldown 180 days, cap 4 a year, priorities, exclusions, send windows, reminders). Printed: events, time of each
step, peak resident memory, and the ratio of the whole to a plain DuckDB ``GROUP BY unit, touchpoint`` count over
the same file (best of three). Aims: at most 60 s and 4 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ensure_events(path: Path, scale: float) -> None:
    if path.exists():
        return
    from workbench.sample_data import write_events  # deferred: only when the file must be made

    print(f"writing {path} (all areas, scale {scale}; once, not committed) …", flush=True)
    start = time.perf_counter()
    write_events(path.parent, areas=None, scale=scale, name=path.name, progress=True)
    print(f"  written in {time.perf_counter() - start:.0f} s", flush=True)


def child(path: str, rules: str) -> None:
    """Runs in its own process: read + simulate, then report times and peak memory as JSON."""
    import resource

    import workbench as wb

    start = time.perf_counter()
    events = wb.read_events(path, now="2026-11-01", on_bad="keep")
    read = time.perf_counter() - start
    simulation = wb.simulate(events, rules, rng=1, progress=True)
    total = time.perf_counter() - start
    cand = simulation.candidates
    print(json.dumps({"events": len(events.frame), "candidates": len(cand), "invited": int(cand["invited"].sum()),
                      "read": read, "simulate": total - read, "total": total,
                      "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6}))


def group_by(path: Path, repeats: int = 3) -> float:
    import duckdb

    con = duckdb.connect()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        con.sql(f"SELECT unit, touchpoint, count(*) FROM read_parquet('{path}') GROUP BY ALL").fetchall()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default=str(ROOT / "data" / "generated" / "events_10m.parquet"))
    parser.add_argument("--scale", type=float, default=2.5)
    parser.add_argument("--rules", default=str(ROOT / "data" / "samples" / "sending_rules.toml"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.events, args.rules)
        return
    path = Path(args.events)
    ensure_events(path, args.scale)
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, __file__, "--child", "--events", str(path), "--rules", args.rules],
                         stdout=subprocess.PIPE, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    baseline = group_by(path)
    print(f"\nsurvey sending, one year of {result['events']:,} contact events ({result['candidates']:,} candidates, "
          f"{result['invited']:,} invitations), {os.cpu_count()} cores, load average {load:.1f} at start:")
    print(f"  read + validate (DuckDB):  {result['read']:.1f} s")
    print(f"  simulate (all rules):      {result['simulate']:.1f} s")
    print(f"  total:                     {result['total']:.1f} s (aim <= 60 s)")
    print(f"  peak memory:               {result['peak_gb']:.2f} GB (aim <= 4 GB)")
    print(f"  DuckDB GROUP BY unit, touchpoint on the same file: {baseline:.2f} s; "
          f"ratio {result['total'] / baseline:.0f}")


if __name__ == "__main__":
    main()
