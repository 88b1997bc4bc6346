"""Margins of error: the per-response variance of a metric, the margin at n, and where more data
stops paying off. Margins are in the metric's own units: percentage points for shares, NPS points
for NPS, scale points for means.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import check_confidence, check_positive
from ..errors import ParameterError
from ..stats.scales import Metric, get_metric

__all__ = ["expected_shares", "check_share", "per_response_variance", "margin_of_error", "margin_curve",
           "diminishing_returns_n", "fpc_factor"]


def expected_shares(metric: Metric, expected) -> tuple[np.ndarray, bool]:
    """Expected shares per score level and whether they are the worst case.

    Parameters
    ----------
    metric : Metric
    expected : float, (float, float) or None
        A share (0–1) for shares, (promoters, detractors) for NPS; None gives the worst case.

    Returns
    -------
    (shares, worst_case) : (ndarray, bool)

    Raises
    ------
    ParameterError
        Shares outside [0, 1], or promoter + detractor shares above 1.

    Notes
    -----
    Worst cases: p = 0.5 for shares; p = d = 0.5 for NPS (variance 1 on the -1..1 scale); half the
    answers at each end of the scale for means (Popoviciu's bound on the variance).

    References
    ----------
    Popoviciu, T. (1935). Sur les équations algébriques ayant toutes leurs racines réelles.
    """
    levels = metric.levels
    if metric.is_binary:
        if expected is None:
            return np.array([0.5, 0.5]), True
        p = check_share(expected, "expected")
        return np.array([1 - p, p]), False
    if metric.is_trinomial:
        if expected is None:
            return np.array([0.5, 0.0, 0.5]), True
        try:
            promoters, detractors = expected
        except (TypeError, ValueError):
            raise ParameterError(
                f"`expected` for {metric.name!r} is (promoter share, detractor share); got {expected!r}."
            ) from None
        p, d = check_share(promoters, "expected promoters"), check_share(detractors, "expected detractors")
        if p + d > 1:
            raise ParameterError(f"Expected promoter and detractor shares sum to more than 1: {p} + {d}.")
        return np.array([d, 1 - p - d, p]), False
    # Means: the worst case puts half the answers at each end (Popoviciu's bound).
    shares = np.zeros(len(levels))
    shares[0] = shares[-1] = 0.5
    return shares, expected is None


def check_share(value, name: str) -> float:
    """A share between 0 and 1 (inclusive).

    Parameters
    ----------
    value : float
    name : str
        The argument's name, for the message.

    Returns
    -------
    float

    Raises
    ------
    ParameterError
        Not a number, or outside [0, 1].

    Notes
    -----
    Shares are 0–1 in arguments; results are in percent.

    References
    ----------
    STYLE.md, rule 6 (message shape).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"`{name}` must be a share between 0 and 1; got {value!r}.")
    if not 0.0 <= float(value) <= 1.0:
        raise ParameterError(f"`{name}` must be a share between 0 and 1; got {value!r}.")
    return float(value)


def per_response_variance(metric: str | Metric, expected=None) -> tuple[float, bool]:
    """Variance of one response's score and whether it is the worst case.

    Parameters
    ----------
    metric : str or Metric
    expected : optional
        A share (0–1) for shares, (promoters, detractors) for NPS, a standard deviation in scale
        points for means; None for the worst case.

    Returns
    -------
    (variance, worst_case) : (float, bool)
        Variance in the metric's units squared.

    Raises
    ------
    ParameterError, MetricError
        Bad expected values; an unknown metric.

    Notes
    -----
    Σ s_k² p_k - (Σ s_k p_k)²; for NPS 100² (p + d - (p - d)²).

    References
    ----------
    Rocks, B. (2016). The American Statistician 70(4) (NPS variance).
    """
    metric = get_metric(metric)
    if not metric.is_binary and not metric.is_trinomial and expected is not None:
        sd = check_positive(expected, "expected (standard deviation)")
        return sd**2, False
    shares, worst = expected_shares(metric, expected)
    levels = metric.levels
    mean = shares @ levels
    return float(shares @ levels**2 - mean**2), worst


