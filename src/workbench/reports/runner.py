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
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ParameterError, WorkbenchError
from ..privacy.ledger import HIDE_ENV, LEDGER_ENV
from ..privacy.redact import redact
from .html import export_html
from .i18n import catalogue
from .io import resolve_study
from .parameters import INJECTED, check_parameters, find_report, missing_requirements
from .paths import PROJECT_ROOT
from .provenance import provenance
from .tables import DOWNLOADS_ENV, REPORT_ENV

__all__ = ["ReportFailed", "ReportSkipped", "prepare", "execute", "write_atomic", "KERNEL"]

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
    if "language" in spec.parameters and not params.get("language"):
        params["language"] = the_study.language
    return spec, params, the_study


def _section(spec) -> str:
    return "r" + spec.name[:2]


def execute(spec, params: dict, the_study, *, study, data, folder: Path, private: Path,
            hide: dict | None = None) -> tuple[Path, Path]:
    """Run one prepared report into ``folder`` (HTML, JSON, downloads), its ledger into ``private``.

    Parameters
    ----------
    spec : ReportSpec
    params : dict
        Checked parameters (from :func:`prepare`).
    the_study : Study
    study, data : str or Path or None
        What the user named (injected into the notebook).
    folder : Path
        Where the page, its results and its downloads (``<name>_files/``) are written.
    private : Path
        Where the ledger of published cells goes (never published).
    hide : dict, optional
        Report -> table -> cells the audit asks to hide.

    Returns
    -------
    (html_path, json_path) : Paths

    Raises
    ------
    ReportFailed
        The notebook failed (cell, line and error named) or saved no results.

    Notes
    -----
    The kernel gets its report name, ledger, downloads folder and hide plan through environment
    variables, and always the inline plotting backend (an inherited ``MPLBACKEND=Agg`` would leave the
    page without figures).
    """
    import papermill as pm  # deferred: papermill takes ~1.5 s to import; only report runs need it
    from papermill.exceptions import PapermillExecutionError

    html_path, json_path = folder / f"{spec.name}.html", folder / f"{spec.name}.json"
    downloads = folder / f"{spec.name}_files"
    ledger = private / f"{spec.name}.ledger.jsonl"
    ledger.unlink(missing_ok=True)
    if downloads.exists():
        shutil.rmtree(downloads)
    effective = {k: v[1] for k, v in spec.parameters.items() if k not in INJECTED}
    hide_file = private / "hide.json"
    hide_file.write_text(json.dumps(hide or {}), encoding="utf-8")
    env = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", REPORT_ENV: spec.name, LEDGER_ENV: str(ledger),
           DOWNLOADS_ENV: str(downloads), "WORKBENCH_DOWNLOADS_HREF": f"{spec.name}_files/", HIDE_ENV: str(hide_file)}
    saved = {key: os.environ.get(key) for key in env}
    with tempfile.TemporaryDirectory(prefix="workbench-run-") as tmp:
        executed = Path(tmp) / f"{spec.name}.ipynb"
        partial_json = Path(tmp) / f"{spec.name}.json"
        run_params = {**params, "study_path": str(Path(study).resolve()) if study else "",
                      "data_path": str(Path(data).resolve()) if data else "", "results_path": str(partial_json)}
        run_params = {k: v for k, v in run_params.items() if k in spec.parameters}
        os.environ.update(env)
        try:
            pm.execute_notebook(str(spec.path), str(executed), parameters=run_params, kernel_name=_kernel_name(),
                                progress_bar=False, cwd=str(PROJECT_ROOT), log_output=False)
        except PapermillExecutionError as exc:
            raise _failure(spec, exc) from None
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        if not partial_json.exists():
            raise ReportFailed(f"Report {spec.name!r} ran but saved no results (call workbench.reports.save_results).")
        results = json.loads(partial_json.read_text(encoding="utf-8"))
        language = params.get("language") or the_study.language
        prov = provenance(the_study, {**effective, **params}, results.get("files_read", []))
        prov["set"] = sorted(params)
        title = catalogue(language)(f"{_section(spec)}.title") if catalogue(language).has(f"{_section(spec)}.title") \
            else spec.name
        body = export_html(executed, prov, language=language, title=title, sample=the_study.is_sample)
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(json_path, partial_json.read_bytes())
        write_atomic(html_path, body.encode("utf-8"))
    return html_path, json_path


def _original_cell_number(path: Path, executed_index: int) -> int:
    """1-based number of a cell in the notebook as written (papermill inserts one cell after `parameters`)."""
    import nbformat  # deferred with papermill

    cells = nbformat.read(path, as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    injected_at = tagged[0] + 1 if tagged else 0
    return executed_index + (0 if executed_index < injected_at else -1) + 1


def write_atomic(path: Path, content: bytes) -> None:
    """Write beside the target, then rename: a reader never sees a half-written file.

    Parameters
    ----------
    path : Path
    content : bytes

    Returns
    -------
    None

    Raises
    ------
    OSError
        The folder cannot be written.

    Notes
    -----
    The partial file's name carries the process id, so two processes never share it.
    """
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_bytes(content)
    os.replace(partial, path)


