"""Coverage probability of interval methods: the evidence behind the defaults.

Exact coverage enumerates every multinomial outcome of n answers over the metric's score
levels, computes the interval of each outcome once (vectorised, the outcomes are the
"groups"), and sums the multinomial probabilities of the outcomes whose interval holds the
true value. Enumeration is exact for two- and three-level metrics (shares, NPS) up to
n = 2000; longer scales, or ``exact=False``, use seeded simulation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import gammaln

from .._validate import show_values, check_confidence, check_positive
from ..errors import ParameterError
from .intervals import level_interval, resolve_method
from .scales import Metric, get_metric

__all__ = ["coverage", "coverage_grid"]

_EXACT_MAX_N = 2000


def _outcomes(n: int, levels: int) -> np.ndarray:
    """Every composition of n into `levels` non-negative parts (outcomes × levels)."""
    if levels == 2:
        x = np.arange(n + 1)
        return np.stack([n - x, x], axis=1)
    a, b = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = a + b <= n
    a, b = a[keep], b[keep]
    return np.stack([a, n - a - b, b], axis=1)


def _level_distribution(metric: Metric, distribution) -> np.ndarray:
    """Probabilities per score level (rows × levels) from per-level or per-point probabilities."""
    p = np.atleast_2d(np.asarray(distribution, dtype=float))
    L, K = len(metric.levels), metric.scale.size
    if p.shape[1] == K and K != L:
        p = p @ metric.level_matrix
    elif p.shape[1] != L:
        raise ParameterError(
            f"`distribution` must give {L} probabilities (one per score level, ascending score) "
            f"or {K} (one per scale point); got {p.shape[1]}."
        )
    if (p < 0).any() or not np.allclose(p.sum(axis=1), 1.0, atol=1e-9):
        raise ParameterError(f"`distribution` must be non-negative and sum to 1; got sums {show_values(p.sum(axis=1), 4)}.")
    return p


def coverage(
    method: str | None,
    n: int,
    distribution: Sequence[float] | np.ndarray,
    *,
    metric: str | Metric = "nps",
    confidence: float = 0.95,
    exact: bool | None = None,
    simulations: int = 20_000,
    rng=None,
    replicates: int = 1000,
) -> float | np.ndarray:
    """Coverage probability of an interval method at sample size n.

    Parameters
    ----------
    method : str or None
        Interval method (None: the metric's default).
    n : int
        Sample size.
    distribution : sequence or 2-D array
        True probabilities, one per score level in ascending score order (for NPS:
        detractors, passives, promoters) or one per scale point. A 2-D array gives many
        distributions at once and returns an array.
    metric : str or Metric
    confidence : float
    exact : bool, optional
        Enumerate outcomes (default for metrics with at most three levels and n <= 2000)
        or simulate.
    simulations : int
        Simulated samples when not exact.
    rng : seed or Generator
        For simulation and for resampling methods.
    replicates : int
        Draws of the resampling methods (bootstrap, bayes) per interval.

    Returns
    -------
    float or ndarray
        Probability that the interval contains the true value.

    Raises
    ------
    ParameterError
        A distribution that is not a probability vector of the right length; exact enumeration
        beyond three levels or n = 2000; bad n or level.
    MethodError
        An unknown method.

    Notes
    -----
    Exact: every multinomial outcome x of n answers (O(n²) outcomes for three levels) with
    probability n!/Πx_k! Π p_k^x_k; coverage = Σ P(x) 1[L(x) <= θ <= U(x)], θ = Σ s_k p_k. The
    enumeration is checked against a brute-force loop over binomial outcomes for the textbook Wald
    interval of Brown, Cai & DasGupta (2001) (``normal``) and for ``wald`` (the ``svymean`` se), and against
    simulation for NPS (``tests/stats/test_coverage.py``).

    References
    ----------
    Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial proportion.
    Statistical Science 16(2). Rocks, B. (2016). The American Statistician 70(4).

    Examples
    --------
    >>> import workbench as wb
    >>> round(wb.coverage("wald", 20, [0.2, 0.3, 0.5]), 4)
    0.9262
    """
    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    n = check_positive(n, "n", integer=True)
    method = resolve_method(method, metric.levels)
    probs = _level_distribution(metric, distribution)
    levels = metric.levels
    truth = probs @ levels
    L = len(levels)
    if exact is None:
        exact = L <= 3 and n <= _EXACT_MAX_N
    if exact and (L > 3 or n > _EXACT_MAX_N):
        raise ParameterError(f"Exact coverage enumerates at most 3 levels and n <= {_EXACT_MAX_N}; use exact=False.")
    generator = np.random.default_rng(rng)
    if exact:
        outcomes = _outcomes(n, L)
        low, high = level_interval(outcomes, levels, method=method, confidence=confidence, rng=generator,
                                   replicates=replicates)
        log_coef = gammaln(n + 1) - gammaln(outcomes + 1).sum(axis=1)
        # log p with -1e6 for p == 0: an outcome with answers at an impossible level gets pmf 0
        logp = np.where(probs > 0, np.log(np.where(probs > 0, probs, 1.0)), -1e6)
        result = np.empty(len(probs))
        step = max(1, 5_000_000 // len(outcomes))
        for start in range(0, len(probs), step):
            rows = slice(start, start + step)
            pmf = np.exp(log_coef[None, :] + logp[rows] @ outcomes.T)
            inside = (low[None, :] <= truth[rows, None] + 1e-12) & (truth[rows, None] - 1e-12 <= high[None, :])
            result[rows] = (pmf * inside).sum(axis=1)
    else:
        simulations = check_positive(simulations, "simulations", integer=True)
        result = np.empty(len(probs))
        for i, p in enumerate(probs):
            samples = generator.multinomial(n, p, size=simulations)
            low, high = level_interval(samples, levels, method=method, confidence=confidence, rng=generator,
                                       replicates=replicates)
            result[i] = np.mean((low <= truth[i] + 1e-12) & (truth[i] - 1e-12 <= high))
    return float(result[0]) if np.ndim(distribution) == 1 else result


def nps_grid(promoters: Sequence[float], detractors: Sequence[float]) -> np.ndarray:
    """True NPS distributions (detractor, passive, promoter) for every feasible pair of shares."""
    pairs = [(d, 1 - p - d, p) for p in promoters for d in detractors if p + d <= 1 + 1e-12]
    return np.clip(np.array(pairs, dtype=float), 0.0, 1.0)


def coverage_grid(
    methods: Sequence[str],
    ns: Sequence[int],
    *,
    metric: str | Metric = "nps",
    promoters: Sequence[float] = tuple(np.round(np.arange(0.05, 0.9001, 0.05), 2)),
    detractors: Sequence[float] = (0.02, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50),
    shares: Sequence[float] = tuple(np.round(np.arange(0.05, 0.9501, 0.05), 2)),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Exact coverage of each method over a grid of true distributions and sample sizes.

    Parameters
    ----------
    methods : sequence of str
        Interval methods.
    ns : sequence of int
        Sample sizes.
    metric : str or Metric
        NPS-like (three equally spaced levels) or a share (two levels).
    promoters, detractors : sequences of float
        For NPS: true promoter and detractor shares; every feasible pair (sum at most 1) is a grid point.
    shares : sequence of float
        For shares: the true shares.
    confidence : float

    Returns
    -------
    DataFrame
        ``method``, ``n``, the true distribution (``promoters``, ``detractors`` and ``nps``, or ``share``)
        and ``coverage``; :func:`summarise_coverage` condenses it per method and n.

    Raises
    ------
    MethodError, ParameterError
        As :func:`coverage`; a metric with more than three score levels (its outcomes are too many to
        enumerate: use :func:`coverage` with ``exact=False``).

    Notes
    -----
    One :func:`coverage` call per method and n over all distributions at once.

    References
    ----------
    Rocks, B. (2016). Interval estimation for the 'Net Promoter Score'. The American Statistician 70(4).
    Brown, Cai & DasGupta (2001), Statistical Science 16(2).
    """
    info = get_metric(metric)
    if info.is_binary:
        dist = np.column_stack([1 - np.asarray(shares, dtype=float), np.asarray(shares, dtype=float)])
        columns = {"share": dist[:, 1]}
    elif info.is_trinomial:
        dist = nps_grid(promoters, detractors)
        columns = {"promoters": dist[:, 2], "detractors": dist[:, 0], "nps": 100 * (dist[:, 2] - dist[:, 0])}
    else:
        raise ParameterError(f"Exact coverage grids need a share or an NPS-like metric; {info.name!r} has "
                             f"{len(info.levels)} score levels (use coverage(..., exact=False)).")
    rows = []
    for method in methods:
        for n in ns:
            cov = coverage(method, int(n), dist, metric=info, confidence=confidence)
            rows.append(pd.DataFrame({"method": method, "n": int(n), **columns, "coverage": cov}))
    return pd.concat(rows, ignore_index=True)


def summarise_coverage(grid: pd.DataFrame) -> pd.DataFrame:
    """Mean, minimum and maximum coverage per method and n."""
    return (
        grid.groupby(["method", "n"], sort=True)["coverage"]
        .agg(mean="mean", min="min", max="max")
        .reset_index()
    )
