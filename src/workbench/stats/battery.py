"""Statement batteries: reliability (Cronbach's alpha) and per-statement summaries.

THL's harmonised questionnaire carries a battery of core agreement statements (1–5 with a
don't-know option); these functions summarise it across areas.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_columns
from ..data.counting import count
from ..errors import DataError
from .estimation import estimate
from .scales import AGREEMENT_SCALE

__all__ = ["battery_reliability", "statement_summary"]


def _substantive(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Statement answers as numbers with don't-know (and empty) answers as missing; validated by the scale."""
    out = {}
    for col in columns:
        codes = AGREEMENT_SCALE.encode(data[col], column=col)
        values = np.where((codes >= 0) & (codes < AGREEMENT_SCALE.size), codes + 1.0, np.nan)
        out[col] = values
    return pd.DataFrame(out, index=data.index)


def battery_reliability(data: pd.DataFrame, columns: Sequence[str], *, by: str | Sequence[str] | None = None,
                        confidence: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha of a statement battery (pingouin), overall or per group.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    columns : sequence of str
        The statements (1–5, 6 = don't know).
    by : str or list, optional
        One alpha per group.
    confidence : float
        Level of the interval.

    Returns
    -------
    DataFrame
        ``by`` keys, ``n_complete``, ``alpha``, ``ci_low``, ``ci_high``; a group with fewer than three
        complete respondents gets missing values.

    Raises
    ------
    DataError
        Fewer than two statements, missing columns.
    ScaleError
        Answers outside the agreement scale.

    Notes
    -----
    Don't-know answers are missing; alpha uses respondents who answered every statement
    (``nan_policy="listwise"``), reported as ``n_complete``. α = k/(k - 1) (1 - Σ s_i² / s_total²);
    the interval is pingouin's (Feldt 1965). Checked against pingouin on complete answers in
    ``tests/stats/test_battery.py``.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika 16.
    Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson reliability
    coefficient twenty. Psychometrika 30.
    """
    import pingouin as pg  # deferred: importing pingouin costs about a second (it loads its plotting stack)

    columns = list(columns)
    keys = as_key_list(by)
    check_columns(data, columns + keys)
    if len(columns) < 2:
        raise DataError(f"Cronbach's alpha needs at least two statements; got {columns}.")
    values = _substantive(data, columns)
    groups = [((), values)] if not keys else [((k,) if not isinstance(k, tuple) else k, part)
                                                for k, part in values.groupby([data[k] for k in keys], sort=True)]
    rows = []
    for key, part in groups:
        complete = part.dropna()
        if len(complete) < 3:
            rows.append((*key, len(complete), np.nan, np.nan, np.nan))
            continue
        alpha, (low, high) = pg.cronbach_alpha(data=complete, nan_policy="listwise", ci=confidence)
        rows.append((*key, len(complete), alpha, low, high))
    return pd.DataFrame(rows, columns=keys + ["n_complete", "alpha", "ci_low", "ci_high"])


def statement_summary(data: pd.DataFrame, columns: Sequence[str], *, by: str | Sequence[str] | None = None,
                      confidence: float = 0.95) -> pd.DataFrame:
    """Per statement (and group): answers, don't-know share, agreement (share 4–5) with interval, mean.

    Parameters
    ----------
    data : DataFrame
    columns : sequence of str
        The statements (1–5, 6 = don't know).
    by : str or list, optional
    confidence : float

    Returns
    -------
    DataFrame
        ``by`` keys, ``statement``, ``n``, ``n_dont_know``, ``estimate`` (share agreeing, %),
        ``ci_low``, ``ci_high`` (Wilson), ``dont_know_share`` (0–1 of all answers) and ``mean`` (1–5).

    Raises
    ------
    DataError, ScaleError
        Missing columns; answers outside the agreement scale.

    Notes
    -----
    One count pass per statement serves both the share and the mean (:func:`workbench.estimate` on
    the count table). Checked against a direct computation in ``tests/stats/test_battery.py``.

    References
    ----------
    Brown, Cai & DasGupta (2001), Statistical Science 16(2) (Wilson interval).
    """
    keys = as_key_list(by)
    parts = []
    for col in columns:
        counts = count(data, "agreement", column=col, by=keys or None)  # one pass serves both metrics
        share = estimate(counts, "agreement", confidence=confidence)
        mean = estimate(counts, "agreement_mean", confidence=confidence)
        part = share[keys + ["n", "n_dont_know", "estimate", "ci_low", "ci_high"]].copy()
        part.insert(len(keys), "statement", col)
        part["dont_know_share"] = part["n_dont_know"] / (part["n"] + part["n_dont_know"])
        part["mean"] = mean["estimate"].to_numpy()
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
