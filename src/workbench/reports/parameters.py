"""Report notebooks and their parameters: discovery and strict checking before anything runs."""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, ParameterError
from .paths import NOTEBOOK_DIR

__all__ = ["ReportSpec", "INJECTED", "list_reports", "find_report", "check_parameters"]

INJECTED = ("data_path", "results_path")  # set by the runner, not by users


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
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text


def list_reports(notebook_dir: str | Path | None = None) -> list[ReportSpec]:
    """Every report notebook with its parameters, in file order."""
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
