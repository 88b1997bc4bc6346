"""What a simulation yields: expected responses with intervals, shortfall against requirements, the burden
per person, the reasons contacts were not invited, the effect of each rule, and response rates from history."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import as_key_list, check_choice, check_columns, check_confidence
from ..errors import ParameterError
from .simulate import Simulation, simulate

__all__ = ["period_labels", "expected_responses", "shortfall", "burden", "reasons", "rule_effects", "PERIOD_MONTHS"]

PERIOD_MONTHS = {"month": 1, "quarter": 3, "tertile": 4, "half-year": 6, "year": 12}
_LETTER = {"quarter": "Q", "tertile": "T", "half-year": "H"}


def period_labels(dates: pd.Series | np.ndarray, period: str) -> np.ndarray:
    """Calendar period labels of dates: ``2025-03``, ``2025Q1``, ``2025T1``, ``2025H1`` or ``2025``.

    Parameters
    ----------
    dates : array-like of datetime64
        Local dates (NaT gives None).
    period : {"month", "quarter", "tertile", "half-year", "year"}

    Returns
    -------
    ndarray of object

    Raises
    ------
    MethodError
        An unknown period.

    Notes
    -----
    Labels are built once per distinct month, so the cost is that of one pass over the dates.

    References
    ----------
    ISO 8601 for the month labels.
    """
    check_choice(period, "period", PERIOD_MONTHS)
    months = np.asarray(dates, dtype="datetime64[M]")
    missing = np.isnat(months)
    codes, unique = pd.factorize(np.where(missing, np.datetime64("1970-01", "M"), months))
    step = PERIOD_MONTHS[period]
    labels = []
    for m in np.asarray(unique, dtype="datetime64[M]").astype(np.int64):
        year, month = 1970 + m // 12, m % 12
        if period == "month":
            labels.append(f"{year}-{month + 1:02d}")
        elif period == "year":
            labels.append(str(year))
        else:
            labels.append(f"{year}{_LETTER[period]}{month // step + 1}")
    out = np.array(labels, dtype=object)[codes]
    out[missing] = None
    return out


def _exact_limits(p: np.ndarray, confidence: float) -> tuple[float, float]:
    """Equal-tailed quantiles of a Poisson-binomial sum: binomials of equal probabilities convolved."""
    values, counts = np.unique(p, return_counts=True)
    pmf = np.ones(1)
    for value, count in zip(values, counts):
        pmf = np.convolve(pmf, stats.binom.pmf(np.arange(count + 1), count, value))
    cdf = np.cumsum(pmf)
    alpha = 1 - confidence
    return float(np.searchsorted(cdf, alpha / 2 - 1e-12)), float(np.searchsorted(cdf, 1 - alpha / 2 - 1e-12))


def expected_responses(
    simulation: Simulation,
    *,
    by: str | Sequence[str] = ("unit",),
    period: str | None = "quarter",
    confidence: float = 0.95,
    method: str = "exact",
) -> pd.DataFrame:
    """Invitations and expected responses per group and period, with prediction intervals.

    Parameters
    ----------
    simulation : Simulation
    by : str or list of str
        Candidate columns to group by (``unit``, ``touchpoint``, ``service``, ``channel``, ``age_group``, …).
    period : str or None
        Calendar period of the contact date (:data:`PERIOD_MONTHS`); None: the whole simulation.
    confidence : float
    method : {"exact", "normal"}
        Interval of the number of responses.

    Returns
    -------
    DataFrame
        The keys, ``period``, ``invitations``, ``expected`` (Σ p), ``se`` (√Σ p(1 − p)), ``ci_low``, ``ci_high``,
        ``method``, ``confidence``.

    Raises
    ------
    ParameterError
        An unknown column or a period; invitations without a response rate.
    MethodError
        An unknown method.

    Notes
    -----
    Given the invitations, the number of responses is a sum of independent Bernoulli(p_i) variables: a
    Poisson-binomial distribution with mean Σ p_i and variance Σ p_i(1 − p_i). "exact" gives its equal-tailed
    quantiles (the smallest k with P(X ≤ k) ≥ α/2, and with ≥ 1 − α/2), computed by convolving the
    binomial distributions of invitations with equal probability (p takes few values: one per channel and age
    group), which is exact and fast; "normal" is mean ± z·se, clipped to [0, invitations]. The interval covers
    the randomness of responding, given these invitations; the sampling draw is one realisation (re-run with
    other seeds to see its spread). Checked against :func:`scipy.stats.poisson_binom` and full enumeration in
    ``tests/journey/test_outcomes.py``.

    References
    ----------
    Hong, Y. (2013), On computing the distribution function for the Poisson binomial distribution,
    Computational Statistics & Data Analysis 59, 41–51.
    """
    confidence = check_confidence(confidence)
    check_choice(method, "method", ("exact", "normal"))
    keys = as_key_list(by)
    cand = simulation.candidates
    check_columns(cand, keys, role="group column")
    inv = cand.loc[cand["invited"], keys + ["p_response", "date"]]
    if inv["p_response"].isna().any():
        raise ParameterError(f"{int(inv['p_response'].isna().sum())} invitations have no response rate; give "
                             "[response_rates] in the rules or `response_rates` to simulate().")
    group = keys.copy()
    if period is not None:
        inv = inv.assign(period=period_labels(inv["date"], period))
        group.append("period")
    p = inv["p_response"].to_numpy(float)
    g = inv.assign(q=p * (1 - p)).groupby(group, observed=True, sort=True)
    table = g.agg(invitations=("p_response", "size"), expected=("p_response", "sum"), var=("q", "sum")).reset_index()
    table["se"] = np.sqrt(table.pop("var"))
    if method == "normal":
        z = stats.norm.ppf(0.5 + confidence / 2)
        table["ci_low"] = np.clip(table["expected"] - z * table["se"], 0, table["invitations"])
        table["ci_high"] = np.clip(table["expected"] + z * table["se"], 0, table["invitations"])
    else:
        limits = [_exact_limits(p[idx], confidence) for idx in g.indices.values()]
        table[["ci_low", "ci_high"]] = np.array(limits).reshape(-1, 2)
    table["method"], table["confidence"] = method, confidence
    return table


def shortfall(expected: pd.DataFrame, requirements: pd.DataFrame, *, on: str | Sequence[str] = "unit",
              needed: str = "responses_needed") -> pd.DataFrame:
    """Expected responses against each group's requirement: shortfall and the probability of meeting it.

    Parameters
    ----------
    expected : DataFrame
        From :func:`expected_responses` (grouped by ``on`` and, optionally, period).
    requirements : DataFrame
        ``on`` columns and ``needed`` (e.g. from :func:`~workbench.planning.measurement_plan`), per period.
    on : str or list of str
        Join columns.
    needed : str
        The requirement column.

    Returns
    -------
    DataFrame
        ``expected`` joined with ``needed``, ``shortfall`` (max(0, needed − expected)) and ``p_meet`` (normal
        approximation with continuity correction of P(responses ≥ needed)); groups without invitations get
        expected 0.

    Raises
    ------
    DataError
        Missing columns.

    Notes
    -----
    P(X ≥ r) ≈ 1 − Φ((r − 0.5 − Σp) / √Σp(1−p)); for no invitations it is 0 unless nothing is needed.

    References
    ----------
    Cochran, W. G. (1977), *Sampling Techniques*, 3rd ed., ch. 4 (the required n).
    """
    keys = as_key_list(on)
    check_columns(requirements, keys + [needed], role="requirement column")
    check_columns(expected, keys + ["expected", "se"], role="expected-responses column")
    per = [k for k in ("period",) if k in expected.columns]
    req = requirements[keys + [needed]].drop_duplicates(keys)
    if per:
        periods = pd.DataFrame({"period": sorted(expected["period"].dropna().unique())})
        req = req.merge(periods, how="cross")
    table = req.merge(expected, on=keys + per, how="left")
    table[["invitations", "expected", "se"]] = table[["invitations", "expected", "se"]].fillna(0.0)
    gap = table[needed] - table["expected"]
    table["shortfall"] = np.maximum(gap, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (table[needed] - 0.5 - table["expected"]) / table["se"]
    table["p_meet"] = np.where(table["se"] > 0, stats.norm.sf(z), (table["expected"] >= table[needed]).astype(float))
    return table


def burden(simulation: Simulation, *, count: str = "invitations") -> pd.DataFrame:
    """Distribution of invitations (or messages, with reminders) per person over the simulated period.

    Parameters
    ----------
    simulation : Simulation
    count : {"invitations", "messages"}

    Returns
    -------
    DataFrame
        ``invitations`` (or ``messages``): 0, 1, 2, …; ``persons``; ``share``; ``cumulative_share``. Persons are
        those with at least one valid contact in the period.

    Raises
    ------
    MethodError
        An unknown ``count``.

    Notes
    -----
    Counted with one ``np.bincount`` over person codes. The period is ``simulation.period`` (one year in the
    reports), so the table is invitations per person per year when the period is a year.

    References
    ----------
    Porter, Whitcomb & Weitzer (2004), Multiple surveys of students and survey fatigue.
    """
    check_choice(count, "count", ("invitations", "messages"))
    cand = simulation.candidates
    start, end = simulation.period
    days = (cand["date"].to_numpy().astype("datetime64[D]").astype(np.int64))
    present = cand.loc[(cand["reason"] != "invalid_event") & (days >= start) & (days < end), "person"].unique()
    inv = cand.loc[cand["invited"]]
    weights = np.ones(len(inv)) + (inv["reminders"].to_numpy() if count == "messages" else 0)
    size = int(cand["person"].max()) + 1 if len(cand) else 0
    per_person = np.bincount(inv["person"].to_numpy(), weights=weights, minlength=size)[present].astype(np.int64)
    hist = np.bincount(per_person) if len(per_person) else np.zeros(1, dtype=np.int64)
    table = pd.DataFrame({count: np.arange(len(hist)), "persons": hist})
    table["share"] = table["persons"] / max(len(per_person), 1)
    table["cumulative_share"] = table["share"].cumsum()
    return table


def reasons(simulation: Simulation, *, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """How many candidates ended with each reason (invited or the first rule that stopped them).

    Parameters
    ----------
    simulation : Simulation
    by : str or list of str, optional
        Candidate columns to break the counts down by.

    Returns
    -------
    DataFrame
        The keys, ``reason`` (every reason of :data:`~workbench.journey.simulate.REASONS`, in check order),
        ``candidates``, ``persons`` (distinct persons among them: the people a published count is about),
        ``share`` (of the candidates).

    Raises
    ------
    DataError
        An unknown column.

    Notes
    -----
    Every candidate has exactly one reason, so the counts add up to the number of candidates (each event
    once, plus one journey-end candidate per journey): nothing is dropped without being counted.

    References
    ----------
    AAPOR (2023), *Standard Definitions* (final disposition codes, of which these are the sending analogue).
    """
    keys = as_key_list(by)
    cand = simulation.candidates
    check_columns(cand, keys, role="group column")
    grouped = cand.groupby(keys + ["reason"], observed=False, sort=True)
    table = grouped.size().rename("candidates").reset_index()
    table["persons"] = grouped["person"].nunique().to_numpy()
    total = table.groupby(keys)["candidates"].transform("sum") if keys else table["candidates"].sum()
    table["share"] = table["candidates"] / total
    return table


def rule_effects(events, rules, *, period=None, rates=None, response_rates=None, rng: int | None = None
                 ) -> pd.DataFrame:
    """How many invitations each rule removes: the simulation without that one rule, against all rules.

    Parameters
    ----------
    events, rules, period, rates, response_rates
        As in :func:`simulate`.
    rng : int, optional
        Seed shared by every run (common random numbers), so differences come from the rules alone.

    Returns
    -------
    DataFrame
        ``rule``, ``persons`` (persons whose invitations the rule changes; 0 on the ``"all rules"`` row),
        ``invitations`` (without the rule), ``removed`` (invitations without it minus with all rules),
        ``expected_responses`` (without it), ``responses_removed``.

    Raises
    ------
    ParameterError
        ``rng`` given as a Generator (the runs need one seed to share).

    Notes
    -----
    One simulation per rule in force: each exclusion, the excluded services, the sampling rates (all 1),
    the priority rule, the cooldown, the response cooldown and the cap. Rules interact (a contact stopped by
    an exclusion might also have met the cooldown), so the effects do not add up to the total removed.

    References
    ----------
    Saltelli et al. (2008), *Global Sensitivity Analysis: The Primer* (one-at-a-time effects).
    """
    if isinstance(rng, np.random.Generator):
        raise ParameterError("`rng` must be an int seed here: every run must use the same draws.")
    seed = int(np.random.default_rng().integers(2**32)) if rng is None else rng
    base = simulate(events, rules, period=period, rates=rates, response_rates=response_rates, rng=seed)
    rules, events = base.rules, base.events
    variants = {f"exclusion: {name}": dict(exclusions=rules.exclusions - {name}) for name in sorted(rules.exclusions)}
    if rules.excluded_services:
        variants["excluded services"] = dict(excluded_services=())
    ones = {name: type(tp)(tp.name, tp.survey, 1.0) for name, tp in rules.touchpoints.items()}
    end = None if rules.journey_end is None else type(rules.journey_end)(rules.journey_end.name,
                                                                           rules.journey_end.survey, 1.0)
    variants["sampling rates"] = dict(touchpoints=ones, journey_end=end)
    variants["priority"] = dict(priority=False)
    for name, field in (("cooldown", "cooldown_days"), ("response cooldown", "response_cooldown_days"),
                        ("cap", "cap")):
        if getattr(rules, field):
            variants[name] = {field: 0}
    rows = []
    invited = base.candidates["invited"].to_numpy()
    person = base.candidates["person"].to_numpy()
    totals = (int(invited.sum()), float(base.candidates.loc[invited, "p_response"].sum()))
    for name, change in variants.items():
        run = simulate(events, rules.replace(**change), period=period,
                       rates=None if name == "sampling rates" else rates, response_rates=response_rates, rng=seed)
        now = run.candidates["invited"].to_numpy()
        # The variants change decisions, never the candidates (same events, same journey ends, same order).
        persons = len(np.unique(person[now != invited]))
        inv, resp = int(now.sum()), float(run.candidates.loc[now, "p_response"].sum())
        rows.append((name, persons, inv, inv - totals[0], resp, resp - totals[1]))
    rows.append(("all rules", 0, totals[0], 0, totals[1], 0.0))
    return pd.DataFrame(rows, columns=["rule", "persons", "invitations", "removed", "expected_responses",
                                       "responses_removed"])
