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

import datetime as _dt
import hashlib
import html
import json
import math
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError, ParameterError, WorkbenchError

__all__ = [
    "ReportSpec",
    "ReportFailed",
    "PROJECT_ROOT",
    "SAMPLE_DATA",
    "list_reports",
    "find_report",
    "check_parameters",
    "run_report",
    "build",
    "load_data",
    "save_results",
]

PROJECT_ROOT = Path(os.environ.get("WORKBENCH_HOME", Path(__file__).resolve().parents[2]))
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
SAMPLE_DATA = PROJECT_ROOT / "data" / "samples" / "responses.parquet"
SAMPLE_DIR = SAMPLE_DATA.parent
KERNEL = "workbench"
INJECTED = ("data_path", "results_path")  # set by the runner, not by users
_VERSIONED = ("workbench", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "pingouin", "papermill",
              "nbconvert", "pyarrow")


class ReportFailed(WorkbenchError):
    """A notebook failed while running; the message names the report and the cell."""


@dataclass(frozen=True)
class ReportSpec:
    """A report: its notebook and its parameters (name -> (type name, default, help))."""

    name: str
    path: Path
    parameters: Mapping[str, tuple[str, Any, str]]


def _parse_default(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        import ast

        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text


def list_reports(notebook_dir: str | Path | None = None) -> list[ReportSpec]:
    """Every report notebook with its parameters, in file order."""
    import papermill as pm

    directory = Path(notebook_dir) if notebook_dir else NOTEBOOK_DIR
    if not directory.is_dir():
        raise DataError(f"Notebook folder {str(directory)!r} does not exist.")
    specs = []
    for path in sorted(directory.glob("[0-9][0-9]_*.ipynb")):
        found = pm.inspect_notebook(str(path))
        params = {
            name: (info["inferred_type_name"], _parse_default(info["default"]), info.get("help", "") or "")
            for name, info in found.items()
        }
        specs.append(ReportSpec(path.stem, path, params))
    return specs


def find_report(name: str, notebook_dir: str | Path | None = None) -> ReportSpec:
    """A report by its full stem (``01_metrics_and_margins``), or without the number prefix."""
    specs = list_reports(notebook_dir)
    for spec in specs:
        if name in (spec.name, spec.name.split("_", 1)[1]):
            return spec
    raise ParameterError(f"Unknown report {name!r}; reports: {', '.join(s.name for s in specs)}.")


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "int": (int,), "float": (float, int), "bool": (bool,), "list": (list, tuple), "dict": (dict,),
}


def _convert(name: str, type_name: str, value: Any) -> Any:
    """Check (or, for text from the command line, parse) one parameter value."""
    if type_name not in _TYPES:
        return value
    if isinstance(value, str) and type_name != "str":
        text = value.strip()
        try:
            if type_name == "bool":
                if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(text)
                return text.lower() in ("true", "1", "yes")
            if type_name == "int":
                return int(text)
            if type_name == "float":
                return float(text)
            parsed = json.loads(text)
        except ValueError:
            raise ParameterError(f"Parameter {name!r} must be of type {type_name}; got {value!r}.") from None
        value = parsed
    ok = isinstance(value, _TYPES[type_name]) and not (type_name in ("int", "float") and isinstance(value, bool))
    if not ok:
        raise ParameterError(
            f"Parameter {name!r} must be of type {type_name}; got {value!r} ({type(value).__name__})."
        )
    if type_name == "float":
        value = float(value)
        if not math.isfinite(value):
            raise ParameterError(f"Parameter {name!r} must be a finite number; got {value!r}.")
    return list(value) if type_name == "list" else value


