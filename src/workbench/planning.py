"""Sample size and measurement planning: the inverse of the interval maths.

Margins of error are in the metric's own units: percentage points for shares, NPS points
for NPS, scale points for means.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import check_confidence, check_positive
from .errors import MethodError, ParameterError
from .intervals import level_interval, resolve_method
from .scales import Metric, get_metric

__all__ = ["SampleSize", "per_response_variance", "margin_of_error", "sample_size", "margin_curve",
           "diminishing_returns_n", "detectable_difference", "sample_size_difference", "reliability",
           "measurement_plan", "RELIABILITY_THRESHOLDS"]


class SampleSize(int):
    """The answer of :func:`sample_size`: an ``int`` that also carries its assumptions.

    Attributes: ``metric``, ``moe``, ``confidence``, ``method``, ``expected``, ``worst_case``
    (True when ``expected`` was not given and the worst case was assumed), ``population``, ``deff``.
    """

    _FIELDS = ("metric", "moe", "confidence", "method", "expected", "worst_case", "population", "deff")

    def __new__(cls, n: int, **info):
        obj = super().__new__(cls, n)
        for key in cls._FIELDS:
            object.__setattr__(obj, key, info[key])
        return obj

    def __setattr__(self, key, value):
        raise AttributeError("SampleSize is read-only.")

    @property
    def n(self) -> int:
        return int(self)

    __str__ = int.__repr__

    def __repr__(self) -> str:
        assumed = "worst case" if self.worst_case else f"expected={self.expected!r}"
        return (f"SampleSize({int(self)}, metric={self.metric!r}, moe={self.moe:g}, confidence={self.confidence:g}, "
                f"method={self.method!r}, {assumed}, population={self.population!r}, deff={self.deff:g})")

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"n": int(self), **{k: getattr(self, k) for k in self._FIELDS}}])


def _level_shares(metric: Metric, expected) -> tuple[np.ndarray, bool]:
    """Expected shares per score level and whether they are the worst case."""
    levels = metric.levels
    if metric.is_binary:
        if expected is None:
            return np.array([0.5, 0.5]), True
        p = _share(expected, "expected")
        return np.array([1 - p, p]), False
    if metric.is_trinomial:
        if expected is None:
            return np.array([0.5, 0.0, 0.5]), True
        try:
            promoters, detractors = expected
        except (TypeError, ValueError):
            raise ParameterError(
                f"`expected` for {metric.name!r} is (promoter share, detractor share); got {expected!r}."
            ) from None
        p, d = _share(promoters, "expected promoters"), _share(detractors, "expected detractors")
        if p + d > 1:
            raise ParameterError(f"Expected promoter and detractor shares sum to more than 1: {p} + {d}.")
        return np.array([d, 1 - p - d, p]), False
    # Means: the worst case puts half the answers at each end (Popoviciu's bound).
    shares = np.zeros(len(levels))
    shares[0] = shares[-1] = 0.5
    return shares, expected is None


def _share(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"`{name}` must be a share between 0 and 1; got {value!r}.")
    if not 0.0 <= float(value) <= 1.0:
        raise ParameterError(f"`{name}` must be a share between 0 and 1; got {value!r}.")
    return float(value)


def per_response_variance(metric: str | Metric, expected=None) -> tuple[float, bool]:
    """Variance of one response's score and whether it is the worst case.

    ``expected``: a share (0–1) for shares, (promoters, detractors) for NPS, a standard
    deviation in scale points for means.
    """
    metric = get_metric(metric)
    if not metric.is_binary and not metric.is_trinomial and expected is not None:
        sd = check_positive(expected, "expected (standard deviation)")
        return sd**2, False
    shares, worst = _level_shares(metric, expected)
    levels = metric.levels
    mean = shares @ levels
    return float(shares @ levels**2 - mean**2), worst


def _fpc(n, population):
    if population is None:
        return 1.0
    return np.maximum(population - n, 0) / max(population - 1, 1)


def margin_of_error(metric: str | Metric, n, *, confidence: float = 0.95, expected=None, population=None,
                    deff: float = 1.0):
    """Wald margin of error z * sqrt(deff * var / n * fpc) at sample size(s) n."""
    confidence = check_confidence(confidence)
    var, _ = per_response_variance(metric, expected)
    n = np.asarray(n, dtype=float)
    if population is not None and (n > population).any():
        raise ParameterError(f"A sample of {n.max():g} is larger than the population {population:g}.")
    z = stats.norm.ppf(0.5 + confidence / 2)
    return z * np.sqrt(deff * var / n * _fpc(n, population))


def sample_size(
    metric: str | Metric,
    moe: float,
    *,
    confidence: float = 0.95,
    expected=None,
    population: float | None = None,
    deff: float = 1.0,
    method: str = "wald",
) -> SampleSize:
    """Responses needed for a margin of error.

    Parameters
    ----------
    metric : str or Metric
    moe : float
        Target margin of error (half-width) in the metric's units.
    confidence : float
    expected : optional
        Anticipated result: a share (0–1) for shares, (promoter share, detractor share) for
        NPS, the standard deviation for means. Omitted: the worst case (p = 0.5; p = d = 0.5
        for NPS; half the answers at each end of the scale for means), and the result says so.
    population : float, optional
        Population size N; applies the finite population correction.
    deff : float
        Design effect (e.g. from weighting) that inflates the requirement.
    method : str
        ``"wald"`` (the textbook answer, Cochran 1977 eq. 4.2–4.3) or any deterministic interval
        method of :mod:`workbench.intervals`, inverted numerically on the expected counts.

    Returns
    -------
    SampleSize
        Compares equal to its ``n``; ``worst_case`` tells whether ``expected`` was assumed.

    Notes
    -----
    Wald: n0 = z**2 * deff * var / moe**2, var the per-response variance (for NPS
    100**2 * (p + d - (p - d)**2)); with a population N and the correction f = (N - n)/(N - 1),
    n = N n0 / (N - 1 + n0), rounded up. Checked against Cochran's worked values
    (385 for ±5 points at p = 0.5; 278 with N = 1000) in ``tests/reference/sample_size.csv``.

    Examples
    --------
    >>> import workbench as wb
    >>> wb.sample_size("csat", 5).n
    385
    >>> wb.sample_size("csat", 5, population=1000).n
    278
    """
    metric = get_metric(metric)
    moe = check_positive(moe, "moe")
    confidence = check_confidence(confidence)
    deff = check_positive(deff, "deff")
    if population is not None:
        population = check_positive(population, "population")
    var, worst = per_response_variance(metric, expected)
    z = stats.norm.ppf(0.5 + confidence / 2)
    if method == "wald":
        n0 = z**2 * deff * var / moe**2
        n = n0 if population is None else population * n0 / (population - 1 + n0)
        n = max(1, math.ceil(n - 1e-9))

        def meets(k):
            return margin_of_error(metric, k, confidence=confidence, expected=expected, population=population,
                                   deff=deff) <= moe + 1e-12

        while n > 1 and meets(n - 1):
            n -= 1
        while not meets(n):
            n += 1
    else:
        if method in ("bootstrap", "bayes"):
            raise MethodError(f"Method {method!r} is random and cannot be inverted; use 'wald' or a closed-form method.")
        resolve_method(method, metric.levels)
        if deff != 1.0:
            raise ParameterError("`deff` applies to method='wald' only; inflate the Wald answer instead.")
        n = _invert(metric, moe, confidence, expected, population, method)
    if population is not None and n > population:
        raise ParameterError(f"The margin ±{moe} needs {n} responses, more than the population {population:g}.")
    return SampleSize(n, metric=metric.name, moe=moe, confidence=confidence, method=method, expected=expected,
                      worst_case=worst, population=population, deff=deff)


def _half_width(metric, n, confidence, expected, population, method):
    shares, _ = _level_shares(metric, expected)
    counts = np.atleast_2d(shares) * np.asarray(n, dtype=float)[:, None]
    fpc = _fpc(np.asarray(n, dtype=float), population)
    low, high = level_interval(counts, metric.levels, method=method, confidence=confidence, fpc=fpc)
    return (high - low) / 2


def _invert(metric, moe, confidence, expected, population, method) -> int:
    """Smallest n whose expected interval is at most 2 * moe wide (binary search, then a local check)."""
    hi = 1
    upper = population if population is not None else 10**9
    while _half_width(metric, [hi], confidence, expected, population, method)[0] > moe:
        if hi >= upper:
            raise ParameterError(f"No sample size up to {upper:g} reaches ±{moe} with method {method!r}.")
        hi = min(hi * 2, int(upper))
    lo = hi // 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _half_width(metric, [mid], confidence, expected, population, method)[0] > moe:
            lo = mid
        else:
            hi = mid
    return max(hi, 1)


def margin_curve(
    metric: str | Metric,
    ns=None,
    *,
    confidence: float = 0.95,
    expected=None,
    population: float | None = None,
    deff: float = 1.0,
) -> pd.DataFrame:
    """Margin of error against n, with the reduction bought by 100 more responses.

    Returns a DataFrame with ``n``, ``moe`` and ``gain_per_100`` = moe(n) - moe(n + 100).
    """
    if ns is None:
        ns = np.unique(np.round(np.geomspace(10, 5000, 120)).astype(int))
    ns = np.asarray(ns, dtype=float)
    if (ns <= 0).any():
        raise ParameterError("Sample sizes in `ns` must be positive.")
    kwargs = dict(confidence=confidence, expected=expected, population=population, deff=deff)
    moe = margin_of_error(metric, ns, **kwargs)
    gain = moe - margin_of_error(metric, ns + 100, **kwargs)
    return pd.DataFrame({"n": ns.astype(int), "moe": moe, "gain_per_100": gain})


def diminishing_returns_n(metric: str | Metric, threshold: float, *, confidence: float = 0.95, expected=None,
                          population: float | None = None, deff: float = 1.0) -> int:
    """Smallest n from which 100 more responses narrow the margin by less than ``threshold``."""
    threshold = check_positive(threshold, "threshold")
    kwargs = dict(confidence=confidence, expected=expected, population=population, deff=deff)

    def gain(n):
        return margin_of_error(metric, n, **kwargs) - margin_of_error(metric, n + 100, **kwargs)

    lo, hi = 1, 2
    while gain(hi) >= threshold:
        hi *= 2
        if hi > 10**9:
            raise ParameterError(f"The gain never falls below {threshold}.")
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if gain(mid) >= threshold else (lo, mid)
    return hi


# --- Detecting change -------------------------------------------------------------------------

def _z_pair(confidence: float, power: float) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2) + stats.norm.ppf(power))


def _baseline_share(expected) -> float:
    return 0.5 if expected is None else _share(expected, "expected")


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
        Omitted: the worst case.

    Returns
    -------
    float
        In the metric's units (percentage points for shares, NPS points, scale points).

    Notes
    -----
    Shares: statsmodels ``NormalIndPower`` on Cohen's effect size h = 2 asin √p2 - 2 asin √p1,
    solved for h and turned back into p2 - p1 upwards from the baseline p1. NPS and means:
    (z_{1-α/2} + z_{power}) √(var (1/n_a + 1/n_b)) with the per-response variance of the baseline
    (for NPS 100² (p + d - (p - d)²); Rocks 2016).
    """
    from statsmodels.stats.power import NormalIndPower

    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    power = check_confidence(power, "power")
    n_a = check_positive(n_a, "n_a")
    n_b = n_a if n_b is None else check_positive(n_b, "n_b")
    if metric.is_binary:
        p1 = _baseline_share(expected)
        h = NormalIndPower().solve_power(effect_size=None, nobs1=n_a, ratio=n_b / n_a, alpha=1 - confidence,
                                         power=power)
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

    Shares use statsmodels ``NormalIndPower`` with Cohen's h from the baseline share upwards;
    NPS and means use n = (z_{1-α/2} + z_{power})² var (1 + 1/ratio) / difference².

    Examples
    --------
    >>> import workbench as wb
    >>> wb.sample_size_difference("csat", 10, expected=0.5)
    388
    """
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    power = check_confidence(power, "power")
    difference = check_positive(difference, "difference")
    ratio = check_positive(ratio, "ratio")
    if metric.is_binary:
        p1 = _baseline_share(expected)
        p2 = p1 + difference / 100
        if p2 > 1:
            raise ParameterError(f"Baseline {p1:.0%} plus {difference:g} points exceeds 100 %.")
        h = abs(proportion_effectsize(p2, p1))
        n = NormalIndPower().solve_power(effect_size=h, nobs1=None, ratio=ratio, alpha=1 - confidence, power=power)
    else:
        var, _ = per_response_variance(metric, expected)
        n = _z_pair(confidence, power) ** 2 * var * (1 + 1 / ratio) / difference**2
    return int(math.ceil(n - 1e-9))


# --- Reliability of unit comparisons ----------------------------------------------------------

RELIABILITY_THRESHOLDS = (0.7, 0.8)


def reliability(
    data,
    metric: str | Metric,
    *,
    unit: str,
    by: str | list[str] | None = None,
    column: str | None = None,
    thresholds: tuple[float, ...] = RELIABILITY_THRESHOLDS,
) -> pd.DataFrame:
    """Between- and within-unit variance of a metric and the responses per unit for reliable comparison.

    Parameters
    ----------
    data : DataFrame or path
        Responses with a unit column.
    metric : str or Metric
    unit : str
        The unit column (the level at which results are compared and published).
    by : str or list, optional
        Estimate separately per group, typically the service type.
    thresholds : tuple of float
        Target reliabilities; 0.7 and 0.8 by default.

    Returns
    -------
    DataFrame
        ``by`` keys, ``units``, ``n``, ``mean_n`` (responses per unit), ``between_var`` (τ²),
        ``within_var`` (σ²), ``icc`` (τ² / (τ² + σ²), the between-unit share of variance),
        ``reliability_at_mean_n`` and ``n_for_r70``, ``n_for_r80`` (one column per threshold):
        responses per unit for that reliability, ``inf`` when units do not differ at all.

    Notes
    -----
    One-way random-effects ANOVA on the response scores, from counts: MSW = Σ(n_j - 1)s_j² / (N - k),
    MSB = Σ n_j (ȳ_j - ȳ)² / (k - 1), n0 = (N - Σn_j²/N) / (k - 1), τ² = max(0, (MSB - MSW) / n0),
    σ² = MSW (Searle, Casella & McCulloch 1992, ch. 3). The reliability of a unit mean of n responses
    is the Spearman–Brown form R(n) = τ² / (τ² + σ²/n), so n(R) = R / (1 - R) · σ² / τ².

    The thresholds follow public reporting practice: 0.7 is the conventional minimum for comparing
    groups (Nunnally 1978) and CMS sizes HCAHPS at 300 completed surveys per hospital per year so
    that hospital-level reliability reaches 0.8 or more for most measures (CMS, HCAHPS Quality
    Assurance Guidelines). Checked against a simulation with known τ² and σ² (tests/test_planning.py).
    """
    from ._validate import as_key_list
    from .counting import count

    metric = get_metric(metric)
    keys = as_key_list(by)
    for t in thresholds:
        check_confidence(t, "thresholds")
    return _reliability_from_counts(count(data, metric, column=column, by=keys + [unit]), metric, keys, thresholds)


def _reliability_from_counts(counts, metric: Metric, keys: list[str], thresholds=RELIABILITY_THRESHOLDS) -> pd.DataFrame:
    """:func:`reliability` from a count table keyed by ``keys`` + the unit (no pass over responses)."""
    lc = counts.level_counts(metric).astype(float)
    levels = metric.levels
    n_j = lc.sum(axis=1)
    keep = n_j > 0
    lc, n_j = lc[keep], n_j[keep]
    frame = counts.keys.loc[keep].reset_index(drop=True)
    frame["_n"] = n_j
    frame["_sum"] = lc @ levels
    frame["_sumsq"] = lc @ levels**2
    frame["_nsq"] = n_j**2
    frame["_units"] = 1
    frame["_nmean2"] = frame["_sum"] ** 2 / frame["_n"]  # n_j ȳ_j², for the between-unit sum of squares
    grouped = frame.groupby(keys, sort=True) if keys else frame.assign(_all=0).groupby("_all")
    agg = grouped[["_n", "_sum", "_sumsq", "_nsq", "_units", "_nmean2"]].sum()
    N, k = agg["_n"], agg["_units"]
    grand = agg["_sum"] / N
    ssw = agg["_sumsq"] - agg["_nmean2"]
    ssb = agg["_nmean2"] - N * grand**2
    with np.errstate(divide="ignore", invalid="ignore"):
        msw = ssw / (N - k)
        msb = ssb / (k - 1)
        n0 = (N - agg["_nsq"] / N) / (k - 1)
        tau2 = np.maximum((msb - msw) / n0, 0.0)
    thin = ((k < 2) | (N - k <= 0)).to_numpy()
    if thin.all():
        raise ParameterError("Reliability needs at least two units and more responses than units; no group has them.")
    if thin.any():
        import warnings

        from .errors import WorkbenchWarning

        warnings.warn(f"Groups {agg.index[thin].tolist()} have fewer than two units (or one response per unit) and are "
                      "left out of the reliability table.", WorkbenchWarning, stacklevel=2)
        agg, N, k, msw, tau2 = agg[~thin], N[~thin], k[~thin], msw[~thin], tau2[~thin]
    result = pd.DataFrame({
        "units": k.astype(int), "n": N.astype(int), "mean_n": N / k, "between_var": tau2, "within_var": msw,
    })
    result["icc"] = result["between_var"] / (result["between_var"] + result["within_var"])
    result["reliability_at_mean_n"] = result["between_var"] / (result["between_var"] + result["within_var"] / result["mean_n"])
    for t in thresholds:
        with np.errstate(divide="ignore"):
            need = np.where(result["between_var"] > 0, t / (1 - t) * result["within_var"] / result["between_var"], np.inf)
        result[f"n_for_r{round(t * 100)}"] = np.ceil(need - 1e-9)
    result = result.reset_index()
    return result.drop(columns=["_all"]) if not keys else result


# --- Measurement plan -------------------------------------------------------------------------

PERIODS = {"month": 1, "quarter": 3, "tertile": 4, "half-year": 6, "year": 12}


def _period_months(values: pd.Series) -> np.ndarray:
    out = np.empty(len(values))
    bad = []
    for i, v in enumerate(values):
        if isinstance(v, str) and v in PERIODS:
            out[i] = PERIODS[v]
        elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and 1 <= v <= 12:
            out[i] = float(v)
        else:
            bad.append(v)
    if bad:
        raise ParameterError(
            f"Column 'period' has values {sorted(set(map(str, bad)))} in {len(bad)} rows; "
            f"use months 1–12 or one of {list(PERIODS)}."
        )
    return out


def measurement_plan(
    touchpoints: pd.DataFrame,
    metric: str | Metric = "nps",
    *,
    confidence: float = 0.95,
    expected=None,
    moe: float | None = None,
    response_rate: float | None = None,
    period: str | int | None = None,
    fatigue_cap: float = 0.5,
    max_months: int = 24,
    rate_by: str = "service",
) -> pd.DataFrame:
    """Responses and invitations each touchpoint needs per reporting period.

    Parameters
    ----------
    touchpoints : DataFrame
        One row per touchpoint with ``customers_per_year`` and, unless given as arguments,
        ``response_rate`` (0–1], ``period`` (months 1–12 or "month", "quarter", "half-year",
        "year") and ``moe`` (target margin in the metric's units). Other columns (area, service)
        are kept.
    metric, confidence, expected
        As in :func:`sample_size` (worst case when ``expected`` is omitted).
    moe, response_rate, period : optional
        Values for every touchpoint; they override a column of the same name. ``response_rate``
        may also be a mapping from the values of column ``rate_by`` (e.g. service) to rates.
    rate_by : str
        The column whose values key a ``response_rate`` mapping.
    fatigue_cap : float
        Largest share of a period's customers that may be invited (survey fatigue), in (0, 1].
    max_months : int
        Longest rolling window considered when one period cannot reach the target.

    Returns
    -------
    DataFrame
        The touchpoints with ``customers_per_period``, ``responses_needed`` (with the finite
        population correction for the period's customers), ``invitations_needed``,
        ``invite_share``, ``months_needed`` (the shortest window, of at least one period, whose
        accumulated responses reach the target within the cap; NaN if none up to ``max_months``)
        and ``status``: ``"ok"``, ``"rolling window"`` or ``"infeasible"``.
    """
    confidence = check_confidence(confidence)
    fatigue_cap = _check_rate(fatigue_cap, "fatigue_cap")
    max_months = check_positive(max_months, "max_months", integer=True)
    metric = get_metric(metric)
    from collections.abc import Mapping

    from ._validate import _show, check_columns

    table = touchpoints.copy()
    if isinstance(response_rate, Mapping):
        check_columns(table, [rate_by], role="rate column")
        missing = sorted(set(table[rate_by]) - set(response_rate), key=str)
        if missing:
            raise ParameterError(f"`response_rate` has no rate for {rate_by} {_show(missing)} ({len(missing)} values).")
        table["response_rate"] = table[rate_by].map(response_rate).astype(float)
        response_rate = None
    for name, value in (("moe", moe), ("response_rate", response_rate), ("period", period)):
        if value is not None:
            table[name] = value
    needed = ["customers_per_year", "response_rate", "period", "moe"]

    check_columns(table, needed, role="touchpoint column")
    volume = pd.to_numeric(table["customers_per_year"], errors="coerce").to_numpy(float)
    rate = pd.to_numeric(table["response_rate"], errors="coerce").to_numpy(float)
    target = pd.to_numeric(table["moe"], errors="coerce").to_numpy(float)
    _check_column(volume, volume >= 0, "customers_per_year", "non-negative numbers")
    _check_column(rate, (rate > 0) & (rate <= 1), "response_rate", "in (0, 1]")
    _check_column(target, target > 0, "moe", "positive numbers")
    months = _period_months(table["period"])
    var, worst = per_response_variance(metric, expected)
    z = stats.norm.ppf(0.5 + confidence / 2)

    def responses_for(population):
        n0 = z**2 * var / target**2
        with np.errstate(invalid="ignore", divide="ignore"):
            n = np.where(population > 1, population * n0 / (population - 1 + n0), n0)
        return np.ceil(n - 1e-9)

    customers = volume * months / 12
    responses = responses_for(customers)
    invitations = np.ceil(responses / rate - 1e-9)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(customers > 0, invitations / customers, np.inf)
    feasible = share <= fatigue_cap
    # Rolling windows of 1..max_months months, at least one period long, vectorised over touchpoints.
    windows = np.arange(1, max_months + 1, dtype=float)[None, :]
    usable = windows >= months[:, None]
    pop_w = volume[:, None] * windows / 12
    n0 = z**2 * var / target[:, None] ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        n_w = np.ceil(np.where(pop_w > 1, pop_w * n0 / (pop_w - 1 + n0), n0) - 1e-9)
        ok_w = usable & (np.ceil(n_w / rate[:, None] - 1e-9) <= fatigue_cap * pop_w)
    first = np.where(ok_w.any(axis=1), windows[0, np.argmax(ok_w, axis=1)], np.nan)
    table["customers_per_period"] = customers
    table["responses_needed"] = responses.astype(int)
    table["invitations_needed"] = invitations.astype(int)
    table["invite_share"] = share
    table["months_needed"] = np.where(feasible, months, first)
    table["status"] = np.where(feasible, "ok", np.where(np.isnan(first), "infeasible", "rolling window"))
    table["worst_case"] = worst
    return table


def _check_rate(value, name: str) -> float:
    from ._validate import check_in_range

    return check_in_range(value, name, 0.0, 1.0, low_open=True, high_open=False)


def _check_column(values: np.ndarray, ok: np.ndarray, column: str, rule: str) -> None:
    bad = ~(ok & np.isfinite(values))
    if bad.any():
        shown = sorted(set(values[bad].tolist()), key=str)[:6]
        raise ParameterError(f"Column {column!r} must hold {rule}; got {shown} in {int(bad.sum())} of {len(values)} rows.")
