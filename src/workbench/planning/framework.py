"""Metric frameworks: which metric at which touchpoint, and the evidence for the choice.

A framework file (TOML) lists the touchpoints of a service catalogue::

    [framework]
    name = "Customer feedback framework"
    period = "quarter"          # defaults for the touchpoints below
    target_moe = 10
    min_n = 30

    [[touchpoint]]
    service = "phone service"
    metrics = ["nps", "ces", "fcr"]
    scales = { nps = "0-10", ces = "1-7", fcr = "yes/no" }   # optional; checked against the metrics
    period = "month"
    target_moe = 10
    min_n = 30
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .._validate import check_columns, check_in_range, show_values
from ..data.counting import count
from ..errors import FrameworkError
from ..stats.estimation import estimate
from ..stats.scales import METRICS, get_metric
from .plan import PERIODS
from .reliability import reliability_from_counts
from .sample_size import sample_size

__all__ = ["FrameworkError", "SCALE_CODES", "BINARY_CEILING_LIMIT", "binary_ceiling_limit", "load_framework", "metric_profile",
           "recommend_metrics"]

SCALE_CODES = {"nps": "0-10", "csat": "1-5", "csat_mean": "1-5", "ces": "1-7", "ces_mean": "1-7", "fcr": "yes/no",
               "agreement": "1-5+dk", "agreement_mean": "1-5+dk"}
# A yes/no metric's top point is the answer itself: its ceiling is judged against at least this share.
BINARY_CEILING_LIMIT = 0.9
_TOUCHPOINT_KEYS = {"service", "metrics", "scales", "period", "target_moe", "min_n", "label"}
_DEFAULT_KEYS = {"name", "period", "target_moe", "min_n", "confidence"}


def binary_ceiling_limit(ceiling_limit: float) -> float:
    """The ceiling limit for yes/no metrics: the scale's limit, but never below :data:`BINARY_CEILING_LIMIT`.

    Parameters
    ----------
    ceiling_limit : float
        The limit for metrics with more than two points.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        A limit that is not a number.

    Notes
    -----
    A two-point metric has its "top" at one of two answers, so a share at the top that would be a
    ceiling on a 0–10 scale is ordinary there; :func:`recommend_metrics` and report 00 both use this.

    References
    ----------
    Terwee, C. B. et al. (2007). Quality criteria for measurement properties of health status
    questionnaires. Journal of Clinical Epidemiology 60(1), 34–42 (floor and ceiling effects).
    """
    return max(float(ceiling_limit), BINARY_CEILING_LIMIT)


def load_framework(path: str | os.PathLike) -> pd.DataFrame:
    """Read and validate a framework file; one row per touchpoint and metric.

    Parameters
    ----------
    path : str or PathLike
        The framework TOML file (format in the module docstring).

    Returns
    -------
    DataFrame
        ``service``, ``metric``, ``scale``, ``period``, ``period_months``, ``target_moe``, ``min_n`` and
        ``confidence``.

    Raises
    ------
    FrameworkError
        Naming the touchpoint (number and service) and the key: unknown keys, missing services
        or metrics, unknown metrics, scales that do not match the metric, bad periods,
        non-positive margins or minimum n, duplicated touchpoints; a missing file or invalid TOML.

    Notes
    -----
    Touchpoint values override the ``[framework]`` defaults. Each error case has a test in
    ``tests/planning/test_framework.py``.

    References
    ----------
    THL's harmonised customer-feedback questions (DESIGN.md, "The questionnaire shape we model").
    """
    path = Path(path)
    if not path.exists():
        raise FrameworkError(f"Framework file {str(path)!r} does not exist.")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(f"Framework file {str(path)!r} is not valid TOML: {exc}.") from None
    unknown_top = set(doc) - {"framework", "touchpoint"}
    if unknown_top:
        raise FrameworkError(f"Unknown sections {sorted(unknown_top)}; expected [framework] and [[touchpoint]].")
    defaults = doc.get("framework", {})
    unknown = set(defaults) - _DEFAULT_KEYS
    if unknown:
        raise FrameworkError(f"[framework] has unknown keys {sorted(unknown)}; valid: {sorted(_DEFAULT_KEYS)}.")
    touchpoints = doc.get("touchpoint", [])
    if not touchpoints:
        raise FrameworkError("The framework lists no [[touchpoint]].")
    rows, seen = [], set()
    for i, tp in enumerate(touchpoints, 1):
        where = f"Touchpoint {i} ({tp.get('service', '?')!r})"
        unknown = set(tp) - _TOUCHPOINT_KEYS
        if unknown:
            raise FrameworkError(f"{where} has unknown keys {sorted(unknown)}; valid: {sorted(_TOUCHPOINT_KEYS)}.")
        if not isinstance(tp.get("service"), str) or not tp["service"].strip():
            raise FrameworkError(f"{where} needs a `service` name.")
        metrics = tp.get("metrics")
        if not isinstance(metrics, list) or not metrics:
            raise FrameworkError(f"{where} needs `metrics`, a non-empty list such as [\"nps\"].")
        bad = [m for m in metrics if m not in METRICS]
        if bad:
            raise FrameworkError(f"{where} has unknown metrics {show_values(bad)}; valid: {', '.join(METRICS)}.")
        scales = tp.get("scales", {})
        for metric, scale in scales.items():
            if metric not in metrics:
                raise FrameworkError(f"{where} gives a scale for {metric!r}, which is not among its metrics.")
            if scale != SCALE_CODES[metric]:
                raise FrameworkError(f"{where}: metric {metric!r} is on scale {SCALE_CODES[metric]!r}, not {scale!r}.")
        period = tp.get("period", defaults.get("period"))
        if period not in PERIODS:
            raise FrameworkError(f"{where} has period {period!r}; valid: {', '.join(PERIODS)}.")
        moe = tp.get("target_moe", defaults.get("target_moe"))
        if isinstance(moe, bool) or not isinstance(moe, (int, float)) or moe <= 0:
            raise FrameworkError(f"{where} has target_moe {moe!r}; it must be a positive number.")
        min_n = tp.get("min_n", defaults.get("min_n"))
        if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
            raise FrameworkError(f"{where} has min_n {min_n!r}; it must be a positive whole number.")
        confidence = defaults.get("confidence", 0.95)
        if not isinstance(confidence, float) or not 0 < confidence < 1:
            raise FrameworkError(f"[framework] confidence must be between 0 and 1; got {confidence!r}.")
        for metric in metrics:
            key = (tp["service"], metric)
            if key in seen:
                raise FrameworkError(f"{where} repeats metric {metric!r} for service {tp['service']!r}.")
            seen.add(key)
            rows.append((tp["service"], metric, SCALE_CODES[metric], period, PERIODS[period], float(moe), min_n,
                         confidence))
    return pd.DataFrame(rows, columns=["service", "metric", "scale", "period", "period_months", "target_moe", "min_n",
                                       "confidence"])


def metric_profile(
    data: pd.DataFrame,
    metrics: Sequence[str] = ("nps", "csat", "ces", "fcr"),
    *,
    by: str,
    unit: str,
    moe: float = 5.0,
    confidence: float = 0.95,
    reliability_target: float = 0.7,
) -> pd.DataFrame:
    """How each metric behaves per service type: level, ceiling, separation of units, data needs.

    Parameters
    ----------
    data : DataFrame
        Responses with the metrics' answer columns.
    metrics : sequence of str
        The metrics to profile; those without an answer column (or with only empty answers) are
        skipped.
    by : str
        The service-type column (one profile per value).
    unit : str
        The unit column (for the between-unit share of variance).
    moe : float
        Target margin of error for ``n_for_moe``.
    confidence : float
    reliability_target : float
        Unit-comparison reliability for ``n_for_reliability`` (0.7 by default, Nunnally 1978).

    Returns
    -------
    DataFrame
        One row per service type and metric (where the metric was asked): ``n``, ``estimate``,
        ``ceiling`` (share of answers at the top point), ``icc`` (between-unit share of variance),
        ``n_for_moe`` (responses for ±``moe`` at the observed result), ``n_for_reliability``
        (responses per unit for the target reliability) and ``reliability_target``.

    Raises
    ------
    FrameworkError
        None of the metrics has an answer column.
    DataError
        Missing ``by`` or ``unit`` columns.

    Notes
    -----
    One count pass per metric; everything else is derived from the unit-level count table:
    the estimate by :func:`workbench.estimate`, the variance components by
    :func:`workbench.planning.reliability_from_counts` (one-way ANOVA), the sample sizes by
    :func:`workbench.sample_size` at the observed distribution.

    References
    ----------
    Nunnally, J. C. (1978). Psychometric Theory. CMS HCAHPS Quality Assurance Guidelines.
    """
    check_columns(data, [by, unit], role="group column")
    reliability_target = check_in_range(reliability_target, "reliability_target", 0.0, 1.0, high_open=True)
    parts = []
    for name in metrics:
        metric = get_metric(name)
        if metric.column not in data.columns or data[metric.column].isna().all():
            continue
        unit_counts = count(data, metric, by=[by, unit])
        counts = unit_counts.aggregate(by)
        est = estimate(counts, metric, method="wald", confidence=confidence)
        rel = reliability_from_counts(unit_counts, metric, [by], thresholds=(reliability_target,)).set_index(by)
        top = counts.counts[:, -1] / np.maximum(counts.n, 1)
        shares = counts.level_counts(metric) / np.maximum(counts.n, 1)[:, None]
        part = pd.DataFrame({by: counts.keys[by], "metric": name, "n": counts.n, "ceiling": top})
        part = part[counts.n > 0].reset_index(drop=True)
        part["estimate"] = est["estimate"].to_numpy()
        part["icc"] = rel["icc"].reindex(part[by]).to_numpy()
        part["n_for_reliability"] = rel["n_needed"].reindex(part[by]).to_numpy()
        part["reliability_target"] = reliability_target
        part["n_for_moe"] = [sample_size(metric, moe, confidence=confidence, expected=_expected(p, metric)).n
                             for p in shares[counts.n > 0]]
        parts.append(part[[by, "metric", "n", "estimate", "ceiling", "icc", "n_for_moe", "n_for_reliability",
                           "reliability_target"]])
    if not parts:
        raise FrameworkError(f"None of the metrics {list(metrics)} has a column in the data.")
    return pd.concat(parts, ignore_index=True).sort_values([by, "metric"]).reset_index(drop=True)


def _expected(shares: np.ndarray, metric):
    """Observed level shares in the form `sample_size` takes as `expected`."""
    if metric.is_binary:
        return float(shares[1])
    if metric.is_trinomial:
        return float(shares[2]), float(shares[0])
    levels = metric.levels
    mean = shares @ levels
    return float(np.sqrt(max(shares @ levels**2 - mean**2, 1e-12)))


def recommend_metrics(profile: pd.DataFrame, *, by: str, ceiling_limit: float = 0.6) -> pd.DataFrame:
    """Per service type, the metric that best separates units for the least data.

    Parameters
    ----------
    profile : DataFrame
        A :func:`metric_profile` table.
    by : str
        Its service-type column.
    ceiling_limit : float
        Largest acceptable share of answers at the top point (90 % for yes/no metrics).

    Returns
    -------
    DataFrame
        ``by``, ``recommended``, ``runner_up``, ``set_aside`` (the metrics set aside for their ceiling,
        comma-separated; empty when none) and ``reason`` (an English sentence with the figures; reports
        word their own from the profile in the reader's language).

    Raises
    ------
    DataError
        The profile lacks its columns.

    Notes
    -----
    Rule: among the metrics asked at the touchpoint, prefer those whose ceiling (share at the top
    point) is at most ``ceiling_limit`` — a metric where most answers sit at the top cannot show
    improvement; for yes/no metrics the top point is the answer itself, so the limit there is 90 % —
    and among them the one needing the fewest responses per unit for the target reliability (it
    separates units best relative to its noise; reliability is scale-free, so metrics compare).

    References
    ----------
    Spearman–Brown reliability of unit means; CMS HCAHPS Quality Assurance Guidelines.
    """
    check_columns(profile, [by, "metric", "ceiling", "icc", "n_for_moe", "n_for_reliability",
                            "reliability_target"], role="profile column")
    two_point = profile["metric"].map(lambda m: get_metric(m).scale.size == 2)
    limit = np.where(two_point, binary_ceiling_limit(ceiling_limit), ceiling_limit)
    profile = profile.assign(_ok=profile["ceiling"].to_numpy() <= limit)
    rows = []
    for service, part in profile.groupby(by, sort=True):
        usable = part[part["_ok"]]
        pool = usable if not usable.empty else part
        ranked = pool.sort_values(["n_for_reliability", "n_for_moe"])
        best = ranked.iloc[0]
        runner = ranked.iloc[1]["metric"] if len(ranked) > 1 else ""
        capped = sorted(set(part["metric"]) - set(usable["metric"]))
        reason = (f"{best['metric']} needs {best['n_for_reliability']:.0f} responses per unit for reliability "
                  f"{best['reliability_target']:g} (between-unit share {best['icc']:.1%}), ceiling {best['ceiling']:.0%}")
        if capped:
            reason += f"; {', '.join(capped)} set aside for ceiling effects above {ceiling_limit:.0%}"
        rows.append((service, best["metric"], runner, ", ".join(capped), reason + "."))
    return pd.DataFrame(rows, columns=[by, "recommended", "runner_up", "set_aside", "reason"])
