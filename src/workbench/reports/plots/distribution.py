"""Figures of answers: distributions per group and the statement battery as a heatmap."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ...stats.scales import get_metric
from ..i18n import percent
from .common import set_alt, texts, visible_rows

__all__ = ["plot_distribution", "plot_statement_heatmap"]


def plot_distribution(table: pd.DataFrame, metric: str, *, by: str, language: str = "en", title: str = ""):
    """Answer distribution per group as stacked shares; hidden groups are not drawn.

    Parameters
    ----------
    table : DataFrame
        :func:`workbench.stats.distribution.answer_distribution` output, published.
    metric : str
    by : str
        The group column.
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
    Colours run from the low end to the high end of the scale (a diverging, colour-blind-safe map);
    don't know in grey; the legend sits below the axes, clear of every label.
    """
    t = texts(language)
    check_columns(table, [by, "answer", "share"])
    info = get_metric(metric)
    shown = visible_rows(table)
    substantive = shown[shown["answer"] != "dont_know"]
    wide = substantive.pivot_table(index=by, columns="answer", values="share", sort=False)
    points = [str(p) for p in info.scale.points if str(p) in wide.columns]
    wide = wide[points].fillna(0.0)
    names = [t.value(by, str(v)) for v in wide.index]
    colours = plt.get_cmap("PuOr")(np.linspace(0.1, 0.9, len(points)))
    fig, ax = plt.subplots(figsize=(9.5, 0.38 * len(wide) + 2.2))
    left = np.zeros(len(wide))
    for j, point in enumerate(points):
        ax.barh(names, wide[point].to_numpy() * 100, left=left, color=colours[j],
                label=t.value("answer", point))
        left += wide[point].to_numpy() * 100
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: percent(v / 100, language, 0)))
    ax.set_xlabel(t("plots.share_of_answers"))
    ax.invert_yaxis()
    ax.legend(fontsize=8, ncol=min(len(points), 11), loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.5 / len(wide)))
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    top = wide[points[-1]] if points else pd.Series(dtype=float)
    if len(top):
        set_alt(fig, t("plots.alt_distribution", metric=t("metrics." + info.name), best=t.value(by, str(top.idxmax())),
                       best_share=percent(top.max(), language, 0), worst=t.value(by, str(top.idxmin())),
                       worst_share=percent(top.min(), language, 0), groups=len(wide)))
    return fig


def plot_statement_heatmap(table: pd.DataFrame, *, by: str, texts_of: dict, language: str = "en", title: str = ""):
    """Agreement (share of 4–5) per group and statement as a heatmap with the statements' wording.

    Parameters
    ----------
    table : DataFrame
        :func:`workbench.statement_summary` output by group, published (hidden cells are blank).
    by : str
        The group column (e.g. area).
    texts_of : dict
        Statement id -> its wording.
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
    One figure instead of one stacked bar chart per statement; each cell carries its value, so the
    colour (sequential, colour-blind safe) is never the only cue.
    """
    t = texts(language)
    check_columns(table, [by, "statement", "estimate"])
    wide = table.pivot_table(index=by, columns="statement", values="estimate", sort=False, dropna=False)
    statements = [s for s in texts_of if s in wide.columns] + [s for s in wide.columns if s not in texts_of]
    wide = wide[statements]
    fig, ax = plt.subplots(figsize=(1.25 * len(statements) + 4, 0.36 * len(wide) + 2.8))
    image = ax.imshow(wide.to_numpy(dtype=float), cmap="viridis", aspect="auto", vmin=np.nanmin(wide.to_numpy()),
                      vmax=np.nanmax(wide.to_numpy()))
    for (i, j), value in np.ndenumerate(wide.to_numpy(dtype=float)):
        text = "–" if np.isnan(value) else f"{value:.0f}"
        colour = "white" if not np.isnan(value) and value < np.nanmean(wide.to_numpy()) else "black"
        ax.text(j, i, text, ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(len(statements)), [_wrap(texts_of.get(s, s)) for s in statements], fontsize=8, rotation=0)
    ax.set_yticks(range(len(wide)), [t.value(by, str(v)) for v in wide.index], fontsize=8)
    ax.xaxis.tick_top()
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label(t("plots.agreement_axis"))
    ax.set_title(title, fontsize=11, pad=40)
    fig.tight_layout()
    means = wide.mean(axis=0)
    set_alt(fig, t("plots.alt_heatmap", groups=len(wide), statements=len(statements),
                   low=texts_of.get(means.idxmin(), means.idxmin()), low_value=f"{means.min():.0f}",
                   high=texts_of.get(means.idxmax(), means.idxmax()), high_value=f"{means.max():.0f}"))
    return fig


def _wrap(text: str, width: int = 16) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])
