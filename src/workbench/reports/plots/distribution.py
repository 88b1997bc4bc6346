"""Figures of answers: distributions per group and the statement battery as a heatmap."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ...stats.scales import get_metric
from ..i18n import number, percent
from .common import new_figure, set_alt, texts, visible_rows, wrap

__all__ = ["plot_distribution", "plot_statement_heatmap"]


def plot_distribution(table: pd.DataFrame, metric: str, *, by: str, language: str = "en", title: str = ""):
    """Answer distribution per group as stacked shares of the substantive answers; hidden groups are not drawn.

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
        With its alternative text (the groups with the most and the fewest answers at the top point).

    Raises
    ------
    DataError
        The table lacks a column the figure needs.

    Notes
    -----
    The bars are shares of the substantive answers: don't-know answers are outside the base (DESIGN.md,
    principle 2), and each group's label gives its base n and, where there are any, its don't-know
    answers. Colours run from the low end to the high end of the scale (a diverging, colour-blind-safe
    map); the legend sits above the bars, clear of the axis labels (issue 14).
    """
    t = texts(language)
    check_columns(table, [by, "answer", "n", "share"])
    info = get_metric(metric)
    shown = visible_rows(table)
    substantive = shown[shown["answer"] != "dont_know"]
    wide = substantive.pivot_table(index=by, columns="answer", values="share", sort=False)
    points = [str(p) for p in info.scale.points if str(p) in wide.columns]
    wide = wide[points].fillna(0.0)
    base = substantive.groupby(by, sort=False)["n"].first().reindex(wide.index)
    dont_know = (substantive.groupby(by, sort=False)["n_dont_know"].first().reindex(wide.index)
                 if "n_dont_know" in substantive else pd.Series(0, index=wide.index)).fillna(0)
    any_dont_know = bool((dont_know > 0).any())
    names = [t("plots.group_base_dont_know", group=t.value(by, str(v)), n=int(base[v]), dont_know=int(dont_know[v]))
             if any_dont_know else t("plots.group_base", group=t.value(by, str(v)), n=int(base[v]))
             for v in wide.index]
    colours = plt.get_cmap("PuOr")(np.linspace(0.1, 0.9, len(points)))
    fig, ax = new_figure(9.5, 0.36 * len(wide) + 2.4)
    left = np.zeros(len(wide))
    for j, point in enumerate(points):
        ax.barh(names, wide[point].to_numpy() * 100, left=left, color=colours[j], label=t.value("answer", point))
        left += wide[point].to_numpy() * 100
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: percent(v / 100, language, 0)))
    ax.set_xlabel(t("plots.share_of_substantive" if info.scale.dont_know else "plots.share_of_answers"))
    ax.tick_params(axis="y", labelsize=8)
    ax.invert_yaxis()
    ax.legend(fontsize=8, ncol=len(points), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False,
              handlelength=1.2, columnspacing=0.9)
    ax.set_title(title, fontsize=11, pad=26)
    fig.tight_layout()
    top = wide[points[-1]] if points else pd.Series(dtype=float)
    if len(top):
        set_alt(fig, t("plots.alt_distribution", metric=t("metrics." + info.name), best=t.value(by, str(top.idxmax())),
                       best_share=percent(top.max(), language, 0), worst=t.value(by, str(top.idxmin())),
                       worst_share=percent(top.min(), language, 0), groups=len(wide),
                       top=t.value("answer", points[-1])))
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
    One figure instead of one stacked bar chart per statement (issue 14), labelled with the statements'
    wording; each cell carries its value, so the colour (viridis: sequential, colour-blind safe) is
    never the only cue, and a hidden cell shows "–".
    """
    t = texts(language)
    check_columns(table, [by, "statement", "estimate"])
    wide = table.pivot_table(index=by, columns="statement", values="estimate", sort=False, dropna=False)
    statements = [s for s in texts_of if s in wide.columns] + [s for s in wide.columns if s not in texts_of]
    wide = wide[statements]
    values = wide.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(1.05 * len(statements) + 3.2, 0.34 * len(wide) + 2.4))
    known = values[~np.isnan(values)]
    image = ax.imshow(values, cmap="viridis", aspect="auto", vmin=known.min() if known.size else 0.0,
                      vmax=known.max() if known.size else 100.0)
    for (i, j), value in np.ndenumerate(values):
        if np.isnan(value):
            ax.text(j, i, "–", ha="center", va="center", fontsize=8, color="black")
            continue
        red, green, blue, _ = image.cmap(image.norm(value))
        # black on light cells, white on dark ones (relative luminance, WCAG)
        light = 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.45
        ax.text(j, i, number(value, language, 0), ha="center", va="center", fontsize=8,
                color="black" if light else "white")
    ax.set_xticks(range(len(statements)), [wrap(texts_of.get(s, s), 16) for s in statements], fontsize=8, rotation=0)
    ax.set_yticks(range(len(wide)), [t.value(by, str(v)) for v in wide.index], fontsize=8)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label(t("plots.agreement_axis"))
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    cells = wide.stack().dropna()
    means = wide.mean(axis=0)
    if len(cells):
        (low_group, low), (high_group, high) = cells.idxmin(), cells.idxmax()
        set_alt(fig, t("plots.alt_heatmap", groups=len(wide), statements=len(statements),
                       low_value=percent(cells.min() / 100, language, 0), low_group=t.value(by, str(low_group)),
                       low=texts_of.get(low, low), high_value=percent(cells.max() / 100, language, 0),
                       high_group=t.value(by, str(high_group)), high=texts_of.get(high, high),
                       low_statement=texts_of.get(means.idxmin(), means.idxmin()),
                       high_statement=texts_of.get(means.idxmax(), means.idxmax()), hidden=int(np.isnan(values).sum())))
    return fig
