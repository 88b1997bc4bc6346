"""What report notebooks call: their input data, bundled sample files, and their saved results."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data.readers import read_responses
from ..errors import DataError
from .paths import SAMPLE_DATA, SAMPLE_DIR

__all__ = ["load_data", "sample_file", "save_results", "jsonable"]


def load_data(data_path: str = "") -> pd.DataFrame:
    """The responses a report runs on: ``data_path``, or the bundled synthetic sample when empty."""
    return read_responses(Path(data_path) if data_path else SAMPLE_DATA)


def sample_file(name: str) -> Path:
    """A file of the bundled sample data (``volumes.csv``, ``population_margins.csv``)."""
    path = SAMPLE_DIR / name
    if not path.exists():
        raise DataError(f"Sample file {str(path)!r} does not exist; run `make samples`.")
    return path


def jsonable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return jsonable(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
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
    payload = {"summary": summary, **{k: jsonable(v) for k, v in results.items()}}
    Path(results_path).write_text(json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
