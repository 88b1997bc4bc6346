"""Resampling intervals: the percentile bootstrap of the counts and the Dirichlet posterior.

Both draw per group without touching respondents (multinomial resampling of counts), chunked so
that groups × replicates stay in memory.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ..errors import MethodError

__all__ = ["bootstrap_interval", "bayes_interval"]

_CHUNK_ELEMENTS = 4_000_000  # groups × replicates drawn at once


def _moments(counts, levels):
    n = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = counts @ levels / n
    return n, mean


def _draw_levels(counts, rng, replicates, kind):
    """Yield (rows, draws[rows, replicates, levels]) of bootstrap or Dirichlet draws, chunked by rows."""
    rows_per_chunk = max(1, _CHUNK_ELEMENTS // replicates)
    for start in range(0, counts.shape[0], rows_per_chunk):
        rows = slice(start, min(counts.shape[0], start + rows_per_chunk))
        yield rows, kind(counts[rows], rng, replicates)


def _bootstrap_draws(c, rng, replicates):
    """Multinomial resampling of counts by conditional binomials (one vectorised call per level)."""
    n = c.sum(axis=1).astype(np.int64)
    remaining = np.repeat(n[:, None], replicates, axis=1)
    left = c.sum(axis=1).astype(float)  # observed count not yet assigned to a level
    draws = np.empty((c.shape[0], replicates, c.shape[1]), dtype=np.int64)
    for level in range(c.shape[1] - 1):
        with np.errstate(invalid="ignore", divide="ignore"):
            p = np.clip(np.where(left > 0, c[:, level] / left, 0.0), 0.0, 1.0)
        x = rng.binomial(remaining, p[:, None])
        draws[:, :, level] = x
        remaining = remaining - x
        left = left - c[:, level]
    draws[:, :, -1] = remaining
    return draws


def _dirichlet_draws(c, rng, replicates):
    """Posterior draws of the level shares under a Jeffreys Dirichlet(1/2, …) prior."""
    g = rng.gamma(c[:, None, :] + 0.5, size=(c.shape[0], replicates, c.shape[1]))
    return g / g.sum(axis=2, keepdims=True)


def _resampled(counts, levels, z, fpc, *, rng, replicates, kind):
    confidence = 2 * stats.norm.cdf(z) - 1
    tail = (1 - confidence) / 2
    n, mean = _moments(counts, levels)
    low, high = np.empty(len(n)), np.empty(len(n))
    for rows, draws in _draw_levels(counts, rng, replicates, kind):
        totals = draws.sum(axis=2)
        est = (draws @ levels) / totals
        q = np.quantile(est, [tail, 1 - tail], axis=1)
        low[rows], high[rows] = q[0], q[1]
    # Finite population correction: shrink the interval around the estimate by sqrt(f).
    shrink = np.sqrt(fpc)
    return mean - (mean - low) * shrink, mean + (high - mean) * shrink


def bootstrap_interval(counts, levels, z, fpc, *, rng, replicates, **_):
    """Percentile bootstrap: multinomial resampling of the counts (never rows).

    Parameters
    ----------
    counts : ndarray, shape (groups, levels)
    levels : ndarray
        Level scores, ascending.
    z : float
        Normal quantile of the level.
    fpc : ndarray
        Finite population factor per group.
    rng : Generator
    replicates : int

    Returns
    -------
    (low, high) : ndarrays

    Raises
    ------
    MethodError
        Weighted (non-whole) counts, which need the linearisation instead.

    Notes
    -----
    Draws by conditional binomials, one vectorised call per level; the interval is shrunk around the
    estimate by √f under a finite population correction.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 13.
    """
    if not np.allclose(counts, np.round(counts)):
        raise MethodError("Method 'bootstrap' needs whole counts; weighted counts take 'wald' (linearisation).")
    return _resampled(np.round(counts), levels, z, fpc, rng=rng, replicates=replicates, kind=_bootstrap_draws)


def bayes_interval(counts, levels, z, fpc, *, rng, replicates, **_):
    """Equal-tailed credible interval from the Dirichlet posterior (Jeffreys prior, 1/2 per level).

    Parameters
    ----------
    counts : ndarray, shape (groups, levels)
    levels : ndarray
        Level scores, ascending.
    z : float
        Normal quantile of the level.
    fpc : ndarray
        Finite population factor per group.
    rng : Generator
    replicates : int

    Returns
    -------
    (low, high) : ndarrays

    Raises
    ------
    ValueError
        Negative counts.

    Notes
    -----
    Posterior draws of the level shares by normalised gamma variates; the estimate is Σ s_k p_k per draw.

    References
    ----------
    Gelman, A. et al. (2013). Bayesian Data Analysis, 3rd ed., section 3.4 (multinomial model).
    """
    return _resampled(counts, levels, z, fpc, rng=rng, replicates=replicates, kind=_dirichlet_draws)


