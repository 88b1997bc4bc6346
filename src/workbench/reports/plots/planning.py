"""Figures of planning: invitations per touchpoint, reliability against responses per unit."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap, to_hex, to_rgb
from matplotlib.patches import Patch

from ..._validate import check_columns
from ...errors import DataError
from ..i18n import number, percent
from .common import PALETTE, new_figure, set_alt, texts, visible_rows, wrap

__all__ = ["plot_measurement_plan", "plot_reliability"]

_STATUS_COLOURS = {"ok": PALETTE[2], "rolling window": PALETTE[4], "infeasible": PALETTE[1]}
# Grid cells: the feasible and rolling-window colours lightened towards white so that black text stays readable
# and the infeasible cells (full vermillion) stand out from the orange ones.
_CELL_COLOURS = {"ok": to_hex(0.45 * np.array(to_rgb(PALETTE[2])) + 0.55),
                 "rolling window": to_hex(0.45 * np.array(to_rgb(PALETTE[4])) + 0.55), "infeasible": PALETTE[1]}


def plot_measurement_plan(plan: pd.DataFrame, *, label: str | Sequence[str], by: str | None = None,
                          fatigue_cap: float, language: str = "en", title: str = ""):
    """Every touchpoint's invitations as a share of its customers per period, as a grid coloured by feasibility.

    Parameters
    ----------
    plan : DataFrame
        :func:`workbench.measurement_plan` output.
    label : str or list of str
        Columns naming the grid's rows (e.g. ``area``; with ``by`` None, the columns naming each
        touchpoint).
    by : str, optional
        The column whose values are the grid's columns (e.g. ``service``); None: one column.
    fatigue_cap : float
        Largest share of customers that may be invited (stated in the legend and the alt text).
    language : str
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        With its alternative text (how many touchpoints are drawn, and how many of each status).

    Raises
    ------
    DataError
        The table lacks a column the figure needs, or two touchpoints fall in the same cell.

    Notes
    -----
    Every touchpoint is drawn (issue 14: a bar chart of the 110 touchpoints that miss the target showed
    60): one cell per row and column, its colour the status (Okabe–Ito), its text the share of the
    period's customers to invite, in percent, and for a rolling window the months it needs — so the
    status is readable without colour.
    """
    t = texts(language)
    labels = [label] if isinstance(label, str) else list(label)
    check_columns(plan, labels + ([by] if by else []) + ["invite_share", "months_needed", "status"])
    rows = plan[labels].astype(str).apply(lambda r: " · ".join(t.value(c, v) for c, v in r.items()), axis=1)
    columns = plan[by].astype(str) if by else pd.Series("", index=plan.index)
    twice = pd.DataFrame({"row": rows, "column": columns}).duplicated()
    if twice.any():
        raise DataError(f"Columns {labels + ([by] if by else [])} name {int(twice.sum())} of {len(plan)} touchpoints "
                        "twice; the plan grid needs one touchpoint per cell.")
    row_names = sorted(rows.unique(), key=str)
    column_names = sorted(columns.unique(), key=str)
    statuses = list(_STATUS_COLOURS)
    codes = np.full((len(row_names), len(column_names)), np.nan)
    # at most about 10 inches wide: the page shows it without scaling it down (text stays at its size)
    width = max(2.0 + 0.95 * len(column_names), 7.0)  # room for the legend below a grid of one or two columns
    fig, ax = new_figure(width, 0.36 * len(row_names) + 2.6)
    for (row, column, share, months, status) in zip(rows, columns, plan["invite_share"], plan["months_needed"],
                                                    plan["status"]):
        i, j = row_names.index(row), column_names.index(column)
        codes[i, j] = statuses.index(status) if status in statuses else np.nan
        text = percent(float(share), language, 0) if np.isfinite(share) else "–"
        if status == "rolling window":
            text += "\n" + t("plots.months_short", months=int(months))
        elif status == "infeasible":
            text += "\n" + t("plots.no_window")
        ax.text(j, i, text, ha="center", va="center", fontsize=8.5, linespacing=1.0)
    ax.imshow(codes, cmap=ListedColormap([_CELL_COLOURS[s] for s in statuses]), vmin=-0.5, vmax=len(statuses) - 0.5,
              aspect="auto")
    ax.set_xticks(range(len(column_names)), [wrap(t.value(by, c), 14) if by else "" for c in column_names], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(row_names)), row_names, fontsize=9)
    ax.set_xticks(np.arange(len(column_names) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(row_names) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="minor", length=0)
    handles = [Patch(color=_CELL_COLOURS[s], label=t.value("status", s)) for s in statuses]
    ax.legend(handles=handles, fontsize=9, ncol=len(handles), loc="upper center", bbox_to_anchor=(0.5, -0.01),
              title=wrap(t("plots.plan_cells", cap=percent(fatigue_cap, language, 0)), int(width * 9)), title_fontsize=9,
              frameon=False)
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    counts = plan["status"].value_counts()
    set_alt(fig, t("plots.alt_plan", drawn=len(plan), ok=int(counts.get("ok", 0)),
                   rolling=int(counts.get("rolling window", 0)), infeasible=int(counts.get("infeasible", 0)),
                   cap=percent(fatigue_cap, language, 0)))
    return fig


def plot_reliability(rel: pd.DataFrame, *, label: str, thresholds=(0.7, 0.8), max_n: int = 400, language: str = "en",
                     title: str = ""):
    """Reliability of unit results against responses per unit (Spearman–Brown), one line per group.

    Parameters
    ----------
    rel : DataFrame
        :func:`workbench.reliability` output (long: one row per group and threshold), published: hidden
        groups are not drawn.
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
    R(n) = τ² / (τ² + σ²/n) per group, written with the between-unit share icc = τ² / (τ² + σ²) as
    n·icc / (n·icc + 1 − icc), so the table need not carry the variances; line styles as well as colours
    tell the groups apart; the legend sits outside the axes so that it covers no line.
    """
    t = texts(language)
    check_columns(rel, [label, "icc"])
    rel = visible_rows(rel)
    n = np.arange(1, max_n + 1)
    fig, ax = new_figure(9, 4.8)
    styles = ["-", "--", "-.", ":"]
    groups = rel.drop_duplicates(subset=[label])
    for i, row in enumerate(groups.itertuples()):
        # R(n) = τ² / (τ² + σ²/n) = n·icc / (n·icc + 1 − icc), icc = τ² / (τ² + σ²)
        ax.plot(n, n * row.icc / (n * row.icc + 1 - row.icc), color=PALETTE[i % len(PALETTE)], ls=styles[i % 4],
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
