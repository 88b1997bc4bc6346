"""Small-cell suppression: no statistic of a group below ``min_n`` reaches a published table.

Feedback data is personal data about health and social services (DESIGN.md, principle 10).
Every published table passes through :func:`suppress`; benchmarks take only
:func:`publishable` rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_columns, check_positive

__all__ = ["suppress", "publishable", "SUPPRESSED", "VALUE_COLUMNS"]

SUPPRESSED = "suppressed"

VALUE_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "moe", "estimate_a", "estimate_b", "difference",
                  "p_value", "shrunk", "shrunk_low", "shrunk_high", "adjusted", "contribution", "raw", "adjustment",
                  "rank", "rank_low", "rank_high", "rank_raw", "rank_adjusted", "p_top", "z")

def suppress(
    table: pd.DataFrame,
    *,
    min_n: int = 5,
    n: str = "n",
    columns: Sequence[str] | None = None,
    within: str | Sequence[str] | None = None,
    complementary: bool = True,
) -> pd.DataFrame:
    """Hide the values of groups with fewer than ``min_n`` respondents.

    Parameters
    ----------
    table : DataFrame
        A results table with a respondent count column.
    min_n : int
        Smallest number of respondents whose values may be shown.
    n : str
        The respondent count column (it stays visible, so readers see why a row is hidden;
        counts below ``min_n`` are themselves masked as ``< min_n``).
    columns : list of str, optional
        Value columns to hide; default: the standard result columns present.
    within : str or list, optional
        Complementary suppression runs within these groups (default: the whole table).
    complementary : bool
        When exactly one row of a group is suppressed, a total shown beside the table would
        reveal it by subtraction; the smallest other row is then suppressed too.

    Returns
    -------
    DataFrame
        A copy with the values set to NaN, the count column set to NaN where below
        ``min_n``, and a boolean ``suppressed`` column.

    Raises
    ------
    ParameterError
        ``min_n`` not a positive whole number.
    DataError
        Missing count, value or group columns.

    Notes
    -----
    Primary suppression of every row below ``min_n``; complementary suppression adds the smallest
    other row of a group when exactly one is hidden, so a published total cannot reveal it.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, ch. 4.
    """
    min_n = check_positive(min_n, "min_n", integer=True)
    check_columns(table, [n], role="count column")
    keys = as_key_list(within)
    check_columns(table, keys, role="group column")
    values = list(columns) if columns is not None else [c for c in VALUE_COLUMNS if c in table.columns]
    check_columns(table, values, role="value column")
    out = table.copy()
    counts = pd.to_numeric(out[n], errors="coerce").to_numpy(dtype=float)
    hidden = ~(counts >= min_n)
    if complementary and hidden.any():
        groups = out.groupby(keys, sort=False).ngroup().to_numpy() if keys else np.zeros(len(out), dtype=int)
        for g in np.unique(groups[hidden]):
            members = np.flatnonzero(groups == g)
            if hidden[members].sum() == 1 and len(members) > 1:
                shown = members[~hidden[members]]
                hidden[shown[np.argmin(counts[shown])]] = True
    out["suppressed"] = hidden
    for col in values:
        out[col] = out[col].astype(float)
        out.loc[hidden, col] = np.nan
    out[n] = np.where(counts < min_n, np.nan, counts)
    return out


def publishable(results: pd.DataFrame, *, min_n: int = 5, n: str = "n") -> pd.DataFrame:
    """The rows with at least ``min_n`` respondents: what may enter benchmarks, rankings and targets.

    Parameters
    ----------
    results : DataFrame
    min_n : int
    n : str
        The respondent count column.

    Returns
    -------
    DataFrame

    Raises
    ------
    ParameterError
        ``min_n`` not a positive whole number.
    DataError
        A missing count column.

    Notes
    -----
    Benchmarks computed from units below ``min_n`` could reveal them (a percentile can equal one
    unit's value), so such units are left out of the comparison altogether.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control, ch. 4.
    """
    min_n = check_positive(min_n, "min_n", integer=True)
    check_columns(results, [n], role="count column")
    return results[pd.to_numeric(results[n], errors="coerce") >= min_n].reset_index(drop=True)
