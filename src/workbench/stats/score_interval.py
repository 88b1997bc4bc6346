"""The score interval: inverting the score test of the binomial (Wilson) or the trinomial (NPS).

Rocks (2016) calls the NPS version the 'iterative score' interval. It is vectorised across groups:
each limit is found by bisection on all groups at once.
"""

from __future__ import annotations

import numpy as np

from ..errors import MethodError
from .scales import three_equal_levels

__all__ = ["score_interval", "wilson"]


def score_interval(counts, levels, z, fpc, **_):
    """Score interval: invert the score test of the multinomial (Rocks 2016, 'iterative score').

    Parameters
    ----------
    counts : ndarray, shape (groups, levels)
    levels : ndarray
        Level scores, ascending.
    z : float
        Normal quantile of the level.
    fpc : ndarray
        Finite population factor per group.

    Returns
    -------
    (low, high) : ndarrays

    Raises
    ------
    MethodError
        A metric with neither two levels nor three equally spaced ones.

    Notes
    -----
    Two levels: the Wilson interval. Three equally spaced levels (NPS): for each candidate
    NPS value t the restricted maximum-likelihood shares under ``p - d = t`` solve a quadratic,
    ``2n p**2 - b p + x_p t (1 + t) = 0`` with ``b = x_p (1 + 3t) + x_d (1 + t) + 2 x_0 t``,
    giving the null variance ``V(t) = p + d - t**2``; the interval is every t with
    ``(NPS - t)**2 <= z**2 V(t) / n``, found by vectorised bisection on each side.
    The finite population correction enters as the effective sample size n / f. Bounds checked
    against an independent restricted-MLE inversion with scipy (``tests/stats/test_intervals.py``).

    References
    ----------
    Rocks, B. (2016). Interval estimation for the 'Net Promoter Score'. The American Statistician 70(4).
    Wilson, E. B. (1927). Probable inference. JASA 22(158).
    """
    if len(levels) == 2:
        n = counts.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            n_eff = np.where(fpc > 0, n / np.where(fpc > 0, fpc, 1), np.inf)
        share = counts[:, 1] / n
        low, high = wilson(share, n_eff, z)
        return levels[0] + (levels[1] - levels[0]) * low, levels[0] + (levels[1] - levels[0]) * high
    if not three_equal_levels(levels):
        raise MethodError(
            "Method 'score' needs a metric with two levels or three equally spaced levels (NPS); "
            f"this metric has levels {levels.tolist()}. Use 'wald', 'adjusted_wald', 'bootstrap' or 'bayes'."
        )
    mid, half_range = levels[1], levels[2] - levels[1]
    low, high = score_nps(counts[:, 0], counts[:, 1], counts[:, 2], z, fpc)
    return mid + half_range * low, mid + half_range * high


def wilson(share, n_eff, z):
    """Wilson limits of shares with effective sample sizes, clipped to [0, 1].

    Parameters
    ----------
    share : ndarray
    n_eff : ndarray
        Effective sample sizes (n / f with a finite population correction).
    z : float

    Returns
    -------
    (low, high) : ndarrays

    Raises
    ------
    FloatingPointError
        Never: divisions by zero give NaN (callers exclude empty groups).

    Notes
    -----
    (p + z²/2n ± z √(p(1 - p)/n + z²/4n²)) / (1 + z²/n). Equal to R ``prop.test(correct=FALSE)``.

    References
    ----------
    Wilson, E. B. (1927). JASA 22(158). Brown, Cai & DasGupta (2001), Statistical Science 16(2).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = 1 + z**2 / n_eff
        centre = (share + z**2 / (2 * n_eff)) / denom
        half = z / denom * np.sqrt(share * (1 - share) / n_eff + z**2 / (4 * n_eff**2))
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def score_nps(xd, x0, xp, z, fpc, iterations: int = 52):
    """Score interval of p - d on the (-1, 1) scale for trinomial counts (detractor, passive, promoter)."""
    n = xd + x0 + xp
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(fpc > 0, 1 / np.where(fpc > 0, fpc, 1), np.inf)
    census = ~np.isfinite(scale)
    scale = np.where(census, 1.0, scale)
    xd, x0, xp, n = xd * scale, x0 * scale, xp * scale, n * scale
    est = (xp - xd) / n
    z2 = z * z

    def statistic(t):
        b = xp * (1 + 3 * t) + xd * (1 + t) + 2 * x0 * t
        root = np.sqrt(np.maximum(b * b - 8 * n * xp * t * (1 + t), 0.0))
        lower_bound, upper_bound = np.maximum(t, 0.0), (1 + t) / 2
        p_plus, p_minus = (b + root) / (4 * n), (b - root) / (4 * n)
        feasible = (p_plus >= lower_bound - 1e-12) & (p_plus <= upper_bound + 1e-12)
        p = np.clip(np.where(feasible, p_plus, p_minus), lower_bound, upper_bound)
        v = np.maximum(2 * p - t - t * t, 1e-300)
        return (est - t) ** 2 * n / v

    lo_out, lo_in = np.full_like(est, -1.0), est.copy()
    hi_in, hi_out = est.copy(), np.full_like(est, 1.0)
    # At the boundary itself the statistic can be within the limit (all answers extreme).
    lo_in = np.where(statistic(lo_out) <= z2, lo_out, lo_in)
    hi_in = np.where(statistic(hi_out) <= z2, hi_out, hi_in)
    for _ in range(iterations):
        m = (lo_out + lo_in) / 2
        outside = statistic(m) > z2
        lo_out, lo_in = np.where(outside, m, lo_out), np.where(outside, lo_in, m)
        m = (hi_in + hi_out) / 2
        outside = statistic(m) > z2
        hi_out, hi_in = np.where(outside, m, hi_out), np.where(outside, hi_in, m)
    return np.where(census, est, lo_in), np.where(census, est, hi_in)


