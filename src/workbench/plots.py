"""Figures: one function per figure, each returning a matplotlib Figure with uncertainty drawn."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ._validate import check_columns
from .scales import get_metric

__all__ = ["plot_estimates", "plot_margin_curve", "plot_coverage", "plot_measurement_plan", "plot_reliability",
           "plot_sensitivity", "plot_contributions", "plot_funnel", "plot_control_chart", "plot_shrinkage",
           "plot_distribution"]


def _visible(results: pd.DataFrame) -> pd.DataFrame:
    if "suppressed" in results:
        return results[~results["suppressed"].astype(bool)]
    return results


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

    Suppressed groups (``suppressed`` column from :func:`workbench.privacy.suppress`) are not drawn.
    """
    labels = [label] if isinstance(label, str) else list(label)
    check_columns(results, labels + ["estimate", "ci_low", "ci_high"])
    shown = _visible(results).sort_values("estimate").tail(max_rows)
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
    """Margin of error against n (left axis) and the gain per 100 extra responses (right axis)."""
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
    """Mean (line) and minimum (dotted) coverage per method against n, with the nominal level."""
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


_STATUS_COLOURS = {"ok": "#3a7d44", "rolling window": "#e0a100", "infeasible": "#b3261e"}


def plot_measurement_plan(plan: pd.DataFrame, *, label: str | Sequence[str], fatigue_cap: float, title: str = "",
                          max_rows: int = 60):
    """Share of each touchpoint's customers to invite per period, coloured by feasibility."""
    labels = [label] if isinstance(label, str) else list(label)
    check_columns(plan, labels + ["invite_share", "status"])
    shown = plan.sort_values("invite_share").tail(max_rows)
    names = shown[labels].astype(str).agg(" · ".join, axis=1)
    fig, ax = plt.subplots(figsize=(8, 0.26 * len(shown) + 1.6))
    y = np.arange(len(shown))
    values = np.minimum(shown["invite_share"].to_numpy(float), 3.0)
    ax.barh(y, values, color=[_STATUS_COLOURS.get(s, "grey") for s in shown["status"]])
    ax.axvline(fatigue_cap, color="black", ls="--", lw=1, label=f"fatigue cap {fatigue_cap:.0%}")
    ax.axvline(1.0, color="grey", ls=":", lw=1, label="every customer invited")
    ax.set_yticks(y, names, fontsize=7)
    ax.set_xlabel("invitations needed per period / customers per period (bars cut at 300 %)")
    for status, colour in _STATUS_COLOURS.items():
        ax.barh([np.nan], [np.nan], color=colour, label=status)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_reliability(rel: pd.DataFrame, *, label: str, thresholds=(0.7, 0.8), max_n: int = 400, title: str = ""):
    """Reliability of unit results against responses per unit (Spearman–Brown), one line per group."""
    check_columns(rel, [label, "between_var", "within_var"])
    n = np.arange(1, max_n + 1)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for row in rel.itertuples():
        tau2, sigma2 = row.between_var, row.within_var
        ax.plot(n, tau2 / (tau2 + sigma2 / n), label=str(getattr(row, label)))
    for t in thresholds:
        ax.axhline(t, color="grey", ls="--", lw=0.8)
        ax.annotate(f"R = {t}", (max_n, t), fontsize=8, ha="right", va="bottom")
    ax.set_xlabel("responses per unit")
    ax.set_ylabel("reliability of the unit result")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7, ncol=2, loc="lower right")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_sensitivity(table: pd.DataFrame, *, metric: str | None = None, title: str = ""):
    """The overall score under each weighting scheme with its interval."""
    check_columns(table, ["scheme", "estimate", "ci_low", "ci_high"])
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(table) + 1.4))
    y = np.arange(len(table))
    ax.errorbar(table["estimate"], y, xerr=[table["estimate"] - table["ci_low"], table["ci_high"] - table["estimate"]],
                fmt="o", capsize=3, color="#1f4e79")
    labels = table["scheme"].astype(str)
    if "deff" in table:
        labels = labels + table["deff"].map(lambda d: f"  (deff {d:.2f})")
    ax.set_yticks(y, labels)
    unit = get_metric(metric).unit if metric else ""
    ax.set_xlabel(f"overall score ({unit}) with {table['confidence'].iloc[0]:.0%} interval" if "confidence" in table
                  else "overall score")
    ax.invert_yaxis()
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_contributions(parts: pd.DataFrame, *, label: str, title: str = ""):
    """Each unit's weight share (bars) beside its own estimate with interval (points)."""
    check_columns(parts, [label, "weight", "estimate", "ci_low", "ci_high"])
    shown = parts.sort_values("weight")
    y = np.arange(len(shown))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 0.3 * len(shown) + 1.6), sharey=True)
    left.barh(y, shown["weight"], color=np.where(shown.get("dominant", False), "#b3261e", "#7a9cc6"))
    left.set_xlabel("share of the total weight")
    left.set_yticks(y, shown[label].astype(str), fontsize=7)
    right.errorbar(shown["estimate"], y, xerr=[shown["estimate"] - shown["ci_low"], shown["ci_high"] - shown["estimate"]],
                   fmt="o", ms=4, capsize=2, color="#1f4e79")
    right.set_xlabel("unit estimate with interval")
    right.grid(axis="x", alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_funnel(result: pd.DataFrame, *, metric: str | None = None, levels=(0.95, 0.998), title: str = "",
                label: str | None = None):
    """Funnel plot: unit results against n with limits at two levels around the benchmark."""
    from .benchmarking import funnel_limits

    check_columns(result, ["n", "estimate", "benchmark", "sigma2", "tau2", "phi", "overdispersion", "flag"])
    shown = _visible(result)
    first = result.iloc[0]
    grid = np.geomspace(max(2, shown["n"].min() * 0.8), shown["n"].max() * 1.2, 200)
    phi = max(first["phi"], 1.0) if first["overdispersion"] == "multiplicative" else 1.0
    tau2 = first["tau2"] if first["overdispersion"] == "additive" else 0.0
    bounds = get_metric(metric).bounds if metric else None
    fig, ax = plt.subplots(figsize=(8, 5))
    for level, style in zip(levels, ("--", "-")):
        low, high = funnel_limits(grid, first["benchmark"], first["sigma2"], level=level, tau2=tau2, phi=phi,
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
    check_columns(chart, [time, "estimate", "center", "lcl", "ucl", "signal"])
    x = np.arange(len(chart))
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(x, chart["estimate"], marker="o", color="#1f4e79", ms=4)
    ax.step(x, chart["ucl"], where="mid", color="grey", lw=1, label="control limits")
    ax.step(x, chart["lcl"], where="mid", color="grey", lw=1)
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
    check_columns(shrunk, [label, "estimate", "shrunk", "shrunk_low", "shrunk_high", "n"])
    shown = _visible(shrunk).sort_values("shrunk").tail(max_rows)
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(shown) + 1.5))
    ax.errorbar(shown["shrunk"], y, xerr=[shown["shrunk"] - shown["shrunk_low"], shown["shrunk_high"] - shown["shrunk"]],
                fmt="o", ms=4, capsize=2, color="#1f4e79", label="shrunk (empirical Bayes)")
    ax.scatter(shown["estimate"], y, facecolors="none", edgecolors="#c55a11", s=22, label="raw")
    ax.set_yticks(y, [f"{a} (n={int(b)})" for a, b in zip(shown[label], shown["n"])], fontsize=7)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_distribution(data, metric: str, *, by: str, column: str | None = None, min_n: int = 5, title: str = ""):
    """Answer distribution per group as stacked shares (don't know included); small groups are not drawn."""
    from .counting import count

    info = get_metric(metric)
    counts = count(data, info, column=column, by=by)
    table = np.column_stack([counts.counts, counts.dont_know]).astype(float)
    totals = table.sum(axis=1)
    keep = totals >= min_n
    shares = table[keep] / totals[keep, None]
    names = counts.keys.loc[keep, by].astype(str).tolist()
    labels = [str(p) for p in info.scale.points] + (["don't know"] if info.scale.dont_know else [])
    if not info.scale.dont_know:
        shares = shares[:, :-1]
    colours = plt.get_cmap("RdYlGn")(np.linspace(0.05, 0.95, len(info.scale.points)))
    colours = list(colours) + ([(0.7, 0.7, 0.7, 1.0)] if info.scale.dont_know else [])
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(names) + 1.6))
    left = np.zeros(len(names))
    for j, label in enumerate(labels):
        ax.barh(names, shares[:, j], left=left, color=colours[j], label=label)
        left += shares[:, j]
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of answers")
    ax.legend(fontsize=7, ncol=min(len(labels), 12), loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(names) < 6 else -0.08))
    ax.set_title(title or f"{info.label}: answer distribution")
    fig.tight_layout()
    return fig
