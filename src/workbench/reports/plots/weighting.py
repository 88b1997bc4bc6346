"""Figures of weighting: the overall score under each scheme, unit weights and contributions."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ...stats.scales import get_metric
from .common import visible_rows

__all__ = ["plot_sensitivity", "plot_contributions"]


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
