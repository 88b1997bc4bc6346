"""Confidence intervals on counts, vectorised across groups.

Every method takes counts per score level (groups × levels) and the level scores, and
returns ``(low, high)`` arrays on the metric's own scale. Methods, and what each uses inside:

Proportion methods (binary metrics only; statsmodels ``proportion_confint``):
    ``wilson`` (default for shares; the score interval, its own variance p(1 - p)/n at the null),
    ``agresti_coull``, ``beta`` (Clopper–Pearson), ``jeffreys`` (Brown, Cai & DasGupta 2001, with
    L(0) = 0 and U(n) = 1), ``normal`` (the textbook Wald, p(1 - p)/n).
Linear methods (every metric, NPS and means included):
    ``wald``    estimate ± z·se with the ``svymean`` standard error (s² of divisor n - 1, times 1 - n/N);
    ``t``       estimate ± t_{n-1}·se, the small-sample interval (R ``confint(..., df = degf)``);
    ``midp``    mid-p test inversion (default for NPS; binomial mid-p for shares), its own tail probabilities;
    ``score``   Rocks's (2016) iterative score interval (Wilson for shares), its own null variance;
    ``adjusted_wald``  Sauro & Lewis's pseudo-counts, variance of divisor n + 3;
    ``bootstrap``, ``bayes``  percentile intervals of resampled counts / Dirichlet posterior draws.
The finite population correction enters every method as 1 - n/N (``wald``, ``t``: on the variance;
the others: through the effective sample size n/(1 - n/N), or, for resampling, by shrinking the interval).

Why ``midp`` is the NPS default (issue 11): :func:`workbench.coverage` enumerates every multinomial outcome
for n = 10..200 over promoter shares 5–90 % and detractor shares 2–50 %, the no-passive boundary
(p + d = 1) included. The goal was a mean coverage within one point of 95 % for every n >= 15 and a
minimum of 92 %. The plain score interval over-covers at small n (mean 96.1 % at n = 15) and dips to 91.5 %
(n = 15) and 92.0 % (n = 35) on the no-passive boundary, where the NPS is 2p - 1 of a binomial and the score
interval is Wilson's; the 1/(20n) continuity correction used before lifted the minimum but pushed the
mean to 96.3 % at n = 15 and 96.0 % at n = 17. The adjusted Wald keeps the mean (95.0–95.3 %) but falls to
89.1 % (n = 10) and 90.4 % (n = 18), again on the boundary; Dirichlet-posterior (Jeffreys-type) intervals
computed without simulation, exactly by quadrature or by a moment-matched beta, kept the mean (94.8–95.1 %)
and fell to 89.3 % (n = 28, promoters 90 %, no passives) when we evaluated them for this choice (not shipped:
``bayes`` remains the simulated posterior). The mid-p interval's minimum is 92.3 % or more for
every n from 10 to 200, and its mean is within one point of 95 % for every n from 16 to 200 (96.07 % at
n = 15, 96.1–96.7 % at n = 10–14): it is the only candidate whose worst case stays above 92 %, and its one
shortfall is 0.07 points at n = 15 (``tests/stats/test_coverage.py``; the first report draws the grid).

This module is a little over the 350-line guide because the docstrings of the dispatcher and the
result object carry the evidence for each default; the methods themselves live in
:mod:`~workbench.stats.score_interval`, :mod:`~workbench.stats.midp_interval` and
:mod:`~workbench.stats.resampling`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from .._validate import check_confidence, check_positive
from ..errors import MethodError, ParameterError
from .resampling import bayes_interval, bootstrap_interval
from .scales import three_equal_levels
from .midp_interval import midp_interval
from .score_interval import score_interval

__all__ = [
    "PROPORTION_METHODS",
    "LINEAR_METHODS",
    "Interval",
    "adjusted_moments",
    "default_method",
    "level_interval",
    "nps_interval",
    "resolve_method",
]

PROPORTION_METHODS = ("wilson", "agresti_coull", "beta", "jeffreys", "normal")
LINEAR_METHODS = ("midp", "score", "adjusted_wald", "wald", "t", "bootstrap", "bayes")

# Pseudo-observations of the adjusted Wald interval (Sauro & Lewis; see _adjusted_wald).
_ADJ_TOTAL = 3.0
_ADJ_EXTREME = 0.75



def _z(confidence: float) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2))


def default_method(levels: np.ndarray) -> str:
    """The project's default interval method for a metric with these score levels.

    Parameters
    ----------
    levels : array_like
        The metric's distinct scores.

    Returns
    -------
    str
        ``wilson`` for shares (two levels 0/100), ``midp`` for three equally spaced levels
        (NPS), ``wald`` for means of longer scales.

    Raises
    ------
    ValueError
        Levels that are not numbers.

    Notes
    -----
    Chosen by exact coverage (module docstring; ``tests/stats/test_coverage.py``).

    References
    ----------
    Brown, Cai & DasGupta (2001), Statistical Science 16(2); Rocks (2016), The American Statistician 70(4).
    """
    levels = np.asarray(levels, dtype=float)
    if levels.tolist() == [0.0, 100.0]:
        return "wilson"
    if three_equal_levels(levels):
        return "midp"
    return "wald"


def _moments(counts: np.ndarray, levels: np.ndarray):
    return adjusted_moments(counts, levels, adjusted=False)


def _design_se(counts, levels, fpc):
    """Mean and the R ``svymean`` standard error of each row: s² with divisor n - 1, times 1 - n/N."""
    n, mean, var = _moments(counts, levels)
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = np.where(n > 1, var * n / (n - 1), np.nan)
    return n, mean, np.where(fpc <= 0, 0.0, np.sqrt(s2 / n * fpc))


def _wald(counts, levels, z, fpc, **_):
    """estimate ± z·se with the ``svymean`` standard error (R ``confint(svymean(...))``)."""
    _, mean, se = _design_se(counts, levels, fpc)
    return mean - z * se, mean + z * se


def _t(counts, levels, z, fpc, confidence, **_):
    """estimate ± t_{n-1}·se: the small-sample interval of a simple random sample (``confint(..., df=degf)``)."""
    n, mean, se = _design_se(counts, levels, fpc)
    with np.errstate(invalid="ignore"):
        q = stats.t.ppf(0.5 + confidence / 2, np.where(n > 1, n - 1, np.nan))
    return mean - q * se, mean + q * se


def adjusted_moments(counts: np.ndarray, levels: np.ndarray, *, adjusted: bool = True):
    """Sample size, centre and per-response variance, with or without the adjusted-Wald pseudo-counts.

    Parameters
    ----------
    counts : ndarray, shape (groups, levels)
    levels : ndarray
        Scores of the levels.
    adjusted : bool
        Add the pseudo-observations.

    Returns
    -------
    (n, centre, variance) : ndarrays
        One value per row of ``counts``; the variance is of one response (divisor n), so the
        variance of the centre is ``variance / n``.

    Raises
    ------
    ValueError
        Shapes that do not match.

    Notes
    -----
    Adjusted: 3 pseudo-observations, 3/4 at each extreme level and 3/2 at the midpoint of the score
    range. For NPS this is the adjusted Wald of Sauro & Lewis (MeasuringU 2021, after Rocks 2016):
    n + 3, detractors + 3/4, promoters + 3/4, passives + 3/2. For other metrics the same
    pseudo-observations sit at the lowest score, the highest and the midpoint (our generalisation).
    Shared by the adjusted-Wald interval and :func:`workbench.compare`.

    References
    ----------
    Rocks, B. (2016). The American Statistician 70(4). Sauro, J. & Lewis, J. R., MeasuringU (2021).
    """
    n = counts.sum(axis=1)
    s1, s2 = counts @ levels, counts @ levels**2
    if adjusted:
        lo, hi = levels[0], levels[-1]
        mid = (lo + hi) / 2
        rest = _ADJ_TOTAL - 2 * _ADJ_EXTREME
        n = n + _ADJ_TOTAL
        s1 = s1 + _ADJ_EXTREME * (lo + hi) + rest * mid
        s2 = s2 + _ADJ_EXTREME * (lo**2 + hi**2) + rest * mid**2
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = s1 / n
        variance = np.maximum(s2 / n - centre**2, 0.0)
    return n, centre, variance


def _adjusted_wald(counts, levels, z, fpc, **_):
    """Adjusted Wald (Sauro & Lewis): the Wald interval of the pseudo-count centre (see :func:`adjusted_moments`)."""
    n_adj, centre, var = adjusted_moments(counts, levels, adjusted=True)
    half = z * np.sqrt(var / n_adj * fpc)
    return centre - half, centre + half


def _proportion(method: str) -> Callable:
    def interval(counts, levels, z, fpc, confidence, **_):
        n = counts.sum(axis=1)
        share = counts[:, 1] / n
        census = fpc <= 0
        # Finite population correction through the effective sample size n / f.
        n_eff = np.where(census, n, n / np.where(census, 1, fpc))
        low, high = proportion_confint(share * n_eff, n_eff, alpha=1 - confidence, method=method)
        if method == "jeffreys":  # Brown, Cai & DasGupta (2001): L(0) = 0, U(n) = 1 (statsmodels leaves them open)
            low, high = np.where(share <= 0, 0.0, low), np.where(share >= 1, 1.0, high)
        low = np.where(census, share, low)
        high = np.where(census, share, high)
        return levels[0] + (levels[1] - levels[0]) * low, levels[0] + (levels[1] - levels[0]) * high

    interval.__doc__ = f"statsmodels proportion_confint(method={method!r})."
    return interval


_METHODS: dict[str, Callable] = {
    "wald": _wald,
    "t": _t,
    "adjusted_wald": _adjusted_wald,
    "score": score_interval,
    "midp": midp_interval,
    "bootstrap": bootstrap_interval,
    "bayes": bayes_interval,
    **{m: _proportion(m) for m in PROPORTION_METHODS},
}


def resolve_method(method: str | None, levels: np.ndarray) -> str:
    """Check a method name against the metric; None gives the default.

    Parameters
    ----------
    method : str or None
    levels : array_like
        The metric's distinct scores.

    Returns
    -------
    str
        The method's name.

    Raises
    ------
    MethodError
        An unknown name (the valid ones are listed), or a proportion method for a metric that is
        not a share.

    Notes
    -----
    Exact names only, no prefix matching (STYLE.md, rule 5).

    References
    ----------
    Brown, Cai & DasGupta (2001), Statistical Science 16(2).
    """
    levels = np.asarray(levels, dtype=float)
    if method is None:
        return default_method(levels)
    binary = levels.tolist() == [0.0, 100.0] or len(levels) == 2
    valid = (PROPORTION_METHODS if binary else ()) + LINEAR_METHODS
    if not isinstance(method, str) or method not in _METHODS:
        raise MethodError(f"Unknown interval method {method!r}; valid: {', '.join(map(repr, valid))}.")
    if method not in valid:
        raise MethodError(
            f"Interval method {method!r} is for shares (two-level metrics); this metric has levels "
            f"{levels.tolist()}. Valid: {', '.join(map(repr, valid))}."
        )
    return method


def level_interval(
    counts: np.ndarray,
    levels: np.ndarray,
    *,
    method: str | None = None,
    confidence: float = 0.95,
    fpc: np.ndarray | float = 1.0,
    rng=None,
    replicates: int = 2000,
) -> tuple[np.ndarray, np.ndarray]:
    """Intervals for counts per score level (groups × levels); the engine behind every estimate.

    Parameters
    ----------
    counts : array_like, shape (groups, levels)
        Counts (or weighted counts) per score level.
    levels : array_like
        Scores of the levels, ascending.
    method : str, optional
        See the module docstring; None gives the default for the levels.
    confidence : float
    fpc : array_like or float
        Finite population factor f = 1 - n/N per group (1 without correction), as R ``survey``.
    rng : seed or Generator
        For ``bootstrap`` and ``bayes``.
    replicates : int
        Draws for ``bootstrap`` and ``bayes``.

    Returns
    -------
    (low, high) : ndarrays
        Limits on the metric's scale, clipped to the range of the scores.

    Raises
    ------
    ParameterError
        A group without answers, a level outside (0, 1), a non-positive number of replicates.
    MethodError
        An unknown method or one that does not apply to the levels.

    Notes
    -----
    Proportion methods are statsmodels' ``proportion_confint`` on the effective sample size n / f;
    the NPS mid-p and score intervals invert trinomial tests by vectorised bisection (module docstring).
    Checked against R ``prop.test``/``binom.test`` (``tests/reference/proportion_intervals.csv``) and
    the NPS references (``tests/reference/nps_intervals.csv``).

    References
    ----------
    Brown, Cai & DasGupta (2001), Statistical Science 16(2). Rocks (2016), The American Statistician 70(4).
    """
    confidence = check_confidence(confidence)
    levels = np.asarray(levels, dtype=float)
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    method = resolve_method(method, levels)
    replicates = check_positive(replicates, "replicates", integer=True)
    fpc = np.broadcast_to(np.asarray(fpc, dtype=float), (counts.shape[0],))
    n = counts.sum(axis=1)
    if (n <= 0).any():
        raise ParameterError(f"Every group needs at least one answer; {int((n <= 0).sum())} groups have none.")
    low, high = _METHODS[method](
        counts, levels, _z(confidence), fpc, confidence=confidence, rng=np.random.default_rng(rng),
        replicates=replicates,
    )
    return np.clip(low, levels[0], levels[-1]), np.clip(high, levels[0], levels[-1])


@dataclass(frozen=True)
class Interval:
    """Interval limits with the method and level that produced them.

    Attributes
    ----------
    low, high : ndarray
        The limits, shaped like the inputs that produced them.
    method : str
    confidence : float
    """

    low: np.ndarray
    high: np.ndarray
    method: str
    confidence: float

    def __iter__(self):
        warnings.warn("Unpacking an Interval as (low, high) is deprecated; use `.low` and `.high`.",
                      DeprecationWarning, stacklevel=2)
        return iter((self.low, self.high))

    def to_frame(self) -> pd.DataFrame:
        """One row per interval: ``ci_low``, ``ci_high``, ``method``, ``confidence``."""
        return pd.DataFrame({"ci_low": np.ravel(self.low), "ci_high": np.ravel(self.high), "method": self.method,
                             "confidence": self.confidence})


def nps_interval(promoters, passives, detractors, *, method: str | None = None, confidence: float = 0.95,
                 rng=None, replicates: int = 2000) -> Interval:
    """Confidence interval of the Net Promoter Score from counts, broadcasting over arrays.

    Parameters
    ----------
    promoters, passives, detractors : array_like
        Counts (answers 9–10, 7–8 and 0–6); broadcast against each other.
    method : str, optional
        ``"midp"`` (the default), ``"score"``, ``"adjusted_wald"``, ``"wald"``, ``"t"``, ``"bootstrap"``,
        ``"bayes"``.
    confidence : float
        Level such as 0.95.
    rng : seed or Generator, optional
        For ``bootstrap`` and ``bayes``.
    replicates : int
        Draws for ``bootstrap`` and ``bayes``.

    Returns
    -------
    Interval
        ``.low`` and ``.high`` on the -100..100 scale, shaped like the broadcast inputs.

    Raises
    ------
    ParameterError
        Negative counts, a level outside (0, 1), a group without answers.
    MethodError
        An unknown method.

    Notes
    -----
    The counts become the level counts (detractors, passives, promoters) with scores -100, 0, 100 and
    go through :func:`level_interval`; see the module docstring for each method and why ``midp`` is
    the default. The score limits are checked against an independent restricted-MLE inversion (scipy)
    and the adjusted Wald against its closed form in ``tests/reference/nps_intervals.csv``.

    References
    ----------
    Rocks, B. (2016). Interval estimation for the 'Net Promoter Score'. The American Statistician
    70(4), 365–372. Sauro, J. & Lewis, J. R., adjusted-Wald NPS interval (MeasuringU).

    Examples
    --------
    >>> import workbench as wb
    >>> ci = wb.nps_interval(60, 25, 15, method="adjusted_wald")
    >>> round(float(ci.low), 2), round(float(ci.high), 2)
    (29.34, 58.04)
    """
    pro, pas, det = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (promoters, passives, detractors)))
    if (pro < 0).any() or (pas < 0).any() or (det < 0).any():
        raise ParameterError("NPS counts must be non-negative.")
    shape = pro.shape
    counts = np.stack([det.ravel(), pas.ravel(), pro.ravel()], axis=1)
    levels = np.array([-100.0, 0.0, 100.0])
    resolved = resolve_method(method, levels)
    low, high = level_interval(counts, levels, method=resolved, confidence=confidence, rng=rng, replicates=replicates)
    return Interval(low.reshape(shape), high.reshape(shape), resolved, float(confidence))
