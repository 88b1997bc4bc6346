"""Figures of open feedback: theme shares, tone by theme, drivers, trends, new topics.

One function per figure, each returning a matplotlib Figure drawn from a published table (its
``suppressed`` rows are never drawn), with every axis text from the catalogue of ``language``, the
Okabe–Ito palette, every interval drawn, every theme and group shown (or named as hidden) and an
alternative text that states the main finding (:func:`~workbench.reports.plots.common.set_alt`).

Theme and topic ids are shown by the names in ``labels`` (a taxonomy's labels in the report's
language); shares are in per cent (0–100), as :mod:`workbench.text` gives them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import Formatter, MaxNLocator

from ..._validate import check_columns
from ..i18n import number, percent
from .common import PALETTE, level_text, set_alt, texts, visible_rows

__all__ = ["plot_theme_shares", "plot_theme_tone", "plot_nps_impact", "plot_importance", "plot_theme_trends",
           "plot_emerging"]

_BLUE, _VERMILLION, _GREEN, _PINK, _ORANGE, _SKY = PALETTE[:6]
_TONE_COLOURS = {"negative": _VERMILLION, "mixed": _ORANGE, "neutral": _SKY, "positive": _GREEN}
_INTERVAL = "#56B4E9"


def _errors(estimate, low, high) -> list[np.ndarray]:
    """Error-bar lengths below and above (never negative: rounding can put an estimate a hair outside)."""
    est = np.asarray(estimate, dtype=float)
    return [np.clip(est - np.asarray(low, dtype=float), 0, None), np.clip(np.asarray(high, dtype=float) - est, 0, None)]


def _level(frame: pd.DataFrame, language: str, level: float | None = None) -> str:
    if level is None:
        level = float(frame["confidence"].iloc[0]) if "confidence" in frame and len(frame) else 0.95
    return level_text(level, language)


def _pct(value: float, language: str) -> str:
    """A share given in per cent (0–100) as the language writes it."""
    return percent(float(value) / 100, language, 1)


def _name(labels: Mapping | None, key) -> str:
    return str((labels or {}).get(key, key))


class _PercentTicks(Formatter):
    """Ticks of a per-cent axis in the language, with as many decimals as the step between ticks needs."""

    def __init__(self, language: str):
        self.language = language
        self.decimals = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        steps = np.diff(np.sort(np.asarray(locs, dtype=float)))
        step = float(steps.min()) if len(steps) else 1.0
        self.decimals = int(max(0, -np.floor(np.log10(step) + 1e-9))) if step > 0 else 0

    def __call__(self, value, pos=None):
        return percent(value / 100, self.language, self.decimals)


def _percent_axis(ax, language: str, axis: str = "x") -> None:
    """Per-cent ticks at steps of 1, 2 or 5 × 10^k, so that every tick label is exact and none repeats
    (a step of 2.5 would print 2.5 % and 7.5 % as 2 % and 8 %)."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    target.set_major_formatter(_PercentTicks(language))


def _hide_empty(axes: np.ndarray, used: int) -> None:
    """Hide the panels after the ``used`` ones; the panel above a hidden one keeps its x tick labels
    (with a shared x axis only the bottom row would have them)."""
    flat = axes.ravel()
    across = axes.shape[1]
    for k, ax in enumerate(flat):
        if k >= used:
            ax.set_visible(False)
        elif k + across >= used:
            ax.xaxis.set_tick_params(labelbottom=True)


