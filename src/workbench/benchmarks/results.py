"""Results tables for benchmarking: the checks every benchmark runs and the grouping it uses.

Everything in :mod:`workbench.benchmarks` works on a results table of :func:`workbench.estimate`
(one row per unit with ``n``, ``estimate``, ``se``), so it serves every metric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_columns, show_values
from ..errors import DataError

__all__ = ["MIN_UNITS", "groups_of", "check_results", "with_enough_units"]

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
