"""Measurement plans: responses and invitations each touchpoint needs per reporting period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import as_key_list, check_columns, check_confidence, check_in_range, check_positive, show_values
from ..errors import ParameterError
from ..stats.scales import Metric, get_metric
from .margins import per_response_variance

__all__ = ["measurement_plan", "summarise_plan", "PERIODS", "STATUSES"]


PERIODS = {"month": 1, "quarter": 3, "tertile": 4, "half-year": 6, "year": 12}
STATUSES = ("ok", "rolling window", "infeasible")


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

    Raises
    ------
    ParameterError
        Missing touchpoint columns, rates outside (0, 1], non-positive margins or volumes, unknown
        periods, a rate mapping without a rate for some value.

    Notes
    -----
    Per touchpoint and period: responses n = N n0 / (N - 1 + n0), n0 = z² var / moe² (Cochran 1977,
    eq. 4.2–4.3, with the finite population of the period's customers N), invitations n / rate,
    ``invite_share`` invitations / N. Windows of 1..``max_months`` months (at least one period) are
    searched vectorised for the shortest whose accumulated customers allow the target within the
    fatigue cap. Checked against :func:`sample_size` in ``tests/planning/test_plan.py``.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, ch. 4.
    """
    confidence = check_confidence(confidence)
    fatigue_cap = _check_rate(fatigue_cap, "fatigue_cap")
    max_months = check_positive(max_months, "max_months", integer=True)
    metric = get_metric(metric)
    table = touchpoints.copy()
    if isinstance(response_rate, Mapping):
        check_columns(table, [rate_by], role="rate column")
        missing = sorted(set(table[rate_by]) - set(response_rate), key=str)
        if missing:
            raise ParameterError(f"`response_rate` has no rate for {rate_by} {show_values(missing)} ({len(missing)} values).")
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


def summarise_plan(plan: pd.DataFrame, *, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """How many touchpoints of a measurement plan reach the target in one period, need a window, or cannot.

    Parameters
    ----------
    plan : DataFrame
        :func:`measurement_plan` output.
    by : str or list, optional
        Group columns (e.g. service); None: one row for the whole plan.

    Returns
    -------
    DataFrame
        The ``by`` keys, ``touchpoints``, ``n_feasible`` (status ``"ok"``), ``n_rolling_window``,
        ``n_infeasible`` and ``longest_window`` (the longest rolling window needed, in months; missing
        when no touchpoint of the group needs one), in the groups' sorted order.

    Raises
    ------
    DataError
        The plan lacks ``status`` or ``months_needed``, or a ``by`` column.

    Notes
    -----
    Counts only: every touchpoint of the plan is counted once, in its group. The shortfalls a report
    passes to its overview come from this table.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, ch. 4 (the sample sizes behind the plan).
    """
    keys = as_key_list(by)
    check_columns(plan, keys + ["status", "months_needed"], role="plan column")
    status = plan["status"].astype(str)
    window = plan["months_needed"].where(status == "rolling window")
    counts = pd.DataFrame({**{k: plan[k] for k in keys}, "touchpoints": 1, "n_feasible": (status == "ok").astype(int),
                           "n_rolling_window": (status == "rolling window").astype(int),
                           "n_infeasible": (status == "infeasible").astype(int), "longest_window": window})
    groups = counts.groupby(keys, sort=True) if keys else counts.groupby(np.zeros(len(counts), dtype=int))
    return groups.agg(touchpoints=("touchpoints", "sum"), n_feasible=("n_feasible", "sum"),
                      n_rolling_window=("n_rolling_window", "sum"), n_infeasible=("n_infeasible", "sum"),
                      longest_window=("longest_window", "max")).reset_index(drop=not keys)


def _check_rate(value, name: str) -> float:
    return check_in_range(value, name, 0.0, 1.0, low_open=True, high_open=False)


def _check_column(values: np.ndarray, ok: np.ndarray, column: str, rule: str) -> None:
    bad = ~(ok & np.isfinite(values))
    if bad.any():
        shown = sorted(set(values[bad].tolist()), key=str)[:6]
        raise ParameterError(f"Column {column!r} must hold {rule}; got {shown} in {int(bad.sum())} of {len(values)} rows.")