def plot_theme_shares(table: pd.DataFrame, *, by: str | None = None, labels: Mapping | None = None,
                      language: str = "en", columns: int = 3, level: float | None = None, title: str = ""):
    """Share of comments mentioning each theme with its interval: one panel, or one per group of ``by``.

    Parameters
    ----------
    table : DataFrame
        A published :func:`workbench.text.theme_prevalence` table: ``theme``, ``estimate``, ``ci_low``,
        ``ci_high`` (per cent) and ``by`` when given. Suppressed rows are not drawn.
    by : str, optional
        The group column (one panel per group, e.g. ``service``); None: one panel.
    labels : mapping, optional
        Theme id -> name shown.
    language : str
        ``fi``, ``sv`` or ``en``.
    columns : int
        Panels per row.
    level : float, optional
        Confidence level of the intervals (default: the table's ``confidence`` column, else 0.95).
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.
    ParameterError
        An unknown language.

    Notes
    -----
    Points are shares of comments, bars their Wilson intervals. Every theme is on every panel, in the
    order of the single panel (largest share on top); a group with no publishable row is left out and
    named under the figure.

    References
    ----------
    Cleveland, W. S. (1985). The Elements of Graphing Data (dot plots).
    """
    t = texts(language)
    check_columns(table, ["theme", "estimate", "ci_low", "ci_high"] + ([by] if by else []))
    shown = visible_rows(table)
    groups = [None] if by is None else [g for g in pd.unique(table[by]) if (shown[by] == g).any()]
    hidden = [] if by is None else [str(g) for g in pd.unique(table[by]) if g not in groups]
    order = shown.groupby("theme", sort=False)["estimate"].mean().sort_values().index.tolist()
    themes = [th for th in pd.unique(table["theme"]) if th not in order] + order
    panels = max(len(groups), 1)
    across = min(columns, panels)
    rows = int(np.ceil(panels / across))
    width = 8.0 if by is None else 3.4 * across + 1.4
    fig, axes = plt.subplots(rows, across, figsize=(width, (0.3 if by is None else 0.25) * len(themes) * rows + 1.8),
                             sharex=True, sharey=True, squeeze=False)
    top = float(np.nanmax(shown["ci_high"])) if len(shown) else 100.0
    y = np.arange(len(themes))
    for ax, group in zip(axes.ravel(), groups):
        part = (shown if group is None else shown[shown[by] == group]).set_index("theme").reindex(themes)
        ax.errorbar(part["estimate"], y, xerr=_errors(part["estimate"], part["ci_low"], part["ci_high"]),
                    fmt="o", ms=4, color=_BLUE, ecolor=_INTERVAL, elinewidth=2, capsize=0)
        if group is not None:
            ax.set_title(t.value(by, group), fontsize=10)
        ax.set_yticks(y, [_name(labels, th) for th in themes], fontsize=9)
        ax.set_xlim(0, min(100.0, max(top, 1.0) * 1.05))
        _percent_axis(ax, language)
        ax.grid(axis="x", alpha=0.3)
    _hide_empty(axes, len(groups))
    fig.supxlabel(t("plots.with_interval", axis=t("plots.theme_share_axis"), level=_level(table, language, level)),
                  fontsize=9)
    fig.suptitle(title, fontsize=11)
    if hidden:
        fig.text(0.01, 0.003, t("plots.themes_hidden", names=", ".join(t.value(by, g) for g in hidden)), fontsize=8)
    fig.tight_layout()
    if len(shown):
        best = shown.loc[shown["estimate"].idxmax()]
        if by is None:
            least = shown.loc[shown["estimate"].idxmin()]
            set_alt(fig, t("plots.alt_theme_shares", theme=_name(labels, best["theme"]),
                           share=_pct(best["estimate"], language), low=_pct(best["ci_low"], language),
                           high=_pct(best["ci_high"], language), least=_name(labels, least["theme"]),
                           least_share=_pct(least["estimate"], language), themes=len(themes)))
        else:
            set_alt(fig, t("plots.alt_theme_shares_by", groups=len(groups), theme=_name(labels, best["theme"]),
                           group=t.value(by, best[by]), share=_pct(best["estimate"], language),
                           low=_pct(best["ci_low"], language), high=_pct(best["ci_high"], language),
                           hidden=len(hidden)))
    return fig


