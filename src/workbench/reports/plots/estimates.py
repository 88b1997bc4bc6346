"""Figures of estimates: results per group, margins of error against n, interval coverage."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ...stats.scales import get_metric
from .common import visible_rows

__all__ = ["plot_estimates", "plot_margin_curve", "plot_coverage"]


def plot_estimates(
    results: pd.DataFrame,
    *,
    label: str | Sequence[str],
    metric: str | None = None,
    title: str = "",
    reference: float | None = None,
    max_rows: int = 60,
):
    """Point estimates with confidence intervals, one row per group, sorted by estimate.

    Parameters
    ----------
    results : DataFrame
        :func:`workbench.estimate` output (optionally suppressed).
    label : str or list of str
        Columns naming each group.
    metric : str, optional
    title : str
    reference : float, optional
        A dashed reference line.
    max_rows : int
        Largest number of groups drawn (the highest estimates).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        The table lacks a column the figure needs.

    Notes
    -----
    Suppressed groups (``suppressed`` column from :func:`workbench.suppress`) are not drawn.
    """
    labels = [label] if isinstance(label, str) else list(label)
    check_columns(results, labels + ["estimate", "ci_low", "ci_high"])
    shown = visible_rows(results).sort_values("estimate").tail(max_rows)
    names = shown[labels].astype(str).agg(" · ".join, axis=1)
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(shown) + 1.4))
    y = np.arange(len(shown))
    ax.errorbar(shown["estimate"], y, xerr=[shown["estimate"] - shown["ci_low"], shown["ci_high"] - shown["estimate"]],
                fmt="o", ms=4, capsize=2, color="#1f4e79", ecolor="#7a9cc6")
    if reference is not None:
        ax.axvline(reference, color="grey", lw=1, ls="--")
    ax.set_yticks(y, names, fontsize=8)
    unit = get_metric(metric).unit if metric else ""
    conf = shown["confidence"].iloc[0] if "confidence" in shown and len(shown) else 0.95
    ax.set_xlabel(f"{get_metric(metric).label if metric else 'estimate'} ({unit}), with {conf:.0%} interval")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_margin_curve(curve: pd.DataFrame, *, title: str = "", threshold_n: float | None = None):
    """Margin of error against n (left axis) and the gain per 100 extra responses (right axis).

    Parameters
    ----------
    curve : DataFrame
        :func:`workbench.margin_curve` output.
    title : str
    threshold_n : float, optional
        Marks where more data stops paying off.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        The table lacks a column the figure needs.

    Notes
    -----
    Two axes: the margin and its gain per 100 more responses.
    """
    check_columns(curve, ["n", "moe", "gain_per_100"])
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(curve["n"], curve["moe"], color="#1f4e79", label="margin of error")
    ax.set_xlabel("responses (n)")
    ax.set_ylabel("margin of error (± metric units)")
    ax2 = ax.twinx()
    ax2.plot(curve["n"], curve["gain_per_100"], color="#c55a11", ls="--", label="gain per 100 more responses")
    ax2.set_ylabel("reduction of the margin per 100 more responses")
    if threshold_n is not None:
        ax.axvline(threshold_n, color="grey", lw=1, ls=":")
        ax.annotate(f"gain below threshold from n = {threshold_n:.0f}", (threshold_n, ax.get_ylim()[1] * 0.9),
                    fontsize=8, ha="left")
    lines = ax.get_lines()[:1] + ax2.get_lines()[:1]
    ax.legend(lines, [ln.get_label() for ln in lines], loc="upper right")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_coverage(summary: pd.DataFrame, *, confidence: float = 0.95, floor: float = 0.92, title: str = ""):
    """Mean (line) and minimum (dotted) coverage per method against n, with the nominal level.

    Parameters
    ----------
    summary : DataFrame
        :func:`workbench.summarise_coverage` output.
    confidence : float
        The nominal level.
    floor : float
        The minimum coverage required.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        The table lacks a column the figure needs.

    Notes
    -----
    A grey band marks nominal ± 1 point.
    """
    check_columns(summary, ["method", "n", "mean", "min"])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for method, part in summary.groupby("method", sort=True):
        line, = ax.plot(part["n"], part["mean"], label=f"{method}: mean")
        ax.plot(part["n"], part["min"], ls=":", color=line.get_color(), label=f"{method}: minimum")
    ax.axhline(confidence, color="black", lw=1)
    ax.axhspan(confidence - 0.01, confidence + 0.01, color="grey", alpha=0.15, label="nominal ± 1 point")
    ax.axhline(floor, color="red", lw=0.8, ls="--", label=f"floor {floor:.0%}")
    ax.set_xlabel("sample size n")
    ax.set_ylabel("coverage probability (exact)")
    ax.set_ylim(max(0.70, summary["min"].min() - 0.02), 1.0)
    ax.legend(fontsize=7, ncol=2, loc="lower right")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
