"""Figures of weighting: the overall score under each scheme, unit weights and contributions."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ..i18n import number, percent
from .common import PALETTE, level_text, metric_axis, set_alt, texts, visible_rows

__all__ = ["plot_sensitivity", "plot_contributions"]


def plot_sensitivity(table: pd.DataFrame, *, metric: str | None = None, language: str = "en", title: str = ""):
    """The overall score under each weighting scheme with its interval.

    Parameters
    ----------
    table : DataFrame
        :func:`workbench.sensitivity` output for one group (published: hidden rows are not drawn).
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
    Each label carries the scheme's design effect, the price of the weighting in precision.
    """
    t = texts(language)
    check_columns(table, ["scheme", "estimate", "ci_low", "ci_high"])
    shown = visible_rows(table)
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(shown) + 1.6))
    y = np.arange(len(shown))
    ax.errorbar(shown["estimate"], y, xerr=[shown["estimate"] - shown["ci_low"], shown["ci_high"] - shown["estimate"]],
                fmt="o", capsize=3, color=PALETTE[0])
    deffs = shown["deff"] if "deff" in shown else [np.nan] * len(shown)
    labels = [t.value("scheme", s) + (f"  ({t('plots.deff_label', deff=number(d, language, 2))})" if pd.notna(d) else "")
              for s, d in zip(shown["scheme"], deffs)]
    ax.set_yticks(y, labels)
    level = level_text(float(shown["confidence"].iloc[0]), language) if "confidence" in shown and len(shown) else ""
    ax.set_xlabel(t("plots.with_interval", axis=metric_axis(metric, t), level=level))
    ax.invert_yaxis()
    ax.set_title(title, fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    if len(shown):
        low, high = shown.loc[shown["estimate"].idxmin()], shown.loc[shown["estimate"].idxmax()]
        set_alt(fig, t("plots.alt_sensitivity", low_scheme=t.value("scheme", low["scheme"]),
                       low=number(low["estimate"], language), high_scheme=t.value("scheme", high["scheme"]),
                       high=number(high["estimate"], language)))
    return fig


def plot_contributions(parts: pd.DataFrame, *, label: str, language: str = "en", metric: str | None = None,
                       title: str = ""):
    """Each unit's weight share (bars) beside its own estimate with interval (points).

    Parameters
    ----------
    parts : DataFrame
        :func:`workbench.contributions` output, published: a unit whose cell is hidden shows neither
        its weight nor its estimate.
    label : str
        The unit column.
    language : str
    metric : str, optional
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
    Dominant units are drawn in the palette's warning colour.
    """
    t = texts(language)
    check_columns(parts, [label, "weight", "estimate", "ci_low", "ci_high"])
    shown = visible_rows(parts).sort_values("weight")
    y = np.arange(len(shown))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.32 * len(shown) + 1.8), sharey=True)
    dominant = shown["dominant"].astype(bool).to_numpy() if "dominant" in shown else np.zeros(len(shown), bool)
    left.barh(y, shown["weight"] * 100, color=np.where(dominant, PALETTE[1], PALETTE[5]))
    left.set_xlabel(t("plots.weight_share"))
    left.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: percent(v / 100, language, 0)))
    left.set_yticks(y, shown[label].astype(str), fontsize=8)
    right.errorbar(shown["estimate"], y, xerr=[shown["estimate"] - shown["ci_low"], shown["ci_high"] - shown["estimate"]],
                   fmt="o", ms=4, capsize=2, color=PALETTE[0])
    right.set_xlabel(t("plots.unit_estimate", axis=metric_axis(metric, t)))
    right.grid(axis="x", alpha=0.3)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    hidden = len(parts) - len(shown)
    if len(shown):
        heavy = shown.loc[shown["weight"].idxmax()]
        set_alt(fig, t("plots.alt_contributions", unit=str(heavy[label]), share=percent(heavy["weight"], language, 0),
                       units=len(shown), hidden=hidden))
    return fig
