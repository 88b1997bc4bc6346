"""Report notebooks and their parameters: discovery and strict checking before anything runs."""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError, ParameterError
from .paths import NOTEBOOK_DIR

__all__ = ["ReportSpec", "INJECTED", "list_reports", "find_report", "check_parameters", "missing_requirements"]

INJECTED = ("study_path", "data_path", "results_path")  # set by the runner, not by users


@dataclass(frozen=True)
class ReportSpec:
    """A report: its notebook and its parameters.

    Attributes
    ----------
    name : str
        The notebook's stem, e.g. ``01_metrics_and_margins``.
    path : Path
    parameters : mapping
        Parameter name -> (type name, default, help) from the notebook's ``parameters`` cell.
    requires : mapping
        From the notebook's metadata ``workbench.requires``: ``inputs`` (named by the study, e.g.
        ``volumes``), ``roles`` (response columns, e.g. ``unit``), ``metrics`` and ``statements`` (how many).
    """

    name: str
    path: Path
    parameters: Mapping[str, tuple[str, Any, str]]
    requires: Mapping[str, Any] = field(default_factory=dict)


def _parse_default(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text


def list_reports(notebook_dir: str | Path | None = None) -> list[ReportSpec]:
    """Every report notebook with its parameters, in file order.

    Parameters
    ----------
    notebook_dir : str or Path, optional
        The folder of ``NN_name.ipynb`` notebooks; the project's ``notebooks/`` by default.

    Returns
    -------
    list of ReportSpec

    Raises
    ------
    DataError
        The folder does not exist.

    Notes
    -----
    Parameters are read by papermill's ``inspect_notebook`` from the cell tagged ``parameters``.
    """
    import papermill as pm  # deferred: papermill and nbformat take ~1.5 s to import; only report runs need them

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
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        specs.append(ReportSpec(path.stem, path, params, dict(metadata.get("workbench", {}).get("requires", {}))))
    return specs


def find_report(name: str, notebook_dir: str | Path | None = None) -> ReportSpec:
    """A report by its full stem (``01_metrics_and_margins``), or without the number prefix.

    Parameters
    ----------
    name : str
    notebook_dir : str or Path, optional

    Returns
    -------
    ReportSpec

    Raises
    ------
    ParameterError
        An unknown report; the message lists the reports.

    Notes
    -----
    Exact names only.
    """
    specs = list_reports(notebook_dir)
    for spec in specs:
        if name in (spec.name, spec.name.split("_", 1)[1]):
            return spec
    raise ParameterError(f"Unknown report {name!r}; reports: {', '.join(s.name for s in specs)}.")


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "int": (int,), "float": (float, int), "bool": (bool,), "list": (list, tuple), "dict": (dict,),
}


def _item(text: str) -> Any:
    """One item of a comma-separated list: a number when it reads as one, else the text."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else text


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
            if type_name == "list" and not text.startswith("["):
                return [_item(part.strip()) for part in text.split(",") if part.strip()]  # a,b,c on the command line
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
    """Strictly validated parameters: unknown names and wrong types raise before anything runs.

    Parameters
    ----------
    spec : ReportSpec
    parameters : mapping
        Values as given (command-line text is parsed by the declared type).

    Returns
    -------
    dict

    Raises
    ------
    ParameterError
        Unknown names (the valid ones are listed with their types) or values of the wrong type.

    Notes
    -----
    papermill alone only warns about unknown parameters; a report must not run on a typo.
    """
    user = {k: v for k, v in spec.parameters.items() if k not in INJECTED}
    unknown = [k for k in parameters if k not in user]
    if unknown:
        valid = ", ".join(f"{k} ({t})" for k, (t, _, _) in user.items())
        raise ParameterError(f"Unknown parameter(s) {unknown} for report {spec.name!r}; valid: {valid}.")
    return {k: _convert(k, spec.parameters[k][0], v) for k, v in parameters.items()}


def missing_requirements(spec: ReportSpec, study, columns: Sequence[str]) -> list[str]:
    """What a study lacks for a report: named inputs, response roles, statements.

    Parameters
    ----------
    spec : ReportSpec
    study : Study
    columns : sequence of str
        The roles (column names) the study's responses map.

    Returns
    -------
    list of str
        One sentence per missing requirement, saying what to add to the study; empty when complete.

    Raises
    ------
    KeyError
        Never for a well-formed spec.

    Notes
    -----
    Checked before the kernel starts, so a report that cannot run on the data says why instead of
    failing in a cell (and ``build`` skips it).
    """
    needs = spec.requires
    missing = [f"add a [{name}] table with its `path` to the study" for name in needs.get("inputs", ())
               if not study.has(name)]
    roles = [r for r in needs.get("roles", ()) if r not in columns]
    if roles:
        missing.append(f"map the response column(s) {', '.join(roles)} in [responses.columns]")
    metrics = [m for m in needs.get("metrics", ()) if m not in study.metrics]
    if metrics:
        missing.append(f"map the metric(s) {', '.join(metrics)} in [responses.metrics]")
    wanted = int(needs.get("statements", 0))
    if wanted and len(study.statements) < wanted:
        missing.append(f"map at least {wanted} statements in [responses.statements] (it maps {len(study.statements)})")
    return missing