def fpc_factor(n, population):
    """The finite population factor f = (N - n) / (N - 1), or 1 without a population.

    Parameters
    ----------
    n : float or ndarray
        Sample size(s).
    population : float or None

    Returns
    -------
    float or ndarray
        Never negative (a census gives 0).

    Raises
    ------
    TypeError
        Non-numeric input.

    Notes
    -----
    The variance of a mean under simple random sampling without replacement is f σ²/n.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, eq. 2.8.
    """
    if population is None:
        return 1.0
    return np.maximum(population - n, 0) / max(population - 1, 1)


def margin_of_error(metric: str | Metric, n, *, confidence: float = 0.95, expected=None, population=None,
                    deff: float = 1.0):
    """Wald margin of error z * sqrt(deff * var / n * fpc) at sample size(s) n.

    Parameters
    ----------
    metric : str or Metric
    n : int or array_like
        Sample size(s).
    confidence : float
    expected : optional
        As in :func:`sample_size`.
    population : float, optional
        Population size N for the correction f = (N - n) / (N - 1).
    deff : float
        Design effect.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ParameterError
        A sample larger than the population; bad levels.

    Notes
    -----
    The Wald half-width; :func:`sample_size` inverts it exactly (property test: the margin is met
    at n and not at n - 1).

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, eq. 4.2.
    """
    confidence = check_confidence(confidence)
    var, _ = per_response_variance(metric, expected)
    n = np.asarray(n, dtype=float)
    if population is not None and (n > population).any():
        raise ParameterError(f"A sample of {n.max():g} is larger than the population {population:g}.")
    z = stats.norm.ppf(0.5 + confidence / 2)
    return z * np.sqrt(deff * var / n * fpc_factor(n, population))


def margin_curve(
    metric: str | Metric,
    ns=None,
    *,
    confidence: float = 0.95,
    expected=None,
    population: float | None = None,
    deff: float = 1.0,
) -> pd.DataFrame:
    """Margin of error against n, with the reduction bought by 100 more responses.

    Parameters
    ----------
    metric : str or Metric
    ns : array_like, optional
        Sample sizes; 120 values from 10 to 5,000 on a log scale by default.
    confidence, expected, population, deff
        As in :func:`margin_of_error`.

    Returns
    -------
    DataFrame
        ``n``, ``moe`` and ``gain_per_100`` = moe(n) - moe(n + 100).

    Raises
    ------
    ParameterError
        Non-positive sample sizes.

    Notes
    -----
    The margin falls with 1/√n, so each further hundred responses buys less precision.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, ch. 4.
    """
    if ns is None:
        ns = np.unique(np.round(np.geomspace(10, 5000, 120)).astype(int))
    ns = np.asarray(ns, dtype=float)
    if (ns <= 0).any():
        raise ParameterError("Sample sizes in `ns` must be positive.")
    kwargs = dict(confidence=confidence, expected=expected, population=population, deff=deff)
    moe = margin_of_error(metric, ns, **kwargs)
    gain = moe - margin_of_error(metric, ns + 100, **kwargs)
    return pd.DataFrame({"n": ns.astype(int), "moe": moe, "gain_per_100": gain})


def diminishing_returns_n(metric: str | Metric, threshold: float, *, confidence: float = 0.95, expected=None,
                          population: float | None = None, deff: float = 1.0) -> int:
    """Smallest n from which 100 more responses narrow the margin by less than ``threshold``.

    Parameters
    ----------
    metric : str or Metric
    threshold : float
        Narrowing (in the metric's units) below which more data "stops paying off".
    confidence, expected, population, deff
        As in :func:`margin_of_error`.

    Returns
    -------
    int

    Raises
    ------
    ParameterError
        A non-positive threshold, or one never reached.

    Notes
    -----
    Bisection on the monotone gain moe(n) - moe(n + 100).

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, ch. 4.
    """
    threshold = check_positive(threshold, "threshold")
    kwargs = dict(confidence=confidence, expected=expected, population=population, deff=deff)

    def gain(n):
        return margin_of_error(metric, n, **kwargs) - margin_of_error(metric, n + 100, **kwargs)

    lo, hi = 1, 2
    while gain(hi) >= threshold:
        hi *= 2
        if hi > 10**9:
            raise ParameterError(f"The gain never falls below {threshold}.")
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if gain(mid) >= threshold else (lo, mid)
    return hi
