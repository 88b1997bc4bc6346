"""Sample size: responses needed for a margin of error, the inverse of the interval maths."""

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
from .margins import expected_shares, fpc_factor, margin_of_error, per_response_variance

__all__ = ["SampleSize", "sample_size"]


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
    (385 for ±5 points at p = 0.5; 278 with N = 1000) in ``tests/reference/sample_size.csv`` and against
    Krejcie & Morgan's (1970) Table 1, which is the same formula rounded to the nearest integer with
    χ² = 3.841: we round up (the smallest n that meets the margin), so we ask for one response more in 47
    of its 90 rows and never fewer (``tests/reference/r/krejcie_morgan.csv``). The planning factor
    (N - n)/(N - 1) is the exact variance of a share under sampling without replacement for a population
    share P; the estimate's standard error uses R ``svymean``'s 1 - n/N with s² of divisor n - 1, its
    unbiased estimator.

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
    fpc = fpc_factor(np.asarray(n, dtype=float), population)
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


