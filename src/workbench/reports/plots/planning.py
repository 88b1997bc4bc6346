"""Figures of planning: invitations per touchpoint, reliability against responses per unit."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ...stats.scales import get_metric
from .common import visible_rows

__all__ = ["plot_measurement_plan", "plot_reliability"]

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
    for row in rel.drop_duplicates(subset=[label]).itertuples():  # one line per group (the table is long)
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
