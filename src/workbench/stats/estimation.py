"""Estimation: metrics with honest uncertainty per group, from raw responses, counts or a design."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import check_columns, check_confidence, show_values
from ..data.counting import Counts, Respondents, count, respondents
from ..data.readers import read_responses
from ..errors import DataError, ParameterError, WorkbenchWarning
from .design import Design, as_design, linearised_variance
from .intervals import level_interval, resolve_method
from .scales import Metric, get_metric

__all__ = ["estimate", "weighted_results", "RESULT_COLUMNS"]

RESULT_COLUMNS = ["n", "n_dont_know", "estimate", "se", "ci_low", "ci_high", "moe", "method", "confidence"]


def _population_sizes(population, frame: pd.DataFrame | None, counts: Counts) -> np.ndarray | None:
    """Population size N per group, from a column of the data, a mapping or a number."""
    if population is None:
        return None
    keys = counts.keys
    if isinstance(population, str):
        if frame is None:
            raise ParameterError("`population` as a column name needs raw responses, not counts; pass a mapping.")
        check_columns(frame, [population], role="population column")
        by = list(keys.columns)
        sizes = frame[by + [population]] if by else frame[[population]]
        per_group = sizes.groupby(by, sort=True)[population].agg(["min", "max"]) if by else sizes[population].agg(["min", "max"]).to_frame().T
        if (per_group["min"] != per_group["max"]).any():
            raise DataError(f"Population column {population!r} must be constant within each group.")
        if by:
            N = keys.merge(per_group["min"].rename("N").reset_index(), on=by, how="left")["N"].to_numpy(float)
        else:
            N = per_group["min"].to_numpy(float)
    elif isinstance(population, Mapping):
        by = list(keys.columns)
        if not by:
            raise ParameterError("`population` is a mapping but there is no `by`; pass a number.")
        index = [tuple(r) if len(by) > 1 else r[0] for r in keys.itertuples(index=False, name=None)]
        missing = [k for k in index if k not in population]
        if missing:
            raise DataError(f"`population` has no size for groups {show_values(missing)} ({len(missing)} groups).")
        N = np.array([population[k] for k in index], dtype=float)
    elif isinstance(population, (int, float, np.integer, np.floating)) and not isinstance(population, bool):
        N = np.full(len(keys), float(population))
    else:
        raise ParameterError(
            f"`population` must be a column name, a mapping from group to size or a number; got {population!r}."
        )
    if not np.isfinite(N).all() or (N <= 0).any():
        raise DataError(f"`population` sizes must be positive numbers; got {show_values(N[~(np.isfinite(N) & (N > 0))])}.")
    n = counts.n
    small = N < n
    if small.any():
        groups = keys.loc[small].to_dict("records") if len(keys.columns) else ["(all)"]
        raise DataError(
            f"`population` is smaller than the sample in {int(small.sum())} groups: "
            f"{show_values(groups, 4)} (population {show_values(N[small], 4)}, sample {show_values(n[small], 4)})."
        )
    return N


def estimate(
    data: pd.DataFrame | str | os.PathLike | Counts,
    metric: str | Metric,
    *,
    column: str | None = None,
    by: str | Sequence[str] | None = None,
    method: str | None = None,
    confidence: float = 0.95,
    design: Design | None = None,
    rng=None,
    replicates: int = 2000,
    weights=None,
) -> pd.DataFrame:
    """Estimate a metric per group with its standard error and confidence interval.

    Parameters
    ----------
    data : DataFrame, path or Counts
        Raw responses (one row each; CSV or Parquet path accepted) or a count table
        from :func:`workbench.count`. Both paths give identical results.
    metric : str or Metric
        ``"nps"``, ``"csat"``, ``"csat_mean"``, ``"ces"``, ``"ces_mean"``, ``"fcr"``,
        ``"agreement"``, ``"agreement_mean"`` or a user-defined :class:`Metric`.
    column : str, optional
        Answer column; defaults to the metric's name (``csat_mean`` and ``ces_mean`` read
        ``csat`` and ``ces``).
    by : str or list of str, optional
        Group keys.
    method : str, optional
        Interval method; None gives the project default (``wilson`` for shares,
        ``score`` for NPS, ``wald`` for means). See :mod:`workbench.stats.intervals`.
    confidence : float
        Confidence level, strictly between 0 and 1.
    design : Design, optional
        The survey design (:class:`workbench.Design`): respondent weights, calibration from
        raking, strata, population sizes. Without weights, calibration or strata the estimate is
        computed from counts; ``population`` then applies the finite population correction
        f = (N - n) / (N - 1) to the standard error and the interval. With weights the estimate is
        the weighted mean score and the standard error the linearisation (Taylor) one, accounting
        for raking when the design carries its calibration; intervals are then Wald intervals.
    rng : seed or Generator, optional
        Randomness of ``bootstrap`` and ``bayes``.
    replicates : int
        Draws for ``bootstrap`` and ``bayes``.
    weights : column name, array or raking result, optional
        Deprecated: use ``design=wb.Design(weights=...)`` (or ``design=raked``).

    Returns
    -------
    DataFrame
        The ``by`` keys, then ``n`` (answers in the base), ``n_dont_know``, ``estimate``,
        ``se``, ``ci_low``, ``ci_high``, ``moe`` (half the interval's width), ``method``,
        ``confidence``. Groups whose answers are all "don't know" are left out with a warning.

    Raises
    ------
    MetricError, MethodError
        An unknown metric, or a method that does not apply to it.
    ParameterError
        A level outside (0, 1); ``column``/``by`` with a count table; a design with counts.
    DataError, ScaleError
        Missing columns, empty data, answers outside the scale, bad population sizes.

    Notes
    -----
    estimate = sum_k s_k p_k and se = sqrt(f (sum_k s_k**2 p_k - estimate**2) / n), with s_k the
    scores of the metric and p_k the observed shares (DESIGN.md, principle 2). Shares are in
    percent, NPS in points from -100 to 100, means in scale points. The weighted path is checked
    against R ``survey::svymean`` (``tests/reference/weighting_survey.csv``); the intervals against
    R ``prop.test``/``binom.test`` and the NPS references in ``tests/reference/``.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley. Lumley, T. (2010). Complex Surveys.

    Examples
    --------
    >>> import pandas as pd, workbench as wb
    >>> df = pd.DataFrame({"nps": [10, 9, 9, 8, 7, 6, 3, 10, 9, 10]})
    >>> wb.estimate(df, "nps")[["n", "estimate", "method"]]
        n  estimate method
    0  10      40.0  score
    """
    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    if weights is not None:
        if design is not None:
            raise ParameterError("Pass the weights in `design`, not both `design` and `weights`.")
        warnings.warn("`weights=` is deprecated; use `design=wb.Design(weights=...)` or `design=raked`.",
                      DeprecationWarning, stacklevel=2)
        design = weights if hasattr(weights, "design") else Design(weights=weights)
    design = as_design(design)
    if design.is_weighted:
        return _weighted_estimate(data, metric, column=column, by=by, method=method, confidence=confidence,
                                  design=design)
    method = resolve_method(method, metric.levels)
    frame = None
    if isinstance(data, Counts):
        if column is not None or by is not None:
            raise ParameterError("`column` and `by` are fixed by the count table; do not pass them with Counts.")
        counts = data
    else:
        frame = read_responses(data)
        counts = count(frame, metric, column=column, by=by)
    level_counts = counts.level_counts(metric).astype(float)
    n = level_counts.sum(axis=1)
    empty = n <= 0
    if empty.any():
        dropped = counts.keys.loc[empty].to_dict("records")
        warnings.warn(
            f"{int(empty.sum())} groups have only don't-know answers and are left out: {show_values(dropped, 4)}.",
            WorkbenchWarning,
            stacklevel=2,
        )
        keep = ~empty
        counts = Counts(counts.keys.loc[keep].reset_index(drop=True), counts.counts[keep], counts.dont_know[keep],
                        counts.scale)
        level_counts, n = level_counts[keep], n[keep]
    N = _population_sizes(design.population, frame, counts)
    if N is None:
        fpc = np.ones(len(n))
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            fpc = np.where(N > 1, (N - n) / np.maximum(N - 1, 1), 0.0)
    levels = metric.levels
    est = level_counts @ levels / n
    var = np.maximum(level_counts @ levels**2 / n - est**2, 0.0)
    se = np.sqrt(var / n * fpc)
    low, high = level_interval(
        level_counts, levels, method=method, confidence=confidence, fpc=fpc, rng=rng, replicates=replicates
    )
    result = counts.keys.reset_index(drop=True).copy()
    result["n"] = n if not np.allclose(n, np.round(n)) else np.round(n).astype(np.int64)
    result["n_dont_know"] = np.round(counts.dont_know).astype(np.int64)
    result["estimate"] = est
    result["se"] = se
    result["ci_low"] = low
    result["ci_high"] = high
    result["moe"] = (high - low) / 2
    result["method"] = method
    result["confidence"] = confidence
    return result


def _weighted_estimate(data, metric, *, column, by, method, confidence, design: Design):
    """Weighted estimate per group with a linearisation standard error (see `estimate`)."""
    if method not in (None, "wald"):
        raise ParameterError(f"With `weights`, intervals are Wald (linearisation) intervals; got method {method!r}.")
    if design.population is not None:
        raise ParameterError("`population` and `weights` cannot be combined; the weights carry the population.")
    if isinstance(data, Counts):
        raise ParameterError("`weights` need respondent-level data, not a count table.")
    frame = read_responses(data)
    w = design.respondent_weights(frame)
    calibration = design.auxiliaries(frame)
    strata = design.stratum_codes(frame)
    base = respondents(frame, metric, column=column, by=by)
    return weighted_results(base, base.group, base.keys, base.dont_know, w, calibration, metric, confidence,
                            strata=strata)


def weighted_results(base: Respondents, group: np.ndarray, keys: pd.DataFrame, dont_know: np.ndarray,
                     w: np.ndarray, calibration: np.ndarray | None, metric: Metric, confidence: float, *,
                     strata: np.ndarray | None = None) -> pd.DataFrame:
    """Result table of weighted means per group (rows of ``keys``) with linearisation standard errors.

    Parameters
    ----------
    base : Respondents
        The responses in the base (from :func:`workbench.data.respondents`).
    group : ndarray of int
        Row of ``keys`` of each response in ``base`` (the groups of ``base`` itself, or coarser ones).
    keys : DataFrame
        One row per group.
    dont_know : ndarray
        Don't-know answers per row of ``keys``.
    w, calibration, strata : ndarrays
        Weights, calibration auxiliaries and stratum codes aligned with the data's rows.
    metric : Metric
    confidence : float

    Returns
    -------
    DataFrame
        As :func:`estimate`, with Wald intervals clipped to the metric's range.

    Raises
    ------
    ValueError
        Arrays that are not aligned.

    Notes
    -----
    The variance engine is :func:`workbench.stats.design.linearised_variance`; intervals are
    mean ± z·se.

    References
    ----------
    Lumley, T. (2010). Complex Surveys. Wiley.
    """
    cal = calibration[base.rows] if calibration is not None else None
    st = strata[base.rows] if strata is not None else None
    mean, variance = linearised_variance(base.scores, w[base.rows], group, len(keys), cal, strata=st)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    se = np.sqrt(variance)
    lo, hi = metric.bounds
    result = keys.reset_index(drop=True).copy()
    result["n"] = np.bincount(group, minlength=len(keys))
    result["n_dont_know"] = np.asarray(dont_know, dtype=np.int64)
    result["estimate"] = mean
    result["se"] = se
    result["ci_low"] = np.clip(mean - z * se, lo, hi)
    result["ci_high"] = np.clip(mean + z * se, lo, hi)
    result["moe"] = (result["ci_high"] - result["ci_low"]) / 2
    result["method"] = "wald"
    result["confidence"] = confidence
    return result
