"""What every figure shares: which rows may be drawn, a colour-blind-safe palette, axis texts in the
report's language, and the alternative text a figure carries to the page."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ...privacy.cells import visible_rows  # noqa: F401 - the plots' filter of hidden rows
from ...stats.scales import get_metric
from ..i18n import Catalogue, catalogue, percent

__all__ = ["visible_rows", "PALETTE", "metric_axis", "new_figure", "set_alt", "texts", "pick_rows", "level_text"]

# Okabe & Ito (2008): distinguishable with every common form of colour blindness.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


def wrap(text: str, width: int) -> str:
    """Break a label into lines of at most ``width`` characters at spaces (a longer word stays whole)."""
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


def texts(language: str) -> Catalogue:
    """The catalogue of the figure's language.

    Parameters
    ----------
    language : str

    Returns
    -------
    Catalogue

    Raises
    ------
    ParameterError
        An unknown language.

    Notes
    -----
    Axis labels, legends and titles come from the ``plots`` section of the catalogue.
    """
    return catalogue(language)


def metric_axis(metric: str | None, t: Catalogue) -> str:
    """"Net Promoter Score (NPS points)" in the language: the metric's name and its unit.

    Parameters
    ----------
    metric : str or None
    t : Catalogue

    Returns
    -------
    str

    Raises
    ------
    MetricError
        An unknown metric.

    Notes
    -----
    Every axis that shows a metric says which and in which unit.
    """
    if not metric:
        return t("plots.value")
    info = get_metric(metric)
    if t.has(f"axes.{info.name}"):  # a name that already carries a bracket reads better written out
        return t(f"axes.{info.name}")
    return f"{t('metrics.' + info.name)} ({t.metric_unit(metric)})"


def new_figure(width: float, height: float):
    """A figure and its axes with the workbench's style (readable sizes, light grid).

    Parameters
    ----------
    width, height : float
        Inches; the height is capped at 60 so that no figure becomes unreadable.

    Returns
    -------
    (Figure, Axes)

    Raises
    ------
    ValueError
        Non-positive sizes.

    Notes
    -----
    Text at 10 pt or more on the saved PNG.
    """
    fig, ax = plt.subplots(figsize=(width, min(height, 60)))
    ax.grid(alpha=0.3)
    return fig, ax


def set_alt(fig, text: str):
    """Attach the figure's alternative text (its main finding); :func:`workbench.reports.figure` uses it.

    Parameters
    ----------
    fig : Figure
    text : str

    Returns
    -------
    Figure

    Raises
    ------
    AttributeError
        Never for a matplotlib Figure.

    Notes
    -----
    WCAG 2.1 success criterion 1.1.1: a figure's text alternative states what it shows.
    """
    fig.workbench_alt = text
    return fig


def pick_rows(frame: pd.DataFrame, *, by: str, most: int, flagged: pd.Series | None = None) -> tuple[pd.DataFrame, int]:
    """At most ``most`` rows that matter: the best and the worst by ``by``, and every flagged one.

    Parameters
    ----------
    frame : DataFrame
    by : str
        The column ranked (e.g. ``estimate``).
    most : int
        How many rows a figure can show readably.
    flagged : Series of bool, optional
        Rows that must be shown (e.g. outside funnel limits).

    Returns
    -------
    (DataFrame, int)
        The rows to draw (sorted by ``by``) and how many were left out.

    Raises
    ------
    KeyError
        A missing column.

    Notes
    -----
    Figures with too many groups show the extremes and the flagged ones and say how many they leave
    out; the table beside them is always complete.
    """
    ordered = frame.sort_values(by)
    if len(ordered) <= most:
        return ordered, 0
    half = most // 2
    keep = np.zeros(len(ordered), dtype=bool)
    keep[:half] = True
    keep[-half:] = True
    if flagged is not None:
        keep |= flagged.reindex(ordered.index).fillna(False).to_numpy(bool)
    return ordered[keep], int((~keep).sum())


def level_text(level: float, language: str) -> str:
    """A confidence level as readers write it: "95 %", "99.8 %" (Finnish "99,8 %").

    Parameters
    ----------
    level : float
        A level between 0 and 1.
    language : str

    Returns
    -------
    str

    Raises
    ------
    KeyError
        An unknown language.

    Notes
    -----
    Whole percentages without decimals, others with one: the same rule as the tables' level columns.
    """
    return percent(level, language, 0 if round(level * 100, 6).is_integer() else 1)
