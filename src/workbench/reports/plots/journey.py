"""Figures of the sending plan: expected responses against the requirement, burden per person,
R-indicators, the effect of each rule, and today's rates beside optimised ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from .common import visible_rows

__all__ = ["plot_expected_vs_required", "plot_burden", "plot_r_indicators", "plot_rule_effects", "plot_rates"]

_BLUE, _ORANGE, _GREY, _RED = "#1f4e79", "#c55a11", "#7f7f7f", "#b3261e"


def plot_expected_vs_required(check: pd.DataFrame, *, title: str = "", max_rows: int = 60):
    """Expected responses per unit and period with their interval, today's and planned, against the need.

    Parameters
    ----------
    check : DataFrame
        ``unit``, ``period``, ``responses_needed``, ``expected`` with ``ci_low``/``ci_high`` (planned rates) and
        optionally ``expected_current`` (today's rates) and ``status``; suppressed rows are not drawn.
    title : str
    max_rows : int

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    The interval is the prediction interval of the number of responses given the invitations
    (:func:`~workbench.journey.expected_responses`); infeasible unit-periods are drawn in red.

    References
    ----------
    Wilke, C. O. (2019), *Fundamentals of Data Visualization*, ch. 16 (visualising uncertainty).
    """
    check_columns(check, ["unit", "period", "responses_needed", "expected", "ci_low", "ci_high"])
    shown = visible_rows(check).sort_values(["unit", "period"]).tail(max_rows)
    names = shown["unit"].astype(str) + " · " + shown["period"].astype(str)
    fig, ax = plt.subplots(figsize=(8.5, 0.26 * len(shown) + 1.6))
    y = np.arange(len(shown))
    bad = shown.get("status", pd.Series("", index=shown.index)).eq("infeasible").to_numpy()
    conf = shown["confidence"].iloc[0] if "confidence" in shown and len(shown) else 0.95
    for mask, colour, label in ((~bad, _BLUE, f"planned rates ({conf:.0%} interval)"), (bad, _RED, "infeasible")):
        part = shown[mask]
        if len(part):
            ax.errorbar(part["expected"], y[mask], xerr=[part["expected"] - part["ci_low"],
                                                         part["ci_high"] - part["expected"]],
                        fmt="o", ms=4, color=colour, ecolor=colour, capsize=2, label=label, zorder=3)
    if "expected_current" in shown:
        ax.scatter(shown["expected_current"], y, marker="o", facecolors="none", edgecolors=_GREY, s=22,
                   label="today's rates")
    ax.scatter(shown["responses_needed"], y, marker="|", color="black", s=140, label="responses needed")
    ax.set_yticks(y, names, fontsize=7)
    ax.set_xlabel("expected responses per period")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_burden(runs: Mapping[str, Sequence[pd.DataFrame]], *, cap: int | None = None, title: str = ""):
    """Share of persons by number of invitations in the period, over several simulated draws.

    Parameters
    ----------
    runs : mapping of label to list of DataFrame
        For each scenario (e.g. "today", "planned"), :func:`~workbench.journey.burden` tables of several seeds,
        passed through :func:`~workbench.privacy.suppress` (suppressed rows are not drawn).
    cap : int, optional
        The cap per person, drawn as a line.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        A table without ``invitations`` and ``share``.

    Notes
    -----
    Bars are the mean share over the draws and whiskers their range: the spread comes from the sampling draw.
    Shares of persons with no invitation are shown too (they are most people).

    References
    ----------
    Porter, Whitcomb & Weitzer (2004) on survey fatigue.
    """
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / max(len(runs), 1)
    colours = [_BLUE, _ORANGE, _GREY]
    top = 0
    for i, (label, tables) in enumerate(runs.items()):
        for table in tables:
            check_columns(table, ["invitations", "share"])
        # Suppressed counts (fewer than min_n persons) are not drawn; a count missing from a draw is 0 there.
        wide = pd.concat([visible_rows(t).set_index("invitations")["share"] for t in tables], axis=1)
        wide = wide[wide.notna().any(axis=1)].fillna(0.0)
        x = wide.index.to_numpy() + (i - (len(runs) - 1) / 2) * width
        mean = wide.mean(axis=1).to_numpy()
        ax.bar(x, mean, width=width, color=colours[i % 3], label=f"{label} ({len(tables)} draws)")
        ax.errorbar(x, mean, yerr=[mean - wide.min(axis=1).to_numpy(), wide.max(axis=1).to_numpy() - mean],
                    fmt="none", ecolor="black", capsize=2, lw=0.8)
        top = max(top, int(wide.index.max()))
    if cap:
        ax.axvline(cap + 0.5, color=_RED, ls="--", lw=1, label=f"cap: {cap}")
    ax.set_yscale("log")
    ax.set_xticks(range(top + 1))
    ax.set_xlabel("invitations per person in the period")
    ax.set_ylabel("share of persons with a contact (log scale)")
    ax.legend(fontsize=8)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_r_indicators(categories: pd.DataFrame, *, r_indicator: float | None = None, title: str = ""):
    """Partial R-indicators per category: signed unconditional (bars) and conditional (markers).

    Parameters
    ----------
    categories : DataFrame
        ``variable``, ``category``, ``partial_unconditional``, ``partial_conditional`` (from
        :func:`~workbench.journey.r_indicators`); suppressed rows are not drawn.
    r_indicator : float, optional
        Shown in the title.
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
    A bar left of zero is an under-invited category; the conditional marker shows what is left of it once the
    other variables are accounted for. The indicators describe all contacts of the period (no sampling error).

    References
    ----------
    Schouten, Shlomo & Skinner (2011), Journal of Official Statistics 27(2).
    """
    check_columns(categories, ["variable", "category", "partial_unconditional", "partial_conditional"])
    shown = visible_rows(categories)
    names = shown["variable"].astype(str) + ": " + shown["category"].astype(str)
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(shown) + 1.6))
    y = np.arange(len(shown))
    ax.barh(y, shown["partial_unconditional"], color=np.where(shown["partial_unconditional"] < 0, _ORANGE, _BLUE),
            label="unconditional (signed)")
    ax.scatter(shown["partial_conditional"], y, color="black", marker="d", s=18, zorder=3,
               label="conditional (size only)")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, names, fontsize=7)
    ax.set_xlabel("partial R-indicator (share of the variation of invitation propensities)")
    suffix = f" (R = {r_indicator:.3f})" if r_indicator is not None else ""
    ax.set_title(title + suffix)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_rule_effects(effects: pd.DataFrame, *, title: str = ""):
    """Invitations each rule removes (the simulation without that rule, against all rules).

    Parameters
    ----------
    effects : DataFrame
        ``rule``, ``removed`` and ``responses_removed`` (from :func:`~workbench.journey.rule_effects`).
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
    One simulated draw with common random numbers: the bars differ only by the rule. The expected responses
    lost are annotated.

    References
    ----------
    Saltelli et al. (2008), *Global Sensitivity Analysis: The Primer* (one-at-a-time effects).
    """
    check_columns(effects, ["rule", "removed", "responses_removed"])
    shown = effects[effects["rule"] != "all rules"].sort_values("removed")
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(shown) + 1.5))
    y = np.arange(len(shown))
    ax.barh(y, shown["removed"], color=_BLUE)
    for yi, (removed, lost) in enumerate(zip(shown["removed"], shown["responses_removed"])):
        ax.annotate(f" {lost:,.0f} responses", (max(removed, 0), yi), va="center", fontsize=7)
    ax.set_yticks(y, shown["rule"], fontsize=8)
    ax.set_xlabel("invitations the rule removes (without it minus with all rules)")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_rates(rates: pd.DataFrame, *, title: str = "", max_rows: int = 80):
    """Today's sampling rate beside the optimised one, per unit and touchpoint.

    Parameters
    ----------
    rates : DataFrame
        ``unit``, ``touchpoint``, ``current_rate``, ``rate`` (from :func:`~workbench.journey.plan_rates`).
    title : str
    max_rows : int

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    Rates are decisions, not estimates: what the plan's uncertainty means is drawn in the expected-responses
    figure.

    References
    ----------
    Cleveland, W. S. (1984), Graphical methods for data presentation (dot charts).
    """
    check_columns(rates, ["unit", "touchpoint", "current_rate", "rate"])
    shown = rates.sort_values(["unit", "touchpoint"]).tail(max_rows)
    names = shown["unit"].astype(str) + " · " + shown["touchpoint"].astype(str)
    fig, ax = plt.subplots(figsize=(8.5, 0.22 * len(shown) + 1.6))
    y = np.arange(len(shown))
    ax.hlines(y, shown["current_rate"], shown["rate"], color=_GREY, lw=1)
    ax.scatter(shown["current_rate"], y, facecolors="none", edgecolors=_GREY, s=20, label="today")
    ax.scatter(shown["rate"], y, color=_ORANGE, s=20, label="optimised", zorder=3)
    ax.set_yticks(y, names, fontsize=6)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("sampling rate (share of contacts invited)")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
