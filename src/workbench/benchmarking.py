"""Benchmarks and target setting: what is a good score for this kind of service, and who really differs.

Everything here works on a results table of :func:`workbench.estimate` (one row per unit with
``n``, ``estimate``, ``se``), so it serves every metric.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import _show, as_key_list, check_choice, check_columns, check_confidence, check_positive
from .errors import DataError, ParameterError
from .scales import Metric, get_metric

__all__ = [
    "peer_benchmarks",
    "achievable_benchmark",
    "shrink",
    "funnel",
    "funnel_limits",
    "control_chart",
    "propose_targets",
    "case_mix_adjust",
    "benchmark_value",
    "BENCHMARK_RULES",
]

MIN_UNITS = 5


def _groups(results: pd.DataFrame, keys: list[str]):
    """(key tuple, row positions) per group, in sorted key order; the whole table when no keys."""
    if not keys:
        return [((), np.arange(len(results)))]
    indices = results.groupby(keys, sort=True).indices  # sorted key -> row positions
    return [(key if isinstance(key, tuple) else (key,), rows) for key, rows in indices.items()]


def _check_results(results: pd.DataFrame, needed=("n", "estimate"), min_units: int = MIN_UNITS, keys=()) -> None:
    check_columns(results, list(needed), role="results column")
    n = pd.to_numeric(results["n"], errors="coerce")
    bad = n.isna() | (n <= 0)
    if bad.any():
        raise DataError(f"Column 'n' must hold positive respondent counts; {int(bad.sum())} of {len(results)} units "
                        f"have {_show(results.loc[bad, 'n'].tolist())}.")
    if results["estimate"].isna().any():
        raise DataError(f"Column 'estimate' has {int(results['estimate'].isna().sum())} missing values "
                        "(suppressed rows cannot be benchmarked; benchmark before suppressing).")
    for key, rows in _groups(results, list(keys)):
        if len(rows) < min_units:
            raise DataError(f"Group {key or '(all)'} has {len(rows)} units; a benchmark needs at least {min_units}.")


# --- Peer distributions and ABC -----------------------------------------------------------------

def peer_benchmarks(
    results: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "service",
    percentiles: Sequence[float] = (25, 50, 75, 90),
    confidence: float = 0.95,
    replicates: int = 2000,
    rng=None,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Percentiles of unit results per group with bootstrap intervals (resampling units).

    Returns one row per group and percentile: the ``by`` keys, ``units``, ``percentile``,
    ``value``, ``ci_low``, ``ci_high`` (percentile bootstrap over units, seeded by ``rng``).
    """
    keys = as_key_list(by)
    confidence = check_confidence(confidence)
    replicates = check_positive(replicates, "replicates", integer=True)
    _check_results(results, min_units=min_units, keys=keys)
    pct = np.asarray(percentiles, dtype=float)
    if ((pct <= 0) | (pct >= 100)).any():
        raise ParameterError(f"`percentiles` must lie strictly between 0 and 100; got {list(percentiles)}.")
    generator = np.random.default_rng(rng)
    tail = (1 - confidence) / 2 * 100
    rows = []
    for key, idx in _groups(results, keys):
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
    by: str | Sequence[str] | None = "service",
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
    """
    metric = get_metric(metric)
    keys = as_key_list(by)
    if not 0 < coverage < 1:
        raise ParameterError(f"`coverage` must be between 0 and 1 (exclusive); got {coverage!r}.")
    _check_results(results, min_units=min_units, keys=keys)
    lo, hi = metric.bounds
    mid = (lo + hi) / 2
    rows = []
    for key, idx in _groups(results, keys):
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


def benchmark_value(results: pd.DataFrame, metric: str | Metric, rule: str = "pooled",
                    min_units: int = MIN_UNITS) -> float:
    """One benchmark line for a group of units by a named rule.

    ``"pooled"``: Σ n y / Σ n (every respondent counts once); ``"median"``: the median unit;
    ``"top quartile"``: the 75th percentile of units; ``"abc"``: the Achievable Benchmark of Care.
    """
    check_choice(rule, "rule", BENCHMARK_RULES, error=ParameterError)
    _check_results(results, min_units=min_units)
    y, n = results["estimate"].to_numpy(float), results["n"].to_numpy(float)
    if rule == "pooled":
        return float(np.sum(n * y) / n.sum())
    if rule == "median":
        return float(np.median(y))
    if rule == "top quartile":
        return float(np.quantile(y, 0.75))
    return float(achievable_benchmark(results, metric, by=None, min_units=min_units)["abc"].iloc[0])


# --- Shrinkage --------------------------------------------------------------------------------

def _beta_binomial_prior(x: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Empirical-Bayes Beta(α, β) prior by maximum marginal likelihood (scipy), moment start."""
    from scipy.optimize import minimize
    from scipy.special import betaln

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
    by: str | Sequence[str] | None = "service",
    confidence: float = 0.95,
    draws: int = 4000,
    rng=None,
    top: float = 0.25,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Empirical-Bayes estimates per unit, with intervals and ranks with uncertainty.

    Shares: beta-binomial (Beta prior fitted by maximum marginal likelihood within each group).
    NPS and means: normal–normal with the between-unit variance τ² by DerSimonian–Laird and the
    sampling variance se² of each unit. A unit with few responses is pulled towards its peers
    in proportion to its uncertainty, so it is not ranked first on luck.

    Returns the results with ``shrunk``, ``shrunk_low``, ``shrunk_high``, ``rank`` (1 = best, by
    the shrunk estimate), ``rank_low``, ``rank_high`` (central interval of the rank over posterior
    draws) and ``p_top`` (probability of being in the top ``top`` share of its group).
    """
    metric = get_metric(metric)
    keys = as_key_list(by)
    confidence = check_confidence(confidence)
    draws = check_positive(draws, "draws", integer=True)
    needed = ("n", "estimate") if metric.is_binary else ("n", "estimate", "se")
    _check_results(results, needed=needed, min_units=min_units, keys=keys)
    generator = np.random.default_rng(rng)
    tail = (1 - confidence) / 2
    out = results.copy()
    cols = {c: np.empty(len(out)) for c in ("shrunk", "shrunk_low", "shrunk_high", "rank", "rank_low", "rank_high", "p_top")}
    for _, idx in _groups(results, keys):
        n = results["n"].to_numpy(float)[idx]
        if metric.is_binary:
            x = np.round(results["estimate"].to_numpy(float)[idx] / 100 * n)
            a, b = _beta_binomial_prior(x, n)
            pa, pb = x + a, n - x + b
            mean = 100 * pa / (pa + pb)
            low, high = 100 * stats.beta.ppf(tail, pa, pb), 100 * stats.beta.ppf(1 - tail, pa, pb)
            sample = 100 * generator.beta(pa[:, None], pb[:, None], size=(len(idx), draws))
        else:
            y = results["estimate"].to_numpy(float)[idx]
            v = np.maximum(results["se"].to_numpy(float)[idx] ** 2, 1e-12)
            mu, tau2 = _normal_prior(y, v)
            weight = tau2 / (tau2 + v)
            mean = mu + weight * (y - mu)
            sd = np.sqrt(weight * v)
            z = stats.norm.ppf(1 - tail)
            low, high = mean - z * sd, mean + z * sd
            sample = mean[:, None] + sd[:, None] * generator.standard_normal((len(idx), draws))
        ranks = (-sample).argsort(axis=0).argsort(axis=0) + 1  # rank within each draw, 1 = best
        k = len(idx)
        cols["shrunk"][idx], cols["shrunk_low"][idx], cols["shrunk_high"][idx] = mean, low, high
        cols["rank"][idx] = stats.rankdata(-mean, method="min")
        cols["rank_low"][idx] = np.quantile(ranks, tail, axis=1)
        cols["rank_high"][idx] = np.quantile(ranks, 1 - tail, axis=1)
        cols["p_top"][idx] = (ranks <= max(1, int(np.ceil(top * k)))).mean(axis=1)
    for name, values in cols.items():
        out[name] = values
    for name in ("rank", "rank_low", "rank_high"):
        out[name] = out[name].astype(int)
    return out


# --- Funnel plots -------------------------------------------------------------------------------

OVERDISPERSION = ("auto", "additive", "multiplicative", "none")


def funnel_limits(n, benchmark: float, sigma2: float, *, level: float, tau2: float = 0.0, phi: float = 1.0,
                  skew: float = 0.0, bounds: tuple[float, float] | None = None):
    """Control limits benchmark ± z √(φ σ²/n + τ²) at sample sizes n (Spiegelhalter 2005).

    ``skew`` is the skewness γ of one response's score; the limits then move by the Cornish–Fisher
    term (z² - 1) γ σ / (6n), the first-order correction of the normal quantiles of a mean.
    """
    level = check_confidence(level, "level")
    z = stats.norm.ppf(0.5 + level / 2)
    n = np.asarray(n, dtype=float)
    half = z * np.sqrt(phi * sigma2 / n + tau2)
    shift = (z * z - 1) * skew * np.sqrt(sigma2) / (6 * n)
    low, high = benchmark - half + shift, benchmark + half + shift
    if bounds is not None:
        low, high = np.clip(low, *bounds), np.clip(high, *bounds)
    return low, high


def _response_skewness(metric: Metric | None, theta: float, sigma2: float) -> float:
    """Skewness of one response's score at the benchmark, where the results determine it.

    Shares: (1 - 2p) / √(p(1 - p)). Three equally spaced levels (NPS, scores -1, 0, 1 after
    rescaling): with mean m and E s² = σ² + m², E s³ = m, so μ₃ = m - 3m E s² + 2m³. Other metrics
    (means of longer scales) carry no third moment in a results table: 0 (normal limits).
    """
    if metric is None:
        return 0.0
    levels = metric.levels
    if metric.is_binary:
        p = theta / 100
        return float((1 - 2 * p) / np.sqrt(p * (1 - p))) if 0 < p < 1 else 0.0
    if metric.is_trinomial:
        half_range = levels[2] - levels[1]
        m = (theta - levels[1]) / half_range
        var = sigma2 / half_range**2
        mu3 = m - 3 * m * (var + m * m) + 2 * m**3
        return float(mu3 / var**1.5) if var > 0 else 0.0
    return 0.0


def _winsorised_phi(z: np.ndarray, share: float = 0.1) -> float:
    """Mean squared z-score winsorised at `share` per tail (Spiegelhalter 2005), made consistent.

    Winsorising shrinks E[z²] of a standard normal to c = (2Φ(q) - 1) - 2qφ(q) + 2·share·q²
    (q its upper `share` quantile; c = 0.679 at 10 %); dividing by c removes that bias.
    """
    lo, hi = np.quantile(z, [share, 1 - share])
    q = stats.norm.ppf(1 - share)
    c = (2 * stats.norm.cdf(q) - 1) - 2 * q * stats.norm.pdf(q) + 2 * share * q * q
    return float(np.mean(np.clip(z, lo, hi) ** 2) / c)


def _dl_tau2(phi: float, s2: np.ndarray) -> float:
    """Additive between-unit variance τ² = (kφ - (k - 1)) / (Σw - Σw²/Σw), w = 1/s² (DerSimonian–Laird)."""
    w = 1 / s2
    k = len(s2)
    return max(0.0, (k * phi - (k - 1)) / (w.sum() - np.sum(w**2) / w.sum()))


def _dispersion(y: np.ndarray, theta: float, s2: np.ndarray, iterations: int = 50) -> tuple[float, float, np.ndarray]:
    """φ and the additive τ² from the units that are not special causes themselves.

    Start from Spiegelhalter's (2005) robust estimate — z winsorised at 10 % (made consistent) —
    so that outliers cannot widen the limits that should catch them (masking); then set aside the
    units outside the 99.8 % limits and re-estimate φ and τ² on the others, until that set is
    stable. The winsorised estimate alone is biased low when unit sizes differ (in our simulations
    it flagged 7–9 % of units at a nominal 5 %); the refinement on retained units removes that bias.
    """
    z3 = stats.norm.ppf(0.999)
    z = (y - theta) / np.sqrt(s2)
    tau2 = _dl_tau2(_winsorised_phi(z), s2)
    keep = np.abs(y - theta) <= z3 * np.sqrt(s2 + tau2)
    phi = float(np.mean(z[keep] ** 2))
    for _ in range(iterations):
        phi = float(np.mean(z[keep] ** 2))
        tau2 = _dl_tau2(phi, s2[keep])
        new = np.abs(y - theta) <= z3 * np.sqrt(s2 + tau2)
        if (new == keep).all() or new.sum() < 3:
            break
        keep = new
    return phi, tau2, keep


def funnel(
    results: pd.DataFrame,
    *,
    metric: str | Metric | None = None,
    benchmark: float | str | None = None,
    level: float = 0.998,
    overdispersion: str = "auto",
    by: str | Sequence[str] | None = None,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Funnel-plot limits and flags for unit results (Spiegelhalter 2005, Stat Med 24(8)).

    Parameters
    ----------
    results : DataFrame
        One row per unit with ``n``, ``estimate`` and (for metrics that are not shares) ``se``.
    metric : str or Metric, optional
        For shares the per-response variance at the benchmark is p(1 - p); otherwise it is the
        pooled within-unit variance Σ n_j² se_j² / Σ n_j.
    benchmark : float or str, optional
        The target line: a number, or a rule of :func:`benchmark_value` (``"pooled"``,
        ``"median"``, ``"top quartile"``, ``"abc"``); default the pooled mean Σ n_j y_j / Σ n_j.
    by : str or list, optional
        Separate funnels (benchmark, dispersion, limits) per group, e.g. per service type.
    level : float
        Coverage of the limits (0.998 ≈ 3 sd; 0.95 ≈ 2 sd).
    overdispersion : str
        ``"auto"`` tests for overdispersion (kφ against χ²(k - 1) at 5 %, φ the mean squared
        z-score of the units that are not outliers themselves, see :func:`_dispersion`) and, when
        present, widens the limits additively by the random-effects τ² = (kφ - (k - 1)) /
        (Σw - Σw²/Σw), w = n/σ² (DerSimonian–Laird form, Spiegelhalter 2005 section 4.2);
        ``"additive"``, ``"multiplicative"`` (limits widened by √φ) or ``"none"`` force a choice.

    Returns
    -------
    DataFrame
        The results with ``benchmark``, ``limit_low``, ``limit_high``, ``flag`` (``"above"``,
        ``"below"``, ``"within"``), ``z``, and the constants ``overdispersion`` (method used), ``phi``,
        ``tau2``, ``sigma2``, ``skewness`` and ``level``.

    Notes
    -----
    For shares and NPS the limits carry a Cornish–Fisher skewness correction (see
    :func:`funnel_limits`): with plain normal limits, simulated NPS funnels at n = 50 flagged 7.5 %
    of units at a nominal 5 %.
    """
    level = check_confidence(level, "level")
    check_choice(overdispersion, "overdispersion", OVERDISPERSION, error=ParameterError)
    metric = get_metric(metric) if metric is not None else None
    binary = metric is not None and metric.is_binary
    keys = as_key_list(by)
    _check_results(results, needed=("n", "estimate") if binary else ("n", "estimate", "se"), min_units=min_units,
                   keys=keys)
    if keys:
        parts = [funnel(results.iloc[rows], metric=metric, benchmark=benchmark, level=level,
                        overdispersion=overdispersion, min_units=min_units) for _, rows in _groups(results, keys)]
        return pd.concat(parts)
    if isinstance(benchmark, str):
        if metric is None and benchmark == "abc":
            raise ParameterError("The 'abc' benchmark needs `metric`.")
        benchmark = benchmark_value(results, metric or "nps", benchmark, min_units=min_units)
    n = results["n"].to_numpy(float)
    y = results["estimate"].to_numpy(float)
    theta = float(np.sum(n * y) / n.sum()) if benchmark is None else float(benchmark)
    if binary:
        sigma2 = theta * (100 - theta)
    else:
        se = results["se"].to_numpy(float)
        sigma2 = float(np.sum(n * n * se**2) / n.sum())
    if sigma2 <= 0:
        raise DataError("The within-unit variance is zero; a funnel plot needs sampling variation.")
    s2 = sigma2 / n
    phi, tau2_estimate, kept = _dispersion(y, theta, s2)
    overdispersed = kept.sum() * phi > stats.chi2.ppf(0.95, kept.sum() - 1)
    used = overdispersion
    if overdispersion == "auto":
        used = "additive" if overdispersed else "none"
    tau2, phi_used = 0.0, 1.0
    if used == "additive":
        tau2 = tau2_estimate
    elif used == "multiplicative":
        phi_used = max(phi, 1.0)
    bounds = metric.bounds if metric is not None else None
    skew = _response_skewness(metric, theta, sigma2)
    low, high = funnel_limits(n, theta, sigma2, level=level, tau2=tau2, phi=phi_used, skew=skew, bounds=bounds)
    out = results.copy()
    out["benchmark"] = theta
    out["limit_low"], out["limit_high"] = low, high
    out["flag"] = np.where(y > high, "above", np.where(y < low, "below", "within"))
    out["z"] = (y - theta) / np.sqrt(phi_used * s2 + tau2)
    out["overdispersion"] = used
    out["phi"] = phi
    out["tau2"] = tau2
    out["sigma2"] = sigma2
    out["skewness"] = skew
    out["level"] = level
    return out


