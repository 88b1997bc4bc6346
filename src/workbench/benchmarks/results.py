"""Results tables for benchmarking: the checks every benchmark runs and the grouping it uses.

Everything in :mod:`workbench.benchmarks` works on a results table of :func:`workbench.estimate`
(one row per unit with ``n``, ``estimate``, ``se``), so it serves every metric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_columns, show_values
from ..errors import DataError

__all__ = ["MIN_UNITS", "groups_of", "check_results", "with_enough_units", "within_unit_variance"]

MIN_UNITS = 5


def groups_of(results: pd.DataFrame, keys: list[str]):
    """(key tuple, row positions) per group, in sorted key order; the whole table when no keys.

    Parameters
    ----------
    results : DataFrame
    keys : list of str

    Returns
    -------
    list of (tuple, ndarray)

    Raises
    ------
    KeyError
        A key that is not a column (callers check columns first).

    Notes
    -----
    ``groupby(...).indices`` pairs each label with its own rows whatever the table's order (a
    regression test covers an unsorted table).

    References
    ----------
    pandas ``GroupBy.indices``.
    """
    if not keys:
        return [((), np.arange(len(results)))]
    indices = results.groupby(keys, sort=True).indices  # sorted key -> row positions
    return [(key if isinstance(key, tuple) else (key,), rows) for key, rows in indices.items()]


def check_results(results: pd.DataFrame, needed=("n", "estimate"), min_units: int = MIN_UNITS, keys=()) -> None:
    """A results table fit for benchmarking: positive ``n``, no missing estimates, enough units per group.

    Parameters
    ----------
    results : DataFrame
    needed : tuple of str
        Columns that must exist.
    min_units : int
    keys : sequence of str
        Group columns; each group needs ``min_units`` units.

    Returns
    -------
    None

    Raises
    ------
    DataError
        Naming the column, the offending values and how many units offend; missing estimates (a
        suppressed table cannot be benchmarked: benchmark before suppressing).

    Notes
    -----
    Every benchmark function calls this first.

    References
    ----------
    STYLE.md, rule 6.
    """
    check_columns(results, list(needed), role="results column")
    n = pd.to_numeric(results["n"], errors="coerce")
    bad = n.isna() | (n <= 0)
    if bad.any():
        raise DataError(f"Column 'n' must hold positive respondent counts; {int(bad.sum())} of {len(results)} units "
                        f"have {show_values(results.loc[bad, 'n'].tolist())}.")
    if results["estimate"].isna().any():
        raise DataError(f"Column 'estimate' has {int(results['estimate'].isna().sum())} missing values "
                        "(suppressed rows cannot be benchmarked; benchmark before suppressing).")
    for key, rows in groups_of(results, list(keys)):
        if len(rows) < min_units:
            raise DataError(f"Group {key or '(all)'} has {len(rows)} units; a benchmark needs at least {min_units}.")


def with_enough_units(results: pd.DataFrame, *, by=None, min_units: int = MIN_UNITS) -> tuple[pd.DataFrame, list]:
    """The rows of the groups that have enough units to be benchmarked, and the groups left out.

    Parameters
    ----------
    results : DataFrame
        One row per unit.
    by : str or list, optional
        Group columns; the whole table is one group when None.
    min_units : int

    Returns
    -------
    (DataFrame, list of tuple)
        The kept rows (index reset) and the keys of the groups with fewer than ``min_units`` units.

    Raises
    ------
    DataError
        Missing group columns.

    Notes
    -----
    Reports call this before a benchmark, so that a service type with four units is named in a notice
    instead of stopping the report; the benchmark functions themselves still refuse small groups.

    References
    ----------
    Spiegelhalter (2005), Stat Med 24(8): funnel limits need enough units to estimate overdispersion.
    """
    keys = as_key_list(by)
    check_columns(results, keys, role="group column")
    small = [key for key, rows in groups_of(results, keys) if len(rows) < min_units]
    if not keys:
        return (results.iloc[:0] if small else results).reset_index(drop=True), small
    mask = np.ones(len(results), dtype=bool)
    for key, rows in groups_of(results, keys):
        if len(rows) < min_units:
            mask[rows] = False
    return results.loc[mask].reset_index(drop=True), small


def within_unit_variance(n, se) -> float:
    """The pooled within-unit variance of one response, σ² = Σ_j (n_j - 1) s_j² / Σ_j (n_j - 1).

    Parameters
    ----------
    n : array_like
        Respondents per unit.
    se : array_like
        Standard errors per unit in the R ``svymean`` convention without finite population correction
        (s_j / √n_j with s_j² of divisor n_j - 1), as :func:`workbench.estimate` reports them.

    Returns
    -------
    float
        The one-way ANOVA mean square within units (MSW); NaN when no unit has two answers.

    Raises
    ------
    ValueError
        Arrays of different lengths.

    Notes
    -----
    s_j² = n_j se_j², so Σ (n_j - 1) s_j² is the within-unit sum of squares and σ² its mean square, the
    variance the one-way ANOVA (and R ``metafor`` with v_i = MSW / n_i) uses. A unit of one answer (se NaN)
    or with all answers alike (se 0) contributes what it has: nothing, or its n_j - 1 degrees of freedom
    with no spread. Checked against the MSW written out in R (``tests/reference/r/metafor_blup.R``).

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. Statistics in
    Medicine 24(8). Morris, C. N. (1983). Parametric empirical Bayes inference. JASA 78(381).
    """
    n = np.asarray(n, dtype=float)
    se = np.asarray(se, dtype=float)
    if n.shape != se.shape:
        raise ValueError("`n` and `se` must have the same length.")
    df = np.maximum(n - 1, 0)
    ss = np.where(df > 0, df * n * np.nan_to_num(se) ** 2, 0.0)
    return float(ss.sum() / df.sum()) if df.sum() > 0 else float("nan")
