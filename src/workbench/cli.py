"""The ``workbench`` command: list, run and build the methodology reports."""

from __future__ import annotations

import argparse
import sys

from .errors import WorkbenchError
from . import reports

__all__ = ["main"]


def _list(args) -> int:
    for spec in reports.list_reports(args.notebooks):
        print(spec.name)
        for name, (type_name, default, help_text) in spec.parameters.items():
            if name in reports.INJECTED:
                continue
            note = f"  # {help_text}" if help_text else ""
            print(f"    {name}: {type_name} = {default!r}{note}")
    return 0


def _report(args) -> int:
    params = dict(args.p or [])
    html_path, json_path = reports.run_report(args.name, params, data=args.data, out=args.out,
                                              notebook_dir=args.notebooks)
    print(html_path)
    print(json_path)
    return 0


def _build(args) -> int:
    reports.build(args.out, data=args.data, notebook_dir=args.notebooks)
    return 0


def main(argv: list[str] | None = None) -> int:
    """The ``workbench`` command: ``list``, ``report NAME``, ``build``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit code: 0 on success, 1 after a WorkbenchError (printed to stderr without a traceback).

    Raises
    ------
    SystemExit
        From argparse, for malformed command lines.

    Notes
    -----
    Every WorkbenchError is reported as ``workbench: error: <message>``.
    """
    parser = argparse.ArgumentParser(prog="workbench", description="Customer-experience methodology reports.")
    parser.add_argument("--notebooks", default=None, help="folder of report notebooks (default: the project's)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="show the reports with their parameters, types and defaults").set_defaults(run=_list)
    one = sub.add_parser("report", help="run one report")
    one.add_argument("name", help="report name, e.g. 01_metrics_and_margins or metrics_and_margins")
    one.add_argument("-p", nargs=2, action="append", metavar=("KEY", "VALUE"), help="set a parameter")
    one.add_argument("--data", default=None, help="responses file (CSV or Parquet); default: the sample data")
    one.add_argument("--out", default="reports", help="output folder")
    one.set_defaults(run=_report)
    every = sub.add_parser("build", help="run every report on the sample data and write an index page")
    every.add_argument("--data", default=None)
    every.add_argument("--out", default="reports")
    every.set_defaults(run=_build)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except WorkbenchError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
