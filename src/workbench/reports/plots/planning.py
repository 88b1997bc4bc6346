"""Figures of planning: invitations per touchpoint, reliability against responses per unit."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ..i18n import number, percent
from .common import PALETTE, new_figure, set_alt, texts

__all__ = ["plot_measurement_plan", "plot_reliability"]

_STATUS_COLOURS = {"ok": PALETTE[2], "rolling window": PALETTE[4], "infeasible": PALETTE[1]}


def plot_measurement_plan(plan: pd.DataFrame, *, label: str | Sequence[str], fatigue_cap: float, language: str = "en",
                          title: str = "", most: int = 45):
    """Share of each touchpoint's customers to invite per period, coloured by feasibility.

    Parameters
    ----------
    plan : DataFrame
        :func:`workbench.measurement_plan` output.
    label : str or list of str
        Columns naming each touchpoint.
    fatigue_cap : float
        Largest share of customers that may be invited (drawn as a line).
    language : str
    title : str
    most : int
        Touchpoints that need a rolling window or are infeasible are always drawn; feasible ones fill
        the figure up to this many rows, highest share first, and the figure says how many it leaves out.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        The table lacks a column the figure needs.

    Notes
    -----
    The axis is the invitation share in percent; bars beyond 300 % are cut and marked.
    """
    t = texts(language)
    labels = [label] if isinstance(label, str) else list(label)
    check_columns(plan, labels + ["invite_share", "status"])
    ordered = plan.sort_values("invite_share")
    problem = ordered["status"] != "ok"
    room = max(most - int(problem.sum()), 0)
    keep = problem.to_numpy() | (np.arange(len(ordered)) >= len(ordered) - room - int(problem.sum()))
    shown = ordered[keep]
    left_out = len(ordered) - len(shown)
    names = shown[labels].astype(str).apply(lambda r: " · ".join(t.value(c, v) for c, v in r.items()), axis=1)
    fig, ax = new_figure(8.5, 0.26 * len(shown) + 1.8)
    y = np.arange(len(shown))
    share = shown["invite_share"].to_numpy(float) * 100
    ax.barh(y, np.minimum(share, 300), color=[_STATUS_COLOURS.get(s, "grey") for s in shown["status"]])
    for i in np.flatnonzero(share > 300):
        ax.annotate("›", (300, i), va="center", fontsize=12)
    ax.axvline(fatigue_cap * 100, color="black", ls="--", lw=1,
               label=t("plots.fatigue_cap", cap=percent(fatigue_cap, language, 0)))
    ax.axvline(100, color="grey", ls=":", lw=1, label=t("plots.everyone"))
    ax.set_yticks(y, names, fontsize=7)
    ax.set_xlabel(t("plots.invite_share_axis"))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: percent(v / 100, language, 0)))
    for status, colour in _STATUS_COLOURS.items():
        ax.barh([np.nan], [np.nan], color=colour, label=t.value("status", status))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    note = t("plots.left_out_ok", left=left_out) if left_out else ""
    ax.set_title("\n".join(x for x in (title, note) if x), fontsize=11)
    fig.tight_layout()
    counts = plan["status"].value_counts()
    set_alt(fig, t("plots.alt_plan", ok=int(counts.get("ok", 0)), rolling=int(counts.get("rolling window", 0)),
                   infeasible=int(counts.get("infeasible", 0)), cap=percent(fatigue_cap, language, 0)))
    return fig


def plot_reliability(rel: pd.DataFrame, *, label: str, thresholds=(0.7, 0.8), max_n: int = 400, language: str = "en",
                     title: str = ""):
    """Reliability of unit results against responses per unit (Spearman–Brown), one line per group.

    Parameters
    ----------
    rel : DataFrame
        :func:`workbench.reliability` output (long: one row per group and threshold).
    label : str
        The group column.
    thresholds : tuple of float
    max_n : int
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
    R(n) = τ² / (τ² + σ²/n) per group; the legend sits outside the axes so that it covers no line.
    """
    t = texts(language)
    check_columns(rel, [label, "between_var", "within_var"])
    n = np.arange(1, max_n + 1)
    fig, ax = new_figure(9, 4.8)
    styles = ["-", "--", "-.", ":"]
    groups = rel.drop_duplicates(subset=[label])
    for i, row in enumerate(groups.itertuples()):
        tau2, sigma2 = row.between_var, row.within_var
        ax.plot(n, tau2 / (tau2 + sigma2 / n), color=PALETTE[i % len(PALETTE)], ls=styles[(i // len(PALETTE)) % 4],
                label=t.value(label, str(getattr(row, label))))
    for threshold in thresholds:
        ax.axhline(threshold, color="grey", ls="--", lw=0.8)
        ax.annotate(f"R = {number(threshold, language, 1)}", (max_n, threshold), fontsize=8, ha="right", va="bottom")
    ax.set_xlabel(t("plots.responses_per_unit"))
    ax.set_ylabel(t("plots.reliability_axis"))
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    first = rel[rel.get("threshold", pd.Series(0.7, index=rel.index)) == thresholds[0]] if "threshold" in rel else groups
    finite = first[np.isfinite(first["n_needed"])] if "n_needed" in first else first.iloc[:0]
    if len(finite):
        low, high = finite.loc[finite["n_needed"].idxmin()], finite.loc[finite["n_needed"].idxmax()]
        set_alt(fig, t("plots.alt_reliability", level=number(thresholds[0], language, 1),
                       easy=t.value(label, str(low[label])), easy_n=int(low["n_needed"]),
                       hard=t.value(label, str(high[label])), hard_n=int(high["n_needed"])))
    return fig
