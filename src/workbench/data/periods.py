"""Reporting periods from months: quarters, tertiles, half-years and years ("2025-07" -> "2025-Q3")."""

from __future__ import annotations

import pandas as pd

from ..errors import DataError, ParameterError

__all__ = ["period_of", "PERIOD_KINDS"]

PERIOD_KINDS = {"month": 1, "quarter": 3, "tertile": 4, "half-year": 6, "year": 12}
_TAGS = {"quarter": "Q", "tertile": "T", "half-year": "H"}


def period_of(months: pd.Series, kind: str) -> pd.Series:
    """The reporting period of each month ("YYYY-MM"): "2025-Q3", "2025-T2", "2025-H1", "2025".

    Parameters
    ----------
    months : Series
        Months as "YYYY-MM" text (missing values stay missing).
    kind : str
        ``month``, ``quarter``, ``tertile``, ``half-year`` or ``year``.

    Returns
    -------
    Series

    Raises
    ------
    ParameterError
        An unknown kind.
    DataError
        Values that are not months (their count is named).

    Notes
    -----
    Text labels sort in time order, so tables and figures show periods chronologically.

    References
    ----------
    ISO 8601 calendar months.
    """
    if kind not in PERIOD_KINDS:
        raise ParameterError(f"Unknown period {kind!r}; valid: {', '.join(PERIOD_KINDS)}.")
    text = months.astype("string")
    valid = text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
    bad = text.notna() & ~valid.fillna(False)
    if bad.any():
        raise DataError(f"{int(bad.sum())} of {len(months)} month values are not of the form YYYY-MM.")
    if kind == "month":
        return text
    year = text.str[:4]
    if kind == "year":
        return year
    index = (text.str[5:7].astype("Int64") - 1) // PERIOD_KINDS[kind] + 1
    return year + "-" + _TAGS[kind] + index.astype("string")
