"""The ``workbench`` command: draft and check a study, list, run and build the methodology reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import reports
from .data.draft import draft_study
from .data.quality import quality_summary
from .data.study import read_study
from .errors import ParameterError, WorkbenchError
from .privacy.redact import redact

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
    html_path, json_path = reports.run_report(args.name, params, study=args.study, data=args.data, out=args.out,
                                              notebook_dir=args.notebooks)
    print(html_path)
    print(json_path)
    return 0


def _build(args) -> int:
    reports.build(args.out, study=args.study, data=args.data, notebook_dir=args.notebooks,
                  parameters=dict(args.p or []))
    return 0


def _init(args) -> int:
    out = Path(args.out) if args.out else Path(args.file).with_suffix(".study.toml")
    if out.exists() and not args.force:
        raise ParameterError(f"{str(out)!r} exists; pass --force to overwrite it or --out to name another file.")
    if Path(args.file).resolve().parent != out.resolve().parent:
        raise ParameterError("Write the study beside its data file (paths in it are relative to its folder).")
    text = draft_study(args.file)
    out.write_text(text, encoding="utf-8")
    guesses = sum("# GUESS" in line for line in text.splitlines())
    print(f"{out}: {guesses} guesses to confirm; then run `workbench check --study {out}`.")
    return 0


def _check(args) -> int:
    quality = quality_summary(read_study(args.study))
    print(quality.to_text())
    html_out = Path(args.html) if args.html else Path(args.study).with_suffix(".quality.html")
    html_out.write_text(quality.to_html(), encoding="utf-8")
    print(f"data-quality summary: {html_out}")
    return 0 if quality.ok else 1


def main(argv: list[str] | None = None) -> int:
    """The ``workbench`` command: ``init``, ``check``, ``list``, ``report NAME``, ``build``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit code: 0 on success, 1 after a WorkbenchError (printed to stderr without a traceback) or
        a study that ``check`` does not accept.

    Raises
    ------
    SystemExit
        From argparse, for malformed command lines.

    Notes
    -----
    Every WorkbenchError is reported as ``workbench: error: <message>``, redacted.
    """
    parser = argparse.ArgumentParser(prog="workbench", description="Customer-experience methodology reports.")
    parser.add_argument("--notebooks", default=None, help="folder of report notebooks (default: the project's)")
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="draft a study file from a data file (every guess marked)")
    init.add_argument("file", help="a CSV, Excel or Parquet export")
    init.add_argument("--out", default=None, help="the study file to write (default: FILE.study.toml)")
    init.add_argument("--force", action="store_true", help="overwrite an existing study file")
    init.set_defaults(run=_init)
    check = sub.add_parser("check", help="validate a study and write its data-quality summary")
    check.add_argument("--study", required=True)
    check.add_argument("--html", default=None, help="where to write the HTML summary (default: beside the study)")
    check.set_defaults(run=_check)
    sub.add_parser("list", help="show the reports with their parameters, types and defaults").set_defaults(run=_list)
    one = sub.add_parser("report", help="run one report")
    one.add_argument("name", help="report name, e.g. 01_metrics_and_margins or metrics_and_margins")
    one.add_argument("-p", nargs=2, action="append", metavar=("KEY", "VALUE"),
                     help="set a parameter (lists: a,b,c or JSON)")
    one.add_argument("--study", default=None, help="the study file naming your data (see `workbench init`)")
    one.add_argument("--data", default=None, help="a tidy responses file; without --study and --data: the sample")
    one.add_argument("--out", default="reports", help="output folder")
    one.set_defaults(run=_report)
    every = sub.add_parser("build", help="run every report the data supports and write an index page")
    every.add_argument("--study", default=None)
    every.add_argument("--data", default=None)
    every.add_argument("--out", default="reports")
    every.add_argument("-p", nargs=2, action="append", metavar=("KEY", "VALUE"),
                       help="set a parameter of every report that has it, e.g. -p language fi")
    every.set_defaults(run=_build)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except WorkbenchError as exc:
        print(f"workbench: error: {redact(str(exc))}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
