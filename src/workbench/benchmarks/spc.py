"""Statistical process control: p-charts and Laney p'-charts of one unit's results over time."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from .._validate import check_choice, check_positive
from ..errors import DataError, ParameterError
from ..stats.scales import Metric, get_metric
from ..stats.estimation import estimate

__all__ = ["control_chart", "CHARTS"]


CHARTS = ("p", "laney")


def control_chart(
    data: pd.DataFrame | str | os.PathLike,
    metric: str | Metric,
    *,
    time: str,
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

    Parameters
    ----------
    data : DataFrame or path
        One unit's responses.
    metric : str or Metric
    time : str
        The period column (e.g. the month); periods are charted in sorted order.
    column : str, optional
        The answer column; the metric's own by default.
    chart : str
        ``"p"`` or ``"laney"``.
    sigma : float
        Limits at ± this many standard deviations (3 by Shewhart's convention).

    Returns
    -------
    DataFrame
        One row per period: ``time``, ``n``, ``estimate``, ``center``, ``limit_low``, ``limit_high``,
        ``signal`` (comma-separated rules, empty when none) and ``chart``.

    Raises
    ------
    DataError
        Fewer than three periods; missing columns.
    ParameterError
        An unknown chart, a non-positive sigma.

    Notes
    -----
    Centre line: the pooled result Σ n_i y_i / Σ n_i. Checked against qcc 2.7 (``qcc(type="p")``) and
    qicharts2 0.8.1 (``qic(chart="p"/"pp")``) on ``orangejuice`` and ``cabg``
    (``tests/reference/control_charts.csv``).

    References
    ----------
    Montgomery, D. C. Introduction to Statistical Quality Control. Laney, D. B. (2002). Improved
    control charts for attributes. Quality Engineering 14(4). Western Electric (1956) rules.
    """
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
    out["limit_low"] = np.clip(center - sigma * sd, lo, hi)
    out["limit_high"] = np.clip(center + sigma * sd, lo, hi)
    out["signal"] = _signals(y, center, out["limit_low"].to_numpy(), out["limit_high"].to_numpy())
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
