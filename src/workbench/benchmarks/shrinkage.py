"""Empirical-Bayes shrinkage of unit results, with intervals and ranks with uncertainty."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import minimize, root
from scipy.special import betaln, digamma

from .._validate import as_key_list, check_confidence, check_positive
from ..errors import DataError
from ..stats.scales import Metric, get_metric
from .results import MIN_UNITS, check_results, groups_of, within_unit_variance

__all__ = ["shrink", "normal_shrinkage"]


def _beta_binomial_prior(x: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Empirical-Bayes Beta(α, β) prior by maximum marginal likelihood (scipy), moment start."""
    p = x / n
    mean = np.clip(np.average(p, weights=n), 1e-4, 1 - 1e-4)

    def negll(theta):
        a, b = np.exp(theta)
        return -(betaln(x + a, n - x + b) - betaln(a, b)).sum()

    def gradient(theta):
        a, b = np.exp(theta)
        da = digamma(x + a) - digamma(n + a + b) - digamma(a) + digamma(a + b)
        db = digamma(n - x + b) - digamma(n + a + b) - digamma(b) + digamma(a + b)
        return -np.array([a * da.sum(), b * db.sum()])

    start = np.log([mean * 20, (1 - mean) * 20])
    rough = minimize(negll, start, method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})
    # The likelihood is flat along α + β (the optimisers stop early): solve the score equations from there.
    polished = root(gradient, rough.x, tol=1e-13)
    best = polished.x if np.isfinite(polished.x).all() and negll(polished.x) <= rough.fun + 1e-9 else rough.x
    a, b = np.exp(best)
    return float(a), float(b)


def _normal_prior(y: np.ndarray, v: np.ndarray) -> tuple[float, float, float]:
    """DerSimonian–Laird τ², the precision-weighted grand mean μ̂ and its variance 1/Σ w* (metafor ``rma``)."""
    w = 1 / v
    mu_fixed = np.sum(w * y) / w.sum()
    q = np.sum(w * (y - mu_fixed) ** 2)
    k = len(y)
    tau2 = max(0.0, (q - (k - 1)) / (w.sum() - np.sum(w**2) / w.sum()))
    w_star = 1 / (v + tau2)
    return float(np.sum(w_star * y) / w_star.sum()), tau2, float(1 / w_star.sum())


def normal_shrinkage(y, n, sigma2: float, *, tau2: float | None = None):
    """Empirical-Bayes (normal–normal) estimates and standard errors of unit means, as metafor's ``blup``.

    Parameters
    ----------
    y : array_like
        Unit estimates.
    n : array_like
        Respondents per unit.
    sigma2 : float
        Within-unit variance of one response (pooled); unit sampling variances are v_i = σ²/n_i.
    tau2 : float, optional
        Between-unit variance; estimated by DerSimonian–Laird when None (a known value gives the oracle).

    Returns
    -------
    (estimate, se, mu, tau2) : ndarrays and floats

    Raises
    ------
    ValueError
        Arrays of different lengths.

    Notes
    -----
    λ_i = τ²/(τ² + v_i); estimate μ̂ + λ_i (y_i - μ̂); se² = λ_i v_i + (1 - λ_i)² Var(μ̂) with
    Var(μ̂) = 1/Σ 1/(v_j + τ²): the second term is the uncertainty of the grand mean (Morris 1983), which
    metafor's ``blup`` includes. Agrees with metafor 3.8.1 on ``dat.bcg`` and on a 12-unit NPS table to 1e-9
    (``tests/reference/r/metafor_blup.csv``).

    References
    ----------
    Morris, C. N. (1983). Parametric empirical Bayes inference. JASA 78(381). DerSimonian, R. & Laird, N.
    (1986). Controlled Clinical Trials 7. Viechtbauer, W. (2010). metafor. Journal of Statistical Software 36(3).
    """
    y = np.asarray(y, dtype=float)
    v = sigma2 / np.asarray(n, dtype=float)
    mu, dl_tau2, var_mu = _normal_prior(y, v)
    if tau2 is None:
        tau2 = dl_tau2
    else:
        w_star = 1 / (v + tau2)
        mu, var_mu = float(np.sum(w_star * y) / w_star.sum()), float(1 / w_star.sum())
    weight = tau2 / (tau2 + v)
    return mu + weight * (y - mu), np.sqrt(weight * v + (1 - weight) ** 2 * var_mu), mu, tau2


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
        Missing columns, non-positive n, missing estimates, too few units, no within-unit variation.
    ParameterError
        A level outside (0, 1), a non-positive number of replicates.

    Notes
    -----
    Shares: beta-binomial (Beta prior fitted by maximum marginal likelihood within each group; the
    posterior Beta(x + α, n - x + β) gives the estimate and interval), agreeing with VGAM's
    ``betabinomialff`` to 1e-6 (its likelihood is flat along α + β). NPS and means: normal–normal
    (:func:`normal_shrinkage`) with v_i = σ²/n_i, σ² the pooled within-unit variance recovered from
    ``n`` and ``se`` (:func:`workbench.benchmarks.results.within_unit_variance`; a unit whose answers all
    agree has se = 0 but the same σ²/n_i as its peers), τ² by DerSimonian–Laird, the shrunk value
    μ̂ + λ(y - μ̂), λ = τ²/(τ² + v), and se² = λv + (1 - λ)² Var(μ̂) (Morris 1983), as metafor's ``blup``
    (``tests/reference/r/metafor_blup.csv``). A unit with few responses is pulled towards its peers in
    proportion to its uncertainty, so it is not ranked first on luck. Seeded simulation (units of 5–400
    responses): RMSE within 5 % of shrinkage with the true τ², interval coverage within 2 points of
    nominal (``tests/benchmarks/test_shrinkage.py``).

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
    for key, idx in groups_of(results, keys):
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
            sigma2 = within_unit_variance(n, results["se"].to_numpy(float)[idx])
            if not sigma2 > 0:
                raise DataError(f"Group {key or '(all)'}: the pooled within-unit variance is {sigma2}; shrinkage needs "
                                f"units with at least two different answers ({len(idx)} units).")
            mean, sd, _, _ = normal_shrinkage(y, n, sigma2)
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
