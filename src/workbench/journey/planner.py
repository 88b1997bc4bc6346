"""A sending plan: optimised sampling rates checked by simulation, and what would help where no rate does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validate import check_columns, check_positive
from ..errors import ParameterError
from .optimise import OptimisedRates, optimise_rates
from .outcomes import PERIOD_MONTHS, expected_responses, period_labels, shortfall
from .people import population
from .simulate import Simulation, simulate

__all__ = ["SendingPlan", "plan_rates", "sampling_yields", "person_burden"]

_REACHED = ("not_sampled", "outranked", "cooldown", "response_cooldown", "cap", "invited")
_SAMPLED = _REACHED[1:]
_COOLDOWNS = (60, 30, 14)


@dataclass(frozen=True)
class SendingPlan:
    """Today's rates beside optimised ones, checked by simulation.

    Attributes
    ----------
    rates : DataFrame
        ``unit``, ``touchpoint``, ``persons`` (with a candidate of the unit and touchpoint in the simulated
        period), ``current_rate``, ``rate`` (optimised), expected ``invitations`` and ``responses`` of the
        optimised rates over the simulated period.
    check : DataFrame
        ``unit``, ``period``, ``persons`` (with a candidate of the unit in the period), ``responses_needed``,
        ``expected_current``, and for the optimised rates ``invitations``, ``expected``, ``ci_low``, ``ci_high``,
        ``p_meet``, ``status`` ("ok", "short" or "infeasible").
    advice : DataFrame
        For each unit that no rate can serve: ``unit``, ``persons`` (of the unit in the simulated period),
        ``needed``, ``max_expected`` (worst period), ``periods_needed`` (a rolling window of that many periods
        would reach it at the unit's mean yield per period) and ``months_needed`` (the same in months),
        ``channel_would_help``, ``missing_channel_contacts``, ``channel_gain`` (responses per period if they were
        all reached: an upper bound), ``cooldown_that_would`` (days; NaN if none tried would),
        ``response_cooldown_that_would`` (the response cooldown tried with it), ``advice`` (in English, for
        Python users; reports word it from their catalogue).
    current, optimised : Simulation
    optimisation : OptimisedRates
        The last programme solved.
    iterations : int
        Simulate–optimise rounds used.
    """

    rates: pd.DataFrame
    check: pd.DataFrame
    advice: pd.DataFrame
    current: Simulation
    optimised: Simulation
    optimisation: OptimisedRates
    iterations: int


def sampling_yields(simulation: Simulation, *, period: str = "quarter") -> pd.DataFrame:
    """Per unit, touchpoint and period: contacts that reach sampling, and what rate 1 would yield.

    Parameters
    ----------
    simulation : Simulation
    period : str
        As in :func:`period_labels`.

    Returns
    -------
    DataFrame
        ``unit``, ``touchpoint``, ``period``, ``reached`` (candidates that passed every check before sampling),
        ``sampled``, ``invited``, ``survival`` (invited / sampled), ``eligible`` (reached × survival: expected
        invitations at rate 1) and ``response_rate`` (mean response probability of the invited, else of the
        reached).

    Raises
    ------
    MethodError
        An unknown period.

    Notes
    -----
    Survival carries the losses to priority, cooldown and cap at the simulated rates; where nothing was
    sampled it falls back to the touchpoint's survival across units, else 1 (optimistic; the next simulation
    corrects it).

    References
    ----------
    Schouten et al. (2012) on monitoring and adapting fieldwork; this is its sending analogue.
    """
    cand = simulation.candidates
    reached = cand["reason"].isin(_REACHED).to_numpy()
    part = cand.loc[reached, ["unit", "touchpoint", "date", "reason", "invited", "p_response"]]
    part = part.assign(period=period_labels(part["date"], period), sampled=part["reason"].isin(_SAMPLED),
                       p_invited=np.where(part["invited"], part["p_response"], 0.0))
    keys = ["unit", "touchpoint", "period"]
    table = part.groupby(keys, observed=True, sort=True).agg(
        reached=("invited", "size"), sampled=("sampled", "sum"), invited=("invited", "sum"),
        p_invited=("p_invited", "sum"), p_reached=("p_response", "mean")).reset_index()
    by_tp = table.groupby("touchpoint", observed=True)[["sampled", "invited"]].transform("sum")
    fallback = np.where(by_tp["sampled"] > 0, by_tp["invited"] / by_tp["sampled"].where(by_tp["sampled"] > 0, 1), 1.0)
    sampled = table["sampled"].where(table["sampled"] > 0, 1)
    table["survival"] = np.where(table["sampled"] > 0, table["invited"] / sampled, fallback)
    table["eligible"] = table["reached"] * table["survival"]
    table["response_rate"] = np.where(table["invited"] > 0, table["p_invited"] / table["invited"].where(
        table["invited"] > 0, 1), table["p_reached"]).astype(float)
    table["response_rate"] = table["response_rate"].fillna(0.0)
    return table.drop(columns=["p_invited", "p_reached"])


def person_burden(simulation: Simulation, yields: pd.DataFrame) -> pd.DataFrame:
    """Each person's expected invitations per unit and touchpoint at rate 1 (for the burden programme).

    Parameters
    ----------
    simulation : Simulation
    yields : DataFrame
        From :func:`sampling_yields` (its survival per unit and touchpoint is used).

    Returns
    -------
    DataFrame
        ``person``, ``unit``, ``touchpoint``, ``invitations``.

    Raises
    ------
    DataError
        Missing columns in ``yields``.

    Notes
    -----
    Reached candidates per person, unit and touchpoint, times the survival of that unit and touchpoint
    (pooled over periods).

    References
    ----------
    Porter, Whitcomb & Weitzer (2004) on survey fatigue.
    """
    check_columns(yields, ["unit", "touchpoint", "sampled", "invited"], role="yield column")
    cand = simulation.candidates
    part = cand.loc[cand["reason"].isin(_REACHED), ["person", "unit", "touchpoint"]]
    counts = part.groupby(["person", "unit", "touchpoint"], observed=True).size().rename("reached").reset_index()
    pooled = yields.groupby(["unit", "touchpoint"], observed=True)[["sampled", "invited"]].sum()
    survival = (pooled["invited"] / pooled["sampled"].where(pooled["sampled"] > 0)).fillna(1.0).rename("survival")
    counts = counts.merge(survival.reset_index(), on=["unit", "touchpoint"], how="left")
    counts["invitations"] = counts["reached"] * counts["survival"].fillna(1.0)
    return counts[["person", "unit", "touchpoint", "invitations"]]


def _current_rates(simulation: Simulation) -> pd.DataFrame:
    cand = simulation.candidates
    return (cand.loc[cand["reason"].isin(_REACHED)].groupby(["unit", "touchpoint"], observed=True)["rate"].first()
            .rename("current_rate").reset_index())


def plan_rates(
    events: Any,
    rules: Any,
    requirements: pd.DataFrame,
    *,
    period: str = "quarter",
    simulated_period: tuple | None = None,
    step: float | None = 0.05,
    max_rate: float = 1.0,
    iterations: int = 6,
    response_rates: pd.DataFrame | None = None,
    confidence: float = 0.95,
    rng: int | None = None,
) -> SendingPlan:
    """Optimise sampling rates against each unit's requirement, check them by simulation, and advise.

    Parameters
    ----------
    events, rules
        As in :func:`simulate`.
    requirements : DataFrame
        ``unit`` and ``responses_needed`` per period (e.g. :func:`~workbench.planning.measurement_plan`).
    period : str
        The reporting period of the requirement.
    simulated_period : (start, end), optional
        Dates of the contacts to simulate (default: all).
    step, max_rate
        As in :func:`optimise_rates`.
    iterations : int
        Most simulate–optimise rounds.
    response_rates : DataFrame, optional
    confidence : float
        Of the expected-response intervals.
    rng : int, optional
        One seed for every simulation (common random numbers).

    Returns
    -------
    SendingPlan

    Raises
    ------
    ParameterError
        ``rng`` given as a Generator, a bad ``iterations``; the errors of :func:`simulate` and
        :func:`optimise_rates`.

    Notes
    -----
    First each unit is simulated alone (contact rules counted within the unit) with every rate at
    ``max_rate``: a unit that falls short even then is "infeasible", its rates are held at ``max_rate`` and
    the advice says what would help. Round i: yields and survival from the latest simulation
    (:func:`sampling_yields`), the programme of :func:`optimise_rates` with each unit-period's need raised by
    the factor by which the last simulation fell short (the rules are not linear in the rates: a higher rate
    also means more cooldown losses) and the last round's rates as lower bounds (rounds only raise rates, so
    the corrections accumulate instead of jumping between near-equal solutions), then a simulation at the new
    rates. It stops when every feasible unit-period meets its need in simulation; a unit still short then is
    "short": it could reach its need alone, but other units' invitations to the same people block it. For a
    unit that no rate can serve the advice tries, in turn: a rolling window of several periods (the same
    precision needs about the same n, collected over a longer time), another channel for the contacts that
    have none, and a shorter cooldown (60, 30 or 14 days, with the response cooldown at most twice that), each
    by simulation of the unit alone at the largest rates.

    References
    ----------
    Schouten, Calinescu & Luiten (2013), Optimizing quality of response through adaptive survey designs, Survey
    Methodology 39(1), 29–58.
    """
    if isinstance(rng, np.random.Generator):
        raise ParameterError("`rng` must be an int seed here: every simulation must use the same draws.")
    iterations = check_positive(iterations, "iterations", integer=True)
    seed = int(np.random.default_rng().integers(2**32)) if rng is None else rng
    check_columns(requirements, ["unit", "responses_needed"], role="requirement column")
    req = requirements[["unit", "responses_needed"] + (["period"] if "period" in requirements else [])]
    run = dict(period=simulated_period, response_rates=response_rates, rng=seed)
    current = simulate(events, rules, **run)
    events, rules = current.events, current.rules
    # Each unit alone at the largest rates: an upper bound of what it can reach under the rules.
    alone = simulate(events, _at_most(rules, max_rate).replace(scope="unit"), **run)
    ceiling = shortfall(expected_responses(alone, period=period, confidence=confidence), req)
    infeasible = sorted(set(ceiling.loc[ceiling["expected"] < ceiling["responses_needed"], "unit"]))
    factor = pd.Series(1.0, index=pd.MultiIndex.from_arrays([[], []], names=["unit", "period"]), dtype=float)
    sim, used, floor = current, 0, None
    for used in range(1, iterations + 1):
        yields = sampling_yields(sim, period=period)
        opt = optimise_rates(yields, _targets(req, yields, factor), burden=person_burden(sim, yields), step=step,
                             max_rate=max_rate, fix_at_max=infeasible, min_rates=floor)
        floor = opt.rates[["unit", "touchpoint", "rate"]]
        sim = simulate(events, rules, rates=opt.rates[["unit", "touchpoint", "rate"]], **run)
        check = shortfall(expected_responses(sim, period=period, confidence=confidence), req)
        short = check[(check["expected"] < check["responses_needed"]) & ~check["unit"].isin(infeasible)]
        if short.empty:
            break
        ratio = (short["responses_needed"] / short["expected"].clip(lower=1.0)).clip(upper=3.0) * 1.02
        update = pd.Series(ratio.to_numpy(), index=pd.MultiIndex.from_frame(short[["unit", "period"]]))
        factor = update.combine(factor, lambda a, b: a * b, fill_value=1.0)
    today = shortfall(expected_responses(current, period=period, confidence=confidence), req)
    check = check.merge(today[["unit", "period", "expected"]].rename(columns={"expected": "expected_current"}),
                        on=["unit", "period"], how="left")
    check["status"] = np.where(check["unit"].isin(infeasible), "infeasible",
                               np.where(check["expected"] >= check["responses_needed"], "ok", "short"))
    check = _with_persons(check, current, ["unit"], period)[
        ["unit", "period", "persons", "responses_needed", "invitations", "expected_current", "expected", "ci_low",
         "ci_high", "p_meet", "status"]]
    rates = _with_persons(_current_rates(current).merge(opt.rates, on=["unit", "touchpoint"], how="outer"), current,
                          ["unit", "touchpoint"])
    advice = _with_persons(_advice(alone, ceiling, req, period, run, infeasible, max_rate), current, ["unit"])
    return SendingPlan(rates, check, advice, current, sim, opt, used)


def _with_persons(frame: pd.DataFrame, sim, keys: list, period: str | None = None) -> pd.DataFrame:
    """``frame`` with the number of persons behind each row (0 where none) after its keys (and period)."""
    on = keys + (["period"] if period else [])
    people = population(sim, by=keys, period=period)[on + ["persons"]]
    text = {k: str for k in keys}  # unit and touchpoint names as text on both sides
    out = frame.astype(text).merge(people.astype(text), on=on, how="left")
    out["persons"] = out["persons"].fillna(0).astype(np.int64)
    return out[on + ["persons"] + [c for c in out.columns if c not in on + ["persons"]]]


def _at_most(rules, max_rate: float):
    """The rules with every sampling rate at ``max_rate``."""
    def raised(tp):
        return type(tp)(tp.name, tp.survey, max_rate)

    return rules.replace(touchpoints={name: raised(tp) for name, tp in rules.touchpoints.items()},
                         journey_end=None if rules.journey_end is None else raised(rules.journey_end))


def _targets(req: pd.DataFrame, yields: pd.DataFrame, factor: pd.Series) -> pd.DataFrame:
    periods = pd.DataFrame({"period": sorted(yields["period"].unique())})
    target = req if "period" in req else req.merge(periods, how="cross")
    index = pd.MultiIndex.from_frame(target[["unit", "period"]])
    scale = factor.reindex(index).fillna(1.0).to_numpy()
    return target.assign(responses_needed=np.ceil(target["responses_needed"].to_numpy(float) * scale))


def _advice(alone, ceiling, req, period, run, infeasible, max_rate) -> pd.DataFrame:
    """What would let each infeasible unit reach its requirement, from its simulation alone at the largest rates."""
    columns = ["unit", "needed", "max_expected", "periods_needed", "months_needed", "channel_would_help",
               "missing_channel_contacts", "channel_gain", "cooldown_that_would", "response_cooldown_that_would",
               "advice"]
    if not infeasible:
        return pd.DataFrame(columns=columns)
    cand = alone.candidates
    no_channel = (cand["reason"] == "no_channel") & cand["unit"].isin(infeasible)
    missing = cand[no_channel].groupby("unit", observed=True).size()
    tries = {}
    for days in _COOLDOWNS:
        if days >= alone.rules.cooldown_days:
            continue
        kept = tuple(d for d in alone.rules.reminder_days if d < days)
        rules = alone.rules.replace(cooldown_days=days, reminder_days=kept,
                                    response_cooldown_days=min(alone.rules.response_cooldown_days, 2 * days),
                                    reminder_shares=alone.rules.reminder_shares[:len(kept)])
        tries[days] = shortfall(expected_responses(simulate(alone.events, rules, **run), period=period), req)
    needs = req.groupby("unit")["responses_needed"].max()
    months = PERIOD_MONTHS[period]
    rows = []
    for unit in infeasible:
        part = ceiling[ceiling["unit"] == unit].sort_values("period")
        need, best = float(needs[unit]), part["expected"].to_numpy(float)
        # Periods of a rolling window that would collect the need, at the unit's mean yield per period.
        k = int(np.ceil(need / best.mean())) if best.mean() > 0 else None
        extra = int(missing.get(unit, 0))
        mean_p = cand.loc[(cand["unit"] == unit) & cand["invited"], "p_response"].mean()
        # An upper bound: every contact without a channel reached, before cooldown losses.
        gain = extra / max(len(best), 1) * (0.0 if np.isnan(mean_p) else float(mean_p))
        channel = bool(best.min() + gain >= need)
        cooldown = next((d for d, t in sorted(tries.items(), reverse=True)
                         if (t.loc[t["unit"] == unit, "expected"] >= need).all()), np.nan)
        helps = []
        if k:
            helps.append(f"a rolling window of {k} {period}s ({k * months} months)")
        if channel:
            helps.append(f"another channel for the {extra} contacts without one")
        if not np.isnan(cooldown):
            helps.append(f"a cooldown of {cooldown} days ({min(alone.rules.response_cooldown_days, 2 * cooldown)} "
                         "after a response) for this unit")
        text = (f"at most {best.min():.0f} of the {need:.0f} responses needed per {period}, even alone and with every "
                f"rate at {max_rate:.0%}; " + ("would reach it: " + "; ".join(helps) if helps else
                                              "no rolling window, channel or shorter cooldown tried would reach it"))
        after = min(alone.rules.response_cooldown_days, 2 * cooldown) if not np.isnan(cooldown) else np.nan
        rows.append((unit, need, float(best.min()), k if k else np.nan, k * months if k else np.nan, channel, extra,
                     gain, cooldown, after, text))
    return pd.DataFrame(rows, columns=columns)