def check_parameters(spec: ReportSpec, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Strictly validated parameters: unknown names and wrong types raise before anything runs."""
    user = {k: v for k, v in spec.parameters.items() if k not in INJECTED}
    unknown = [k for k in parameters if k not in user]
    if unknown:
        valid = ", ".join(f"{k} ({t})" for k, (t, _, _) in user.items())
        raise ParameterError(f"Unknown parameter(s) {unknown} for report {spec.name!r}; valid: {valid}.")
    return {k: _convert(k, spec.parameters[k][0], v) for k, v in parameters.items()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def provenance(data_path: Path, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """What a reader needs to reproduce a report."""
    versions = {}
    for package in _VERSIONED:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    files = {k: _sha256(Path(v)) for k, v in parameters.items()
             if k.endswith("_path") and isinstance(v, str) and v and Path(v).is_file()}
    return {
        "data": str(data_path),
        "data_sha256": _sha256(data_path),
        "files_sha256": files,
        "parameters": dict(parameters),
        "versions": versions,
        "commit": _commit(),
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _provenance_markdown(prov: Mapping[str, Any]) -> str:
    changed = set(prov.get("set", ()))
    params = ", ".join(f"`{k}` = `{v!r}`" + (" (set)" if k in changed else "")
                       for k, v in prov["parameters"].items()) or "none"
    versions = ", ".join(f"{k} {v}" for k, v in prov["versions"].items())
    return (
        "<div class='provenance'>\n\n"
        "**Provenance.** "
        f"Data: `{prov['data']}` (SHA-256 `{prov['data_sha256']}`). "
        f"Parameters: {params}. "
        + "".join(f"`{k}` SHA-256 `{h}`. " for k, h in prov.get("files_sha256", {}).items())
        + f"Versions: {versions}. "
        f"Commit: `{prov['commit']}`. Generated: {prov['date']}.\n\n</div>"
    )


def load_data(data_path: str = "") -> pd.DataFrame:
    """The responses a report runs on: ``data_path``, or the bundled synthetic sample when empty."""
    from .counting import read_responses

    return read_responses(Path(data_path) if data_path else SAMPLE_DATA)


def sample_file(name: str) -> Path:
    """A file of the bundled sample data (``volumes.csv``, ``population_margins.csv``)."""
    path = SAMPLE_DIR / name
    if not path.exists():
        raise DataError(f"Sample file {str(path)!r} does not exist; run `make samples`.")
    return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return [_jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return _jsonable(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        # NaN (a suppressed cell) becomes null; 12 significant digits keep files stable across runs.
        return None if not math.isfinite(v) else float(f"{v:.12g}")
    if value is None or isinstance(value, str):
        return value
    if pd.isna(value):
        return None
    return str(value)


def save_results(results_path: str, summary: str, **results: Any) -> None:
    """Write a report's key results (tables, numbers) and its one-line summary as JSON.

    Called by the notebooks; does nothing when ``results_path`` is empty (interactive use).
    """
    if not results_path:
        return
    payload = {"summary": summary, **{k: _jsonable(v) for k, v in results.items()}}
    Path(results_path).write_text(json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def _export_html(notebook_path: Path, prov: Mapping[str, Any]) -> str:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook_path, as_version=4)
    nb.cells.insert(1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0,
                    nbformat.v4.new_markdown_cell(_provenance_markdown(prov)))
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    return body


def run_report(
    name: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    data: str | Path | None = None,
    out: str | Path = "reports",
    notebook_dir: str | Path | None = None,
) -> tuple[Path, Path]:
    """Run one report; returns the paths of its HTML and JSON results.

    Raises
    ------
    ParameterError
        Unknown parameter names or values of the wrong type (before anything runs).
    ReportFailed
        The notebook failed: the message names the report, the cell and the error.
    """
    import papermill as pm
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
        body = _export_html(executed, prov)
        _write_atomic(json_path, partial_json.read_bytes())
        _write_atomic(html_path, body.encode("utf-8"))
    return html_path, json_path


def _original_cell_number(path: Path, executed_index: int) -> int:
    """1-based number of a cell in the notebook as written (papermill inserts one cell after `parameters`)."""
    import nbformat

    cells = nbformat.read(path, as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    injected_at = tagged[0] + 1 if tagged else 0
    return executed_index + (0 if executed_index < injected_at else -1) + 1


def _write_atomic(path: Path, content: bytes) -> None:
    """Write beside the target, then rename: a reader never sees a half-written file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    os.replace(partial, path)


def _index_html(entries: list[tuple[ReportSpec, Path, Path]]) -> str:
    items = []
    for spec, html_path, json_path in entries:
        summary = json.loads(json_path.read_text(encoding="utf-8")).get("summary", "")
        title = spec.name.split("_", 1)[1].replace("_", " ").capitalize()
        items.append(
            f"<li><a href='{html.escape(html_path.name)}'>{html.escape(title)}</a>"
            f" — {html.escape(summary)} <small>(<a href='{html.escape(json_path.name)}'>results</a>)</small></li>"
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Workbench reports</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}</style></head><body>"
        "<h1>Workbench methodology reports</h1>"
        "<p>Customer-experience measurement methodology, computed from the data named in each report's "
        "provenance block. The bundled sample data is synthetic.</p>"
        f"<ul>{''.join(items)}</ul></body></html>"
    )


def build(
    out: str | Path = "reports",
    *,
    data: str | Path | None = None,
    notebook_dir: str | Path | None = None,
    progress: Callable[[str], None] = print,
) -> list[Path]:
    """Run every report and write an index page; stops at the first failure (ReportFailed)."""
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
    index.write_text(_index_html(entries), encoding="utf-8")
    progress(f"index: {index}")
    return [index] + [e[1] for e in entries]
