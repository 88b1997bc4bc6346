"""The mid-p interval: inverting mid-p tests of a share (binomial) or of the NPS (trinomial), vectorised.

For NPS the test statistic is the net count D = promoters - detractors. The limits are the values t of
p - d at which the mid-p value P(D > D_obs) + P(D = D_obs)/2 (or its lower-tail twin) equals α/2, with the
shares (p, d) at their maximum-likelihood values under p - d = t (the restricted MLE of the score
interval). Tail probabilities of D come from the Lugannani–Rice saddlepoint approximation, whose
uncorrected form approximates mid-p values of a lattice variable (Butler 2007, section 1.2.5); a sample
without passives has a restricted MLE without passives, where D = 2·promoters - n is binomial with a
lattice span of 2, and its tail is computed exactly. Every limit is found by vectorised bisection.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ..errors import MethodError
from .scales import three_equal_levels

__all__ = ["midp_interval"]

_ITERATIONS = 42  # the limits to 2^-41 ≈ 5e-13 on the -1..1 scale


def _binomial_upper_midp(x, n, p):
    """P(X > x) + P(X = x)/2 for X ~ Bin(n, p); x and n may be non-integer (effective sample sizes)."""
    with np.errstate(all="ignore"):
        above = np.where(x < n, special.betainc(np.maximum(x + 1, 1e-300), np.maximum(n - x, 1e-300), p), 0.0)
        log_pmf = (special.gammaln(n + 1) - special.gammaln(x + 1) - special.gammaln(n - x + 1)
                   + special.xlogy(x, p) + special.xlog1py(n - x, -p))
    return above + 0.5 * np.exp(log_pmf)


def _saddlepoint_upper_midp(k, n, p, q, d):
    """Lugannani–Rice approximation of P(D > k) + P(D = k)/2, D the sum of n scores +1 (p), 0 (q), -1 (d)."""
    m = k / n
    with np.errstate(all="ignore"):
        root = np.sqrt(m * m * q * q + 4 * p * d * (1 - m) * (1 + m))
        # e^s solves p(1 - m) y² - m q y - d(1 + m) = 0; the two forms avoid cancellation.
        y = np.where(m >= 0, (m * q + root) / (2 * p * (1 - m)), 2 * d * (1 + m) / (root - m * q))
        s = np.log(y)
        M = p * y + q + d / y
        K = n * np.log(M)
        K2 = n * ((p * y + d / y) / M - ((p * y - d / y) / M) ** 2)
        w = np.sign(s) * np.sqrt(np.maximum(2 * (s * k - K), 0.0))
        u = s * np.sqrt(K2)
        tail = special.ndtr(-w) + np.exp(-w * w / 2) / np.sqrt(2 * np.pi) * (1 / u - 1 / w)
        mean, var = p - d, p + d - (p - d) ** 2
        normal = special.ndtr(-(k - n * mean) / np.sqrt(n * var))
    tail = np.where((np.abs(s) < 1e-6) | ~np.isfinite(tail), normal, tail)
    return np.clip(tail, 0.0, 1.0)


def _restricted_shares(xd, x0, xp, n, t):
    """Maximum-likelihood (p, q, d) under p - d = t (the quadratic of the score interval)."""
    b = xp * (1 + 3 * t) + xd * (1 + t) + 2 * x0 * t
    root = np.sqrt(np.maximum(b * b - 8 * n * xp * t * (1 + t), 0.0))
    lower, upper = np.maximum(t, 0.0), (1 + t) / 2
    p_plus, p_minus = (b + root) / (4 * n), (b - root) / (4 * n)
    feasible = (p_plus >= lower - 1e-12) & (p_plus <= upper + 1e-12)
    p = np.clip(np.where(feasible, p_plus, p_minus), lower, upper)
    d = np.maximum(p - t, 0.0)
    return p, np.maximum(1 - p - d, 0.0), d


def _nps_upper_midp(xd, x0, xp, n, t):
    """Mid-p value P(D > D_obs) + P(D = D_obs)/2 under p - d = t, for samples with passives (saddlepoint)."""
    p, q, d = _restricted_shares(xd, x0, xp, n, t)
    return _saddlepoint_upper_midp(xp - xd, n, p, q, d)


def _invert(upper_midp, est, low_end, high_end, alpha):
    """Limits where the upper (lower) mid-p value equals α/2, by bisection on [-1, est] and [est, 1]."""
    out, inside = np.full_like(est, -1.0), est.copy()
    for _ in range(_ITERATIONS):
        mid = (out + inside) / 2
        rejected = upper_midp(mid) < alpha / 2
        out, inside = np.where(rejected, mid, out), np.where(rejected, inside, mid)
    low = np.where(low_end, -1.0, inside)
    inside, out = est.copy(), np.full_like(est, 1.0)
    for _ in range(_ITERATIONS):
        mid = (inside + out) / 2
        rejected = 1 - upper_midp(mid) < alpha / 2
        out, inside = np.where(rejected, mid, out), np.where(rejected, inside, mid)
    high = np.where(high_end, 1.0, inside)
    return low, high


def midp_interval(counts, levels, z, fpc, confidence, **_):
    """Mid-p interval of a share (binomial) or of the NPS (trinomial), every group at once.

    Parameters
    ----------
    counts : ndarray, shape (groups, levels)
    levels : ndarray
        Level scores, ascending.
    z : float
        Normal quantile of the level (unused: the mid-p value is compared with α/2 directly).
    fpc : ndarray
        Finite population factor 1 - n/N per group; enters as the effective sample size n / f.
    confidence : float

    Returns
    -------
    (low, high) : ndarrays

    Raises
    ------
    MethodError
        A metric with neither two levels nor three equally spaced ones.

    Notes
    -----
    Two levels: Lancaster's mid-p interval, the x with P(X > x) + P(X = x)/2 = α/2 (lower limit) and
    P(X < x) + P(X = x)/2 = α/2 (upper), tails by the regularised incomplete beta function, checked
    against R-computed mid-p limits (``tests/stats/test_intervals.py``). Three equally spaced levels (NPS):
    the module docstring's trinomial mid-p test of D = promoters - detractors with the shares at their
    restricted MLE, saddlepoint tails (exact binomial tails for samples without passives). Why it is the
    NPS default: over promoter shares 5–90 % and detractor shares 2–50 % (the no-passive boundary included)
    its exact coverage never falls below 92.3 % for any n from 10 to 200 and its mean stays within one
    point of 95 % for every n from 16 to 200 (96.09 % at n = 15), which no other candidate achieved
    (:mod:`workbench.stats.intervals`; ``tests/stats/test_coverage.py``).

    References
    ----------
    Lancaster, H. O. (1961). Significance tests in discrete distributions. JASA 56(294). Agresti, A. &
    Gottard, A. (2007). Nonconservative exact small-sample inference for discrete data. Computational
    Statistics & Data Analysis 51(12). Butler, R. W. (2007). Saddlepoint Approximations with Applications,
    section 1.2.5. Rocks, B. (2016). Interval estimation for the 'Net Promoter Score'. The American
    Statistician 70(4).
    """
    alpha = 1 - confidence
    n = counts.sum(axis=1)
    census = fpc <= 0
    scale = np.where(census, 1.0, 1 / np.where(census, 1.0, fpc))
    counts = counts * scale[:, None]
    n = n * scale
    if len(levels) == 2:
        x = counts[:, 1]
        est = x / n
        low, high = _invert(lambda t: _binomial_upper_midp(x, n, (1 + t) / 2), 2 * est - 1, x <= 0, x >= n, alpha)
        low, high = (low + 1) / 2, (high + 1) / 2
        low, high = np.where(census, est, low), np.where(census, est, high)
        return levels[0] + (levels[1] - levels[0]) * low, levels[0] + (levels[1] - levels[0]) * high
    if not three_equal_levels(levels):
        raise MethodError(
            "Method 'midp' needs a metric with two levels or three equally spaced levels (NPS); "
            f"this metric has levels {levels.tolist()}. Use 'wald', 't', 'adjusted_wald', 'bootstrap' or 'bayes'."
        )
    xd, x0, xp = counts[:, 0], counts[:, 1], counts[:, 2]
    est = (xp - xd) / n
    low, high = np.empty_like(est), np.empty_like(est)
    inner = x0 > 0
    if inner.any():  # saddlepoint tails of the trinomial
        a, b, c, m = xd[inner], x0[inner], xp[inner], n[inner]
        low[inner], high[inner] = _invert(lambda t: _nps_upper_midp(a, b, c, m, t), est[inner], a >= m, c >= m, alpha)
    if (~inner).any():  # no passive: D = 2·promoters - n, exact binomial tails
        c, m = xp[~inner], n[~inner]
        low[~inner], high[~inner] = _invert(lambda t: _binomial_upper_midp(c, m, (1 + t) / 2), est[~inner], c <= 0,
                                            c >= m, alpha)
    low, high = np.where(census, est, low), np.where(census, est, high)
    mid, half_range = levels[1], levels[2] - levels[1]
    return mid + half_range * low, mid + half_range * high
