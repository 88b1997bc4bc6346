"""Sample size and measurement planning: the inverse of the interval maths.

Margins of error are in the metric's own units: percentage points for shares, NPS points
for NPS, scale points for means.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import check_confidence, check_positive
from .errors import MethodError, ParameterError
from .intervals import level_interval, resolve_method
from .scales import Metric, get_metric

__all__ = ["SampleSize", "per_response_variance", "margin_of_error", "sample_size", "margin_curve",
           "diminishing_returns_n"]


class SampleSize(int):
    """The answer of :func:`sample_size`: an ``int`` that also carries its assumptions.

    Attributes: ``metric``, ``moe``, ``confidence``, ``method``, ``expected``, ``worst_case``
    (True when ``expected`` was not given and the worst case was assumed), ``population``, ``deff``.
    """

    _FIELDS = ("metric", "moe", "confidence", "method", "expected", "worst_case", "population", "deff")

    def __new__(cls, n: int, **info):
        obj = super().__new__(cls, n)
        for key in cls._FIELDS:
            object.__setattr__(obj, key, info[key])
        return obj

    def __setattr__(self, key, value):
        raise AttributeError("SampleSize is read-only.")

    @property
    def n(self) -> int:
        return int(self)

    __str__ = int.__repr__

    def __repr__(self) -> str:
        assumed = "worst case" if self.worst_case else f"expected={self.expected!r}"
        return (f"SampleSize({int(self)}, metric={self.metric!r}, moe={self.moe:g}, confidence={self.confidence:g}, "
                f"method={self.method!r}, {assumed}, population={self.population!r}, deff={self.deff:g})")

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"n": int(self), **{k: getattr(self, k) for k in self._FIELDS}}])


def _level_shares(metric: Metric, expected) -> tuple[np.ndarray, bool]:
    """Expected shares per score level and whether they are the worst case."""
    levels = metric.levels
    if metric.is_binary:
        if expected is None:
            return np.array([0.5, 0.5]), True
        p = _share(expected, "expected")
        return np.array([1 - p, p]), False
    if len(levels) == 3 and np.isclose(levels[1] - levels[0], levels[2] - levels[1]):
        if expected is None:
            return np.array([0.5, 0.0, 0.5]), True
        try:
            promoters, detractors = expected
        except (TypeError, ValueError):
            raise ParameterError(
                f"`expected` for {metric.name!r} is (promoter share, detractor share); got {expected!r}."
            ) from None
        p, d = _share(promoters, "expected promoters"), _share(detractors, "expected detractors")
        if p + d > 1:
            raise ParameterError(f"Expected promoter and detractor shares sum to more than 1: {p} + {d}.")
        return np.array([d, 1 - p - d, p]), False
    # Means: the worst case puts half the answers at each end (Popoviciu's bound).
    shares = np.zeros(len(levels))
    shares[0] = shares[-1] = 0.5
    return shares, expected is None


def _share(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"`{name}` must be a share between 0 and 1; got {value!r}.")
    if not 0.0 <= float(value) <= 1.0:
        raise ParameterError(f"`{name}` must be a share between 0 and 1; got {value!r}.")
    return float(value)


def per_response_variance(metric: str | Metric, expected=None) -> tuple[float, bool]:
    """Variance of one response's score and whether it is the worst case.

    ``expected``: a share (0–1) for shares, (promoters, detractors) for NPS, a standard
    deviation in scale points for means.
    """
    metric = get_metric(metric)
    if not metric.is_binary and not (len(metric.levels) == 3) and expected is not None:
        sd = check_positive(expected, "expected (standard deviation)")
        return sd**2, False
    shares, worst = _level_shares(metric, expected)
    levels = metric.levels
    mean = shares @ levels
    return float(shares @ levels**2 - mean**2), worst


def _fpc(n, population):
    if population is None:
        return 1.0
    return np.maximum(population - n, 0) / max(population - 1, 1)


def margin_of_error(metric: str | Metric, n, *, confidence: float = 0.95, expected=None, population=None,
                    deff: float = 1.0):
    """Wald margin of error z * sqrt(deff * var / n * fpc) at sample size(s) n."""
    confidence = check_confidence(confidence)
    var, _ = per_response_variance(metric, expected)
    n = np.asarray(n, dtype=float)
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
    return SampleSize(n, metric=metric.name, moe=moe, confidence=confidence, method=method, expected=expected,
                      worst_case=worst, population=population, deff=deff)


def _half_width(metric, n, confidence, expected, population, method):
    shares, _ = _level_shares(metric, expected)
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

    Returns a DataFrame with ``n``, ``moe`` and ``gain_per_100`` = moe(n) - moe(n + 100).
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
    """Smallest n from which 100 more responses narrow the margin by less than ``threshold``."""
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
