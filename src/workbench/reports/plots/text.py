"""Figures of open feedback: theme shares, tone by theme, drivers, trends, emerging themes.

One function per figure, each returning a matplotlib Figure. Intervals are always drawn;
suppressed rows (``suppressed`` column of :func:`workbench.suppress`) are never drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from .common import visible_rows

__all__ = ["plot_theme_shares", "plot_theme_tone", "plot_nps_impact", "plot_importance", "plot_theme_trends",
           "plot_emerging"]

_BLUE, _RED, _GREEN, _GREY, _AMBER = "#1f4e79", "#b3261e", "#3a7d44", "#8a8a8a", "#c55a11"
_TONE_COLOURS = {"positive": _GREEN, "mixed": _AMBER, "neutral": "#bdbdbd", "negative": _RED}


def _errors(estimate: pd.Series, low: pd.Series, high: pd.Series) -> list[np.ndarray]:
    """Error-bar lengths below and above (never negative: rounding can put an estimate a hair outside)."""
    est = np.asarray(estimate, dtype=float)
    return [np.clip(est - np.asarray(low, dtype=float), 0, None), np.clip(np.asarray(high, dtype=float) - est, 0, None)]


def _interval_note(frame: pd.DataFrame) -> str:
    level = frame["confidence"].iloc[0] if "confidence" in frame and len(frame) else 0.95
    return f"{level:.0%} interval"


def plot_theme_shares(prevalence: pd.DataFrame, *, by: str, labels: dict | None = None, columns: int = 4,
                      title: str = ""):
    """Share of comments mentioning each theme, one panel per group, with intervals.

    Parameters
    ----------
    prevalence : DataFrame
        :func:`workbench.text.theme_prevalence` with ``by`` set (suppressed rows are not drawn).
    by : str
        The group column (one panel per group).
    labels : dict, optional
        Theme id -> display label.
    columns : int
        Panels per row.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    Points are shares of comments (%), bars their Wilson intervals; groups without a publishable
    row are left out and named in the footnote.

    References
    ----------
    Cleveland, W. S. (1985). The Elements of Graphing Data (dot plots).
    """
    check_columns(prevalence, [by, "theme", "estimate", "ci_low", "ci_high"])
    shown = visible_rows(prevalence)
    groups = [g for g in pd.unique(prevalence[by]) if (shown[by] == g).any()]
    hidden = [str(g) for g in pd.unique(prevalence[by]) if g not in groups]
    themes = list(pd.unique(prevalence["theme"]))[::-1]
    names = [(labels or {}).get(t, t) for t in themes]
    rows = max(1, int(np.ceil(len(groups) / columns)))
    fig, axes = plt.subplots(rows, min(columns, max(len(groups), 1)), figsize=(3.2 * min(columns, max(len(groups), 1)),
                             0.22 * len(themes) * rows + 1.6), sharex=True, sharey=True, squeeze=False)
    top = float(np.nanmax(shown["ci_high"])) if len(shown) else 100.0
    for ax, group in zip(axes.ravel(), groups):
        part = shown[shown[by] == group].set_index("theme").reindex(themes)
        y = np.arange(len(themes))
        ax.errorbar(part["estimate"], y, xerr=_errors(part["estimate"], part["ci_low"], part["ci_high"]),
                    fmt="o", ms=3, color=_BLUE, ecolor="#7a9cc6", capsize=1.5)
        ax.set_title(str(group), fontsize=9)
        ax.set_yticks(y, names, fontsize=7)
        ax.set_xlim(0, min(100, top * 1.05))
        ax.grid(axis="x", alpha=0.3)
    for ax in axes.ravel()[len(groups):]:
        ax.set_visible(False)
    fig.supxlabel(f"share of comments mentioning the theme (%), {_interval_note(prevalence)}", fontsize=9)
    fig.suptitle(title or f"Themes by {by}", fontsize=11)
    if hidden:
        fig.text(0.01, 0.005, f"Not shown (below the publication threshold): {', '.join(hidden)}", fontsize=7)
    fig.tight_layout()
    return fig


def plot_theme_tone(tone_table: pd.DataFrame, *, labels: dict | None = None, title: str = ""):
    """Tone of the comments that mention each theme: stacked shares, with the negative share's interval.

    Parameters
    ----------
    tone_table : DataFrame
        :func:`workbench.text.theme_tone` without ``by`` (suppressed rows are not drawn).
    labels : dict, optional
        Theme id -> display label.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    Bars are sorted by the negative share; the black whisker is the Wilson interval of the negative
    share (the shares of one theme add to 100 %).

    References
    ----------
    Robbins, N. B. & Heiberger, R. M. (2011). Plotting Likert and other rating scales (diverging bars).
    """
    check_columns(tone_table, ["theme", "tone", "estimate", "ci_low", "ci_high"])
    shown = visible_rows(tone_table)
    wide = shown.pivot_table(index="theme", columns="tone", values="estimate", aggfunc="first").fillna(0.0)
    negative = shown[shown["tone"] == "negative"].set_index("theme")
    order = wide.sort_values("negative", ascending=True).index if "negative" in wide else wide.index
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(order) + 1.5))
    y = np.arange(len(order))
    left = np.zeros(len(order))
    for tone in ("negative", "mixed", "neutral", "positive"):
        if tone in wide:
            values = wide.loc[order, tone].to_numpy()
            ax.barh(y, values, left=left, color=_TONE_COLOURS[tone], label=tone, height=0.7)
            if tone == "negative" and len(negative):
                part = negative.reindex(order)
                ax.errorbar(part["estimate"], y, xerr=_errors(part["estimate"], part["ci_low"], part["ci_high"]),
                            fmt="none", ecolor="black", capsize=2, lw=1)
            left += values
    ax.set_yticks(y, [(labels or {}).get(t, t) for t in order], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"share of the theme's comments (%); whisker: negative share, {_interval_note(tone_table)}")
    ax.legend(fontsize=7, ncol=4, loc="lower right")
    ax.set_title(title or "Tone by theme")
    fig.tight_layout()
    return fig


def plot_nps_impact(impact: pd.DataFrame, *, labels: dict | None = None, title: str = ""):
    """NPS impact of each theme (overall NPS minus NPS without the theme) with bootstrap intervals.

    Parameters
    ----------
    impact : DataFrame
        :func:`workbench.text.nps_impact` (suppressed rows are not drawn).
    labels : dict, optional
        Theme id -> display label.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    Negative bars: mentioning the theme goes with a lower NPS. An association, not a cause; the
    footnote says so.

    References
    ----------
    Qualtrics XM, "NPS impact" of text topics.
    """
    check_columns(impact, ["theme", "impact", "ci_low", "ci_high"])
    shown = visible_rows(impact).sort_values("impact")
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(shown) + 1.6))
    ax.barh(y, shown["impact"], color=np.where(shown["impact"] < 0, _RED, _GREEN), height=0.6)
    ax.errorbar(shown["impact"], y, xerr=_errors(shown["impact"], shown["ci_low"], shown["ci_high"]),
                fmt="none", ecolor="black", capsize=2, lw=1)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, [(labels or {}).get(t, t) for t in shown["theme"]], fontsize=8)
    ax.set_xlabel(f"NPS impact (points), {_interval_note(impact)} (bootstrap)")
    ax.set_title(title or "What goes with the score: NPS impact of each theme")
    fig.text(0.01, 0.005, "Associations in observational data, not causes.", fontsize=7)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_importance(importance: pd.DataFrame, *, labels: dict | None = None, title: str = ""):
    """Relative importance of the themes (Shapley share of R²) with bootstrap intervals.

    Parameters
    ----------
    importance : DataFrame
        :func:`workbench.text.relative_importance`.
    labels : dict, optional
        Theme id -> display label.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    The title states the full model's R², because a share of little explained variance is little.

    References
    ----------
    Grömping, U. (2006). Journal of Statistical Software 17(1).
    """
    check_columns(importance, ["theme", "r2_share", "ci_low", "ci_high", "r2"])
    shown = visible_rows(importance).sort_values("r2_share")
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(shown) + 1.6))
    ax.barh(y, shown["r2_share"], color=_BLUE, height=0.6)
    ax.errorbar(shown["r2_share"], y, xerr=_errors(shown["r2_share"], shown["ci_low"], shown["ci_high"]),
                fmt="none", ecolor="black", capsize=2, lw=1)
    ax.set_yticks(y, [(labels or {}).get(t, t) for t in shown["theme"]], fontsize=8)
    ax.set_xlabel(f"share of R² (Shapley), {_interval_note(importance)} (bootstrap)")
    r2 = float(importance["r2"].iloc[0]) if len(importance) else float("nan")
    ax.set_title(title or f"Relative importance of themes (model R² = {r2:.3f})")
    fig.text(0.01, 0.005, "Associations in observational data, not causes.", fontsize=7)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_theme_trends(trends: pd.DataFrame, *, themes: Sequence[str] | None = None, labels: dict | None = None,
                      columns: int = 3, title: str = ""):
    """Monthly share of each theme with p-chart limits; signalled months in red.

    Parameters
    ----------
    trends : DataFrame
        :func:`workbench.text.theme_trends`.
    themes : sequence of str, optional
        Themes to draw (default all).
    labels : dict, optional
        Theme id -> display label.
    columns : int
        Panels per row.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    The control limits are the uncertainty band of each month's share under a stable process.

    References
    ----------
    Montgomery, D. C. Introduction to Statistical Quality Control, ch. 7.
    """
    check_columns(trends, ["theme", "time", "estimate", "center", "limit_low", "limit_high", "signal"])
    shown = visible_rows(trends)
    themes = list(themes) if themes is not None else list(pd.unique(shown["theme"]))
    rows = max(1, int(np.ceil(len(themes) / columns)))
    fig, axes = plt.subplots(rows, columns, figsize=(3.6 * columns, 2.4 * rows + 0.8), squeeze=False, sharex=True)
    for ax, theme in zip(axes.ravel(), themes):
        part = shown[shown["theme"] == theme]
        x = np.arange(len(part))
        ax.fill_between(x, part["limit_low"], part["limit_high"], step="mid", color="#d9e2ef", label="control limits")
        ax.plot(x, part["estimate"], color=_BLUE, marker="o", ms=2.5, lw=1)
        ax.axhline(part["center"].iloc[0] if len(part) else 0, color="black", lw=0.8)
        flagged = part["signal"].astype(str).str.len().to_numpy() > 0
        ax.scatter(x[flagged], part["estimate"].to_numpy()[flagged], color=_RED, s=14, zorder=3, label="signal")
        ax.set_title((labels or {}).get(theme, theme), fontsize=9)
        ticks = x[:: max(1, len(x) // 4)]
        ax.set_xticks(ticks, part["time"].astype(str).to_numpy()[ticks], fontsize=7, rotation=30)
        ax.grid(alpha=0.3)
    for ax in axes.ravel()[len(themes):]:
        ax.set_visible(False)
    fig.supylabel("share of comments (%)", fontsize=9)
    fig.suptitle(title or "Theme trends with p-chart limits (red: signal)", fontsize=11)
    fig.tight_layout()
    return fig


def plot_emerging(topics: pd.DataFrame, *, title: str = ""):
    """Emerging themes among uncaught comments: size with a Wilson interval, labelled by top lemmas.

    Parameters
    ----------
    topics : DataFrame
        ``Discovery.topics`` with ``ci_low``/``ci_high`` of the share added (e.g. by
        :func:`workbench.stats.intervals.level_interval`), or without them (then no interval).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    Shares are of the uncaught comments; each bar is labelled with its five strongest lemmas.

    References
    ----------
    Lee, D. D. & Seung, H. S. (1999). Nature 401 (NMF).
    """
    check_columns(topics, ["topic", "share", "top_lemmas"])
    shown = visible_rows(topics).iloc[::-1]
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(shown) + 1.5))
    ax.barh(y, shown["share"], color=_AMBER, height=0.6)
    if {"ci_low", "ci_high"} <= set(shown.columns):
        ax.errorbar(shown["share"], y, xerr=_errors(shown["share"], shown["ci_low"], shown["ci_high"]),
                    fmt="none", ecolor="black", capsize=2, lw=1)
    names = [f"{t}: {', '.join(str(lemmas).split(', ')[:5])}" for t, lemmas in zip(shown["topic"], shown["top_lemmas"])]
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlabel("share of the comments no theme caught (%)")
    ax.set_title(title or "Emerging themes (NMF on uncaught comments)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
