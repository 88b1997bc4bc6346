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

import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import DataError, WorkbenchError
from .html import export_html, index_html
from .parameters import INJECTED, check_parameters, find_report, list_reports
from .paths import PROJECT_ROOT, SAMPLE_DATA
from .provenance import provenance

__all__ = ["ReportFailed", "run_report", "build", "KERNEL"]

KERNEL = "workbench"


class ReportFailed(WorkbenchError):
    """A notebook failed while running; the message names the report and the cell."""


def _kernel_name() -> str:
    """The project's kernel when installed (``make setup``), else the default one."""
    from jupyter_client.kernelspec import KernelSpecManager  # deferred: heavy, and only report runs need it

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def run_report(
    name: str,
    parameters: Mapping[str, Any] | None = None,
    *,
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
    data : str or Path, optional
        The responses file; the bundled sample by default.
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
    DataError
        A missing data file.
    ReportFailed
        The notebook failed: the message names the report, the cell and the error.

    Notes
    -----
    Output files are written beside their targets and renamed only when complete; stale outputs of
    the same report are removed first.
    """
    import papermill as pm  # deferred: papermill takes ~1.5 s to import; only report runs need it
    from papermill.exceptions import PapermillExecutionError

    spec = find_report(name, notebook_dir)
    params = check_parameters(spec, parameters or {})
    data_path = Path(data).resolve() if data else SAMPLE_DATA
    if not data_path.exists():
        raise DataError(f"Data file {str(data_path)!r} does not exist.")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    html_path, json_path = out / f"{spec.name}.html", out / f"{spec.name}.json"
    for stale in (html_path, json_path):
        stale.unlink(missing_ok=True)  # never leave an old report looking like this run's
    effective = {k: v[1] for k, v in spec.parameters.items() if k not in INJECTED}
    prov = provenance(data_path, {**effective, **params})
    prov["set"] = sorted(params)
    with tempfile.TemporaryDirectory(prefix="workbench-") as tmp:
        executed = Path(tmp) / f"{spec.name}.ipynb"
        partial_json = Path(tmp) / f"{spec.name}.json"
        run_params = {**params, "data_path": str(data_path), "results_path": str(partial_json)}
        try:
            pm.execute_notebook(str(spec.path), str(executed), parameters=run_params, kernel_name=_kernel_name(),
                                progress_bar=False, cwd=str(PROJECT_ROOT), log_output=False)
        except PapermillExecutionError as exc:
            source = exc.source.strip().splitlines()
            first = source[0] if source else ""
            raise ReportFailed(
                f"Report {spec.name!r} failed in cell {_original_cell_number(spec.path, exc.cell_index)} "
                f"(`{first[:80]}`): {exc.ename}: {exc.evalue}"
            ) from None
        if not partial_json.exists():
            raise ReportFailed(f"Report {spec.name!r} ran but saved no results (call workbench.reports.save_results).")
        body = export_html(executed, prov)
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
    data: str | Path | None = None,
    notebook_dir: str | Path | None = None,
    progress: Callable[[str], None] = print,
) -> list[Path]:
    """Run every report and write an index page; stops at the first failure (ReportFailed).

    Parameters
    ----------
    out : str or Path
        Output folder.
    data : str or Path, optional
        The responses file; the bundled sample by default.
    notebook_dir : str or Path, optional
    progress : callable
        Receives one line per step.

    Returns
    -------
    list of Path
        The index page, then each report's HTML.

    Raises
    ------
    ReportFailed, ParameterError, DataError
        As :func:`run_report`.

    Notes
    -----
    The index is removed before the build starts and written only when every report succeeded.
    """
    specs = list_reports(notebook_dir)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").unlink(missing_ok=True)
    entries = []
    for i, spec in enumerate(specs, 1):
        progress(f"[{i}/{len(specs)}] {spec.name} …")
        start = time.perf_counter()
        html_path, json_path = run_report(spec.name, data=data, out=out, notebook_dir=notebook_dir)
        progress(f"[{i}/{len(specs)}] {spec.name} done in {time.perf_counter() - start:.1f} s: {html_path}")
        entries.append((spec, html_path, json_path))
    index = out / "index.html"
    index.write_text(index_html(entries), encoding="utf-8")
    progress(f"index: {index}")
    return [index] + [e[1] for e in entries]
