"""Figures of answer distributions: stacked shares per group."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ...stats.scales import get_metric
from .common import visible_rows
from ...data.counting import count

__all__ = ["plot_distribution"]


def plot_distribution(data, metric: str, *, by: str, column: str | None = None, min_n: int = 5, title: str = ""):
    """Answer distribution per group as stacked shares (don't know included); small groups are not drawn."""
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
