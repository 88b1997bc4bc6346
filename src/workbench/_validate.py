"""Shared input checkers: every public function validates through these.

Messages follow one shape (STYLE.md, rule 6): the name, the rule, the value, and for data the
column and how many rows offend. Values quoted from data pass through :func:`show_values`, which
never prints more than a few of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError, MethodError, ParameterError

__all__ = [
    "show_values",
    "check_confidence",
    "check_positive",
    "check_in_range",
    "check_choice",
    "check_columns",
    "check_available",
    "check_not_empty",
    "as_key_list",
    "check_no_missing_keys",
    "check_weights",
    "bad_weights_error",
    "zero_weights_error",
    "available_memory",
    "check_memory",
]


def show_values(values: Iterable[Any], limit: int = 8) -> str:
    """A short printable list of values for an error message: at most ``limit``, then a count."""
    values = list(values)
    shown = ", ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in values[:limit])
    more = f", … ({len(values) - limit} more)" if len(values) > limit else ""
    return f"[{shown}{more}]"


def check_confidence(confidence: Any, name: str = "confidence") -> float:
    """A level strictly between 0 and 1."""
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.floating, np.integer)):
        raise ParameterError(f"`{name}` must be a number between 0 and 1 (exclusive); got {confidence!r}.")
    value = float(confidence)
    if not 0.0 < value < 1.0:
        raise ParameterError(f"`{name}` must be between 0 and 1 (exclusive); got {confidence!r}.")
    return value


def check_positive(value: Any, name: str, *, allow_zero: bool = False, integer: bool = False) -> float:
    """A finite positive number (or non-negative with ``allow_zero``)."""
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds):
        kind = "a whole number" if integer else "a number"
        raise ParameterError(f"`{name}` must be {kind}; got {value!r}.")
    v = float(value)
    ok = (v >= 0 if allow_zero else v > 0) and np.isfinite(v)
    if not ok:
        rule = "non-negative" if allow_zero else "positive"
        raise ParameterError(f"`{name}` must be {rule} and finite; got {value!r}.")
    return int(value) if integer else v


def check_in_range(value: Any, name: str, low: float, high: float, *, low_open=True, high_open=False) -> float:
    """A number in an interval such as (0, 1]."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"`{name}` must be a number; got {value!r}.")
    v = float(value)
    lo_ok = v > low if low_open else v >= low
    hi_ok = v < high if high_open else v <= high
    if not (lo_ok and hi_ok and np.isfinite(v)):
        interval = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise ParameterError(f"`{name}` must be in {interval}; got {value!r}.")
    return v


def check_choice(value: Any, name: str, choices: Sequence[str] | Mapping[str, Any], *, error=MethodError) -> str:
    """An exact name from a fixed set (no prefix matching)."""
    valid = list(choices)
    if not isinstance(value, str) or value not in valid:
        raise error(f"Unknown `{name}` {value!r}; valid: {', '.join(map(repr, valid))}.")
    return value


def check_columns(frame: pd.DataFrame, columns: Iterable[str], *, role: str = "column") -> None:
    """Every named column exists."""
    check_available(frame.columns, columns, rows=lambda: len(frame), role=role)


def check_available(available: Iterable[str], columns: Iterable[str], *, rows: Callable[[], int],
                    role: str = "column") -> None:
    """Every named column is among ``available`` (of a file, relation or table); ``rows()`` only on error."""
    available = list(available)
    missing = [c for c in columns if c not in available]
    if missing:
        raise DataError(
            f"{role.capitalize()} {show_values(missing)} not found in the data "
            f"({rows()} rows); available columns: {show_values(available, 20)}."
        )


def check_not_empty(frame: pd.DataFrame, what: str = "data") -> None:
    """At least one row."""
    if len(frame) == 0:
        raise DataError(f"The {what} is empty (0 rows); nothing to estimate.")


def as_key_list(by: str | Sequence[str] | None) -> list[str]:
    """`by` as a list of column names."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    keys = list(by)
    if not all(isinstance(k, str) for k in keys):
        raise ParameterError(f"`by` must be a column name or a list of names; got {by!r}.")
    if len(set(keys)) != len(keys):
        raise ParameterError(f"`by` names a column twice: {by!r}.")
    return keys


def check_no_missing_keys(frame: pd.DataFrame, keys: Sequence[str]) -> None:
    """No missing value in any group column."""
    for key in keys:
        missing = frame[key].isna()
        if missing.any():
            raise DataError(
                f"Group column {key!r} has {int(missing.sum())} missing values "
                f"(of {len(frame)} rows); fill or drop them first."
            )


def check_weights(frame: pd.DataFrame, weights: str | Sequence[float] | np.ndarray, *,
                  name: str = "weights") -> np.ndarray:
    """Respondent weights as a float array aligned with ``frame``: one rule for every estimator.

    A column name or an array as long as the data; every weight finite and non-negative, and
    at least one positive. A zero weight keeps a row out of every estimate (as in R ``survey``).
    """
    if isinstance(weights, str):
        check_columns(frame, [weights], role="weight column")
        values = pd.to_numeric(frame[weights], errors="coerce").to_numpy(dtype=float)
        label = f"Weight column {weights!r}"
    else:
        values = np.asarray(weights, dtype=float)
        label = f"Weight column {name!r}"
        if values.shape != (len(frame),):
            raise DataError(f"{label} has shape {values.shape}; the data has {len(frame)} rows.")
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        raise bad_weights_error(label, values[bad], int(bad.sum()), len(frame))
    if not (values > 0).any():
        raise zero_weights_error(label, len(frame))
    return values


def bad_weights_error(label: str, bad_values, bad: int, total: int) -> DataError:
    """The error for missing, negative or non-numeric weights (the same words on every engine)."""
    return DataError(f"{label} has missing, negative or non-numeric values {show_values(bad_values[:8])} "
                     f"in {bad} of {total} rows.")


def zero_weights_error(label: str, total: int) -> DataError:
    """The error for weights that are all zero."""
    return DataError(f"{label}: every one of the {total} weights is zero.")


def available_memory() -> int | None:
    """Bytes of memory available to this process now (Linux ``MemAvailable``), or None when unknown."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(rows: int, bytes_per_row: float, what: str, *, available: int | None = None) -> None:
    """Raise before a respondent-level computation that would not fit in memory (rather than swap).

    ``rows × bytes_per_row`` is compared with the memory available now; the message names the step, the
    rows, the need and what is available.
    """
    need = float(rows) * float(bytes_per_row)
    free = available_memory() if available is None else available
    if free is not None and need > free:
        raise DataError(
            f"{what} works on every respondent and needs about {need / 1e9:.1f} GB for {rows:,} rows "
            f"({bytes_per_row:.0f} bytes a row); {free / 1e9:.1f} GB is available. Use fewer rows (e.g. one "
            "period or area at a time), an unweighted estimate from counts, or a machine with more memory."
        )