def plot_theme_tone(table: pd.DataFrame, *, labels: Mapping | None = None, language: str = "en",
                    level: float | None = None, title: str = ""):
    """Tone of the comments that mention each theme: stacked shares, with the negative share's interval.

    Parameters
    ----------
    table : DataFrame
        A published :func:`workbench.text.theme_tone` table without groups (``theme``, ``tone``,
        ``estimate``, ``ci_low``, ``ci_high``); suppressed rows are not drawn.
    labels : mapping, optional
        Theme id -> name shown.
    language : str
    level : float, optional
        Confidence level of the intervals.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    Bars are sorted by the negative share (largest on top); the black whisker is the Wilson interval of
    the negative share (the shares of one theme add to 100 %). Themes with too few comments are named
    under the figure.

    References
    ----------
    Robbins, N. B. & Heiberger, R. M. (2011). Plotting Likert and other rating scales.
    """
    t = texts(language)
    check_columns(table, ["theme", "tone", "estimate", "ci_low", "ci_high"])
    shown = visible_rows(table)
    wide = shown.pivot_table(index="theme", columns="tone", values="estimate", aggfunc="first").fillna(0.0)
    if "negative" not in wide:
        wide["negative"] = 0.0
    order = wide.sort_values("negative").index.tolist()
    hidden = [th for th in pd.unique(table["theme"]) if th not in order]
    fig, ax = plt.subplots(figsize=(8.5, 0.38 * len(order) + 1.9))
    y = np.arange(len(order))
    left = np.zeros(len(order))
    for tone in ("negative", "mixed", "neutral", "positive"):
        if tone in wide:
            values = wide.loc[order, tone].to_numpy()
            ax.barh(y, values, left=left, color=_TONE_COLOURS[tone], label=t.value("tone", tone), height=0.7)
            left += values
    negative = shown[shown["tone"] == "negative"].set_index("theme").reindex(order)
    ax.errorbar(negative["estimate"], y, xerr=_errors(negative["estimate"], negative["ci_low"], negative["ci_high"]),
                fmt="none", ecolor="black", capsize=2, lw=1)
    ax.set_yticks(y, [_name(labels, th) for th in order], fontsize=9)
    ax.set_xlim(0, 100)
    _percent_axis(ax, language)
    ax.set_xlabel(f"{t('plots.tone_axis')}; {t('plots.tone_whisker', level=_level(table, language, level))}")
    ax.legend(fontsize=9, ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    ax.set_title(title, fontsize=11, pad=26)
    if hidden:
        fig.text(0.01, 0.003, t("plots.themes_hidden", names=", ".join(_name(labels, th) for th in hidden)), fontsize=8)
    fig.tight_layout()
    if len(order):
        worst, best = negative.iloc[-1], negative.iloc[0]
        set_alt(fig, t("plots.alt_tone", theme=_name(labels, order[-1]), share=_pct(worst["estimate"], language),
                       low=_pct(worst["ci_low"], language), high=_pct(worst["ci_high"], language),
                       least=_name(labels, order[0]), least_share=_pct(best["estimate"], language)))
    return fig


def plot_nps_impact(table: pd.DataFrame, *, labels: Mapping | None = None, language: str = "en",
                    level: float | None = None, title: str = ""):
    """NPS impact of each theme (overall NPS minus NPS without the theme) with bootstrap intervals.

    Parameters
    ----------
    table : DataFrame
        A published :func:`workbench.text.nps_impact` table (``theme``, ``impact``, ``ci_low``,
        ``ci_high``); suppressed rows are not drawn.
    labels : mapping, optional
        Theme id -> name shown.
    language : str
    level : float, optional
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    Negative bars (vermillion): mentioning the theme goes with a lower NPS. An association, not a
    cause; the footnote says so.

    References
    ----------
    Qualtrics XM, "NPS impact" of text topics.
    """
    t = texts(language)
    check_columns(table, ["theme", "impact", "ci_low", "ci_high"])
    shown = visible_rows(table).sort_values("impact", ascending=False)
    hidden = [th for th in pd.unique(table["theme"]) if th not in set(shown["theme"])]
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(8.5, 0.38 * len(shown) + 1.9))
    ax.barh(y, shown["impact"], color=np.where(shown["impact"] < 0, _VERMILLION, _GREEN), height=0.6)
    ax.errorbar(shown["impact"], y, xerr=_errors(shown["impact"], shown["ci_low"], shown["ci_high"]),
                fmt="none", ecolor="black", capsize=2, lw=1)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, [_name(labels, th) for th in shown["theme"]], fontsize=9)
    ax.set_xlabel(t("plots.with_interval", axis=t("plots.impact_axis"), level=_level(table, language, level)),
                  fontsize=9)
    ax.set_title(title, fontsize=11)
    notes = [t("plots.association")] + ([t("plots.themes_hidden", names=", ".join(_name(labels, th) for th in hidden))]
                                        if hidden else [])
    fig.text(0.01, 0.003, "  ".join(notes), fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    if len(shown):
        worst = shown.iloc[-1]
        set_alt(fig, t("plots.alt_impact", theme=_name(labels, worst["theme"]), impact=number(worst["impact"], language),
                       low=number(worst["ci_low"], language), high=number(worst["ci_high"], language),
                       lower=int((shown["ci_high"] < 0).sum()), themes=len(shown), higher=int((shown["ci_low"] > 0).sum())))
    return fig


def plot_importance(table: pd.DataFrame, *, r2: float, labels: Mapping | None = None, language: str = "en",
                    level: float | None = None, title: str = ""):
    """Relative importance of the themes (Shapley share of R²) with bootstrap intervals.

    Parameters
    ----------
    table : DataFrame
        A published :func:`workbench.text.relative_importance` table with ``theme``, ``r2_share``,
        ``r2_low``, ``r2_high`` (shares of the score's variance, 0–1); suppressed rows are not drawn.
    r2 : float
        The full model's R² (stated in the title and the alternative text).
    labels : mapping, optional
        Theme id -> name shown.
    language : str
    level : float, optional
    title : str
        Default: the catalogue's title with R².

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    The title states the full model's R², because a large share of little explained variance is little.

    References
    ----------
    Grömping, U. (2006). Journal of Statistical Software 17(1).
    """
    t = texts(language)
    check_columns(table, ["theme", "r2_share", "r2_low", "r2_high"])
    shown = visible_rows(table).sort_values("r2_share")
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(8.5, 0.38 * len(shown) + 1.9))
    ax.barh(y, shown["r2_share"] * 100, color=_BLUE, height=0.6)
    ax.errorbar(shown["r2_share"] * 100, y, xerr=_errors(shown["r2_share"] * 100, shown["r2_low"] * 100,
                                                          shown["r2_high"] * 100), fmt="none", ecolor="black",
                capsize=2, lw=1)
    ax.set_yticks(y, [_name(labels, th) for th in shown["theme"]], fontsize=9)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: percent(v / 100, language, 1)))
    ax.set_xlabel(t("plots.with_interval", axis=t("plots.importance_axis"), level=_level(table, language, level)),
                  fontsize=9)
    ax.set_title(title or t("plots.importance_title", r2=percent(r2, language, 1)), fontsize=11)
    fig.text(0.01, 0.003, t("plots.association"), fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    if len(shown):
        best = shown.iloc[-1]
        set_alt(fig, t("plots.alt_importance", theme=_name(labels, best["theme"]),
                       share=percent(best["r2_share"], language, 1), low=percent(best["r2_low"], language, 1),
                       high=percent(best["r2_high"], language, 1), r2=percent(r2, language, 1)))
    return fig


def _signal_list(flagged: pd.DataFrame, labels: Mapping | None, time: str) -> str:
    parts = []
    for theme, rows in flagged.groupby("theme", sort=False):
        parts.append(f"{_name(labels, theme)} ({', '.join(str(m) for m in rows[time])})")
    return "; ".join(parts)


def plot_theme_trends(table: pd.DataFrame, *, time: str = "month", themes: Sequence[str] | None = None,
                      labels: Mapping | None = None, language: str = "en", columns: int = 3, title: str = ""):
    """Monthly share of each theme with p-chart limits; signalled months in vermillion.

    Parameters
    ----------
    table : DataFrame
        A published :func:`workbench.text.theme_trends` table (``theme``, ``time``, ``estimate``,
        ``center``, ``limit_low``, ``limit_high``, ``signal``; per cent), its period column named
        ``time``; suppressed rows are not drawn.
    time : str
        The period column.
    themes : sequence of str, optional
        Themes to draw (default every theme of the table).
    labels : mapping, optional
        Theme id -> name shown.
    language : str
    columns : int
        Panels per row.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    The control limits are the band of each month's share under a stable process (they are wider in
    months with fewer comments). Every theme has a panel, all on one time axis.

    References
    ----------
    Montgomery, D. C. Introduction to Statistical Quality Control, ch. 7.
    """
    t = texts(language)
    check_columns(table, ["theme", time, "estimate", "center", "limit_low", "limit_high", "signal"])
    shown = visible_rows(table)
    themes = list(themes) if themes is not None else list(pd.unique(table["theme"]))
    periods = sorted(pd.unique(table[time].astype(str)))
    position = {p: i for i, p in enumerate(periods)}
    across = max(1, min(columns, len(themes)))
    rows = max(1, int(np.ceil(len(themes) / across)))
    fig, axes = plt.subplots(rows, across, figsize=(3.2 * across + 0.8, 2.2 * rows + 1.0), squeeze=False, sharex=True)
    for ax, theme in zip(axes.ravel(), themes):
        part = shown[shown["theme"] == theme]
        x = part[time].astype(str).map(position).to_numpy(dtype=float)
        ax.fill_between(x, part["limit_low"], part["limit_high"], step="mid", color="#D6E9F5",
                        label=t("plots.control_limits"))
        ax.plot(x, part["estimate"], color=_BLUE, marker="o", ms=2.5, lw=1)
        if len(part):
            ax.axhline(float(part["center"].iloc[0]), color="black", lw=0.8)
        flagged = part["signal"].fillna("").astype(str).str.len().to_numpy() > 0
        ax.scatter(x[flagged], part["estimate"].to_numpy()[flagged], color=_VERMILLION, s=18, zorder=3,
                   label=t("plots.signal"))
        ax.set_title(_name(labels, theme), fontsize=10)
        ticks = np.arange(0, len(periods), max(1, len(periods) // 4))
        ax.set_xticks(ticks, [periods[i] for i in ticks], fontsize=8, rotation=30)
        ax.set_ylim(bottom=0)
        _percent_axis(ax, language, axis="y")
        ax.tick_params(axis="y", labelsize=8)
        ax.grid(alpha=0.3)
    _hide_empty(axes, len(themes))
    fig.supylabel(t("plots.trend_axis"), fontsize=9)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    flagged = shown[shown["theme"].isin(themes) & (shown["signal"].fillna("").astype(str) != "")]
    if len(flagged):
        set_alt(fig, t("plots.alt_trends", themes=len(themes), periods=len(periods), signals=len(flagged),
                       where=_signal_list(flagged, labels, time)))
    else:
        set_alt(fig, t("plots.alt_trends_none", themes=len(themes), periods=len(periods)))
    return fig


def plot_emerging(table: pd.DataFrame, *, labels: Mapping | None = None, language: str = "en",
                  level: float | None = None, words: int = 5, title: str = ""):
    """New topics among the comments no theme caught: size with a Wilson interval, labelled by their words.

    Parameters
    ----------
    table : DataFrame
        A published ``Discovery.topics`` table with the share as ``estimate`` (per cent of the uncaught
        comments), ``ci_low``, ``ci_high``, the size as ``comments`` and the redacted ``top_lemmas``;
        suppressed rows are not drawn.
    labels : mapping, optional
        Topic id -> name shown.
    language : str
    level : float, optional
    words : int
        Strongest words in each bar's label.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    The words come from the published table, so they are redacted like every other text of the page.

    References
    ----------
    Lee, D. D. & Seung, H. S. (1999). Nature 401 (NMF).
    """
    t = texts(language)
    check_columns(table, ["topic", "comments", "estimate", "ci_low", "ci_high", "top_lemmas"])
    shown = visible_rows(table).sort_values("estimate")
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(shown) + 1.7))
    ax.barh(y, shown["estimate"], color=_ORANGE, height=0.6)
    ax.errorbar(shown["estimate"], y, xerr=_errors(shown["estimate"], shown["ci_low"], shown["ci_high"]),
                fmt="none", ecolor="black", capsize=2, lw=1)
    first = [", ".join(str(lemmas).split(", ")[:words]) for lemmas in shown["top_lemmas"]]
    ax.set_yticks(y, [f"{_name(labels, k)}: {w}" for k, w in zip(shown["topic"], first)], fontsize=9)
    ax.set_xlim(0, 100)
    _percent_axis(ax, language)
    ax.set_xlabel(t("plots.with_interval", axis=t("plots.emerging_axis"), level=_level(table, language, level)),
                  fontsize=9)
    ax.set_title(title, fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    if len(shown):
        big = shown.iloc[-1]
        set_alt(fig, t("plots.alt_emerging", topic=_name(labels, big["topic"]), share=_pct(big["estimate"], language),
                       n=int(big["comments"]), low=_pct(big["ci_low"], language), high=_pct(big["ci_high"], language),
                       words=first[-1]))
    return fig
