"""``python -m workbench.sample_data``: write the synthetic sample data."""

from __future__ import annotations

import argparse

from .responses import SEED, write_samples


def main(argv: list[str] | None = None) -> None:
    """Write the sample files to ``--out`` (default ``data/samples``) and print their paths."""
    parser = argparse.ArgumentParser(description="Write the synthetic sample data.")
    parser.add_argument("--out", default="data/samples")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    for path in write_samples(args.out, args.scale, args.seed):
        print(path)


if __name__ == "__main__":
    main()
