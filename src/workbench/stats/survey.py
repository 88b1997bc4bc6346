"""Design-based estimation from respondents: means, shares and totals of domains, as R ``survey`` does.

The respondent-level path of :func:`workbench.estimate` and :func:`total`: a :class:`~workbench.Design` with
weights, strata, clusters or calibration is resolved against the rows, every group of ``by`` is a domain of
that one design (R ``svyby``), and the variance engine (:mod:`workbench.stats.variance`) works from sums per
(PSU, group) cell, so time and memory grow linearly with the rows, whatever the number of groups.

Intervals (``method``), with the design's degrees of freedom df = PSUs - strata where a t quantile is used:

``wald``   estimate ± z·se (R ``confint(svymean(...))``); the default for means and NPS.
``t``      estimate ± t_df·se (``confint(svymean(...), df = degf(design))``).
``logit``  shares: expit(logit p̂ ± t_df·se/(p̂(1 - p̂))), stays in [0, 1]; the default for shares
           (``svyciprop(method = "logit")``).
``beta``   shares: Korn & Graubard (1998), the Clopper–Pearson interval on the effective sample size
           n* = p̂(1 - p̂)/se² · (t_{n-1}/t_df)² (``svyciprop(method = "beta")``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import special, stats

from .._validate import check_memory
from ..data.counting import Counts, Respondents, respondents
from ..data.readers import read_responses
from ..errors import MethodError, ParameterError, WorkbenchWarning
from .design import Design, ResolvedDesign
from .scales import Metric
from .variance import group_means

__all__ = ["DESIGN_METHODS", "design_estimate", "design_interval", "design_results", "per_person"]

DESIGN_METHODS = ("wald", "t", "logit", "beta")

# Working memory of the respondent-level path, per row (weights, codes, scores, influence values, the sparse
# (PSU, group) matrix) and per calibration column (the auxiliaries, weighted copies).
BYTES_PER_ROW = 160
BYTES_PER_CALIBRATION_COLUMN = 24


def per_person(metric: Metric) -> float:
    """Score of one person on a percent scale (shares 0/100, NPS ±100): totals count people, not points.

    Parameters
    ----------
    metric : Metric

    Returns
    -------
    float
        100 for shares and NPS, 1 for means.

    Raises
    ------
    AttributeError
        Not a Metric.

    Notes
    -----
    A total of a share is the number of people in the population with the answer (Σ w·1[yes]); of NPS the
    net number of promoters (promoters - detractors); of a mean score the sum of the scores.

    References
    ----------
    Lumley, T. (2010). Complex Surveys, section 2.3 (``svytotal``).
    """
    return 100.0 if metric.is_binary or metric.levels.tolist() == [-100.0, 0.0, 100.0] else 1.0


def _resolve_design_method(method: str | None, metric: Metric) -> str:
    """The interval method of the design path (default ``logit`` for shares, ``wald`` otherwise), checked."""
    valid = DESIGN_METHODS if metric.is_binary else DESIGN_METHODS[:2]
    if method is None:
        return "logit" if metric.is_binary else "wald"
    if not isinstance(method, str) or method not in valid:
        raise MethodError(f"With a respondent-level design (weights, strata, clusters or raking) the interval methods "
                          f"are {', '.join(map(repr, valid))}; got {method!r}.")
    return method


def design_interval(estimate, se, *, df: float, n, method: str, confidence: float, bounds: tuple[float, float],
                    scale: float = 100.0) -> tuple[np.ndarray, np.ndarray]:
    """Interval of design-based estimates: Wald, t, logit or Korn–Graubard beta (R ``svyciprop``).

    Parameters
    ----------
    estimate, se : array_like
        Estimates and their linearisation standard errors.
    df : float
        Design degrees of freedom (PSUs - strata).
    n : array_like
        Respondents behind each estimate (for the Korn–Graubard effective sample size).
    method : str
        ``"wald"``, ``"t"``, ``"logit"`` or ``"beta"`` (the last two for shares).
    confidence : float
    bounds : (low, high)
        The metric's range; Wald and t limits are clipped to it.
    scale : float
        The estimate of a share is 100·p (percent).

    Returns
    -------
    (low, high) : ndarrays

    Raises
    ------
    MethodError
        An unknown method.

    Notes
    -----
    Wald: est ± z se. t: est ± t_df se. Logit: expit(logit p ± t_df se_p / (p(1 - p))), the interval of the
    intercept of ``svyglm(y ~ 1, family = quasibinomial)`` by the delta method (undefined, NaN with a
    warning, when p is 0 or 1). Beta (Korn & Graubard 1998): n* = p(1 - p)/se_p² (t_{n-1, α/2}/t_{df, α/2})²,
    [B⁻¹(α/2; n*p, n*(1 - p) + 1), B⁻¹(1 - α/2; n*p + 1, n*(1 - p))], n* = n when se = 0. Agrees with
    R ``svyciprop`` and ``confint`` on ``api`` to 1e-9 (``tests/stats/test_survey.py``).

    References
    ----------
    Korn, E. L. & Graubard, B. I. (1998). Confidence intervals for proportions with small expected number
    of positive counts estimated from survey data. Survey Methodology 24(2). Lumley, T. (2010). Complex
    Surveys, section 2.4 (``svyciprop``).
    """
    est = np.asarray(estimate, dtype=float)
    se = np.asarray(se, dtype=float)
    alpha = 1 - confidence
    lo, hi = bounds
    if method == "wald":
        q = stats.norm.ppf(1 - alpha / 2)
        return np.clip(est - q * se, lo, hi), np.clip(est + q * se, lo, hi)
    q = float(stats.t.ppf(1 - alpha / 2, df)) if df > 0 else np.nan
    if method == "t":
        return np.clip(est - q * se, lo, hi), np.clip(est + q * se, lo, hi)
    p, se_p = est / scale, se / scale
    if method == "logit":
        with np.errstate(divide="ignore", invalid="ignore"):
            half = q * se_p / (p * (1 - p))
            centre = special.logit(p)
            low, high = special.expit(centre - half), special.expit(centre + half)
        degenerate = (p <= 0) | (p >= 1)
        if degenerate.any():
            warnings.warn(f"The logit interval is undefined where every weighted answer is the same "
                          f"({int(degenerate.sum())} estimates at 0 % or 100 %); use method='beta'.",
                          WorkbenchWarning, stacklevel=3)
        low, high = np.where(degenerate, np.nan, low), np.where(degenerate, np.nan, high)
        return scale * low, scale * high
    if method == "beta":
        n = np.asarray(n, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (stats.t.ppf(alpha / 2, np.maximum(n - 1, 1)) / stats.t.ppf(alpha / 2, df)) ** 2
            n_eff = np.where(se_p > 0, p * (1 - p) / se_p**2, n) * ratio
            low = np.where(p > 0, stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1), 0.0)
            high = np.where(p < 1, stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)), 1.0)
        return scale * low, scale * high
    raise MethodError(f"Unknown design interval method {method!r}; valid: {', '.join(map(repr, DESIGN_METHODS))}.")


def design_results(frame: pd.DataFrame, base: Respondents, resolved: ResolvedDesign, metric: Metric, *,
                   method: str, confidence: float, group: np.ndarray | None = None, keys: pd.DataFrame | None = None,
                   dont_know: np.ndarray | None = None, total: bool = False) -> pd.DataFrame:
    """Result table of domain means (or totals) of one resolved design, one row per group.

    Parameters
    ----------
    frame : DataFrame
        The respondents (every row in the sample).
    base : Respondents
        The answers in the base (:func:`workbench.data.respondents`).
    resolved : ResolvedDesign
        The design resolved against ``frame``.
    metric : Metric
    method : str
        Interval method (:data:`DESIGN_METHODS`).
    confidence : float
    group, keys, dont_know : optional
        Coarser groups: the group (row of ``keys``) of each answer in ``base``, and don't-know counts per
        group; the groups of ``base`` when None.
    total : bool
        Population totals (Σ w·score / :func:`per_person`) instead of means; the weights must be on the
        population scale.

    Returns
    -------
    DataFrame
        Keys, ``n``, ``n_dont_know``, ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``moe``, ``method``,
        ``confidence`` and ``df`` (the design's degrees of freedom).

    Raises
    ------
    MethodError
        An unknown method.

    Notes
    -----
    Domain estimation (R ``svyby``): every row of ``frame`` is in the sample; answers outside the base or
    the group are zeros in the influence values. Estimates and variances by
    :func:`workbench.stats.variance.group_means`; intervals by :func:`design_interval`.

    References
    ----------
    Lumley, T. (2010). Complex Surveys, ch. 2 and 7.
    """
    if group is None:
        group, keys, dont_know = base.group, base.keys, base.dont_know
    n_groups = len(keys)
    scores = base.scores / per_person(metric) if total else base.scores
    if resolved.calibration is None:
        # Respondents outside the base add nothing to any PSU total: work on the base alone, with the strata's
        # sizes and factors of the whole sample (domain estimation).
        everyone = bool(base.rows.all())
        weights = resolved.weights if everyone else resolved.weights[base.rows]
        structure = resolved.structure if everyone else resolved.structure.subset(base.rows)
        est, variance = group_means(scores, weights, group, n_groups, structure, total=total)
    elif base.rows.all():  # calibrated, every respondent in the base
        est, variance = group_means(scores, resolved.weights, group, n_groups, resolved.structure,
                                    calibration=resolved.calibration, start_weights=resolved.start_weights,
                                    total=total)
    else:  # calibrated: the residuals of respondents outside the base count too, so every row takes part
        y = np.zeros(len(frame))
        g = np.zeros(len(frame), dtype=np.int64)
        y[base.rows], g[base.rows] = scores, group
        est, variance = group_means(y, resolved.weights, g, n_groups, resolved.structure, in_base=base.rows,
                                    calibration=resolved.calibration, start_weights=resolved.start_weights,
                                    total=total)
    se = np.sqrt(variance)
    n = np.bincount(group, minlength=n_groups)
    if total:
        bounds = (-np.inf, np.inf) if metric.levels[0] < 0 else (0.0, np.inf)
        low, high = design_interval(est, se, df=resolved.df, n=n, method=method, confidence=confidence, bounds=bounds)
    else:
        low, high = design_interval(est, se, df=resolved.df, n=n, method=method, confidence=confidence,
                                    bounds=metric.bounds, scale=metric.levels[-1] - metric.levels[0])
    result = keys.reset_index(drop=True).copy()
    result["n"] = n
    result["n_dont_know"] = np.asarray(dont_know, dtype=np.int64)
    result["estimate"] = est
    result["se"] = se
    result["ci_low"] = low
    result["ci_high"] = high
    result["moe"] = (high - low) / 2
    result["method"] = method
    result["confidence"] = confidence
    result["df"] = resolved.df
    return result


def design_estimate(data, metric: Metric, *, column: str | None, by, method: str | None, confidence: float,
                    design: Design, total: bool = False) -> pd.DataFrame:
    """Domain estimates of a respondent-level design (the path :func:`workbench.estimate` takes with weights).

    Parameters
    ----------
    data : DataFrame or path
        One row per respondent.
    metric : Metric
    column : str, optional
    by : str or list, optional
    method : str, optional
        :data:`DESIGN_METHODS`; default ``logit`` for shares, ``wald`` otherwise.
    confidence : float
    design : Design
    total : bool
        Totals instead of means.

    Returns
    -------
    DataFrame
        As :func:`design_results`.

    Raises
    ------
    ParameterError
        A count table (the design needs respondents).
    MethodError
        A method that does not apply.
    DataError
        Bad design columns or population sizes; data too large for memory.

    Notes
    -----
    Memory: about 160 bytes a respondent plus 24 per calibration column (checked before the work starts).

    References
    ----------
    Lumley, T. (2010). Complex Surveys.
    """
    method = _resolve_design_method(method, metric)
    if isinstance(data, Counts):
        raise ParameterError("A design with weights, strata, clusters or raking needs respondent-level data, "
                             "not a count table.")
    frame = read_responses(data)
    columns = 0 if design.calibration is None else design.calibration.auxiliaries.shape[1]
    check_memory(len(frame), BYTES_PER_ROW + BYTES_PER_CALIBRATION_COLUMN * columns, "A design-based estimate")
    resolved = design.resolve(frame)
    base = respondents(frame, metric, column=column, by=by)
    return design_results(frame, base, resolved, metric, method=method, confidence=confidence, total=total)