# --- Control charts -----------------------------------------------------------------------------

CHARTS = ("p", "laney")


def control_chart(
    data: pd.DataFrame | str | os.PathLike,
    metric: str | Metric,
    *,
    time: str = "month",
    column: str | None = None,
    chart: str = "laney",
    sigma: float = 3.0,
) -> pd.DataFrame:
    """Control chart of one unit's results over time: p-chart or Laney p'-chart, for any metric.

    For shares the per-period standard deviation is √(p̄(1 - p̄)/n_i) (p-chart); for NPS and means
    it is √(V/n_i) with V the pooled per-response variance (the NPS variance p + d - (p - d)² for
    NPS). ``chart="laney"`` multiplies it by σ_z, the average moving range of the z-scores / 1.128
    (Laney 2002, Quality Engineering 14(4)), which absorbs between-period variation beyond
    sampling.

    Signals (Western Electric / Nelson rules): ``beyond limits`` (a point outside ±sigma),
    ``run of 8`` (eight in a row on one side of the centre line), ``trend of 6`` (six in a row
    steadily rising or falling).

    Returns one row per period: ``time``, ``n``, ``estimate``, ``center``, ``lcl``, ``ucl``,
    ``signal`` (comma-separated rules, empty when none) and ``chart``.
    """
    from .estimation import estimate

    metric = get_metric(metric)
    check_choice(chart, "chart", CHARTS, error=ParameterError)
    sigma = check_positive(sigma, "sigma")
    per = estimate(data, metric, column=column, by=time, method="wald")
    if len(per) < 3:
        raise DataError(f"A control chart needs at least 3 periods; got {len(per)}.")
    n = per["n"].to_numpy(float)
    y = per["estimate"].to_numpy(float)
    center = float(np.sum(n * y) / n.sum())
    if metric.is_binary:
        v = center * (100 - center)
    else:
        v = float(np.sum(n * n * per["se"].to_numpy(float) ** 2) / n.sum())
    sd = np.sqrt(v / n)
    if chart == "laney":
        zs = (y - center) / sd
        sd = sd * (np.mean(np.abs(np.diff(zs))) / 1.128)
    lo, hi = metric.bounds
    out = per[[time, "n", "estimate"]].copy()
    out["center"] = center
    out["lcl"] = np.clip(center - sigma * sd, lo, hi)
    out["ucl"] = np.clip(center + sigma * sd, lo, hi)
    out["signal"] = _signals(y, center, out["lcl"].to_numpy(), out["ucl"].to_numpy())
    out["chart"] = chart
    return out


