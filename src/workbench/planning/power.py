"""Detecting change: minimal detectable differences and sample sizes for comparing two groups."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from scipy.optimize import brentq
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from .._validate import check_confidence, check_positive
from ..errors import ParameterError
from ..stats.scales import Metric, get_metric
from .margins import check_share, per_response_variance

__all__ = ["detectable_difference", "sample_size_difference"]


def _z_pair(confidence: float, power: float) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2) + stats.norm.ppf(power))


def _effect_size(n_a: float, ratio: float, alpha: float, power: float) -> float:
    """Cohen's h detectable with power ``power``: statsmodels' power function, solved to 1e-14.

    ``NormalIndPower.solve_power`` stops at a relative error of about 1e-6; R ``pwr`` is matched to 1e-9 only
    when the same power function (both tails) is solved tightly.
    """
    def gap(h):
        return NormalIndPower().power(effect_size=h, nobs1=n_a, alpha=alpha, ratio=ratio) - power

    return float(brentq(gap, 1e-12, 2 * np.pi, xtol=1e-15, rtol=1e-15))


def _responses(h: float, ratio: float, alpha: float, power: float) -> float:
    """Responses in the first group to detect effect size h (statsmodels' power function, solved tightly)."""
    def gap(n):
        return NormalIndPower().power(effect_size=h, nobs1=n, alpha=alpha, ratio=ratio) - power

    upper = 10.0
    while gap(upper) < 0:
        upper *= 10
    return float(brentq(gap, 1e-6, upper, xtol=1e-12, rtol=1e-15))


def _baseline_share(expected) -> float:
    return check_share(expected, "expected")


def detectable_difference(
    metric: str | Metric,
    n_a: float,
    n_b: float | None = None,
    *,
    confidence: float = 0.95,
    power: float = 0.8,
    expected=None,
) -> float:
    """Minimal detectable difference between two independent groups (periods, units).

    Parameters
    ----------
    metric : str or Metric
    n_a, n_b : float
        Responses in each group (``n_b`` defaults to ``n_a``).
    confidence : float
        1 - the two-sided significance level.
    power : float
        Probability of detecting a true difference of the returned size.
    expected : optional
        Baseline: a share (0–1) for shares, (promoters, detractors) for NPS, an SD for means.
        Omitted: the worst case (for shares a difference centred on 50 %, e.g. 40 → 60 %).

    Returns
    -------
    float
        In the metric's units (percentage points for shares, NPS points, scale points).

    Notes
    -----
    Shares: statsmodels ``NormalIndPower`` on Cohen's effect size h = 2 asin √p2 - 2 asin √p1,
    solved for h and turned back into p2 - p1 upwards from the baseline p1. Without a baseline the
    worst case is the difference centred on 0.5 (p1 = 0.5 - d/2, p2 = 0.5 + d/2), where h = 2 asin d,
    so d = sin(h/2): 19.68 points at n = 100 per group (R ``pwr.2p.test``, maximised over baselines:
    ``tests/reference/r/power_two_proportions.csv``). NPS and means: (z_{1-α/2} + z_{power})
    √(var (1/n_a + 1/n_b)) with the per-response variance of the baseline (for NPS 100² (p + d - (p - d)²);
    Rocks 2016).

    Raises
    ------
    ParameterError
        Non-positive sample sizes; a level or power outside (0, 1); a bad baseline.

    References
    ----------
    Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences, ch. 6 (effect size h).
    Rocks, B. (2016). The American Statistician 70(4).
    """
    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    power = check_confidence(power, "power")
    n_a = check_positive(n_a, "n_a")
    n_b = n_a if n_b is None else check_positive(n_b, "n_b")
    if metric.is_binary:
        h = _effect_size(n_a, n_b / n_a, 1 - confidence, power)
        if expected is None:  # centred on 0.5: h = 2 asin(d)
            return float(100 * np.sin(min(h, np.pi) / 2))
        p1 = _baseline_share(expected)
        angle = min(np.arcsin(np.sqrt(p1)) + h / 2, np.pi / 2)
        return float(100 * (np.sin(angle) ** 2 - p1))
    var, _ = per_response_variance(metric, expected)
    return float(_z_pair(confidence, power) * np.sqrt(var * (1 / n_a + 1 / n_b)))


def sample_size_difference(
    metric: str | Metric,
    difference: float,
    *,
    confidence: float = 0.95,
    power: float = 0.8,
    expected=None,
    ratio: float = 1.0,
) -> int:
    """Responses per group (the first; the second gets ``ratio`` times as many) to detect ``difference``.

    Parameters
    ----------
    metric : str or Metric
    difference : float
        The difference to detect, in the metric's units (percentage points, NPS points, scale points).
    confidence : float
        1 - the two-sided significance level.
    power : float
    expected : optional
        Baseline as in :func:`detectable_difference`; omitted: the worst case (for shares the difference
        centred on 50 %: 45 → 55 % needs 392 per group, 50 → 60 % only 388).
    ratio : float
        Size of the second group relative to the first.

    Returns
    -------
    int
        Responses in the first group (rounded up).

    Raises
    ------
    ParameterError
        A non-positive difference or ratio; a baseline plus difference beyond 100 %; bad levels.

    Notes
    -----
    Shares use statsmodels ``NormalIndPower`` with Cohen's h from the baseline share upwards, or, without
    a baseline, centred on 0.5 (h = 2 asin d, the smallest h and so the largest n of any placement);
    NPS and means use n = (z_{1-α/2} + z_{power})² var (1 + 1/ratio) / difference². Checked against
    R ``pwr.2p.test`` in ``tests/reference/power.csv`` and ``tests/reference/r/power_two_proportions.csv``.

    References
    ----------
    Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences, ch. 6.

    Examples
    --------
    >>> import workbench as wb
    >>> wb.sample_size_difference("csat", 10, expected=0.5)
    388
    >>> wb.sample_size_difference("csat", 10)  # worst case: 45 -> 55 %
    392
    """
    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    power = check_confidence(power, "power")
    difference = check_positive(difference, "difference")
    ratio = check_positive(ratio, "ratio")
    if metric.is_binary:
        if expected is None:
            if difference >= 100:
                raise ParameterError(f"A difference of {difference:g} points cannot be detected between two shares.")
            p1 = 0.5 - difference / 200  # the worst case: centred on 0.5
        else:
            p1 = _baseline_share(expected)
        p2 = p1 + difference / 100
        if p2 > 1:
            raise ParameterError(f"Baseline {p1:.0%} plus {difference:g} points exceeds 100 %.")
        h = abs(proportion_effectsize(p2, p1))
        n = _responses(h, ratio, 1 - confidence, power)
    else:
        var, _ = per_response_variance(metric, expected)
        n = _z_pair(confidence, power) ** 2 * var * (1 + 1 / ratio) / difference**2
    return int(math.ceil(n - 1e-9))


