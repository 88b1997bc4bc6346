"""Figures of the sending plan: expected responses against the requirement, burden per person,
R-indicators, the effect of each rule, and today's rates beside optimised ones.

Each takes a published table (suppressed rows are not drawn, and the figure says how many it leaves
out), draws every unit, and words its axes, legend and alternative text in the report's language.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..._validate import check_columns
from ..i18n import number, percent
from .common import PALETTE, level_text, new_figure, set_alt, texts, visible_rows

__all__ = ["plot_expected_vs_required", "plot_burden", "plot_r_indicators", "plot_rule_effects", "plot_rates"]

_ROW = 0.24  # inches per row of a dot chart: every unit is drawn, so the figure grows with them


def _title(ax, title: str, note: str) -> None:
    ax.set_title("\n".join(x for x in (title, note) if x), fontsize=11, loc="left")


def _legend_below(fig, ax, height: float) -> None:
    """The legend under the axes, outside the rows (a tall dot chart has no free corner)."""
    fig.tight_layout(rect=(0, 0.55 / min(height, 60), 1, 1))  # new_figure caps the height at 60 inches
    fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=2, fontsize=8, frameon=False)


def plot_expected_vs_required(check: pd.DataFrame, *, language: str = "en", confidence: float = 0.95,
                              title: str = ""):
    """Expected responses per unit and period with their interval, today's and planned, against the need.

    Parameters
    ----------
    check : DataFrame
        The published check table of report 07: ``unit``, ``period``, ``responses_needed``, ``expected_planned``
        with ``ci_low``/``ci_high`` (optimised rates), ``expected_current`` (today's rates) and ``status``;
        suppressed rows are not drawn.
    language : str
    confidence : float
        The level of the intervals (for the legend).
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        With its alternative text: how many unit-periods meet their need, today and planned.

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    The interval is the prediction interval of the number of responses given the invitations
    (:func:`~workbench.journey.expected_responses`); unit-periods that no rate can serve are drawn in the
    palette's warning colour. Every unit-period that is not hidden is drawn.

    References
    ----------
    Wilke, C. O. (2019), *Fundamentals of Data Visualization*, ch. 16 (visualising uncertainty).
    """
    t = texts(language)
    check_columns(check, ["unit", "period", "responses_needed", "expected_planned", "ci_low", "ci_high",
                          "expected_current", "status"])
    shown = visible_rows(check).sort_values(["unit", "period"], ascending=False)
    hidden = len(check) - len(shown)
    names = [f"{t.value('unit', u)} · {p}" for u, p in zip(shown["unit"].astype(str), shown["period"].astype(str))]
    height = _ROW * len(shown) + 2.1
    fig, ax = new_figure(9, height)
    y = np.arange(len(shown))
    bad = shown["status"].eq("infeasible").to_numpy()
    level = level_text(confidence, language)
    for mask, colour, label in ((~bad, PALETTE[0], t("plots.planned_rates", level=level)),
                                (bad, PALETTE[1], t("plots.infeasible", level=level))):
        part = shown[mask]
        if len(part):
            ax.errorbar(part["expected_planned"], y[mask],
                        xerr=[part["expected_planned"] - part["ci_low"], part["ci_high"] - part["expected_planned"]],
                        fmt="o", ms=4, color=colour, ecolor=colour, capsize=2, label=label, zorder=3)
    # Today's expectation can be many times the need (a rate far above what the unit needs); the axis
    # stays on the need and the plan, and a value beyond it is marked at the edge with its number.
    limit = 1.35 * max(float(np.nanmax(shown[["ci_high", "responses_needed"]].to_numpy(float), initial=0.0)), 1.0)
    today = shown["expected_current"].to_numpy(float)
    inside = ~(today > limit)
    ax.scatter(today[inside], y[inside], marker="o", facecolors="none", edgecolors=PALETTE[6], s=24,
               label=t("plots.todays_rates"), zorder=2)
    if (~inside).any():
        ax.scatter(np.full(int((~inside).sum()), limit), y[~inside], marker=">", facecolors="none",
                   edgecolors=PALETTE[6], s=28, label=t("plots.todays_rates_beyond"), zorder=2)
        for yi, value in zip(y[~inside], today[~inside]):
            ax.annotate(number(value, language, 0), (limit, yi), xytext=(-7, 0), textcoords="offset points",
                        ha="right", va="center", fontsize=8)
    ax.scatter(shown["responses_needed"], y, marker="|", color=PALETTE[6], s=160, linewidths=1.6,
               label=t("plots.responses_needed"), zorder=4)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_ylim(-0.7, len(shown) - 0.3)
    ax.set_xlim(0, limit * 1.03)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: number(v, language, 0)))
    ax.set_xlabel(t("plots.expected_axis"))
    ax.grid(axis="y", alpha=0)
    _title(ax, title, t("plots.hidden_rows", hidden=hidden) if hidden else "")
    _legend_below(fig, ax, height)
    met_today = int((shown["expected_current"] >= shown["responses_needed"]).sum())
    met_plan = int((shown["expected_planned"] >= shown["responses_needed"]).sum())
    infeasible = sorted(t.value("unit", u) for u in shown.loc[bad, "unit"].astype(str).unique())
    set_alt(fig, t("plots.alt_expected", rows=len(shown), today=met_today, planned=met_plan,
                   infeasible=", ".join(infeasible) or t("plots.none"), hidden=hidden))
    return fig


def plot_burden(draws: pd.DataFrame, *, cap: int | None = None, language: str = "en", title: str = ""):
    """Share of persons by number of invitations in the period, for each set of rates, over several draws.

    Parameters
    ----------
    draws : DataFrame
        The published burden table of report 07 (:func:`~workbench.journey.burden_draws`): ``scenario``,
        ``draw``, ``invitations``, ``share_of_persons``; suppressed rows (fewer than min_n persons) are not drawn.
    cap : int, optional
        The cap per person, drawn as a line.
    language : str
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        With its alternative text: the share invited at least once under each set of rates.

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    Bars are the mean share over the draws and whiskers their range: the spread comes from the sampling draw.
    Shares of persons with no invitation are shown too (they are most people), on a logarithmic axis so that
    the few with several invitations stay visible.

    References
    ----------
    Porter, Whitcomb & Weitzer (2004) on survey fatigue.
    """
    t = texts(language)
    check_columns(draws, ["scenario", "draw", "invitations", "share_of_persons"])
    shown = visible_rows(draws)
    hidden = len(draws) - len(shown)
    scenarios = list(dict.fromkeys(draws["scenario"]))
    height = 5.2
    fig, ax = new_figure(8.5, height)
    width = 0.8 / max(len(scenarios), 1)
    top, invited = 0, {}
    for i, scenario in enumerate(scenarios):
        part = shown[shown["scenario"] == scenario]
        n_draws = int(draws.loc[draws["scenario"] == scenario, "draw"].nunique())
        # A count missing from a draw (none, or hidden) is drawn as 0 there: the range never hides a draw.
        wide = part.pivot_table(index="invitations", columns="draw", values="share_of_persons", aggfunc="first")
        wide = wide.reindex(columns=sorted(draws.loc[draws["scenario"] == scenario, "draw"].unique())).fillna(0.0)
        if wide.empty:
            continue
        x = wide.index.to_numpy(float) + (i - (len(scenarios) - 1) / 2) * width
        mean = wide.mean(axis=1).to_numpy()
        ax.bar(x, mean, width=width, color=PALETTE[i % len(PALETTE)],
               label=t("plots.burden_scenario", scenario=t.value("scenario", scenario), draws=n_draws))
        ax.errorbar(x, mean, yerr=[mean - wide.min(axis=1).to_numpy(), wide.max(axis=1).to_numpy() - mean],
                    fmt="none", ecolor="black", capsize=2, lw=0.8)
        top = max(top, int(wide.index.max()))
        invited[scenario] = 1.0 - float(mean[0]) if wide.index[0] == 0 else float("nan")
    if cap:
        ax.axvline(cap + 0.5, color=PALETTE[6], ls="--", lw=1, label=t("plots.cap", cap=cap))
    ax.set_yscale("log")
    ax.set_ylim(top=1.0)
    # one significant digit on the decades: 100 %, 10 %, 1 %, 0.1 %, 0.01 %
    ax.yaxis.set_major_formatter(plt.FuncFormatter(
        lambda v, _: percent(v, language, max(0, int(-np.floor(np.log10(v * 100) + 1e-9)))) if v > 0 else ""))
    ax.set_xticks(range(top + 1))
    ax.set_xlabel(t("plots.invitations_per_person"))
    ax.set_ylabel(t("plots.share_of_persons_log"))
    ax.grid(axis="x", alpha=0)
    _title(ax, title, t("plots.hidden_rows", hidden=hidden) if hidden else "")
    _legend_below(fig, ax, height)
    shares = "; ".join(t("plots.alt_burden_part", scenario=t.value("scenario", s), share=percent(v, language, 1))
                       for s, v in invited.items() if not np.isnan(v))
    set_alt(fig, t("plots.alt_burden", shares=shares or t("plots.none"), most=top))
    return fig


def plot_r_indicators(categories: pd.DataFrame, *, r_indicator: float | None = None, language: str = "en",
                      title: str = ""):
    """Partial R-indicators per category: signed unconditional (bars) and conditional (markers).

    Parameters
    ----------
    categories : DataFrame
        The published category table of report 07: ``variable``, ``category``, ``partial_unconditional``,
        ``partial_conditional`` (from :func:`~workbench.journey.r_indicators`); suppressed rows are not drawn.
    r_indicator : float, optional
        Shown in the title.
    language : str
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        With its alternative text: the most under- and over-invited categories.

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    A bar left of zero is an under-invited category; the conditional marker shows what is left of it once the
    other variables are accounted for. The indicators describe all contacts of the period: there is no
    sampling error to draw, only the one simulated draw of the sampling.

    References
    ----------
    Schouten, Shlomo & Skinner (2011), Journal of Official Statistics 27(2).
    """
    t = texts(language)
    check_columns(categories, ["variable", "category", "partial_unconditional", "partial_conditional"])
    shown = visible_rows(categories).iloc[::-1]
    hidden = len(categories) - len(shown)
    names = [f"{t.value('variable', v)}: {t.value(v, c)}" for v, c in zip(shown["variable"].astype(str),
                                                                          shown["category"].astype(str))]
    height = _ROW * 1.2 * len(shown) + 2.1
    fig, ax = new_figure(8.5, height)
    y = np.arange(len(shown))
    under = (shown["partial_unconditional"] < 0).to_numpy()
    ax.barh(y[~under], shown["partial_unconditional"][~under], color=PALETTE[0], label=t("plots.over_invited"))
    ax.barh(y[under], shown["partial_unconditional"][under], color=PALETTE[1], label=t("plots.under_invited"))
    ax.scatter(shown["partial_conditional"], y, color="black", marker="d", s=18, zorder=3,
               label=t("plots.conditional"))
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_ylim(-0.7, len(shown) - 0.3)
    ax.set_xlabel(t("plots.partial_axis"))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: number(v, language, 2)))
    ax.grid(axis="y", alpha=0)
    suffix = t("plots.r_value", r=number(r_indicator, language, 3)) if r_indicator is not None else ""
    _title(ax, title + suffix, t("plots.hidden_rows", hidden=hidden) if hidden else "")
    _legend_below(fig, ax, height)
    if len(shown):
        low = shown.loc[shown["partial_unconditional"].idxmin()]
        high = shown.loc[shown["partial_unconditional"].idxmax()]
        set_alt(fig, t("plots.alt_r_indicators", categories=len(shown),
                       low=f"{t.value('variable', low['variable'])}: {t.value(low['variable'], low['category'])}",
                       low_value=number(low["partial_unconditional"], language, 3),
                       high=f"{t.value('variable', high['variable'])}: {t.value(high['variable'], high['category'])}",
                       high_value=number(high["partial_unconditional"], language, 3)))
    return fig


def plot_rule_effects(effects: pd.DataFrame, *, language: str = "en", title: str = ""):
    """Invitations each rule removes (the simulation without that rule, against all rules).

    Parameters
    ----------
    effects : DataFrame
        The published effects table of report 07: ``rule``, ``removed`` and ``responses_removed`` (from
        :func:`~workbench.journey.rule_effects`); suppressed rows are not drawn.
    language : str
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        With its alternative text: the rule that removes the most invitations.

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    One simulated draw with common random numbers: the bars differ only by the rule, so they carry no
    interval of their own. The expected responses lost are annotated.

    References
    ----------
    Saltelli et al. (2008), *Global Sensitivity Analysis: The Primer* (one-at-a-time effects).
    """
    t = texts(language)
    check_columns(effects, ["rule", "removed", "responses_removed"])
    shown = visible_rows(effects[effects["rule"] != "all rules"]).sort_values("removed")
    hidden = int((effects["rule"] != "all rules").sum()) - len(shown)
    fig, ax = new_figure(8.5, 0.4 * len(shown) + 1.6)
    y = np.arange(len(shown))
    ax.barh(y, shown["removed"], color=PALETTE[0])
    for yi, (removed, lost) in enumerate(zip(shown["removed"], shown["responses_removed"])):
        ax.annotate(" " + t("plots.responses_lost", n=number(lost, language, 0)), (max(removed, 0), yi),
                    va="center", fontsize=8)
    ax.set_yticks(y, [t.value("rule", r) for r in shown["rule"]], fontsize=9)
    ax.set_xlim(right=max(float(shown["removed"].max()) * 1.4, 1.0) if len(shown) else 1.0)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: number(v, language, 0)))
    ax.set_xlabel(t("plots.removed_axis"))
    ax.grid(axis="y", alpha=0)
    _title(ax, title, t("plots.hidden_rows", hidden=hidden) if hidden else "")
    fig.tight_layout()
    if len(shown):
        top = shown.iloc[-1]
        set_alt(fig, t("plots.alt_effects", rule=t.value("rule", top["rule"]), removed=number(top["removed"], language, 0),
                       responses=number(top["responses_removed"], language, 0), rules=len(shown)))
    return fig


def plot_rates(rates: pd.DataFrame, *, language: str = "en", title: str = ""):
    """Today's sampling rate beside the optimised one, per unit and touchpoint.

    Parameters
    ----------
    rates : DataFrame
        The published rates table of report 07: ``unit``, ``touchpoint``, ``current_rate``, ``rate`` (from
        :func:`~workbench.journey.plan_rates`); suppressed rows are not drawn.
    language : str
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        With its alternative text: how many rates the plan raises and lowers.

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    Rates are decisions, not estimates: what the plan's uncertainty means is drawn in the expected-responses
    figure. Every unit and touchpoint is drawn.

    References
    ----------
    Cleveland, W. S. (1984), Graphical methods for data presentation (dot charts).
    """
    t = texts(language)
    check_columns(rates, ["unit", "touchpoint", "current_rate", "rate"])
    shown = visible_rows(rates).sort_values(["unit", "touchpoint"], ascending=False)
    hidden = len(rates) - len(shown)
    names = [f"{t.value('unit', u)} · {t.value('touchpoint', x)}" for u, x in zip(shown["unit"].astype(str),
                                                                              shown["touchpoint"].astype(str))]
    height = _ROW * len(shown) + 2.1
    fig, ax = new_figure(9, height)
    y = np.arange(len(shown))
    ax.hlines(y, shown["current_rate"], shown["rate"], color="#767676", lw=1)
    ax.scatter(shown["current_rate"], y, facecolors="none", edgecolors=PALETTE[6], s=24, label=t("plots.today"),
               zorder=2)
    ax.scatter(shown["rate"], y, color=PALETTE[1], s=24, label=t("plots.optimised"), zorder=3)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_ylim(-0.7, len(shown) - 0.3)
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: percent(v, language, 0)))
    ax.set_xlabel(t("plots.rate_axis"))
    ax.grid(axis="y", alpha=0)
    _title(ax, title, t("plots.hidden_rows", hidden=hidden) if hidden else "")
    _legend_below(fig, ax, height)
    change = shown["rate"] - shown["current_rate"]
    set_alt(fig, t("plots.alt_rates", rows=len(shown), raised=int((change > 1e-9).sum()),
                   lowered=int((change < -1e-9).sum()), hidden=hidden))
    return fig
