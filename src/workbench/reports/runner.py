"""Reproducible methodology reports: run parameterised notebooks, export HTML, keep provenance.

A report is a notebook in ``notebooks/`` with a cell tagged ``parameters``. Running it:

1. checks the parameters strictly (unknown names and wrong types are rejected before
   anything runs; papermill alone only warns);
2. executes it with papermill on the project's kernel;
3. exports HTML without code through nbconvert, with a provenance block at the top (data
   file and SHA-256, parameters, package versions, the project's commit, the date);
4. writes the key results the notebook saved to a JSON file beside the HTML.

Files are written to a temporary name and renamed only when everything succeeded, so a
failed run never leaves a report that looks complete.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import ParameterError, WorkbenchError
from ..privacy.redact import redact
from .html import export_html, index_html
from .io import resolve_study
from .parameters import INJECTED, check_parameters, find_report, list_reports, missing_requirements
from .paths import PROJECT_ROOT
from .provenance import provenance

__all__ = ["ReportFailed", "ReportSkipped", "prepare", "run_report", "build", "KERNEL"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

KERNEL = "workbench"


class ReportFailed(WorkbenchError):
    """A notebook failed while running; the message names the report, the cell and the line."""


class ReportSkipped(WorkbenchError):
    """A report cannot run on the study: it lacks an input, a column role or statements the report needs."""


def _kernel_name() -> str:
    """The project's kernel when installed (``make setup``), else the default one."""
    from jupyter_client.kernelspec import KernelSpecManager  # deferred: heavy, and only report runs need it

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def _failure(spec, exc) -> ReportFailed:
    """A ReportFailed naming the report, the cell, the line in it and the error (redacted)."""
    source = exc.source.splitlines()
    text = _ANSI.sub("", "\n".join(exc.traceback or []))
    lines = [int(m) for m in re.findall(r"Cell In\[\d+\], line (\d+)", text)]
    line = lines[-1] if lines and 0 < lines[-1] <= len(source) else None
    shown = (source[line - 1] if line else next((ln for ln in source if ln.strip()), "")).strip()
    where = f"cell {_original_cell_number(spec.path, exc.cell_index)}" + (f", line {line}" if line else "")
    return ReportFailed(f"Report {spec.name!r} failed in {where} (`{shown[:100]}`): {exc.ename}: "
                        f"{redact(str(exc.evalue))}")


def prepare(name: str, parameters: Mapping[str, Any] | None = None, *, study: str | Path | None = None,
            data: str | Path | None = None, notebook_dir: str | Path | None = None) -> tuple:
    """Everything checked before a kernel starts: the report, its parameters, the study and its files.

    Parameters
    ----------
    name : str
        Report name, with or without its number prefix.
    parameters : mapping, optional
    study, data : str or Path, optional
        A study file, or a tidy responses file; neither: the bundled sample.
    notebook_dir : str or Path, optional

    Returns
    -------
    (ReportSpec, dict, Study)
        The report, its checked parameters (``min_n`` from the study unless set) and the study.

    Raises
    ------
    ParameterError
        Unknown parameters, wrong types, ``*_path`` parameters naming missing files.
    StudyError, DataError
        An invalid study, or files it names that do not exist.
    ReportSkipped
        The study lacks an input, role or statements the report needs (the message says what to add).

    Notes
    -----
    The responses are not read here (that happens in the kernel); the study and the existence of
    every file it names are.
    """
    spec = find_report(name, notebook_dir)
    params = check_parameters(spec, parameters or {})
    for key, value in params.items():
        if key.endswith("_path") and value and not Path(value).is_file():
            raise ParameterError(f"Parameter {key!r} names {value!r}, which is not a file.")
    the_study = resolve_study(study or "", data or "")
    the_study.check_files()
    roles = list(the_study.roles) + list(the_study.metrics) + list(the_study.statements)
    if "date" in roles:
        roles.append("month")
    missing = missing_requirements(spec, the_study, roles)
    if missing:
        raise ReportSkipped(f"Report {spec.name!r} cannot run on this study: {'; '.join(missing)}.")
    if "min_n" in spec.parameters and "min_n" not in params:
        params["min_n"] = the_study.min_n
    return spec, params, the_study


