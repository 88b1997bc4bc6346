"""The simulator: sending rules applied to a period of contact events, with the reason for every contact.

Each event is a candidate for the survey its touchpoint triggers; the last event of each journey is also a
candidate for the journey-end survey. Checks run in a fixed order and the first that fails is the reason
(:data:`REASONS`); everything is vectorised over candidates, and the sequential contact-frequency rules loop
over a person's candidate rank (:func:`~workbench.journey.frequency.apply_contact_rules`), never over persons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validate import check_columns, show_values
from ..errors import EventsError, ParameterError, RulesError
from .events import Events, read_events
from .frequency import NO_RESPONSE, apply_contact_rules
from .response_rates import response_rate_table
from .rules import JOURNEY_END, Rules, load_rules
from .windows import local_day, next_in_window

__all__ = ["Simulation", "simulate", "REASONS"]

REASONS = ("invited", "invalid_event", "outside_period", "no_survey", "deceased", "non_disclosure",
           "minor_without_guardian", "sensitive_care", "excluded_service", "no_channel", "not_sampled", "outranked",
           "cooldown", "response_cooldown", "cap")
_CODE = {name: i for i, name in enumerate(REASONS)}
_NEEDS = {"deceased": "deceased", "non_disclosure": "non_disclosure", "minor_without_guardian": "minor",
          "sensitive": "sensitive"}


@dataclass(frozen=True)
class Simulation:
    """The result of :func:`simulate`.

    Attributes
    ----------
    candidates : DataFrame
        One row per candidate: ``event`` (row of ``events.frame``), ``person``, ``time`` (of the contact), ``unit``,
        ``date`` (local date of the contact), ``service``, ``touchpoint`` (``"journey end"`` for journey-end
        candidates), ``survey``, ``age_group``,
        ``language``, ``channel`` (of the invitation), ``send_time`` (UTC) and ``send_date`` (local; set for
        sampled candidates), ``reason`` (:data:`REASONS`), ``rate`` (the sampling rate applied), ``invited``,
        ``p_response`` (the response probability if invited: by channel and age group; NaN without a channel;
        expected responses are its sum over invited candidates), ``responded`` (one simulated draw, used by the response
        cooldown), ``reminders`` (reminders sent in that draw) and ``expected_reminders``.
    events : Events
        The events simulated.
    rules : Rules
    period : (int, int)
        Local days ``[start, end)`` (days since 1970-01-01) of the contacts simulated.
    response_rates : DataFrame
        The rates used: ``channel``, ``age_group`` (``"*"`` = default), ``response_rate``.
    """

    candidates: pd.DataFrame
    events: Events
    rules: Rules
    period: tuple
    response_rates: pd.DataFrame

    @property
    def dates(self) -> tuple:
        """The first and the last local date simulated (:attr:`period` as ``datetime.date``, both included)."""
        return tuple(np.datetime64(int(day), "D").astype(object) for day in (self.period[0], self.period[1] - 1))


def _check_roles(events: Events, rules: Rules) -> None:
    needed = {role: f"[exclusions].{name}" for name, role in _NEEDS.items() if name in rules.exclusions}
    for channel in rules.channels.values():
        if channel.requires:
            needed.setdefault(channel.requires, f"[channels.{channel.name}].requires")
        if channel.contact_channels:
            needed.setdefault("channel", f"[channels.{channel.name}].contact_channels")
    if rules.excluded_services:
        needed.setdefault("service", "[exclusions].services")
    missing = {role: rule for role, rule in needed.items() if role not in events.roles}
    if missing:
        listed = ", ".join(f"{role} (for {rule})" for role, rule in missing.items())
        raise EventsError(f"The rules ({rules.source}) need role(s) {listed}, which the events ({events.source}) do "
                          f"not have; map a column to each role or switch the rule off.")


def _to_day(value: Any, name: str) -> int:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ParameterError(f"`period` {name} must be a date such as '2026-01-01'; got {value!r}.") from None
    return int((stamp.tz_localize(None).normalize() - pd.Timestamp("1970-01-01")).days)


def _rates(rules: Rules, frame: pd.DataFrame, rates: pd.DataFrame | None, n_tp: int) -> np.ndarray | None:
    """Sampling-rate overrides as a unit × touchpoint array (NaN: the rules' rate)."""
    if rates is None:
        return None
    check_columns(rates, ["unit", "touchpoint", "rate"], role="rate column")
    value = pd.to_numeric(rates["rate"], errors="coerce").to_numpy(float)
    if not np.all((value >= 0) & (value <= 1)):
        bad = value[~((value >= 0) & (value <= 1))]
        raise ParameterError(f"`rates` must hold sampling rates in [0, 1]; got {show_values(bad)}.")
    units = pd.Index(frame["unit"].cat.categories)
    tps = pd.Index(list(frame["touchpoint"].cat.categories) + [JOURNEY_END])
    grid = np.full((len(units), n_tp), np.nan)
    u, t = units.get_indexer(rates["unit"]), tps.get_indexer(rates["touchpoint"])
    known = (u >= 0) & (t >= 0)
    grid[u[known], t[known]] = value[known]
    return grid


def simulate(
    events: Events | Any,
    rules: Rules | Any,
    *,
    period: tuple | None = None,
    rates: pd.DataFrame | None = None,
    response_rates: pd.DataFrame | None = None,
    rng: int | np.random.Generator | None = None,
    progress: bool = False,
) -> Simulation:
    """Apply sending rules to contact events: who is invited, when, through which channel, and why not.

    Parameters
    ----------
    events : Events or a source for :func:`read_events`
    rules : Rules or a path for :func:`load_rules`
    period : (start, end), optional
        Local dates; contacts on ``start`` ≤ date < ``end`` are simulated, others get ``outside_period``.
        Default: every valid event. Either end may be None: from the first valid event's day, or to the day
        after the last one.
    rates : DataFrame, optional
        ``unit``, ``touchpoint``, ``rate``: sampling rates that override the rules' (e.g. optimised ones);
        touchpoint ``"journey end"`` for the journey-end survey.
    response_rates : DataFrame, optional
        As in :func:`response_rate_table`; default: the rules' ``[response_rates]``.
    rng : int or Generator, optional
        Seed of the sampling and response draws.
    progress : bool
        Show progress of the contact-rule loop.

    Returns
    -------
    Simulation

    Raises
    ------
    EventsError
        The rules need a role the events lack (e.g. ``deceased`` for ``[exclusions].deceased``); the events
        use the reserved touchpoint name "journey end".
    RulesError
        No response rate for a channel and age group that receives invitations while a response cooldown is set.
    ParameterError
        A bad ``period``, ``rates`` or ``response_rates``.

    Notes
    -----
    Order of checks (the first failing one is the reason): invalid event, outside the period, touchpoint
    without a survey, exclusions (deceased, non-disclosure, minor without a guardian contact, sensitive care,
    excluded service), no available channel, not sampled (uniform draw ≥ rate), outranked (of one person's
    sampled candidates due on the same local day only the highest priority is sent; ties: the earlier send
    time), then cooldown, response cooldown and cap in time order. The send time is the contact plus the
    survey's delay, moved into the chosen channel's send window (:func:`next_in_window`). Each invitation's
    response probability comes from the response rate of its channel and age group; one draw decides whether
    (and after which reminder) the person responds, which is what the response cooldown needs. Random
    numbers are drawn per event in a fixed order, so the same events and seed give the same result, and
    switching a rule off changes only what that rule decides (common random numbers, used by
    :func:`rule_effects`). A journey-end candidate inherits the unit, flags and channel of its last contact and
    is sensitive if any contact of the journey was.

    References
    ----------
    Schouten, Cobben & Bethlehem (2009), Survey Methodology 35(1) (representativeness of the result, see
    :func:`r_indicators`); NHS England, *Friends and Family Test guidance* (2019) on timing and frequency.
    """
    rules = rules if isinstance(rules, Rules) else load_rules(rules)
    events = events if isinstance(events, Events) else read_events(events, timezone=rules.timezone)
    _check_roles(events, rules)
    frame, tz = events.frame, rules.timezone
    n = len(frame)
    gen = np.random.default_rng(rng)
    draws = [gen.random(n, dtype=np.float32) for _ in range(4)]  # sample step/end, respond step/end
    tp_names = list(frame["touchpoint"].cat.categories)
    if JOURNEY_END in tp_names:
        raise EventsError(f"The events ({events.source}) use the touchpoint name {JOURNEY_END!r}, which is reserved "
                          "for journey-end surveys; rename it.")
    surveys = list(rules.surveys)
    tp_survey = np.array([surveys.index(rules.touchpoints[t].survey) if t in rules.touchpoints else -1
                          for t in tp_names] + [surveys.index(rules.journey_end.survey) if rules.journey_end else -1],
                         dtype=np.int16)
    tp_rate = np.array([rules.touchpoints[t].rate if t in rules.touchpoints else 0.0 for t in tp_names]
                       + [rules.journey_end.rate if rules.journey_end else 0.0])
    valid, journey = frame["valid"].to_numpy(), frame["journey"].to_numpy()
    time_us = pd.DatetimeIndex(frame["time"]).as_unit("us").asi8
    ev_day = local_day(time_us, tz)
    days = ev_day[valid]
    whole = (int(days.min()), int(days.max()) + 1) if len(days) else (0, 0)
    if period is None:
        period = whole
    else:
        if not isinstance(period, (tuple, list)) or len(period) != 2:
            raise ParameterError(f"`period` must be (start, end) dates; got {period!r}.")
        # An open end (None or "") is the first valid event's day, or the day after the last one.
        period = (whole[0] if period[0] is None or period[0] == "" else _to_day(period[0], "start"),
                  whole[1] if period[1] is None or period[1] == "" else _to_day(period[1], "end"))
        if period[0] >= period[1]:
            raise ParameterError(f"`period` must end after it starts; got {period!r}.")

    # Journey-end candidates: the last valid contact of each journey with enough contacts.
    ends = np.empty(0, dtype=np.int64)
    sensitive_journey = np.zeros(0, dtype=bool)
    if rules.journey_end is not None and (journey >= 0).any():
        idx = np.flatnonzero(valid & (journey >= 0))
        codes = journey[idx]
        size = int(journey.max()) + 1
        last = np.full(size, -1, dtype=np.int64)
        np.maximum.at(last, codes, idx)
        steps = np.bincount(codes, minlength=size)
        touched = np.bincount(codes, weights=frame["sensitive"].to_numpy()[idx], minlength=size) > 0
        keep = steps >= rules.journey_min_steps
        ends, sensitive_journey = last[keep], touched[keep]
    ev = np.concatenate([np.arange(n, dtype=np.int64), ends])
    is_end = np.concatenate([np.zeros(n, dtype=bool), np.ones(len(ends), dtype=bool)])
    n_tp = len(tp_names) + 1
    tp = np.where(is_end, n_tp - 1, frame["touchpoint"].cat.codes.to_numpy()[ev]).astype(np.int32)
    unit = frame["unit"].cat.codes.to_numpy()[ev]
    survey = np.where(tp >= 0, tp_survey[tp], -1).astype(np.int16)  # tp -1: missing touchpoint (invalid event)
    rate = tp_rate[tp]
    grid = _rates(rules, frame, rates, n_tp)
    if grid is not None:
        override = np.where((unit >= 0) & (tp >= 0), grid[unit, tp], np.nan)
        rate = np.where(np.isnan(override), rate, override)

    reason = np.full(len(ev), -1, dtype=np.int8)

    def decide(mask, name):
        reason[(reason < 0) & mask] = _CODE[name]

    decide(~valid[ev], "invalid_event")
    decide((ev_day[ev] < period[0]) | (ev_day[ev] >= period[1]), "outside_period")
    decide(survey < 0, "no_survey")
    flag = {role: frame[role].to_numpy()[ev] for role in ("deceased", "non_disclosure", "minor", "guardian_contact",
                                                          "sensitive", "has_mobile", "has_email")}
    flag["sensitive"] = flag["sensitive"] | np.concatenate([np.zeros(n, dtype=bool), sensitive_journey])
    for name in ("deceased", "non_disclosure"):
        if name in rules.exclusions:
            decide(flag[name], name)
    if "minor_without_guardian" in rules.exclusions:
        decide(flag["minor"] & ~flag["guardian_contact"], "minor_without_guardian")
    if "sensitive" in rules.exclusions:
        decide(flag["sensitive"], "sensitive_care")
    if rules.excluded_services:
        services = frame["service"].cat.categories
        excluded = np.array([s in rules.excluded_services for s in services] + [False], dtype=bool)
        decide(excluded[frame["service"].cat.codes.to_numpy()[ev]], "excluded_service")

    channels = list(rules.channels)
    chosen = np.full(len(ev), -1, dtype=np.int16)
    contact = frame["channel"].cat.codes.to_numpy()[ev]
    contact_names = list(frame["channel"].cat.categories)
    for s, name in enumerate(surveys):
        open_ = (survey == s) & (reason < 0)
        for ch_name in rules.surveys[name].channels:
            ch = rules.channels[ch_name]
            ok = open_ & (chosen < 0)
            if ch.requires:
                ok &= flag[ch.requires]
            if ch.contact_channels:
                ok &= np.isin(contact, [contact_names.index(c) for c in ch.contact_channels if c in contact_names])
            chosen[ok] = channels.index(ch_name)
    decide(chosen < 0, "no_channel")
    u_sample = np.where(is_end, draws[1][ev], draws[0][ev])
    decide(u_sample >= rate, "not_sampled")

    # Send times of the sampled candidates: contact + delay, into the channel's window.
    live = np.flatnonzero(reason < 0)
    delay_us = np.array([rules.surveys[s].delay_hours * 3.6e9 for s in surveys], dtype=np.int64)
    send = np.full(len(ev), np.iinfo(np.int64).min, dtype=np.int64)
    send[live] = time_us[ev[live]] + delay_us[survey[live]]
    for c, ch_name in enumerate(channels):
        sel = live[chosen[live] == c]
        send[sel] = next_in_window(send[sel], rules.channels[ch_name].window, tz)
    day = np.full(len(ev), np.iinfo(np.int64).min, dtype=np.int64)  # the minimum is NaT as a date
    day[live] = local_day(send[live], tz)

    person = frame["person"].to_numpy()[ev]
    # Whom the contact rules count over: the person, or the person within the unit.
    key = person.astype(np.int64) * (len(frame["unit"].cat.categories) + 1) + unit if rules.scope == "unit" \
        else person
    priority = np.array([rules.surveys[s].priority for s in surveys], dtype=np.int32)[survey[live]]
    keys = (live, send[live], priority) if rules.priority else (live, send[live])
    order = live[np.lexsort(keys + (day[live], key[live]))]
    first = np.concatenate([np.ones(min(len(order), 1), dtype=bool),
                            (key[order][1:] != key[order][:-1]) | (day[order][1:] != day[order][:-1])])
    outranked = np.zeros(len(ev), dtype=bool)
    outranked[order[~first]] = True
    decide(outranked, "outranked")
    winners = order[first]

    # Responses: the probability of the channel and age group; one draw for the response cooldown.
    table = response_rate_table(rules, response_rates)
    p_all = _response_probability(table, channels, frame, ev, chosen)
    p = p_all[winners]
    shares = np.array(rules.reminder_shares, dtype=float)
    cum = np.cumsum(np.concatenate([[1.0 - shares.sum()], shares]))  # share of responses by message
    u_resp = np.where(is_end[winners], draws[3][ev[winners]], draws[2][ev[winners]])
    message = np.sum(u_resp[:, None] >= (p[:, None] * cum[None, :]), axis=1)  # len(cum) = no response
    responds = (message < len(cum)) & np.isfinite(p)
    offsets = np.concatenate([[0], rules.reminder_days]).astype(np.int64)
    response_day = np.where(responds, day[winners] + offsets[np.minimum(message, len(cum) - 1)], NO_RESPONSE)
    if rules.response_cooldown_days and np.isnan(p).any():
        gaps = sorted({(channels[c], str(a)) for c, a in zip(chosen[winners][np.isnan(p)],
                       frame["age_group"].astype(object).to_numpy()[ev[winners]][np.isnan(p)])})
        raise RulesError(f"{rules.source}: no response rate for {show_values(gaps)}; the response cooldown needs "
                         f"one for every channel (a default) — add [response_rates] or pass `response_rates`.")
    outcome = apply_contact_rules(key[winners], day[winners], response_day, cooldown_days=rules.cooldown_days,
                                  response_cooldown_days=rules.response_cooldown_days, cap=rules.cap,
                                  cap_window_days=rules.cap_window_days, progress=progress)
    names = np.array([_CODE[x] for x in ("invited", "cooldown", "response_cooldown", "cap")], dtype=np.int8)
    reason[winners] = names[outcome]
    invited = reason == _CODE["invited"]

    n_rem = len(rules.reminder_days)
    reminders = np.zeros(len(ev), dtype=np.int8)
    reminders[winners] = np.where(responds, np.minimum(message, n_rem), n_rem)
    expected_rem = np.zeros(len(ev), dtype=np.float32)
    expected_rem[winners] = (1.0 - np.nan_to_num(p)[:, None] * cum[None, :n_rem]).sum(axis=1) if n_rem else 0.0
    responded = np.zeros(len(ev), dtype=bool)
    responded[winners] = responds
    del draws, flag, u_sample, outranked, order, first, winners, key, contact  # the output needs the memory
    reminders[~invited] = 0
    expected_rem[~invited] = 0.0
    responded &= invited

    def category(col):
        return pd.Categorical.from_codes(frame[col].cat.codes.to_numpy()[ev], categories=frame[col].cat.categories)

    columns = {"event": ev, "person": person,
               "time": pd.DatetimeIndex(time_us[ev].view("datetime64[us]")).tz_localize("UTC"),
               "date": ev_day[ev].astype("datetime64[D]").astype("datetime64[s]")}
    for col in ("unit", "service"):
        columns[col] = category(col)
    columns["touchpoint"] = pd.Categorical.from_codes(tp, categories=tp_names + [JOURNEY_END])
    columns["survey"] = pd.Categorical.from_codes(survey, categories=surveys)
    for col in ("age_group", "language"):
        columns[col] = category(col)
    columns["channel"] = pd.Categorical.from_codes(chosen, categories=channels)
    columns["send_time"] = pd.DatetimeIndex(send.view("datetime64[us]")).tz_localize("UTC")
    del send
    columns["send_date"] = day.astype("datetime64[D]").astype("datetime64[s]")
    del day
    columns["reason"] = pd.Categorical.from_codes(reason, categories=list(REASONS))
    columns.update({"rate": rate, "invited": invited, "p_response": p_all, "responded": responded,
                    "reminders": reminders, "expected_reminders": expected_rem})
    return Simulation(pd.DataFrame(columns, copy=False), events, rules, period, table)


def _response_probability(table: pd.DataFrame, channels: list, frame: pd.DataFrame, ev: np.ndarray,
                          chosen: np.ndarray) -> np.ndarray:
    """Response probability per candidate from (channel, age group) rates; NaN where no rate applies."""
    ages = list(frame["age_group"].cat.categories)
    grid = np.full((len(channels), len(ages) + 1), np.nan)  # last column: missing age group
    for row in table.itertuples():  # a specific rate overwrites; a default fills only what is still empty
        c = channels.index(row.channel)
        if row.age_group == "*":
            grid[c, np.isnan(grid[c])] = row.response_rate
        elif row.age_group in ages:
            grid[c, ages.index(row.age_group)] = row.response_rate
    age = frame["age_group"].cat.codes.to_numpy()[ev]
    age = np.where(age < 0, len(ages), age)
    out = np.full(len(ev), np.nan)
    has = chosen >= 0
    out[has] = grid[chosen[has], age[has]]
    return out
