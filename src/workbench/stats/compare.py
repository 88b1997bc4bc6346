"""Comparisons: the difference between two groups or two periods, with CI and p-value."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from .._validate import as_key_list, check_choice, check_columns, check_confidence, show_values
from ..data.counting import Counts, count, respondents
from ..data.readers import read_responses
from ..errors import DataError, MethodError, ParameterError, WorkbenchWarning
from .design import Design, as_design, calibration_residuals, stratified_total_variance
from .intervals import adjusted_moments
from .scales import Metric, get_metric

__all__ = ["compare", "BINARY_COMPARE_METHODS", "LINEAR_COMPARE_METHODS"]

BINARY_COMPARE_METHODS = ("agresti-caffo", "score", "wald")
LINEAR_COMPARE_METHODS = ("adjusted_wald", "wald")


def _linear_parts(level_counts: np.ndarray, levels: np.ndarray, adjusted: bool):
    """Centre and variance of the mean score per group, optionally with the adjusted-Wald pseudo-counts."""
    n, centre, variance = adjusted_moments(level_counts, levels, adjusted=adjusted)
    return centre, variance / n


def compare(
    data: pd.DataFrame | str | os.PathLike | Counts,
    metric: str | Metric,
    *,
    between: str,
    groups: Sequence | None = None,
    by: str | Sequence[str] | None = None,
    column: str | None = None,
    method: str | None = None,
    confidence: float = 0.95,
    design: Design | None = None,
) -> pd.DataFrame:
    """Difference of a metric between two levels of a column (two units, two periods).

    Parameters
    ----------
    data : DataFrame, path or Counts
        Responses, or counts whose keys include ``between`` (and ``by``).
    metric : str or Metric
    between : str
        The column whose two levels are compared (e.g. ``"period"``).
    groups : (a, b), optional
        The two levels; the difference is b - a. Default: the two levels present, sorted.
    by : str or list, optional
        Compare within each of these groups.
    method : str, optional
        Shares: ``"agresti-caffo"`` (default; one pseudo-success and one pseudo-failure per
        group, vectorised), ``"score"`` (Miettinen–Nurminen; statsmodels inverts it one pair
        at a time) or ``"wald"``, through statsmodels' ``confint_proportions_2indep`` and
        ``test_proportions_2indep`` with the same method for the interval and the test.
        Other metrics: ``"adjusted_wald"`` (default; for NPS Sauro & Lewis's pseudo-counts
        n + 3 and 3/4 to promoters and detractors in each group) or ``"wald"``; the variance
        of each group's NPS is (p + d - (p - d)**2) / n. With a weighted ``design``: ``"wald"``
        on the linearised contrast (the only method).
    design : Design, optional
        Weights, calibration and strata (:class:`workbench.Design`). The two groups are domains of
        one design; the standard error of the difference is the linearisation variance of the
        contrast, so respondents of both groups in one stratum covary as they should.

    Returns
    -------
    DataFrame
        ``by`` keys, ``group_a``, ``group_b``, ``n_a``, ``n_b``, ``estimate_a``, ``estimate_b``,
        ``difference`` (b - a, observed), ``se``, ``ci_low``, ``ci_high``, ``p_value``
        (two-sided, H0: no difference), ``method``, ``confidence``.

    Raises
    ------
    ParameterError
        ``between`` also in ``by``, not two groups, a level outside (0, 1).
    MethodError
        A method that does not apply to the metric.
    DataError
        A group without answers, no group answered in both levels.

    Notes
    -----
    Difference b - a with a two-sided test of no difference. Shares use statsmodels'
    ``confint_proportions_2indep``/``test_proportions_2indep`` (checked against the closed forms of
    Agresti & Caffo 2000 and Wald in ``tests/stats/test_compare.py``); other metrics a Wald interval
    of the (pseudo-count) means with independent variances.

    References
    ----------
    Agresti, A. & Caffo, B. (2000). Simple and effective confidence intervals for proportions and
    differences of proportions. The American Statistician 54(4). Miettinen, O. & Nurminen, M.
    (1985). Comparative analysis of two rates. Statistics in Medicine 4(2).

    Examples
    --------
    >>> import pandas as pd, workbench as wb
    >>> df = pd.DataFrame({"period": ["2025"] * 4 + ["2026"] * 4, "fcr": [1, 0, 0, 1, 1, 1, 1, 0]})
    >>> wb.compare(df, "fcr", between="period")[["group_a", "group_b", "difference"]]
      group_a group_b  difference
    0    2025    2026        25.0
    """
    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    keys = as_key_list(by)
    if not isinstance(between, str):
        raise ParameterError(f"`between` must be one column name; got {between!r}.")
    if between in keys:
        raise ParameterError(f"`between` ({between!r}) cannot also be in `by`.")
    design = as_design(design)
    if design.is_weighted:
        return _weighted_compare(data, metric, between=between, groups=groups, keys=keys, column=column,
                                 method=method, confidence=confidence, design=design)
    binary = metric.is_binary
    valid = BINARY_COMPARE_METHODS if binary else LINEAR_COMPARE_METHODS
    method = method if method is not None else valid[0]
    check_choice(method, "method", valid, error=MethodError)
    if isinstance(data, Counts):
        check_columns(data.keys, keys + [between], role="key")
        counts = data
    else:
        frame = read_responses(data)
        check_columns(frame, [between], role="comparison column")
        counts = count(frame, metric, column=column, by=keys + [between])
    groups = _two_groups(pd.unique(counts.keys[between]), between, groups)
    levels = metric.levels
    lc = counts.level_counts(metric).astype(float)
    table = counts.keys.copy()
    table["_row"] = np.arange(len(table))
    side = {g: table[table[between] == g].drop(columns=between) for g in groups}
    if keys:
        pairs = side[groups[0]].merge(side[groups[1]], on=keys, how="inner", suffixes=("_a", "_b"))
        unpaired = len(side[groups[0]]) + len(side[groups[1]]) - 2 * len(pairs)
        if unpaired:
            warnings.warn(f"{unpaired} groups have answers in only one of {groups!r} and are left out.",
                          WorkbenchWarning, stacklevel=2)
        if pairs.empty:
            raise DataError(f"No group of {keys} has answers in both {groups[0]!r} and {groups[1]!r}.")
    else:
        pairs = pd.DataFrame({"_row_a": side[groups[0]]["_row"].to_numpy(), "_row_b": side[groups[1]]["_row"].to_numpy()})
    a, b = lc[pairs["_row_a"].to_numpy()], lc[pairs["_row_b"].to_numpy()]
    n_a, n_b = a.sum(axis=1), b.sum(axis=1)
    if (n_a <= 0).any() or (n_b <= 0).any():
        raise DataError("A compared group has only don't-know answers; nothing to compare.")
    est_a, est_b = a @ levels / n_a, b @ levels / n_b
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    if binary:
        x_a, x_b = a[:, 1], b[:, 1]
        # statsmodels compares group 1 - group 2: pass b first for b - a.
        def intervals_and_tests(xb, nb, xa, na):
            ci = confint_proportions_2indep(xb, nb, xa, na, method=method, compare="diff", alpha=1 - confidence)
            return ci, test_proportions_2indep(xb, nb, xa, na, method=method, compare="diff").pvalue

        if method == "score":  # statsmodels' score inversion (brentq) takes one pair at a time
            parts = [intervals_and_tests(*args) for args in zip(x_b, n_b, x_a, n_a)]
            low = np.array([p[0][0] for p in parts]).reshape(-1)
            high = np.array([p[0][1] for p in parts]).reshape(-1)
            pvalue = np.array([p[1] for p in parts])
        else:
            (low, high), pvalue = intervals_and_tests(x_b, n_b, x_a, n_a)
        p_value = np.asarray(pvalue, dtype=float).reshape(-1)
        low, high = 100 * np.asarray(low), 100 * np.asarray(high)
        se = np.sqrt(est_a * (100 - est_a) / n_a + est_b * (100 - est_b) / n_b)
    else:
        adjusted = method == "adjusted_wald"
        centre_a, var_a = _linear_parts(a, levels, adjusted)
        centre_b, var_b = _linear_parts(b, levels, adjusted)
        diff_centre = centre_b - centre_a
        se = np.sqrt(var_a + var_b)
        low, high = diff_centre - z * se, diff_centre + z * se
        with np.errstate(divide="ignore", invalid="ignore"):
            p_value = np.where(se > 0, 2 * stats.norm.sf(np.abs(diff_centre) / np.where(se > 0, se, 1)),
                               np.where(diff_centre == 0, 1.0, 0.0))
    span = levels[-1] - levels[0]
    result = pairs[keys].reset_index(drop=True).copy() if keys else pd.DataFrame(index=range(len(pairs)))
    result["group_a"], result["group_b"] = groups[0], groups[1]
    result["n_a"], result["n_b"] = np.round(n_a).astype(np.int64), np.round(n_b).astype(np.int64)
    result["estimate_a"], result["estimate_b"] = est_a, est_b
    result["difference"] = est_b - est_a
    result["se"] = se
    result["ci_low"], result["ci_high"] = np.clip(low, -span, span), np.clip(high, -span, span)
    result["p_value"] = p_value
    result["method"] = method
    result["confidence"] = confidence
    return result


def _two_groups(present, between: str, groups) -> tuple:
    """The two levels to compare: as given (checked to be present), or the only two present."""
    if groups is None:
        if len(present) != 2:
            raise DataError(
                f"Column {between!r} has {len(present)} levels {show_values(sorted(present, key=str))}; "
                "name the two to compare with `groups=(a, b)`."
            )
        groups = tuple(sorted(present, key=lambda v: (str(type(v)), v)))
    if len(groups) != 2:
        raise ParameterError(f"`groups` must name two levels of {between!r}; got {groups!r}.")
    absent = [g for g in groups if g not in set(present)]
    if absent:
        raise DataError(f"Column {between!r} has no answers for {show_values(absent)}; "
                        f"levels present: {show_values(present)}.")
    return tuple(groups)


def _weighted_compare(data, metric: Metric, *, between, groups, keys, column, method, confidence, design: Design):
    """Difference of weighted means between two domains of one design, with the linearised contrast's SE."""
    if method not in (None, "wald"):
        raise MethodError(f"With a weighted design the comparison is a Wald interval of the linearised contrast; "
                          f"got method {method!r}.")
    if isinstance(data, Counts):
        raise ParameterError("A weighted `design` needs respondent-level data, not a count table.")
    if design.population is not None:
        raise ParameterError("`population` and `weights` cannot be combined; the weights carry the population.")
    frame = read_responses(data)
    check_columns(frame, [between], role="comparison column")
    w = design.respondent_weights(frame)
    calibration = design.auxiliaries(frame)
    strata = design.stratum_codes(frame)
    base = respondents(frame, metric, column=column, by=keys + [between])
    groups = _two_groups(pd.unique(base.keys[between]), between, groups)
    outer = base.keys[keys].drop_duplicates().reset_index(drop=True) if keys else pd.DataFrame(index=range(1))
    wb_, yb = w[base.rows], base.scores
    cal = calibration[base.rows] if calibration is not None else None
    st = strata[base.rows] if strata is not None else None
    rows = []
    for _, key in outer.iterrows():  # one small vector per compared pair, never per respondent
        in_key = np.ones(len(base.keys), dtype=bool)
        for k in keys:
            in_key &= (base.keys[k] == key[k]).to_numpy()
        sides = []
        for g in groups:
            members = np.flatnonzero(in_key & (base.keys[between] == g).to_numpy())
            sides.append(np.isin(base.group, members))
        if not (sides[0].any() and sides[1].any()):
            continue
        means, n_side, u = [], [], np.zeros(len(yb))
        for sign, mask in zip((-1.0, 1.0), sides):
            total = wb_[mask].sum()
            mean = float(np.sum(wb_[mask] * yb[mask]) / total)
            means.append(mean)
            n_side.append(int(mask.sum()))
            u[mask] = sign * (yb[mask] - mean) / total
        z_vals = calibration_residuals(u[:, None], wb_, cal)[:, 0] * wb_
        rows.append((*[key[k] for k in keys], n_side[0], n_side[1], means[0], means[1],
                     float(np.sqrt(stratified_total_variance(z_vals, st)))))
    if not rows:
        raise DataError(f"No group of {keys} has answers in both {groups[0]!r} and {groups[1]!r}.")
    result = pd.DataFrame(rows, columns=keys + ["n_a", "n_b", "estimate_a", "estimate_b", "se"])
    result.insert(len(keys), "group_a", groups[0])
    result.insert(len(keys) + 1, "group_b", groups[1])
    diff = result["estimate_b"] - result["estimate_a"]
    se = result.pop("se")
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    span = metric.levels[-1] - metric.levels[0]
    result["difference"] = diff
    result["se"] = se
    result["ci_low"], result["ci_high"] = np.clip(diff - z * se, -span, span), np.clip(diff + z * se, -span, span)
    with np.errstate(divide="ignore", invalid="ignore"):
        result["p_value"] = np.where(se > 0, 2 * stats.norm.sf(np.abs(diff) / np.where(se > 0, se, 1)),
                                     np.where(diff == 0, 1.0, 0.0))
    result["method"] = "wald"
    result["confidence"] = confidence
    return result
