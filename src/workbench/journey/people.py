"""Whom the counts of a sending plan are about: persons per group and period, and the burden per person
over several draws of the sampling."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_columns, check_positive
from ..errors import ParameterError
from .outcomes import burden, period_labels
from .simulate import Simulation, simulate

__all__ = ["population", "burden_draws"]


def population(simulation: Simulation, *, by: str | Sequence[str] = ("unit",), period: str | None = None
               ) -> pd.DataFrame:
    """Candidates of the simulated period and the distinct persons behind them, per group (and period).

    Parameters
    ----------
    simulation : Simulation
    by : str or list of str
        Candidate columns to group by (``unit``, ``touchpoint``, ``service``, …).
    period : str, optional
        Calendar period of the contact date (``month``, ``quarter``, ``tertile``, ``half-year``, ``year``);
        None: the whole simulation.

    Returns
    -------
    DataFrame
        The keys, ``period`` (when given), ``candidates`` and ``persons``. Only groups with candidates appear.

    Raises
    ------
    DataError
        An unknown column.
    MethodError
        An unknown period.

    Notes
    -----
    The population of a group is every candidate of a valid contact inside the simulated period, whatever the
    rates: the sampling draws change who is invited, never who could be. Its ``persons`` is what decides
    whether a published statistic of the group (invitations, expected responses, a rate) is shown: a group of
    fewer than ``min_n`` persons publishes none.

    References
    ----------
    Hundepool, A. et al. (2012), *Statistical Disclosure Control*, ch. 4 (the threshold rule on contributors).
    """
    keys = as_key_list(by)
    cand = simulation.candidates
    check_columns(cand, keys, role="group column")
    live = cand.loc[~cand["reason"].isin(["invalid_event", "outside_period"]), keys + ["person", "date"]]
    group = list(keys)
    if period is not None:
        live = live.assign(period=period_labels(live["date"], period))
        group.append("period")
    grouped = live.groupby(group, observed=True, sort=True)
    return grouped.agg(candidates=("person", "size"), persons=("person", "nunique")).reset_index()


def burden_draws(events: Any, rules: Any, *, scenarios: Mapping[str, pd.DataFrame | None], draws: int = 3,
                 period: tuple | None = None, response_rates: pd.DataFrame | None = None, rng: int = 0
                 ) -> pd.DataFrame:
    """The burden per person (:func:`~workbench.journey.burden`) of each scenario over several seeded draws.

    Parameters
    ----------
    events, rules, period, response_rates
        As in :func:`~workbench.journey.simulate`.
    scenarios : mapping of str to DataFrame or None
        A name for each set of sampling rates (``unit``, ``touchpoint``, ``rate``; None: the rules' own).
    draws : int
        Draws per scenario.
    rng : int
        The first seed; draw k of every scenario uses seed ``rng + k`` (common random numbers across
        scenarios).

    Returns
    -------
    DataFrame
        ``scenario``, ``draw`` (1, 2, …), ``invitations``, ``persons``, ``share``, ``cumulative_share``.

    Raises
    ------
    ParameterError
        ``rng`` not an int seed, ``draws`` not a positive whole number, no scenario.

    Notes
    -----
    The spread over the draws is the sampling's: which contacts are drawn, and so whom a cooldown then
    blocks. Within one draw the persons add up to everyone with a valid contact in the period.

    References
    ----------
    Porter, Whitcomb & Weitzer (2004), Multiple surveys of students and survey fatigue.
    """
    if isinstance(rng, bool) or not isinstance(rng, (int, np.integer)):
        raise ParameterError(f"`rng` must be an int seed here (draw k uses rng + k); got {rng!r}.")
    draws = check_positive(draws, "draws", integer=True)
    if not scenarios:
        raise ParameterError("`scenarios` must name at least one set of rates (None: the rules' own).")
    tables = [burden(simulate(events, rules, period=period, rates=rates, response_rates=response_rates,
                              rng=int(rng) + k)).assign(scenario=name, draw=k + 1)
              for name, rates in scenarios.items() for k in range(draws)]
    table = pd.concat(tables, ignore_index=True)
    return table[["scenario", "draw"] + [c for c in table.columns if c not in ("scenario", "draw")]]
