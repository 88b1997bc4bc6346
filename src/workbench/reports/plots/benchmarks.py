"""Figures of benchmarks: funnel plots, control charts, shrunk league tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.ticker import LogLocator, NullFormatter
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ...benchmarks.funnel import funnel_limits
from ...stats.scales import get_metric
from ..i18n import number
from .common import PALETTE, level_text, metric_axis, new_figure, pick_rows, set_alt, texts, visible_rows

__all__ = ["plot_funnel", "plot_funnels", "plot_control_chart", "plot_shrinkage"]

_FLAG_COLOURS = {"above": PALETTE[2], "below": PALETTE[1], "within": PALETTE[0]}
_FLAG_MARKERS = {"above": "^", "below": "v", "within": "o"}


def _short(name: str, group: str | None) -> str:
    """A unit's label inside its group's panel: without the group's name ("Päijät-Häme / emergency department"
    in the emergency-department panel reads "Päijät-Häme")."""
    if not group or group not in name or name == group:
        return name
    return name.replace(group, "").strip(" /-,·:") or name


def _draw_funnel(ax, result: pd.DataFrame, *, metric, confidence, label, t, language, value_in_legend=True,
                 group=None):
    """One funnel on ``ax``; returns the visible rows.

    ``flag`` holds the flags at the outer level; an optional ``flag_inner`` those at the inner level, and
    units outside only the inner limits get a marker of their own.
    """
    shown = visible_rows(result)
    if shown.empty:
        return shown
    first = shown.iloc[0]
    grid = np.geomspace(max(2, shown["n"].min() * 0.8), shown["n"].max() * 1.2, 200)
    phi = max(first["phi"], 1.0) if first["overdispersion"] == "multiplicative" else 1.0
    tau2 = first["tau2"] if first["overdispersion"] == "additive" else 0.0
    bounds = get_metric(metric).bounds if metric else None
    levels = sorted(confidence)
    inner, outer = level_text(levels[0], language), level_text(levels[-1], language)
    for level, style in zip(levels, ("--", "-")):
        low, high = funnel_limits(grid, first["benchmark"], first["sigma2"], confidence=level, tau2=tau2, phi=phi,
                                  skew=first.get("skewness", 0.0), bounds=bounds)
        ax.plot(grid, low, color="grey", ls=style, lw=1, label=t("plots.limits", level=level_text(level, language)))
        ax.plot(grid, high, color="grey", ls=style, lw=1)
    has_inner = "flag_inner" in shown and len(levels) > 1
    between = (shown["flag"] == "within") & (shown["flag_inner"] != "within") if has_inner else \
        pd.Series(False, index=shown.index)
    for flag, colour in _FLAG_COLOURS.items():
        part = shown[(shown["flag"] == flag) & ~between]
        if len(part):
            name = t("plots.within_limits", level=inner if has_inner else outer) if flag == "within" else \
                t(f"plots.{flag}_limits", level=outer)
            ax.scatter(part["n"], part["estimate"], color=colour, s=22, zorder=3, marker=_FLAG_MARKERS[flag],
                       label=name)
    if between.any():
        part = shown[between]
        ax.scatter(part["n"], part["estimate"], facecolors="white", edgecolors=PALETTE[4], linewidths=1.5, s=30,
                   zorder=3, marker="D", label=t("plots.between_limits", inner=inner, outer=outer))
    if label:
        named = shown[(shown["flag"] != "within") | between]
        right = np.log(grid[-1]) - 0.3 * (np.log(grid[-1]) - np.log(grid[0]))
        for row in named.itertuples():
            # labels of units near the right edge go to the left of the point, so that the frame cuts none
            left = np.log(row.n) > right
            ax.annotate(t.value(label, _short(str(getattr(row, label)), group)), (row.n, row.estimate), fontsize=7.5,
                        xytext=(-5 if left else 5, 3), textcoords="offset points", ha="right" if left else "left")
    ax.axhline(first["benchmark"], color="black", lw=1,
               label=t("plots.benchmark", value=number(first["benchmark"], language)) if value_in_legend
               else t("plots.benchmark_line"))
    ax.set_xscale("log")
    # ticks at 1, 2 and 5 times powers of ten, written "200" and "1 000" in the reader's format rather than 2 × 10²
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: number(v, language, 0)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.grid(alpha=0.3)
    return shown


def _flagged(shown: pd.DataFrame, column: str, label: str | None, t) -> list[str]:
    """The flagged units' names in the reader's language (a sample unit's service part translated)."""
    if not len(shown) or column not in shown:
        return []
    return [t.value(label, str(v)) for v in shown.loc[shown[column] != "within", label]] if label else \
        [""] * int((shown[column] != "within").sum())


def plot_funnel(result: pd.DataFrame, *, metric: str | None = None, confidence=(0.95, 0.998), language: str = "en",
                title: str = "", label: str | None = None):
    """Funnel plot: unit results against n with limits at two levels around the benchmark.

    Parameters
    ----------
    result : DataFrame
        :func:`workbench.funnel` output for one group (published: hidden units are not drawn); ``flag``
        at the outer level and, optionally, ``flag_inner`` at the inner one.
    metric : str, optional
        For the axis unit and the bounds of the limits.
    confidence : (float, float)
        Inner and outer limit levels.
    language : str
    title : str
    label : str, optional
        Column labelling the flagged units.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        The table lacks a column the figure needs.

    Notes
    -----
    Limits are recomputed on a grid of n with the funnel's own benchmark, variance, overdispersion
    and skewness; n on a log scale; flags by colour and marker shape (not colour alone).
    """
    t = texts(language)
    check_columns(result, ["n", "estimate", "benchmark", "sigma2", "tau2", "phi", "overdispersion", "flag"])
    fig, ax = new_figure(8.5, 5.2)
    shown = _draw_funnel(ax, result, metric=metric, confidence=confidence, label=label, t=t, language=language)
    ax.set_xlabel(t("plots.responses_log"))
    ax.set_ylabel(metric_axis(metric, t))
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    outer = _flagged(shown, "flag", label, t)
    inner = _flagged(shown, "flag_inner", label, t) if "flag_inner" in result else outer
    set_alt(fig, t("plots.alt_funnel", units=len(shown), flagged=len(outer), names=", ".join(outer) or "–",
                   outer=level_text(max(confidence), language), inner=level_text(min(confidence), language),
                   flagged_inner=len(inner)))
    return fig


def plot_funnels(result: pd.DataFrame, *, by: str, metric: str | None = None, confidence=(0.95, 0.998),
                 language: str = "en", title: str = "", label: str | None = None, columns: int = 2):
    """Small multiples: one funnel per group (e.g. service type), each with its own benchmark and limits.

    Parameters
    ----------
    result : DataFrame
        :func:`workbench.funnel` output with ``by`` (published: hidden units are not drawn); ``flag`` at
        the outer level and, optionally, ``flag_inner`` at the inner one.
    by : str
    metric, confidence, language, title, label
        As in :func:`plot_funnel`.
    columns : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        With its alternative text: the number of panels and units and the flagged units at both levels.

    Raises
    ------
    DataError
        The table lacks a column the figure needs.

    Notes
    -----
    Every unit of every group is drawn (a funnel per service shows all 176 sample units); a unit's label
    leaves out its group's name, which is the panel's title.
    """
    t = texts(language)
    check_columns(result, [by, "n", "estimate", "benchmark", "sigma2", "tau2", "phi", "overdispersion", "flag"])
    groups = sorted(result[by].dropna().unique(), key=str)
    rows = int(np.ceil(len(groups) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, 3.5 * rows + 0.9), squeeze=False)
    outer, inner = [], []
    for ax, group in zip(axes.ravel(), groups):
        shown = _draw_funnel(ax, result[result[by] == group], metric=metric, confidence=confidence, label=label, t=t,
                             language=language, value_in_legend=False, group=str(group))
        ax.set_title(t.value(by, str(group)), fontsize=10)
        ax.tick_params(labelsize=8)
        outer += _flagged(shown, "flag", label or by, t)
        inner += _flagged(shown, "flag_inner" if "flag_inner" in result else "flag", label or by, t)
    for ax in axes.ravel()[len(groups):]:
        ax.set_visible(False)
    legend = {}
    for ax in axes.ravel()[: len(groups)]:
        for handle, name in zip(*ax.get_legend_handles_labels()):
            legend.setdefault(name, handle)
    fig.legend(list(legend.values()), list(legend), loc="lower center", ncol=4, fontsize=9, bbox_to_anchor=(0.5, 0.0),
               frameon=False)
    height = fig.get_figheight()
    # the legend (two rows) at the bottom, the shared x label just above it
    fig.supxlabel(t("plots.responses_log"), fontsize=10, y=0.6 / height, va="bottom")
    fig.supylabel(metric_axis(metric, t), fontsize=10)
    fig.suptitle(title, fontsize=12)
    fig.tight_layout(rect=(0, 0.85 / height, 1, 1))
    visible = visible_rows(result)
    set_alt(fig, t("plots.alt_funnels", groups=len(groups), units=len(visible), flagged=len(outer),
                   names=", ".join(outer) or "–", outer=level_text(max(confidence), language),
                   inner=level_text(min(confidence), language), flagged_inner=len(inner)))
    return fig


def plot_control_chart(chart: pd.DataFrame, *, time: str = "month", metric: str | None = None, language: str = "en",
                       title: str = ""):
    """Control chart with centre line, limits and signalled points.

    Parameters
    ----------
    chart : DataFrame
        :func:`workbench.control_chart` output (published: hidden periods are not drawn).
    time : str
        The period column.
    metric : str, optional
    language : str
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
    Limits are drawn as steps (they vary with each period's n); signals as larger red diamonds.
    """
    t = texts(language)
    check_columns(chart, [time, "estimate", "center", "limit_low", "limit_high", "signal"])
    x = np.arange(len(chart))
    fig, ax = new_figure(9.5, 4.4)
    shown = ~chart["estimate"].isna().to_numpy()
    ax.plot(x[shown], chart["estimate"][shown], marker="o", color=PALETTE[0], ms=4, label=t("plots.result"))
    ax.step(x, chart["limit_high"], where="mid", color="grey", lw=1, label=t("plots.control_limits"))
    ax.step(x, chart["limit_low"], where="mid", color="grey", lw=1)
    centre = chart["center"].dropna()
    if len(centre):
        ax.axhline(centre.iloc[0], color="black", lw=1, label=t("plots.centre"))
    hit = chart["signal"].fillna("").astype(str).str.len().to_numpy() > 0
    if hit.any():
        ax.scatter(x[hit], chart["estimate"][hit], color=PALETTE[1], marker="D", s=45, zorder=3, label=t("plots.signal"))
    ax.set_xticks(x, chart[time].astype(str), rotation=90, fontsize=8)
    ax.set_ylabel(metric_axis(metric, t))
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    set_alt(fig, t("plots.alt_chart", periods=int(shown.sum()), signals=int(hit.sum()),
                   when=", ".join(chart.loc[hit, time].astype(str)) or "–"))
    return fig


def plot_shrinkage(shrunk: pd.DataFrame, *, label: str, metric: str | None = None, language: str = "en",
                   title: str = "", most: int = 40, group: str | None = None):
    """Raw estimates (open) and empirical-Bayes estimates with intervals (filled), by shrunk estimate.

    Parameters
    ----------
    shrunk : DataFrame
        :func:`workbench.shrink` output (published).
    label : str
        The unit column.
    metric : str, optional
    language : str
    title : str
    most : int
        With more units, the best and worst are drawn and the figure says how many it leaves out.
    group : str, optional
        The group all units belong to (e.g. the service type in the title): left out of their labels.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        The table lacks a column the figure needs.

    Notes
    -----
    Suppressed units are not drawn; each label carries the unit's n.
    """
    t = texts(language)
    check_columns(shrunk, [label, "raw", "estimate", "ci_low", "ci_high", "n"])
    visible = visible_rows(shrunk)
    shown, left_out = pick_rows(visible, by="estimate", most=most)
    y = np.arange(len(shown))
    fig, ax = new_figure(8.5, 0.28 * len(shown) + 1.8)
    ax.errorbar(shown["estimate"], y, xerr=[shown["estimate"] - shown["ci_low"], shown["ci_high"] - shown["estimate"]],
                fmt="o", ms=4, capsize=2, color=PALETTE[0], label=t("plots.shrunk"))
    ax.scatter(shown["raw"], y, facecolors="none", edgecolors=PALETTE[1], s=24, label=t("plots.raw"))
    ax.set_yticks(y, [f"{t.value(label, _short(str(a), group))} (n = {number(b, language, 0)})" for a, b in zip(shown[label], shown["n"])],
                  fontsize=8)
    ax.set_xlabel(metric_axis(metric, t))
    # the legend above the points, so that the axes keep the figure's width
    ax.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    note = t("plots.left_out", shown=len(shown), total=len(visible), left=left_out) if left_out else ""
    ax.set_title("\n".join(x for x in (title, note) if x), fontsize=11, pad=24)
    fig.tight_layout()
    if len(visible):
        moved = visible.loc[(visible["estimate"] - visible["raw"]).abs().idxmax()]
        set_alt(fig, t("plots.alt_shrinkage", unit=t.value(label, str(moved[label])), raw=number(moved["raw"], language),
                       shrunk=number(moved["estimate"], language), n=int(moved["n"])))
    return fig
