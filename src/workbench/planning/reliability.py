"""Reliability of unit comparisons: between- and within-unit variance and the responses per unit needed."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_confidence
from ..data.counting import Counts, count
from ..errors import ParameterError, WorkbenchWarning
from ..stats.scales import Metric, get_metric

__all__ = ["reliability", "reliability_from_counts", "RELIABILITY_THRESHOLDS"]


RELIABILITY_THRESHOLDS = (0.7, 0.8)


def reliability(
    data,
    metric: str | Metric,
    *,
    unit: str,
    by: str | list[str] | None = None,
    column: str | None = None,
    thresholds: tuple[float, ...] = RELIABILITY_THRESHOLDS,
) -> pd.DataFrame:
    """Between- and within-unit variance of a metric and the responses per unit for reliable comparison.

    Parameters
    ----------
    data : DataFrame or path
        Responses with a unit column.
    metric : str or Metric
    unit : str
        The unit column (the level at which results are compared and published).
    by : str or list, optional
        Estimate separately per group, typically the service type.
    column : str, optional
        The answer column; the metric's own by default.
    thresholds : tuple of float
        Target reliabilities; 0.7 and 0.8 by default.

    Returns
    -------
    DataFrame
        ``by`` keys, ``units``, ``n``, ``mean_n`` (responses per unit), ``between_var`` (τ²),
        ``within_var`` (σ²), ``icc`` (τ² / (τ² + σ²), the between-unit share of variance),
        ``reliability_at_mean_n``, then ``threshold`` and ``n_needed``: one row per group and
        threshold, with the responses per unit for that reliability (``inf`` when units do not
        differ at all).

    Raises
    ------
    ParameterError
        No group with at least two units; a threshold outside (0, 1).
    DataError, ScaleError
        Missing columns or answers outside the scale.

    Notes
    -----
    One-way random-effects ANOVA on the response scores, from counts: MSW = Σ(n_j - 1)s_j² / (N - k),
    MSB = Σ n_j (ȳ_j - ȳ)² / (k - 1), n0 = (N - Σn_j²/N) / (k - 1), τ² = max(0, (MSB - MSW) / n0),
    σ² = MSW (Searle, Casella & McCulloch 1992, ch. 3). The reliability of a unit mean of n responses
    is the Spearman–Brown form R(n) = τ² / (τ² + σ²/n), so n(R) = R / (1 - R) · σ² / τ².

    The thresholds follow public reporting practice: 0.7 is the conventional minimum for comparing
    groups (Nunnally 1978) and CMS sizes HCAHPS at 300 completed surveys per hospital per year so
    that hospital-level reliability reaches 0.8 or more for most measures (CMS, HCAHPS Quality
    Assurance Guidelines). Checked against statsmodels MixedLM (REML) on simulated data with known
    τ² and σ² (``tests/planning/test_reliability.py``).

    References
    ----------
    Searle, S. R., Casella, G. & McCulloch, C. E. (1992). Variance Components. Wiley, ch. 3.
    Nunnally, J. C. (1978). Psychometric Theory, 2nd ed. CMS, HCAHPS Quality Assurance Guidelines.
    """
    metric = get_metric(metric)
    keys = as_key_list(by)
    for t in thresholds:
        check_confidence(t, "thresholds")
    return reliability_from_counts(count(data, metric, column=column, by=keys + [unit]), metric, keys, thresholds)


def reliability_from_counts(counts: Counts, metric: Metric, keys: list[str],
                            thresholds=RELIABILITY_THRESHOLDS) -> pd.DataFrame:
    """:func:`reliability` from a count table keyed by ``keys`` + the unit (no pass over responses).

    Parameters
    ----------
    counts : Counts
        Keyed by ``keys`` and then the unit.
    metric : Metric
    keys : list of str
        The grouping keys (e.g. service); the unit is the remaining key.
    thresholds : tuple of float
        Target reliabilities.

    Returns
    -------
    DataFrame
        As :func:`reliability`.

    Raises
    ------
    ParameterError
        No group with at least two units and more responses than units.

    Notes
    -----
    The one-way ANOVA sums of squares come from the counts: Σ n_j ȳ_j², Σ Σ y², Σ n_j², so the
    result is exact, not an approximation of the respondent-level ANOVA.

    References
    ----------
    Searle, S. R., Casella, G. & McCulloch, C. E. (1992). Variance Components, ch. 3.
    """
    lc = counts.level_counts(metric).astype(float)
    levels = metric.levels
    n_j = lc.sum(axis=1)
    keep = n_j > 0
    lc, n_j = lc[keep], n_j[keep]
    frame = counts.keys.loc[keep].reset_index(drop=True)
    frame["_n"] = n_j
    frame["_sum"] = lc @ levels
    frame["_sumsq"] = lc @ levels**2
    frame["_nsq"] = n_j**2
    frame["_units"] = 1
    frame["_nmean2"] = frame["_sum"] ** 2 / frame["_n"]  # n_j ȳ_j², for the between-unit sum of squares
    grouped = frame.groupby(keys, sort=True) if keys else frame.assign(_all=0).groupby("_all")
    agg = grouped[["_n", "_sum", "_sumsq", "_nsq", "_units", "_nmean2"]].sum()
    N, k = agg["_n"], agg["_units"]
    grand = agg["_sum"] / N
    ssw = agg["_sumsq"] - agg["_nmean2"]
    ssb = agg["_nmean2"] - N * grand**2
    with np.errstate(divide="ignore", invalid="ignore"):
        msw = ssw / (N - k)
        msb = ssb / (k - 1)
        n0 = (N - agg["_nsq"] / N) / (k - 1)
        tau2 = np.maximum((msb - msw) / n0, 0.0)
    thin = ((k < 2) | (N - k <= 0)).to_numpy()
    if thin.all():
        raise ParameterError("Reliability needs at least two units and more responses than units; no group has them.")
    if thin.any():
        warnings.warn(f"Groups {agg.index[thin].tolist()} have fewer than two units (or one response per unit) and are "
                      "left out of the reliability table.", WorkbenchWarning, stacklevel=2)
        agg, N, k, msw, tau2 = agg[~thin], N[~thin], k[~thin], msw[~thin], tau2[~thin]
    result = pd.DataFrame({
        "units": k.astype(int), "n": N.astype(int), "mean_n": N / k, "between_var": tau2, "within_var": msw,
    })
    result["icc"] = result["between_var"] / (result["between_var"] + result["within_var"])
    result["reliability_at_mean_n"] = result["between_var"] / (result["between_var"] + result["within_var"] / result["mean_n"])
    result = result.reset_index()
    if not keys:
        result = result.drop(columns=["_all"])
    # A long table: one row per group and target reliability (no column named after a parameter value).
    thresholds = np.asarray(thresholds, dtype=float)
    long = result.loc[result.index.repeat(len(thresholds))].reset_index(drop=True)
    long["threshold"] = np.tile(thresholds, len(result))
    with np.errstate(divide="ignore"):
        need = np.where(long["between_var"] > 0,
                        long["threshold"] / (1 - long["threshold"]) * long["within_var"] / long["between_var"], np.inf)
    long["n_needed"] = np.ceil(need - 1e-9)
    return long