def _signals(y: np.ndarray, center: float, lcl: np.ndarray, ucl: np.ndarray) -> list[str]:
    k = len(y)
    found: list[list[str]] = [[] for _ in range(k)]
    for i in np.flatnonzero((y > ucl) | (y < lcl)):
        found[i].append("beyond limits")
    side = np.sign(y - center)
    for i in range(7, k):
        window = side[i - 7:i + 1]
        if window[0] != 0 and (window == window[0]).all():
            found[i].append("run of 8")
    steps = np.sign(np.diff(y))
    for i in range(5, k):
        window = steps[i - 5:i]
        if window[0] != 0 and (window == window[0]).all():
            found[i].append("trend of 6")
    return [", ".join(f) for f in found]


# --- Targets --------------------------------------------------------------------------------------

def propose_targets(
    results: pd.DataFrame,
    metric: str | Metric,
    *,
    unit: str = "unit",
    by: str | Sequence[str] | None = "service",
    planned_n: int = 200,
    confidence: float = 0.95,
    power: float = 0.8,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Target options per unit side by side, each checked for verifiability at the planned n.

    Options: ``peer median``, ``top quartile`` (75th percentile of peers), ``ABC`` (see
    :func:`achievable_benchmark`) and ``baseline + MDI`` (the baseline plus the minimal
    detectable improvement between two periods of ``planned_n`` responses).

    For each option: ``gain`` = target - baseline; ``mdi`` = (z_{1-α/2} + z_{power}) √(2 σ²/planned_n)
    with σ² = n · se² the unit's per-response variance; ``verifiable`` = gain >= mdi (reaching the
    target could be told apart from today's level); ``n_to_verify`` = the responses per period that
    would make the gain detectable, (z_{1-α/2} + z_{power})² 2σ² / gain². A target at or below the
    baseline is ``already reached``.

    Returns a long table: ``by`` keys, ``unit``, ``baseline``, ``n``, ``option``, ``target``,
    ``gain``, ``mdi``, ``verifiable``, ``n_to_verify``, ``status``.
    """
    metric = get_metric(metric)
    keys = as_key_list(by)
    confidence = check_confidence(confidence)
    power = check_confidence(power, "power")
    planned_n = check_positive(planned_n, "planned_n", integer=True)
    check_columns(results, [unit, "se"], role="results column")
    _check_results(results, min_units=min_units, keys=keys)
    abc = achievable_benchmark(results, metric, by=keys or None, min_units=min_units)
    peers = results.groupby(keys, sort=True)["estimate"] if keys else None
    table = results[keys + [unit, "n", "estimate", "se"]].rename(columns={"estimate": "baseline"}).copy()
    if keys:
        table = table.merge(peers.median().rename("peer median").reset_index(), on=keys)
        table = table.merge(peers.quantile(0.75).rename("top quartile").reset_index(), on=keys)
        table = table.merge(abc[keys + ["abc"]].rename(columns={"abc": "ABC"}), on=keys)
    else:
        table["peer median"] = results["estimate"].median()
        table["top quartile"] = results["estimate"].quantile(0.75)
        table["ABC"] = abc["abc"].iloc[0]
    zz = stats.norm.ppf(0.5 + confidence / 2) + stats.norm.ppf(power)
    sigma2 = table["n"].to_numpy(float) * table["se"].to_numpy(float) ** 2
    mdi = zz * np.sqrt(2 * sigma2 / planned_n)
    table["baseline + MDI"] = np.minimum(table["baseline"] + mdi, metric.bounds[1])
    options = ["peer median", "top quartile", "ABC", "baseline + MDI"]
    long = table.melt(id_vars=keys + [unit, "n", "baseline", "se"], value_vars=options, var_name="option",
                      value_name="target")
    sigma2_long = long["n"].to_numpy(float) * long["se"].to_numpy(float) ** 2
    long["gain"] = long["target"] - long["baseline"]
    long["mdi"] = zz * np.sqrt(2 * sigma2_long / planned_n)
    long["verifiable"] = long["gain"] >= long["mdi"] - 1e-9
    with np.errstate(divide="ignore"):
        need = np.where(long["gain"] > 0, np.ceil(zz**2 * 2 * sigma2_long / np.maximum(long["gain"], 1e-12) ** 2), np.nan)
    long["n_to_verify"] = need
    long["status"] = np.where(long["gain"] <= 0, "already reached",
                              np.where(long["verifiable"], "verifiable", "not verifiable at planned n"))
    long["option"] = pd.Categorical(long["option"], categories=options, ordered=True)
    long = long.sort_values(keys + [unit, "option"]).reset_index(drop=True)
    long["option"] = long["option"].astype(str)
    return long.drop(columns="se")


# --- Case-mix adjustment ------------------------------------------------------------------------

def case_mix_adjust(
    data: pd.DataFrame | str | os.PathLike,
    metric: str | Metric,
    *,
    unit: str,
    adjusters: Sequence[str],
    column: str | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Unit results adjusted for respondent mix, side by side with the raw ones.

    An OLS model (statsmodels) of the response score on unit fixed effects and the adjusters
    (each treated as categorical) gives the adjusters' effects β. A unit's adjusted result is what
    it would score with the average respondent mix: raw - β'(x̄_unit - x̄_all), the approach of the
    CMS HCAHPS patient-mix adjustment (regression with hospital fixed effects).

    Returns ``unit``, ``n``, ``raw``, ``adjusted``, ``adjustment``, ``se``, ``ci_low``, ``ci_high``
    (Wald, for the adjusted result with the raw standard error), ``rank_raw``, ``rank_adjusted``.
    """
    import statsmodels.api as sm

    from .counting import read_responses, respondents
    from .estimation import estimate

    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    adjusters = list(adjusters)
    if not adjusters:
        raise ParameterError("`adjusters` must name at least one respondent-mix column.")
    frame = read_responses(data)
    col = column or metric.column
    check_columns(frame, [unit, col] + adjusters, role="column")
    missing = {a: int(frame[a].isna().sum()) for a in adjusters if frame[a].isna().any()}
    if missing:
        raise DataError(f"Adjuster columns have missing values: {missing} (of {len(frame)} rows).")
    base = respondents(frame, metric, column=col, by=unit)
    mix = pd.get_dummies(frame.loc[base.rows, adjusters].astype(str), drop_first=True, dtype=float).to_numpy()
    units = np.zeros((len(base.group), len(base.keys)))
    units[np.arange(len(base.group)), base.group] = 1.0  # unit fixed effects
    beta = sm.OLS(base.scores, np.hstack([units, mix])).fit().params[len(base.keys):]
    unit_means = (units.T @ mix) / base.n[:, None]
    adj = -(unit_means - mix.mean(axis=0)) @ beta  # rows of base.keys = rows of `raw` (both sorted units)
    raw = estimate(frame, metric, column=col, by=unit, method="wald", confidence=confidence)
    z = stats.norm.ppf(0.5 + confidence / 2)
    out = raw[[unit, "n", "estimate", "se"]].rename(columns={"estimate": "raw"})
    out["adjusted"] = out["raw"] + adj
    out["adjustment"] = adj
    out["ci_low"] = out["adjusted"] - z * out["se"]
    out["ci_high"] = out["adjusted"] + z * out["se"]
    out["rank_raw"] = stats.rankdata(-out["raw"], method="min").astype(int)
    out["rank_adjusted"] = stats.rankdata(-out["adjusted"], method="min").astype(int)
    return out
