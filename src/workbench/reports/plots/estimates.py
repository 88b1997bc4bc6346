"""Figures of estimates: results per group, margins of error against n, interval coverage."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ..i18n import number, percent
from .common import PALETTE, level_text, metric_axis, new_figure, pick_rows, set_alt, texts, visible_rows

__all__ = ["plot_estimates", "plot_margin_curve", "plot_coverage"]


def plot_estimates(results: pd.DataFrame, *, label: str | Sequence[str], metric: str | None = None, language: str = "en",
                   title: str = "", reference: float | None = None, most: int = 40):
    """Point estimates with confidence intervals, one row per group, sorted by estimate.

    Parameters
    ----------
    results : DataFrame
        :func:`workbench.estimate` output (published: suppressed rows are not drawn).
    label : str or list of str
        Columns naming each group.
    metric : str, optional
    language : str
    title : str
    reference : float, optional
        A dashed reference line (e.g. the overall result).
    most : int
        With more groups, the best and worst ``most / 2`` are drawn and the figure says how many it
        leaves out (the table beside it is complete).

    Returns
    -------
    matplotlib.figure.Figure
        With its alternative text (highest and lowest group) attached.

    Raises
    ------
    DataError
        The table lacks a column the figure needs.

    Notes
    -----
    Every interval is drawn; the interval's level is read from the table's ``confidence``.
    """
    t = texts(language)
    labels = [label] if isinstance(label, str) else list(label)
    check_columns(results, labels + ["estimate", "ci_low", "ci_high"])
    visible = visible_rows(results)
    shown, left_out = pick_rows(visible, by="estimate", most=most)
    names = shown[labels].astype(str).apply(lambda r: " · ".join(t.value(c, v) for c, v in r.items()), axis=1) \
        if labels else pd.Series([t("plots.all")] * len(shown), index=shown.index)
    fig, ax = new_figure(8.5, 0.27 * len(shown) + 1.6)
    y = np.arange(len(shown))
    ax.errorbar(shown["estimate"], y, xerr=[shown["estimate"] - shown["ci_low"], shown["ci_high"] - shown["estimate"]],
                fmt="o", ms=4, capsize=2, color=PALETTE[0], ecolor="#6b9ac4")
    if reference is not None:
        ax.axvline(reference, color=PALETTE[1], lw=1, ls="--")
    ax.set_yticks(y, names, fontsize=8)
    conf = float(visible["confidence"].iloc[0]) if "confidence" in visible and len(visible) else 0.95
    ax.set_xlabel(t("plots.with_interval", axis=metric_axis(metric, t), level=level_text(conf, language)))
    note = t("plots.left_out", shown=len(shown), total=len(visible), left=left_out) if left_out else ""
    ax.set_title("\n".join(x for x in (title, note) if x), fontsize=11)
    ax.grid(axis="y", alpha=0)
    fig.tight_layout()
    if len(visible):
        top, bottom = visible.loc[visible["estimate"].idxmax()], visible.loc[visible["estimate"].idxmin()]
        set_alt(fig, t("plots.alt_estimates", title=title, groups=len(visible),
                       best=" · ".join(str(top[c]) for c in labels) or t("plots.all"),
                       best_value=number(top["estimate"], language), worst=" · ".join(str(bottom[c]) for c in labels)
                       or t("plots.all"), worst_value=number(bottom["estimate"], language)))
    return fig


def plot_margin_curve(curve: pd.DataFrame, *, language: str = "en", metric: str | None = None, title: str = "",
                      threshold_n: float | None = None):
    """Margin of error against n (log scale) and the narrowing bought by 100 more responses.

    Parameters
    ----------
    curve : DataFrame
        :func:`workbench.margin_curve` output.
    language : str
    metric : str, optional
        For the unit of the margin.
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
    A logarithmic n axis gives the useful range (tens to hundreds of responses) most of the width.
    """
    t = texts(language)
    check_columns(curve, ["n", "moe", "gain_per_100"])
    fig, ax = new_figure(8.5, 4.2)
    ax.plot(curve["n"], curve["moe"], color=PALETTE[0], label=t("plots.margin"))
    ax.plot(curve["n"], curve["gain_per_100"], color=PALETTE[1], ls="--", label=t("plots.gain_per_100"))
    ax.set_xscale("log")
    ticks = [t_ for t_ in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if curve["n"].min() <= t_ <= curve["n"].max()]
    ax.set_xticks(ticks, [number(t_, language, 0) for t_ in ticks])
    ax.set_xlabel(t("plots.responses_log"))
    ax.set_ylabel(t("plots.margin_axis", axis=metric_axis(metric, t)))
    if threshold_n is not None:
        ax.axvline(threshold_n, color="grey", lw=1, ls=":")
        # half-way up, where the curves have fallen away and the legend (upper right) does not reach
        ax.annotate(t("plots.threshold", n=number(threshold_n, language, 0)), (threshold_n, ax.get_ylim()[1] * 0.55),
                    xytext=(4, 0), textcoords="offset points", fontsize=9)
    ax.legend(loc="upper right", fontsize=9)
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    at = curve.iloc[(curve["n"] - 100).abs().argmin()]
    set_alt(fig, t("plots.alt_margin", n=number(at["n"], language, 0), moe=number(at["moe"], language),
                   stop=number(threshold_n or 0, language, 0)))
    return fig


def plot_coverage(summary: pd.DataFrame, *, confidence: float, floor: float, language: str = "en", title: str = ""):
    """Mean (line) and minimum (dotted) exact coverage per method against n, with the nominal level.

    Parameters
    ----------
    summary : DataFrame
        The coverage table of report 01: ``method``, ``n``, ``mean_coverage`` and ``lowest_coverage``
        (:func:`workbench.summarise_coverage` output with its columns renamed for readers).
    confidence : float
        The nominal level.
    floor : float
        The minimum coverage asked of the default method.
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
    A grey band marks nominal ± 1 point; the floor and the band follow the parameters.
    """
    t = texts(language)
    check_columns(summary, ["method", "n", "mean_coverage", "lowest_coverage"])
    fig, ax = new_figure(8.5, 4.8)
    for colour, (method, part) in zip(PALETTE, summary.groupby("method", sort=True)):
        name = t.value("method", method)
        ax.plot(part["n"], part["mean_coverage"], color=colour, label=t("plots.coverage_mean", method=name))
        ax.plot(part["n"], part["lowest_coverage"], ls=":", color=colour, label=t("plots.coverage_min", method=name))
    ax.axhline(confidence, color="black", lw=1)
    ax.axhspan(confidence - 0.01, confidence + 0.01, color="grey", alpha=0.15,
               label=t("plots.nominal_band", level=percent(confidence, language, 1)))
    ax.axhline(floor, color=PALETTE[1], lw=1, ls="--", label=t("plots.floor", level=percent(floor, language, 0)))
    ax.set_xlabel(t("plots.sample_size"))
    ax.set_ylabel(t("plots.coverage_axis"))
    ax.set_ylim(max(0.5, min(summary["lowest_coverage"].min(), floor) - 0.02), 1.0)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: percent(v, language, 0)))
    ax.legend(fontsize=8, ncol=2, loc="lower right")
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    worst = summary.loc[summary["lowest_coverage"].idxmin()]
    set_alt(fig, t("plots.alt_coverage", method=t.value("method", worst["method"]),
                   low=percent(worst["lowest_coverage"], language, 1), n=int(worst["n"]), level=level_text(confidence, language)))
    return fig
