"""Figures of benchmarks: funnel plots, control charts, shrunk league tables."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ...stats.scales import get_metric
from .common import visible_rows
from ...benchmarks.funnel import funnel_limits

__all__ = ["plot_funnel", "plot_control_chart", "plot_shrinkage"]


def plot_funnel(result: pd.DataFrame, *, metric: str | None = None, confidence=(0.95, 0.998), title: str = "",
                label: str | None = None):
    """Funnel plot: unit results against n with limits at two levels around the benchmark."""
    check_columns(result, ["n", "estimate", "benchmark", "sigma2", "tau2", "phi", "overdispersion", "flag"])
    shown = visible_rows(result)
    first = result.iloc[0]
    grid = np.geomspace(max(2, shown["n"].min() * 0.8), shown["n"].max() * 1.2, 200)
    phi = max(first["phi"], 1.0) if first["overdispersion"] == "multiplicative" else 1.0
    tau2 = first["tau2"] if first["overdispersion"] == "additive" else 0.0
    bounds = get_metric(metric).bounds if metric else None
    fig, ax = plt.subplots(figsize=(8, 5))
    for level, style in zip(confidence, ("--", "-")):
        low, high = funnel_limits(grid, first["benchmark"], first["sigma2"], confidence=level, tau2=tau2, phi=phi,
                                  skew=first.get("skewness", 0.0), bounds=bounds)
        ax.plot(grid, low, color="grey", ls=style, lw=1, label=f"{level:.1%} limits")
        ax.plot(grid, high, color="grey", ls=style, lw=1)
    colours = shown["flag"].map({"above": "#3a7d44", "below": "#b3261e", "within": "#1f4e79"})
    ax.scatter(shown["n"], shown["estimate"], c=colours, s=18, zorder=3)
    if label:
        for row in shown[shown["flag"] != "within"].itertuples():
            ax.annotate(str(getattr(row, label)), (row.n, row.estimate), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.axhline(first["benchmark"], color="black", lw=1, label=f"benchmark {first['benchmark']:.1f}")
    ax.set_xscale("log")
    ax.set_xlabel("responses per unit (n, log scale)")
    unit = get_metric(metric).unit if metric else ""
    ax.set_ylabel(f"unit result ({unit})")
    ax.set_title(title or f"Funnel plot (overdispersion: {first['overdispersion']})")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_control_chart(chart: pd.DataFrame, *, time: str = "month", metric: str | None = None, title: str = ""):
    """Control chart with centre line, limits and signalled points."""
    check_columns(chart, [time, "estimate", "center", "limit_low", "limit_high", "signal"])
    x = np.arange(len(chart))
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(x, chart["estimate"], marker="o", color="#1f4e79", ms=4)
    ax.step(x, chart["limit_high"], where="mid", color="grey", lw=1, label="control limits")
    ax.step(x, chart["limit_low"], where="mid", color="grey", lw=1)
    ax.axhline(chart["center"].iloc[0], color="black", lw=1, label="centre")
    hit = chart["signal"].astype(bool).to_numpy()
    ax.scatter(x[hit], chart["estimate"][hit], color="#b3261e", zorder=3, label="signal")
    ax.set_xticks(x, chart[time].astype(str), rotation=90, fontsize=7)
    unit = get_metric(metric).unit if metric else ""
    ax.set_ylabel(f"result ({unit})")
    ax.set_title(title or f"{chart['chart'].iloc[0]} chart")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_shrinkage(shrunk: pd.DataFrame, *, label: str, title: str = "", max_rows: int = 40):
    """Raw estimates (open) and empirical-Bayes estimates with intervals (filled), by shrunk rank."""
    check_columns(shrunk, [label, "raw", "estimate", "ci_low", "ci_high", "n"])
    shown = visible_rows(shrunk).sort_values("estimate").tail(max_rows)
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(shown) + 1.5))
    ax.errorbar(shown["estimate"], y, xerr=[shown["estimate"] - shown["ci_low"], shown["ci_high"] - shown["estimate"]],
                fmt="o", ms=4, capsize=2, color="#1f4e79", label="shrunk (empirical Bayes)")
    ax.scatter(shown["raw"], y, facecolors="none", edgecolors="#c55a11", s=22, label="raw")
    ax.set_yticks(y, [f"{a} (n={int(b)})" for a, b in zip(shown[label], shown["n"])], fontsize=7)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
