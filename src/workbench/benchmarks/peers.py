"""Peer benchmarks: percentiles of unit results with intervals, the Achievable Benchmark of Care, and
named benchmark rules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_choice, check_confidence, check_positive
from ..errors import ParameterError
from ..stats.scales import Metric, get_metric
from .results import MIN_UNITS, check_results, groups_of

__all__ = ["peer_benchmarks", "achievable_benchmark", "benchmark_value", "BENCHMARK_RULES"]


def peer_benchmarks(
    results: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    percentiles: Sequence[float] = (25, 50, 75, 90),
    confidence: float = 0.95,
    replicates: int = 2000,
    rng=None,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Percentiles of unit results per group with bootstrap intervals (resampling units).

    Parameters
    ----------
    results : DataFrame
        One row per unit with ``n`` and ``estimate``.
    by : str or list, optional
        One distribution per group (e.g. service type); the whole table by default.
    percentiles : sequence of float
        Strictly between 0 and 100.
    confidence : float
    replicates : int
        Bootstrap replicates.
    rng : seed or Generator
    min_units : int
        Smallest number of units per group.

    Returns
    -------
    DataFrame
        One row per group and percentile: the ``by`` keys, ``units``, ``percentile``, ``value``,
        ``ci_low``, ``ci_high``.

    Raises
    ------
    DataError
        Missing columns, non-positive n, missing estimates, too few units.
    ParameterError
        Percentiles outside (0, 100), a bad level or number of replicates.

    Notes
    -----
    Percentile bootstrap over units (the units are the sampling units of a peer distribution);
    NumPy's linear percentile interpolation (R ``quantile`` type 7).

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 13.
    """
    keys = as_key_list(by)
    confidence = check_confidence(confidence)
    replicates = check_positive(replicates, "replicates", integer=True)
    check_results(results, min_units=min_units, keys=keys)
    pct = np.asarray(percentiles, dtype=float)
    if ((pct <= 0) | (pct >= 100)).any():
        raise ParameterError(f"`percentiles` must lie strictly between 0 and 100; got {list(percentiles)}.")
    generator = np.random.default_rng(rng)
    tail = (1 - confidence) / 2 * 100
    rows = []
    for key, idx in groups_of(results, keys):
        values = results["estimate"].to_numpy(float)[idx]
        draws = values[generator.integers(0, len(values), (replicates, len(values)))]
        boot = np.percentile(draws, pct, axis=1)  # (percentiles, replicates)
        point = np.percentile(values, pct)
        low, high = np.percentile(boot, [tail, 100 - tail], axis=1)
        for p, v, lo, hi in zip(pct, point, low, high):
            rows.append((*key, len(values), p, v, lo, hi))
    return pd.DataFrame(rows, columns=keys + ["units", "percentile", "value", "ci_low", "ci_high"])


def achievable_benchmark(
    results: pd.DataFrame,
    metric: str | Metric,
    *,
    by: str | Sequence[str] | None = None,
    coverage: float = 0.10,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Achievable Benchmark of Care (ABC): the pared mean of the best units covering ≥ 10 % of respondents.

    Notes
    -----
    Kiefe et al. (1998), Int J Qual Health Care 10(5); Weissman et al. (1999), J Eval Clin Pract
    5(3). Units are ranked by the adjusted performance fraction APF = (x + 1) / (n + 2) — one
    success and one failure added so that a unit with few respondents cannot rank first on luck —
    then taken from the top until they hold at least ``coverage`` of all respondents; the ABC is
    their pooled result Σx / Σn. For metrics that are not shares we add the two pseudo-responses
    at the midpoint of the score range (which is exactly the APF for shares) and pool Σ scores / Σn.
    Pinned on a hand-worked example in ``tests/reference/abc_example.csv``.

    Returns
    -------
    DataFrame
        ``by`` keys, ``abc``, ``units_in_benchmark``, ``n_in_benchmark``, ``share_of_respondents``.

    Parameters
    ----------
    results : DataFrame
        One row per unit with ``n`` and ``estimate``.
    metric : str or Metric
    by : str or list, optional
        One benchmark per group.
    coverage : float
        Share of all respondents the benchmark units must hold (10 % in Kiefe et al.).
    min_units : int

    Raises
    ------
    DataError
        Missing columns, non-positive n, missing estimates, too few units.
    ParameterError
        ``coverage`` outside (0, 1).

    References
    ----------
    Kiefe, C. I. et al. (1998). Identifying achievable benchmarks of care. Int J Qual Health Care
    10(5). Weissman, N. W. et al. (1999). J Eval Clin Pract 5(3).
    """
    metric = get_metric(metric)
    keys = as_key_list(by)
    if not 0 < coverage < 1:
        raise ParameterError(f"`coverage` must be between 0 and 1 (exclusive); got {coverage!r}.")
    check_results(results, min_units=min_units, keys=keys)
    lo, hi = metric.bounds
    mid = (lo + hi) / 2
    rows = []
    for key, idx in groups_of(results, keys):
        n = results["n"].to_numpy(float)[idx]
        total = results["estimate"].to_numpy(float)[idx] * n  # sum of scores
        apf = (total + 2 * mid) / (n + 2)
        order = np.lexsort((-n, -apf))  # best APF first; ties: larger units first
        cum = np.cumsum(n[order])
        take = int(np.searchsorted(cum, coverage * n.sum() - 1e-9) + 1)
        chosen = order[:take]
        rows.append((*key, total[chosen].sum() / n[chosen].sum(), take, int(n[chosen].sum()), n[chosen].sum() / n.sum()))
    return pd.DataFrame(rows, columns=keys + ["abc", "units_in_benchmark", "n_in_benchmark", "share_of_respondents"])


BENCHMARK_RULES = ("pooled", "median", "top quartile", "abc")


def benchmark_value(results: pd.DataFrame, metric: str | Metric, *, rule: str = "pooled",
                    min_units: int = MIN_UNITS) -> float:
    """One benchmark line for a group of units by a named rule.

    Parameters
    ----------
    results : DataFrame
        One row per unit with ``n`` and ``estimate``.
    metric : str or Metric
    rule : str
        ``"pooled"``: Σ n y / Σ n (every respondent counts once); ``"median"``: the median unit;
        ``"top quartile"``: the 75th percentile of units; ``"abc"``: the Achievable Benchmark of Care.
    min_units : int

    Returns
    -------
    float

    Raises
    ------
    ParameterError
        An unknown rule.
    DataError
        As :func:`peer_benchmarks`.

    Notes
    -----
    The funnel plot's centre line can be any of these (``funnel(benchmark=...)``).

    References
    ----------
    Kiefe et al. (1998), Int J Qual Health Care 10(5); Spiegelhalter (2005), Stat Med 24(8).
    """
    check_choice(rule, "rule", BENCHMARK_RULES, error=ParameterError)
    check_results(results, min_units=min_units)
    y, n = results["estimate"].to_numpy(float), results["n"].to_numpy(float)
    if rule == "pooled":
        return float(np.sum(n * y) / n.sum())
    if rule == "median":
        return float(np.median(y))
    if rule == "top quartile":
        return float(np.quantile(y, 0.75))
    return float(achievable_benchmark(results, metric, by=None, min_units=min_units)["abc"].iloc[0])
