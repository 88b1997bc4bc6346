"""``python -m workbench.sample_data``: write the synthetic sample data."""

from __future__ import annotations

import argparse
from pathlib import Path

from .events import EVENT_SEED, SAMPLE_AREAS, events_readme, write_events
from .responses import SEED, write_samples


def main(argv: list[str] | None = None) -> None:
    """Write the sample files to ``--out`` (default ``data/samples``) and print their paths.

    ``--only events --areas all --scale 2.5 --out data/generated`` writes about 10 million contact events
    (not committed).
    """
    parser = argparse.ArgumentParser(description="Write the synthetic sample data.")
    parser.add_argument("--out", default="data/samples")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=None, help="default: the sample's own seeds")
    parser.add_argument("--only", choices=("responses", "events"), default=None)
    parser.add_argument("--areas", nargs="+", default=list(SAMPLE_AREAS),
                        help="areas of the contact events ('all' for every area); default: the sample's two")
    parser.add_argument("--events-name", default="events.parquet")
    args = parser.parse_args(argv)
    if args.only != "events":
        for path in write_samples(args.out, args.scale, SEED if args.seed is None else args.seed):
            print(path)
    if args.only != "responses":
        areas = None if args.areas == ["all"] else args.areas
        seed = EVENT_SEED if args.seed is None else args.seed
        path = write_events(args.out, areas=areas, scale=args.scale, seed=seed, name=args.events_name, progress=True)
        print(path)
        readme = Path(args.out) / "README.md"
        if args.only is None and readme.exists():  # the responses README was just rewritten: add the events part
            readme.write_text(readme.read_text(encoding="utf-8") + events_readme(), encoding="utf-8")


if __name__ == "__main__":
    main()
