"""Estimation: metrics with honest uncertainty per group, from raw responses, counts or a design.

One variance convention everywhere, R ``survey``'s ``svymean``: se² = (1 - n/N) s²/n with s² of divisor n - 1,
from counts (each group its own simple random sample) and from respondents under a design (domains, see
:mod:`workbench.stats.survey`). Interval methods keep their own definitions (:mod:`workbench.stats.intervals`).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_columns, check_confidence, show_values
from ..data.counting import Counts, count
from ..data.readers import read_responses
from ..errors import DataError, MethodError, ParameterError, WorkbenchWarning
from .design import Design, as_design
from .intervals import level_interval, resolve_method
from .scales import Metric, get_metric
from .survey import design_estimate, per_person

__all__ = ["estimate", "total", "RESULT_COLUMNS"]

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
        ``score`` for NPS, ``wald`` for means). See :mod:`workbench.stats.intervals`. Under a
        respondent-level design: ``wald``, ``t``, ``logit`` or ``beta`` (default ``logit`` for shares,
        ``wald`` otherwise; :mod:`workbench.stats.survey`).
    confidence : float
        Confidence level, strictly between 0 and 1.
    design : Design, optional
        The survey design (:class:`workbench.Design`): respondent weights, calibration from
        raking, strata, clusters, population sizes. Without weights, calibration, strata or clusters
        the estimate is computed from counts, each group its own simple random sample, and
        ``population`` (per group) applies the finite population correction 1 - n/N. Otherwise
        the groups are domains of one design (R ``svyby``), the estimate is the weighted mean score
        and the standard error the linearisation one, accounting for strata, clusters and raking.
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
        ``confidence``; under a respondent-level design also ``df`` (PSUs - strata). Groups whose
        answers are all "don't know" are left out with a warning.

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
    estimate = Σ_k s_k p_k and se = √((1 - n/N) s²/n), s² = n/(n - 1)·(Σ_k s_k² p_k - estimate²), with
    s_k the scores of the metric and p_k the observed shares (DESIGN.md, principle 2): R ``svymean`` on
    the group's rows (``svydesign(id = ~1, fpc = ~N)``); one answer gives se = NaN, as in R. Shares are in
    percent, NPS in points from -100 to 100, means in scale points. Checked against R ``svymean``,
    ``svyby``, ``svyciprop`` and ``confint`` on ``apisrs`` and ``apistrat`` to 1e-9
    (``tests/stats/test_survey.py``); the intervals against R ``prop.test``/``binom.test``/``qbeta``
    and the NPS references in ``tests/reference/``. Memory under a respondent-level design: about
    160 bytes a respondent plus 24 per calibration column; a clear error is raised when that is more
    than is available.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley. Lumley, T. (2010). Complex Surveys.

    Examples
    --------
    >>> import pandas as pd, workbench as wb
    >>> df = pd.DataFrame({"nps": [10, 9, 9, 8, 7, 6, 3, 10, 9, 10]})
    >>> wb.estimate(df, "nps")[["n", "estimate", "method"]]
        n  estimate method
    0  10      40.0   midp
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
        return design_estimate(data, metric, column=column, by=by, method=method, confidence=confidence,
                               design=design)
    method = resolve_method(method, metric.levels)
    result, _ = _count_estimate(data, metric, column=column, by=by, method=method, confidence=confidence,
                                design=design, rng=rng, replicates=replicates)
    return result


def _count_estimate(data, metric: Metric, *, column, by, method, confidence, design: Design, rng=None,
                    replicates: int = 2000) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Estimates from counts, each group its own simple random sample, and the population size per group."""
    frame = None
    if isinstance(data, Counts):
        if column is not None or by is not None:
            raise ParameterError("`column` and `by` are fixed by the count table; do not pass them with Counts.")
        counts = data
    else:
        # Files, relations and Ibis tables are counted where they are; only a population column is read here.
        counts = count(data, metric, column=column, by=by)
        if isinstance(design.population, str):
            frame = read_responses(data, columns=[*as_key_list(by), design.population])
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
    fpc = np.ones(len(n)) if N is None else 1 - n / N
    levels = metric.levels
    est = level_counts @ levels / n
    var = np.maximum(level_counts @ levels**2 / n - est**2, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = np.where(n > 1, var * n / (n - 1), np.nan)
    se = np.where(fpc <= 0, 0.0, np.sqrt(s2 / n * fpc))  # a census has no sampling error (R: f = 1)
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
    return result, N


def total(
    data: pd.DataFrame | str | os.PathLike | Counts,
    metric: str | Metric,
    *,
    design: Design | None = None,
    by: str | Sequence[str] | None = None,
    column: str | None = None,
    method: str | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Population totals per group with their standard errors (R ``svytotal``, ``svyby(..., svytotal)``).

    Parameters
    ----------
    data : DataFrame, path or Counts
        Respondents, or a count table when the design has only population sizes.
    metric : str or Metric
        Shares are totalled as people (the number in the population with the answer), NPS as net
        promoters (promoters - detractors), means as the sum of the scores.
    design : Design
        Weights on the population scale (N_h/n_h, a raking to population counts), strata, clusters;
        or population sizes alone (``Design(population=...)``): each group's total is then N_g·ȳ_g.
    by : str or list, optional
        Groups: domains of a respondent-level design (``svyby``); with population sizes alone each
        group is its own population.
    column : str, optional
        The answer column.
    method : str, optional
        ``"wald"`` (default) or ``"t"`` (design degrees of freedom; n - 1 per group from counts).
    confidence : float

    Returns
    -------
    DataFrame
        Keys, ``n``, ``n_dont_know``, ``estimate`` (the total), ``se``, ``ci_low``, ``ci_high``, ``moe``,
        ``method``, ``confidence`` and ``df``.

    Raises
    ------
    ParameterError
        No weights and no population sizes (a total needs the population's scale).
    MethodError
        A method other than ``wald`` or ``t``.
    DataError, ScaleError
        As :func:`estimate`.

    Notes
    -----
    Σ_g w_i s_i / c, c = 100 for percent metrics and 1 for means (:func:`workbench.stats.survey.per_person`).
    The variance is the linearisation of the total (influence values s_i / c, summed to PSUs within strata,
    factor 1 - n_h/N_h). From counts: N_g ȳ_g / c with standard error N_g·se(ȳ_g) / c. Agrees with R
    ``svytotal`` and ``svyby(~enroll, ~awards, design, svytotal)`` on ``api`` to 1e-9
    (``tests/stats/test_survey.py``).

    References
    ----------
    Lumley, T. (2010). Complex Surveys, section 2.3. Cochran, W. G. (1977). Sampling Techniques, ch. 2.

    Examples
    --------
    >>> import pandas as pd, workbench as wb
    >>> df = pd.DataFrame({"fcr": ["yes", "no", "yes", "yes"]})
    >>> wb.total(df, "fcr", design=wb.Design(population=1000))[["n", "estimate"]]
       n  estimate
    0  4     750.0
    """
    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    design = as_design(design)
    if method not in (None, "wald", "t"):
        raise MethodError(f"Totals take method 'wald' or 't'; got {method!r}.")
    method = method or "wald"
    if design.is_weighted:
        return design_estimate(data, metric, column=column, by=by, method=method, confidence=confidence,
                               design=design, total=True)
    if design.population is None:
        raise ParameterError("A population total needs the population's scale: weights that sum to the population "
                             "(`Design(weights=...)`) or population sizes (`Design(population=...)`).")
    result, N = _count_estimate(data, metric, column=column, by=by, method=method, confidence=confidence,
                                design=design)
    scale = N / per_person(metric)
    for name in ("estimate", "se", "ci_low", "ci_high", "moe"):
        result[name] = result[name] * scale
    result["df"] = result["n"] - 1
    return result
