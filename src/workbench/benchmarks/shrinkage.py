"""Empirical-Bayes shrinkage of unit results, with intervals and ranks with uncertainty."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import minimize
from scipy.special import betaln

from .._validate import as_key_list, check_confidence, check_positive
from ..stats.scales import Metric, get_metric
from .results import MIN_UNITS, check_results, groups_of

__all__ = ["shrink"]


def _beta_binomial_prior(x: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Empirical-Bayes Beta(α, β) prior by maximum marginal likelihood (scipy), moment start."""
    p = x / n
    mean = np.clip(np.average(p, weights=n), 1e-4, 1 - 1e-4)

    def negll(theta):
        a, b = np.exp(theta)
        return -(betaln(x + a, n - x + b) - betaln(a, b)).sum()

    start = np.log([mean * 20, (1 - mean) * 20])
    fit = minimize(negll, start, method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})
    a, b = np.exp(fit.x)
    return float(a), float(b)


def _normal_prior(y: np.ndarray, v: np.ndarray) -> tuple[float, float]:
    """DerSimonian–Laird between-unit variance τ² and the precision-weighted grand mean."""
    w = 1 / v
    mu_fixed = np.sum(w * y) / w.sum()
    q = np.sum(w * (y - mu_fixed) ** 2)
    k = len(y)
    tau2 = max(0.0, (q - (k - 1)) / (w.sum() - np.sum(w**2) / w.sum()))
    w_star = 1 / (v + tau2)
    return float(np.sum(w_star * y) / w_star.sum()), tau2


def shrink(
    results: pd.DataFrame,
    metric: str | Metric,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
    replicates: int = 4000,
    rng=None,
    top: float = 0.25,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Empirical-Bayes estimates per unit, with intervals and ranks with uncertainty.

    Parameters
    ----------
    results : DataFrame
        One row per unit with ``n``, ``estimate`` and (for metrics that are not shares) ``se``.
    metric : str or Metric
    by : str or list, optional
        Shrink within each group (e.g. service type) towards the group's own prior.
    confidence : float
        Level of the intervals (of the estimate and of the rank).
    replicates : int
        Posterior draws for the rank intervals and ``p_top``.
    rng : seed or Generator
    top : float
        ``p_top`` is the probability of being in this top share of the group.
    min_units : int
        Smallest number of units per group.

    Returns
    -------
    DataFrame
        The results with ``raw`` (the input estimate), ``estimate``, ``se``, ``ci_low``, ``ci_high``
        and ``moe`` replaced by the empirical-Bayes values, then ``rank`` (1 = best, by the shrunk
        estimate), ``rank_low``, ``rank_high`` (central interval of the rank over posterior draws),
        ``p_top`` and ``shrinkage`` (the prior model).

    Raises
    ------
    DataError
        Missing columns, non-positive n, missing estimates, too few units.
    ParameterError
        A level outside (0, 1), a non-positive number of replicates.

    Notes
    -----
    Shares: beta-binomial (Beta prior fitted by maximum marginal likelihood within each group).
    NPS and means: normal–normal with the between-unit variance τ² by DerSimonian–Laird and the
    sampling variance se² of each unit; the shrunk value is μ̂ + λ(y - μ̂), λ = τ²/(τ² + v). A unit
    with few responses is pulled towards its peers in proportion to its uncertainty, so it is not
    ranked first on luck. Checked against a simulation with known truth
    (``tests/benchmarks/test_shrinkage.py``).

    References
    ----------
    Morris, C. N. (1983). Parametric empirical Bayes inference. JASA 78(381).
    DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. Controlled Clinical Trials 7.
    """
    metric = get_metric(metric)
    keys = as_key_list(by)
    confidence = check_confidence(confidence)
    replicates = check_positive(replicates, "replicates", integer=True)
    needed = ("n", "estimate") if metric.is_binary else ("n", "estimate", "se")
    check_results(results, needed=needed, min_units=min_units, keys=keys)
    generator = np.random.default_rng(rng)
    tail = (1 - confidence) / 2
    cols = {c: np.empty(len(results)) for c in ("estimate", "se", "ci_low", "ci_high", "rank", "rank_low",
                                                  "rank_high", "p_top")}
    for _, idx in groups_of(results, keys):
        n = results["n"].to_numpy(float)[idx]
        if metric.is_binary:
            x = np.round(results["estimate"].to_numpy(float)[idx] / 100 * n)
            a, b = _beta_binomial_prior(x, n)
            pa, pb = x + a, n - x + b
            mean = 100 * pa / (pa + pb)
            sd = 100 * np.sqrt(pa * pb / ((pa + pb) ** 2 * (pa + pb + 1)))
            low, high = 100 * stats.beta.ppf(tail, pa, pb), 100 * stats.beta.ppf(1 - tail, pa, pb)
            sample = 100 * generator.beta(pa[:, None], pb[:, None], size=(len(idx), replicates))
        else:
            y = results["estimate"].to_numpy(float)[idx]
            v = np.maximum(results["se"].to_numpy(float)[idx] ** 2, 1e-12)
            mu, tau2 = _normal_prior(y, v)
            weight = tau2 / (tau2 + v)
            mean = mu + weight * (y - mu)
            sd = np.sqrt(weight * v)
            z = stats.norm.ppf(1 - tail)
            low, high = mean - z * sd, mean + z * sd
            sample = mean[:, None] + sd[:, None] * generator.standard_normal((len(idx), replicates))
        ranks = (-sample).argsort(axis=0).argsort(axis=0) + 1  # rank within each draw, 1 = best
        k = len(idx)
        cols["estimate"][idx], cols["se"][idx], cols["ci_low"][idx], cols["ci_high"][idx] = mean, sd, low, high
        cols["rank"][idx] = stats.rankdata(-mean, method="min")
        cols["rank_low"][idx] = np.quantile(ranks, tail, axis=1)
        cols["rank_high"][idx] = np.quantile(ranks, 1 - tail, axis=1)
        cols["p_top"][idx] = (ranks <= max(1, int(np.ceil(top * k)))).mean(axis=1)
    out = results.drop(columns=[c for c in ("se", "ci_low", "ci_high", "moe", "method", "confidence")
                                if c in results]).rename(columns={"estimate": "raw"})
    for name, values in cols.items():
        out[name] = values
    out["moe"] = (out["ci_high"] - out["ci_low"]) / 2
    for name in ("rank", "rank_low", "rank_high"):
        out[name] = out[name].astype(int)
    out["shrinkage"] = "beta-binomial" if metric.is_binary else "normal-normal"
    out["confidence"] = confidence
    return out
