"""Sample size and measurement planning: the inverse of the interval maths.

Margins of error are in the metric's own units: percentage points for shares, NPS points
for NPS, scale points for means.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import check_confidence, check_positive
from ..errors import MethodError, ParameterError
from ..stats.intervals import level_interval, resolve_method
from ..stats.scales import Metric, get_metric

__all__ = ["SampleSize", "per_response_variance", "expected_shares", "check_share", "margin_of_error",
           "sample_size", "margin_curve", "diminishing_returns_n"]


@dataclass(frozen=True, eq=False)
class SampleSize:
    """The answer of :func:`sample_size`: the number of responses with the assumptions behind it.

    Attributes
    ----------
    n : int
        Responses needed.
    metric, moe, confidence, method, expected, population, deff
        The question asked.
    worst_case : bool
        True when ``expected`` was not given and the worst case was assumed.

    Notes
    -----
    ``int(result)`` and ``result == 385`` work on ``n``, so a result can stand where a count is needed.
    """

    n: int
    metric: str
    moe: float
    confidence: float
    method: str
    expected: Any
    worst_case: bool
    population: float | None
    deff: float

    def __int__(self) -> int:
        return self.n

    def __index__(self) -> int:
        return self.n

    def __float__(self) -> float:
        return float(self.n)

    def __eq__(self, other) -> bool:
        if isinstance(other, SampleSize):
            return self.n == other.n and self.to_frame().equals(other.to_frame())
        if isinstance(other, (int, np.integer)) and not isinstance(other, bool):
            return self.n == int(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.n)

    def __str__(self) -> str:
        return str(self.n)

    def __repr__(self) -> str:
        assumed = "worst case" if self.worst_case else f"expected={self.expected!r}"
        return (f"SampleSize({self.n}, metric={self.metric!r}, moe={self.moe:g}, confidence={self.confidence:g}, "
                f"method={self.method!r}, {assumed}, population={self.population!r}, deff={self.deff:g})")

    def __format__(self, spec: str) -> str:
        return format(self.n, spec)

    def to_frame(self) -> pd.DataFrame:
        """One row: ``n`` and every assumption."""
        return pd.DataFrame([{f.name: getattr(self, f.name) for f in fields(self)}])


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


def _fpc(n, population):
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
    return z * np.sqrt(deff * var / n * _fpc(n, population))


def sample_size(
    metric: str | Metric,
    moe: float,
    *,
    confidence: float = 0.95,
    expected=None,
    population: float | None = None,
    deff: float = 1.0,
    method: str = "wald",
) -> SampleSize:
    """Responses needed for a margin of error.

    Parameters
    ----------
    metric : str or Metric
    moe : float
        Target margin of error (half-width) in the metric's units.
    confidence : float
    expected : optional
        Anticipated result: a share (0–1) for shares, (promoter share, detractor share) for
        NPS, the standard deviation for means. Omitted: the worst case (p = 0.5; p = d = 0.5
        for NPS; half the answers at each end of the scale for means), and the result says so.
    population : float, optional
        Population size N; applies the finite population correction.
    deff : float
        Design effect (e.g. from weighting) that inflates the requirement.
    method : str
        ``"wald"`` (the textbook answer, Cochran 1977 eq. 4.2–4.3) or any deterministic interval
        method of :mod:`workbench.intervals`, inverted numerically on the expected counts.

    Returns
    -------
    SampleSize
        Compares equal to its ``n``; ``worst_case`` tells whether ``expected`` was assumed.

    Notes
    -----
    Wald: n0 = z**2 * deff * var / moe**2, var the per-response variance (for NPS
    100**2 * (p + d - (p - d)**2)); with a population N and the correction f = (N - n)/(N - 1),
    n = N n0 / (N - 1 + n0), rounded up. Checked against Cochran's worked values
    (385 for ±5 points at p = 0.5; 278 with N = 1000) in ``tests/reference/sample_size.csv``.

    Raises
    ------
    ParameterError
        Non-positive margin, design effect or population; a margin that needs more responses than
        the population; ``deff`` with an inverted method.
    MethodError
        A random method (bootstrap, bayes) that cannot be inverted.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, 3rd ed., ch. 4. Krejcie, R. V. & Morgan, D. W. (1970).
    Determining sample size for research activities. Educational and Psychological Measurement 30.

    Examples
    --------
    >>> import workbench as wb
    >>> wb.sample_size("csat", 5).n
    385
    >>> wb.sample_size("csat", 5, population=1000).n
    278
    """
    metric = get_metric(metric)
    moe = check_positive(moe, "moe")
    confidence = check_confidence(confidence)
    deff = check_positive(deff, "deff")
    if population is not None:
        population = check_positive(population, "population")
    var, worst = per_response_variance(metric, expected)
    z = stats.norm.ppf(0.5 + confidence / 2)
    if method == "wald":
        n0 = z**2 * deff * var / moe**2
        n = n0 if population is None else population * n0 / (population - 1 + n0)
        n = max(1, math.ceil(n - 1e-9))

        def meets(k):
            return margin_of_error(metric, k, confidence=confidence, expected=expected, population=population,
                                   deff=deff) <= moe + 1e-12

        while n > 1 and meets(n - 1):
            n -= 1
        while not meets(n):
            n += 1
    else:
        if method in ("bootstrap", "bayes"):
            raise MethodError(f"Method {method!r} is random and cannot be inverted; use 'wald' or a closed-form method.")
        resolve_method(method, metric.levels)
        if deff != 1.0:
            raise ParameterError("`deff` applies to method='wald' only; inflate the Wald answer instead.")
        n = _invert(metric, moe, confidence, expected, population, method)
    if population is not None and n > population:
        raise ParameterError(f"The margin ±{moe} needs {n} responses, more than the population {population:g}.")
    return SampleSize(n=int(n), metric=metric.name, moe=moe, confidence=confidence, method=method, expected=expected,
                      worst_case=worst, population=population, deff=deff)


def _half_width(metric, n, confidence, expected, population, method):
    shares, _ = expected_shares(metric, expected)
    counts = np.atleast_2d(shares) * np.asarray(n, dtype=float)[:, None]
    fpc = _fpc(np.asarray(n, dtype=float), population)
    low, high = level_interval(counts, metric.levels, method=method, confidence=confidence, fpc=fpc)
    return (high - low) / 2


def _invert(metric, moe, confidence, expected, population, method) -> int:
    """Smallest n whose expected interval is at most 2 * moe wide (binary search, then a local check)."""
    hi = 1
    upper = population if population is not None else 10**9
    while _half_width(metric, [hi], confidence, expected, population, method)[0] > moe:
        if hi >= upper:
            raise ParameterError(f"No sample size up to {upper:g} reaches ±{moe} with method {method!r}.")
        hi = min(hi * 2, int(upper))
    lo = hi // 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _half_width(metric, [mid], confidence, expected, population, method)[0] > moe:
            lo = mid
        else:
            hi = mid
    return max(hi, 1)


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


