"""Comparisons: the difference between two groups or two periods, with CI and p-value.

Shares: Miettinen–Nurminen score, Newcombe's hybrid score, Agresti–Caffo and Wald intervals; other metrics:
(adjusted) Wald; under a respondent-level design the linearised contrast of two domains. ``se`` is always
the standard error of the observed difference in the ``svymean`` convention (divisor n - 1).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from .._validate import as_key_list, check_choice, check_columns, check_confidence, check_memory, show_values
from ..data.counting import Counts, count, respondents
from ..data.readers import read_responses
from ..errors import DataError, MethodError, ParameterError, WorkbenchWarning
from .design import Design, as_design
from .intervals import adjusted_moments
from .scales import Metric, get_metric
from .score_interval import wilson
from .survey import BYTES_PER_CALIBRATION_COLUMN, BYTES_PER_ROW
from .variance import group_means

__all__ = ["compare", "miettinen_nurminen", "newcombe_hybrid", "BINARY_COMPARE_METHODS", "LINEAR_COMPARE_METHODS"]

BINARY_COMPARE_METHODS = ("agresti-caffo", "score", "newcombe", "wald")
LINEAR_COMPARE_METHODS = ("adjusted_wald", "wald")


def _linear_parts(level_counts: np.ndarray, levels: np.ndarray, adjusted: bool):
    """Centre and variance of the mean score per group, optionally with the adjusted-Wald pseudo-counts."""
    n, centre, variance = adjusted_moments(level_counts, levels, adjusted=adjusted)
    return centre, variance / n


def _restricted_mle(x1, n1, x2, n2, delta):
    """Maximum-likelihood (p1, p2) under p1 - p2 = delta: the closed-form cubic root (Farrington & Manning 1990)."""
    p1, p2, th = x1 / n1, x2 / n2, n2 / n1
    a = 1 + th
    b = -(1 + th + p1 + th * p2 + delta * (th + 2))
    c = delta**2 + delta * (2 * p1 + th + 1) + p1 + th * p2
    d = -p1 * delta * (1 + delta)
    v = b**3 / (27 * a**3) - b * c / (6 * a**2) + d / (2 * a)
    root = np.sqrt(np.maximum(0.0, b**2 / (9 * a**2) - c / (3 * a)))
    u = np.where(v > 0, root, -root)
    with np.errstate(divide="ignore", invalid="ignore"):
        angle = (np.pi + np.arccos(np.clip(v / u**3, -1.0, 1.0))) / 3
        r1 = np.where(root == 0, -b / (3 * a), 2 * u * np.cos(angle) - b / (3 * a))
    r1 = np.clip(r1, np.maximum(0.0, delta), np.minimum(1.0, 1 + delta))
    return r1, r1 - delta


def _mn_statistic(x1, n1, x2, n2, delta):
    """Miettinen–Nurminen score statistic (p̂1 - p̂2 - delta) / √V(delta), V with the factor N / (N - 1)."""
    num = x1 / n1 - x2 / n2 - delta
    q1, q2 = _restricted_mle(x1, n1, x2, n2, delta)
    N = n1 + n2
    var = (q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2) * N / (N - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, num / np.sqrt(np.where(var > 0, var, 1.0)), np.sign(num) * np.inf)
    return np.where(num == 0, 0.0, z)


def miettinen_nurminen(x1, n1, x2, n2, *, confidence: float = 0.95, iterations: int = 64):
    """Miettinen–Nurminen score interval and test of p1 - p2, vectorised over pairs.

    Parameters
    ----------
    x1, n1, x2, n2 : array_like
        Successes and trials of the two groups (the difference is group 1 - group 2).
    confidence : float
    iterations : int
        Bisection steps per limit (64 reach the resolution of a double).

    Returns
    -------
    (low, high, p_value) : ndarrays
        Limits on the proportion scale and the two-sided p-value of p1 = p2.

    Raises
    ------
    ParameterError
        A level outside (0, 1).

    Notes
    -----
    The interval is every δ with |Z(δ)| < z, Z(δ) = (p̂1 - p̂2 - δ)/√V(δ), V(δ) = [p̃1(1 - p̃1)/n1 +
    p̃2(1 - p̃2)/n2]·N/(N - 1) at the restricted MLE (p̃1, p̃2) (closed-form cubic), found by vectorised
    bisection; a limit is -1 (or 1) when p̂1 - p̂2 is. Written here because statsmodels 0.15.0's
    ``confint_proportions_2indep(method="score")`` has ``count0`` where ``nobs0`` belongs in the cubic
    (statsmodels issue #10269, fix in PR #10270): 30/30 vs 24/30 gives an upper limit of 39.1 instead of
    37.5 points and 5/20 vs 0/20 raises. The test at δ = 0 is the pooled score test with the same factor.
    Agrees with R (the formulas written out, and PropCIs' algorithm) to 1e-9 on 13 cases including
    Newcombe's (1998) and Fagerland et al.'s examples (``tests/reference/r/compare_two_proportions.csv``).

    References
    ----------
    Miettinen, O. & Nurminen, M. (1985). Comparative analysis of two rates. Statistics in Medicine 4(2).
    Farrington, C. P. & Manning, G. (1990). Statistics in Medicine 9(12). Newcombe, R. G. (1998).
    Interval estimation for the difference between independent proportions. Statistics in Medicine 17.
    """
    confidence = check_confidence(confidence)
    x1, n1, x2, n2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x1, n1, x2, n2)))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    est = x1 / n1 - x2 / n2
    lo_out, lo_in = np.full_like(est, -1.0), est.copy()   # Z(lo_out) > z >= Z(lo_in)
    hi_in, hi_out = est.copy(), np.full_like(est, 1.0)    # Z(hi_in) >= -z > Z(hi_out)
    for _ in range(iterations):
        mid = (lo_out + lo_in) / 2
        outside = _mn_statistic(x1, n1, x2, n2, mid) > z
        lo_out, lo_in = np.where(outside, mid, lo_out), np.where(outside, lo_in, mid)
        mid = (hi_in + hi_out) / 2
        outside = _mn_statistic(x1, n1, x2, n2, mid) < -z
        hi_out, hi_in = np.where(outside, mid, hi_out), np.where(outside, hi_in, mid)
    low = np.where(est <= -1, -1.0, (lo_out + lo_in) / 2)
    high = np.where(est >= 1, 1.0, (hi_in + hi_out) / 2)
    z0 = _mn_statistic(x1, n1, x2, n2, np.zeros_like(est))
    return low, high, 2 * stats.norm.sf(np.abs(z0))


def newcombe_hybrid(x1, n1, x2, n2, *, confidence: float = 0.95):
    """Newcombe's hybrid score interval of p1 - p2 (method 10), vectorised.

    Parameters
    ----------
    x1, n1, x2, n2 : array_like
        Successes and trials (difference group 1 - group 2).
    confidence : float

    Returns
    -------
    (low, high) : ndarrays
        On the proportion scale.

    Raises
    ------
    ParameterError
        A level outside (0, 1).

    Notes
    -----
    With Wilson limits (l_i, u_i) of each proportion: L = d̂ - √((p̂1 - l1)² + (u2 - p̂2)²),
    U = d̂ + √((u1 - p̂1)² + (p̂2 - l2)²). Not in statsmodels 0.15; agrees with R (written out) to 1e-12 and
    reproduces Newcombe's (1998) Table II example 56/70 vs 48/80 (0.0524, 0.3339)
    (``tests/reference/r/compare_two_proportions.csv``).

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
    comparison of eleven methods. Statistics in Medicine 17(8), 873–890.
    """
    confidence = check_confidence(confidence)
    x1, n1, x2, n2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x1, n1, x2, n2)))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(p1, n1, z)
    l2, u2 = wilson(p2, n2, z)
    d = p1 - p2
    return d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


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
        group) or ``"wald"`` (p(1 - p)/n per group), interval and test from statsmodels'
        ``confint_proportions_2indep``/``test_proportions_2indep``; ``"score"`` (Miettinen–Nurminen,
        :func:`miettinen_nurminen`) or ``"newcombe"`` (Newcombe's hybrid score,
        :func:`newcombe_hybrid`), both with the score test's p-value. Other metrics:
        ``"adjusted_wald"`` (default; for NPS Sauro & Lewis's pseudo-counts n + 3 and 3/4 to
        promoters and detractors in each group) or ``"wald"`` (difference ± z·se, se from the
        ``svymean`` standard errors). With a respondent-level ``design``: ``"wald"`` (default) or
        ``"t"`` on the linearised contrast.
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
    Difference b - a with a two-sided test of no difference; ``se`` = √(se_a² + se_b²) with the
    ``svymean`` standard errors (divisor n - 1) whatever the interval method. Every share method is
    checked against R (the formulas written out; PropCIs, contingencytables and Newcombe's published
    examples) in ``tests/stats/test_compare.py`` (``tests/reference/r/compare_two_proportions.csv``);
    other metrics use a Wald interval of the (pseudo-count) means with independent variances. Under a
    design the contrast's variance is Var(ȳ_b) + Var(ȳ_a) - 2 Cov, from the same engine as
    :func:`workbench.estimate` (respondents of both groups in one stratum or cluster covary), linear in the
    rows (about 160 bytes a respondent plus 24 per calibration column, checked before the work starts).

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
        if isinstance(data, pd.DataFrame):
            check_columns(data, [between], role="comparison column")
        counts = count(data, metric, column=column, by=keys + [between])  # files, relations: counted where they are
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
    with np.errstate(divide="ignore", invalid="ignore"):
        s2_a = np.where(n_a > 1, (a @ levels**2 - n_a * est_a**2) / (n_a - 1), np.nan)
        s2_b = np.where(n_b > 1, (b @ levels**2 - n_b * est_b**2) / (n_b - 1), np.nan)
    se = np.sqrt(np.maximum(s2_a, 0) / n_a + np.maximum(s2_b, 0) / n_b)
    if binary:
        x_a, x_b = a[:, 1], b[:, 1]
        if method in ("score", "newcombe"):
            low, high, p_value = miettinen_nurminen(x_b, n_b, x_a, n_a, confidence=confidence)
            if method == "newcombe":
                low, high = newcombe_hybrid(x_b, n_b, x_a, n_a, confidence=confidence)
        else:  # statsmodels compares group 1 - group 2: pass b first for b - a
            with np.errstate(divide="ignore", invalid="ignore"):  # its odds ratio at p = 0 or 1, unused here
                low, high = confint_proportions_2indep(x_b, n_b, x_a, n_a, method=method, compare="diff",
                                                       alpha=1 - confidence)
                p_value = test_proportions_2indep(x_b, n_b, x_a, n_a, method=method, compare="diff").pvalue
        p_value = np.asarray(p_value, dtype=float).reshape(-1)
        low, high = 100 * np.asarray(low, dtype=float).reshape(-1), 100 * np.asarray(high, dtype=float).reshape(-1)
    else:
        if method == "adjusted_wald":
            centre_a, var_a = _linear_parts(a, levels, True)
            centre_b, var_b = _linear_parts(b, levels, True)
            diff_centre, spread = centre_b - centre_a, np.sqrt(var_a + var_b)
        else:
            diff_centre, spread = est_b - est_a, se
        low, high = diff_centre - z * spread, diff_centre + z * spread
        with np.errstate(divide="ignore", invalid="ignore"):
            p_value = np.where(spread > 0, 2 * stats.norm.sf(np.abs(diff_centre) / np.where(spread > 0, spread, 1)),
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
    """Difference of two domains of one design with the linearised contrast's SE (linear in the rows)."""
    if method not in (None, "wald", "t"):
        raise MethodError(f"With a respondent-level design the comparison is a Wald ('wald') or t ('t') interval of "
                          f"the linearised contrast; got method {method!r}.")
    method = method or "wald"
    if isinstance(data, Counts):
        raise ParameterError("A weighted `design` needs respondent-level data, not a count table.")
    frame = read_responses(data)
    check_columns(frame, [between], role="comparison column")
    columns = 0 if design.calibration is None else design.calibration.auxiliaries.shape[1]
    check_memory(len(frame), BYTES_PER_ROW + BYTES_PER_CALIBRATION_COLUMN * columns, "A design-based comparison")
    resolved = design.resolve(frame)
    base = respondents(frame, metric, column=column, by=keys + [between])
    groups = _two_groups(pd.unique(base.keys[between]), between, groups)
    cells = base.keys.assign(_g=np.arange(len(base.keys)))
    side = [cells[cells[between] == g].drop(columns=between) for g in groups]
    if keys:
        pairs = side[0].merge(side[1], on=keys, how="inner", suffixes=("_a", "_b"))
    else:
        pairs = pd.DataFrame({"_g_a": side[0]["_g"].to_numpy(), "_g_b": side[1]["_g"].to_numpy()})
    if pairs.empty:
        raise DataError(f"No group of {keys} has answers in both {groups[0]!r} and {groups[1]!r}.")
    ga, gb = pairs["_g_a"].to_numpy(), pairs["_g_b"].to_numpy()
    y = np.zeros(len(frame))
    g = np.zeros(len(frame), dtype=np.int64)
    y[base.rows], g[base.rows] = base.scores, base.group
    mean, variance, covariance = group_means(y, resolved.weights, g, len(base.keys), resolved.structure,
                                             in_base=base.rows, calibration=resolved.calibration,
                                             start_weights=resolved.start_weights, pairs=list(zip(ga, gb)))
    se = np.sqrt(np.maximum(variance[ga] + variance[gb] - 2 * covariance, 0.0))
    diff = mean[gb] - mean[ga]
    n = base.n
    result = pairs[keys].reset_index(drop=True).copy() if keys else pd.DataFrame(index=range(len(pairs)))
    result["group_a"], result["group_b"] = groups[0], groups[1]
    result["n_a"], result["n_b"] = n[ga], n[gb]
    result["estimate_a"], result["estimate_b"] = mean[ga], mean[gb]
    q = float(stats.norm.ppf(0.5 + confidence / 2) if method == "wald" else stats.t.ppf(0.5 + confidence / 2, resolved.df))
    span = metric.levels[-1] - metric.levels[0]
    result["difference"] = diff
    result["se"] = se
    result["ci_low"], result["ci_high"] = np.clip(diff - q * se, -span, span), np.clip(diff + q * se, -span, span)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(diff) / np.where(se > 0, se, 1)
        tail = stats.norm.sf(ratio) if method == "wald" else stats.t.sf(ratio, resolved.df)
        result["p_value"] = np.where(se > 0, 2 * tail, np.where(diff == 0, 1.0, 0.0))
    result["method"] = method
    result["confidence"] = confidence
    return result
