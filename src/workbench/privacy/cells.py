"""Cell suppression: no statistic of a cell below ``min_n`` reaches a published table or figure.

A published row belongs to a *cell*: a group of respondents at some level (a unit, an area, a
month). The columns that name the cell are its keys; every other column is a statistic. A cell
with fewer than ``min_n`` respondents (substantive answers, don't-know excluded) publishes none of
its statistics — not the estimate, a share, an interval, a limit, a flag, n_eff, a contribution —
because every column that is not a key is hidden, so a statistic added tomorrow is covered without
being listed. Its n is shown only as "< min_n".

Complementary (secondary) suppression then hides more cells of the same group (e.g. the units of
one area) until no hidden cell can be recovered from a group total by subtraction: every group with
a hidden cell hides at least two cells whose respondents together number at least ``min_n``. The
build's disclosure audit (:mod:`workbench.privacy.audit`) checks what remains across tables, levels
and reports, and hides more where that is not enough.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_columns, check_positive

__all__ = ["suppress", "publishable", "visible_rows", "key_columns", "SUPPRESSED", "PRIMARY", "SECONDARY"]

SUPPRESSED = "suppressed"
PRIMARY, SECONDARY = "primary", "secondary"


def key_columns(table: pd.DataFrame, n: str = "n") -> list[str]:
    """The columns that name a table's cells: by default the leading columns before the count column.

    Parameters
    ----------
    table : DataFrame
    n : str
        The count column.

    Returns
    -------
    list of str

    Raises
    ------
    DataError
        No count column.

    Notes
    -----
    Every results table of the workbench puts its group keys first and ``n`` after them, so the
    default is exact for them; other tables name their keys.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, ch. 4.
    """
    check_columns(table, [n], role="count column")
    return list(table.columns[: list(table.columns).index(n)])


def _match(table: pd.DataFrame, cells: Sequence[Mapping], keys: Sequence[str]) -> np.ndarray:
    """Rows whose keys equal one of the given cells (each a mapping column -> value).

    The empty cell is the whole population: it names the rows of a table without keys (an overall score),
    and nothing in a table that has keys.
    """
    hit = np.zeros(len(table), dtype=bool)
    for cell in cells:
        if not cell and not keys:
            hit[:] = True
            continue
        if not cell or any(k not in table.columns for k in cell):
            continue
        row = np.ones(len(table), dtype=bool)
        for key, value in cell.items():
            row &= (table[key].astype(str) == str(value)).to_numpy()
        hit |= row
    return hit


def _shortfall(counts: np.ndarray, hid: np.ndarray, primary: np.ndarray, min_n: int) -> float:
    """How many respondents the hidden cells of a group lack to protect each other (<= 0: enough).

    The group's total is published, so the hidden cells' sum ``H`` is known. Someone who knows that
    a primary cell has 1 to ``min_n - 1`` respondents and a secondary one at least ``min_n`` can
    bound a primary cell from above by ``H - (other primaries) - min_n * (secondaries)``; it must
    stay able to be as large as ``min_n - 1``. With no secondary cell it must also be able to be 1.
    Where no primary cell is hidden (cells hidden on the audit's request), two cells with at
    least ``min_n`` respondents together suffice: neither can then be recovered by subtraction.
    """
    sizes = np.nan_to_num(counts[hid], nan=0.0)
    is_primary = primary[hid]
    if not is_primary.any():
        return max(2 - len(hid), 0) * min_n + max(min_n - sizes.sum(), 0)
    total, n_primary, n_secondary = sizes.sum(), is_primary.sum(), (~is_primary).sum()
    upper = total - (n_primary - 1) - min_n * n_secondary
    short = (min_n - 1) - upper
    if n_secondary == 0:  # all primaries: the smallest may not be forced above 1 either
        short = max(short, total - (n_primary - 1) * (min_n - 1) - 1, 1 if n_primary == 1 else 0)
    return short


def suppress(
    table: pd.DataFrame,
    *,
    min_n: int = 5,
    n: str = "n",
    keys: Sequence[str] | None = None,
    within: str | Sequence[str] | None = None,
    complementary: bool = True,
    hide: Sequence[Mapping] = (),
    round_to: int | None = None,
) -> pd.DataFrame:
    """Hide every statistic of the cells below ``min_n``, and enough other cells to protect them.

    Parameters
    ----------
    table : DataFrame
        A results table: key columns, a respondent count column, statistics.
    min_n : int
        Smallest number of respondents (substantive answers) whose statistics may be shown.
    n : str
        The respondent count column.
    keys : list of str, optional
        The columns that name a cell (always shown); by default the columns before ``n``.
    within : str or list, optional
        Groups of cells that add up to a published total (e.g. the units of an area); complementary
        suppression works within each. Default: the whole table is one group.
    complementary : bool
        Add secondary suppression (on by default; turn off only for a table whose totals are never
        published).
    hide : sequence of mappings
        Further cells to hide (as secondary), each a mapping key column -> value; the build's audit
        passes these. The empty mapping hides a table without keys (an overall score, all respondents).
    round_to : int, optional
        Round published counts (``n`` and columns starting ``n_``) to this multiple, e.g. 5.

    Returns
    -------
    DataFrame
        A copy: statistics of hidden cells set to missing, ``n`` missing there too, and columns
        ``suppressed`` (bool) and ``suppression`` (``"primary"``, ``"secondary"`` or ``""``).

    Raises
    ------
    ParameterError
        ``min_n`` or ``round_to`` not a positive whole number.
    DataError
        Missing count, key or group columns, or ``within`` columns that are not keys.

    Notes
    -----
    Primary: n < ``min_n``. Secondary, per group: while the group's total still bounds a hidden
    cell's count more tightly than "1 to ``min_n`` − 1" (see ``_shortfall``), the smallest shown
    cell that closes the gap is hidden too (the largest when none does alone) — so neither a single
    hidden cell nor a set of tiny ones can be recovered or narrowed down from the group's total. The input is
    never modified. Checked on the disclosures of issue 12 in ``tests/privacy/test_cells.py``.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, ch. 4 (primary and
    secondary cell suppression). Statistics Finland, guidelines on confidentiality of statistics.
    """
    min_n = check_positive(min_n, "min_n", integer=True)
    if round_to is not None:
        round_to = check_positive(round_to, "round_to", integer=True)
    check_columns(table, [n], role="count column")
    keys = key_columns(table, n) if keys is None else list(keys)
    check_columns(table, keys, role="key column")
    groups_by = as_key_list(within)
    check_columns(table, groups_by, role="group column")
    counts = pd.to_numeric(table[n], errors="coerce").to_numpy(dtype=float)
    primary = ~(counts >= min_n)  # missing counts are hidden too
    hidden = primary | _match(table, hide, keys)
    if complementary and hidden.any():
        group = table.groupby(groups_by, sort=False, dropna=False).ngroup().to_numpy() if groups_by \
            else np.zeros(len(table), dtype=int)
        for g in np.unique(group[hidden]):
            members = np.flatnonzero(group == g)
            while _shortfall(counts, members[hidden[members]], primary, min_n) > 0:
                shown = members[~hidden[members]]
                if not len(shown):
                    break
                order = shown[np.argsort(np.where(np.isnan(counts[shown]), np.inf, counts[shown]), kind="stable")]
                # the smallest shown cell that closes the gap on its own, else the largest (and go on)
                closes = [c for c in order
                          if _shortfall(counts, np.append(members[hidden[members]], c), primary, min_n) <= 0]
                hidden[closes[0] if closes else order[-1]] = True
    out = table.copy()
    statistics = [c for c in out.columns if c not in keys]
    for column in statistics:
        if pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].astype(float).where(~hidden)
        else:
            out[column] = out[column].astype(object).where(~hidden, None)
    if round_to:
        for column in [c for c in statistics if c == n or c.startswith("n_")]:
            values = pd.to_numeric(out[column], errors="coerce")
            out[column] = (np.round(values / round_to) * round_to).where(values.notna())
    out["suppressed"] = hidden
    out["suppression"] = np.where(primary, PRIMARY, np.where(hidden, SECONDARY, ""))
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


def visible_rows(results: pd.DataFrame) -> pd.DataFrame:
    """The rows a figure or a sentence may use: those not suppressed.

    Parameters
    ----------
    results : DataFrame
        With an optional ``suppressed`` column from :func:`workbench.suppress`.

    Returns
    -------
    DataFrame

    Raises
    ------
    KeyError
        Never for well-formed tables.

    Notes
    -----
    Every plot function draws only these rows, so a hidden cell never becomes a point; a report's
    sentences read them through :attr:`workbench.reports.tables.Published.visible`.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control, ch. 4 (what a suppressed cell withholds).
    """
    if "suppressed" in results:
        return results[~results["suppressed"].astype(bool)]
    return results