def run_report(
    name: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    study: str | Path | None = None,
    data: str | Path | None = None,
    out: str | Path = "reports",
    notebook_dir: str | Path | None = None,
) -> tuple[Path, Path]:
    """Run one report; returns the paths of its HTML and JSON results.

    Parameters
    ----------
    name : str
        Report name, with or without its number prefix.
    parameters : mapping, optional
        Parameter values (checked strictly).
    study : str or Path, optional
        A study file naming the inputs, their columns and labels.
    data : str or Path, optional
        A tidy responses file (the workbench's column names). Without ``study`` and ``data`` the
        report runs on the bundled synthetic sample, and says so in a banner.
    out : str or Path
        Output folder.
    notebook_dir : str or Path, optional
        Another folder of report notebooks.

    Returns
    -------
    (html_path, json_path) : Paths

    Raises
    ------
    ParameterError
        Unknown parameter names or values of the wrong type (before anything runs).
    StudyError, DataError
        An invalid study or a missing input file (before the kernel starts).
    ReportSkipped
        The study lacks what the report needs.
    ReportFailed
        The notebook failed: the message names the report, the cell, the line and the error.

    Notes
    -----
    Output files are written beside their targets and renamed only when complete; stale outputs of
    the same report are removed first. The provenance lists every file the report read, with its
    SHA-256.
    """
    import papermill as pm  # deferred: papermill takes ~1.5 s to import; only report runs need it
    from papermill.exceptions import PapermillExecutionError

    spec, params, the_study = prepare(name, parameters, study=study, data=data, notebook_dir=notebook_dir)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    html_path, json_path = out / f"{spec.name}.html", out / f"{spec.name}.json"
    for stale in (html_path, json_path):
        stale.unlink(missing_ok=True)  # never leave an old report looking like this run's
    effective = {k: v[1] for k, v in spec.parameters.items() if k not in INJECTED}
    with tempfile.TemporaryDirectory(prefix="workbench-") as tmp:
        executed = Path(tmp) / f"{spec.name}.ipynb"
        partial_json = Path(tmp) / f"{spec.name}.json"
        run_params = {**params, "study_path": str(Path(study).resolve()) if study else "",
                      "data_path": str(Path(data).resolve()) if data else "", "results_path": str(partial_json)}
        run_params = {k: v for k, v in run_params.items() if k in spec.parameters}
        # The kernel inherits the environment: an MPLBACKEND such as Agg (set by test runners) would leave
        # the report without figures, so the kernel always gets the inline backend.
        backend = os.environ.get("MPLBACKEND")
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        try:
            pm.execute_notebook(str(spec.path), str(executed), parameters=run_params, kernel_name=_kernel_name(),
                                progress_bar=False, cwd=str(PROJECT_ROOT), log_output=False)
        except PapermillExecutionError as exc:
            raise _failure(spec, exc) from None
        finally:
            if backend is None:
                os.environ.pop("MPLBACKEND", None)
            else:
                os.environ["MPLBACKEND"] = backend
        if not partial_json.exists():
            raise ReportFailed(f"Report {spec.name!r} ran but saved no results (call workbench.reports.save_results).")
        results = json.loads(partial_json.read_text(encoding="utf-8"))
        prov = provenance(the_study, {**effective, **params}, results.get("files_read", []))
        prov["set"] = sorted(params)
        body = export_html(executed, prov, sample=the_study.is_sample)
        _write_atomic(json_path, partial_json.read_bytes())
        _write_atomic(html_path, body.encode("utf-8"))
    return html_path, json_path


def _original_cell_number(path: Path, executed_index: int) -> int:
    """1-based number of a cell in the notebook as written (papermill inserts one cell after `parameters`)."""
    import nbformat  # deferred with papermill

    cells = nbformat.read(path, as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    injected_at = tagged[0] + 1 if tagged else 0
    return executed_index + (0 if executed_index < injected_at else -1) + 1


def _write_atomic(path: Path, content: bytes) -> None:
    """Write beside the target, then rename: a reader never sees a half-written file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    os.replace(partial, path)


def build(
    out: str | Path = "reports",
    *,
    study: str | Path | None = None,
    data: str | Path | None = None,
    notebook_dir: str | Path | None = None,
    progress: Callable[[str], None] = print,
) -> list[Path]:
    """Run every report the data supports and write an index page; stops at the first failure.

    Parameters
    ----------
    out : str or Path
        Output folder.
    study, data : str or Path, optional
        As in :func:`run_report`; neither: the bundled sample.
    notebook_dir : str or Path, optional
    progress : callable
        Receives one line per step.

    Returns
    -------
    list of Path
        The index page, then each report's HTML.

    Raises
    ------
    ReportFailed, ParameterError, StudyError, DataError
        As :func:`run_report`.

    Notes
    -----
    A report whose requirements the study does not meet is skipped, and the progress and the index
    say why. The index is removed before the build starts and written only when every report that
    ran succeeded.
    """
    specs = list_reports(notebook_dir)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").unlink(missing_ok=True)
    entries, skipped = [], []
    for i, spec in enumerate(specs, 1):
        progress(f"[{i}/{len(specs)}] {spec.name} …")
        start = time.perf_counter()
        try:
            html_path, json_path = run_report(spec.name, study=study, data=data, out=out, notebook_dir=notebook_dir)
        except ReportSkipped as reason:
            progress(f"[{i}/{len(specs)}] {spec.name} skipped: {reason}")
            skipped.append((spec, str(reason)))
            continue
        progress(f"[{i}/{len(specs)}] {spec.name} done in {time.perf_counter() - start:.1f} s: {html_path}")
        entries.append((spec, html_path, json_path))
    index = out / "index.html"
    index.write_text(index_html(entries, skipped), encoding="utf-8")
    progress(f"index: {index}")
    return [index] + [e[1] for e in entries]
