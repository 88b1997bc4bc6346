"""Sampling rates per unit and touchpoint that meet every unit's required responses with the fewest
invitations and, among those, the lowest maximum expected burden on any one person (scipy ``milp``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .._validate import check_columns, check_in_range, show_values
from ..errors import ConvergenceError, ParameterError

__all__ = ["OptimisedRates", "optimise_rates"]

_KEYS = ["unit", "touchpoint"]


@dataclass(frozen=True)
class OptimisedRates:
    """Optimised sampling rates and what they are expected to yield.

    Attributes
    ----------
    rates : DataFrame
        ``unit``, ``touchpoint``, ``rate``, ``invitations`` and ``responses`` (expected over all periods).
    units : DataFrame
        ``unit``, ``period``, ``needed``, ``max_expected`` (every rate at ``max_rate``), ``expected``,
        ``status`` ("ok", "no requirement" or "infeasible": even the largest rates fall short).
    invitations : float
        Expected invitations in total.
    max_burden : float
        Largest expected number of invitations of one person (NaN without ``burden``).
    """

    rates: pd.DataFrame
    units: pd.DataFrame
    invitations: float
    max_burden: float


def _solve(c, constraints, lower, upper, integer):
    result = milp(c, constraints=constraints, bounds=Bounds(lower, upper), integrality=integer)
    if result.status != 0 or result.x is None:
        raise ConvergenceError(f"The rate optimisation did not solve (HiGHS status {result.status}: "
                               f"{result.message}).")
    return result.x, float(result.fun)


def optimise_rates(
    yields: pd.DataFrame,
    requirements: pd.DataFrame,
    *,
    burden: pd.DataFrame | None = None,
    step: float | None = None,
    max_rate: float = 1.0,
    fix_at_max: Sequence[str] = (),
    min_rates: pd.DataFrame | None = None,
    start_profiles: int = 50,
) -> OptimisedRates:
    """Choose sampling rates: every unit's requirement met, fewest invitations, lowest maximum burden.

    Parameters
    ----------
    yields : DataFrame
        One row per unit, touchpoint and period: ``eligible`` (expected invitations at rate 1, after the rules)
        and ``response_rate`` (expected responses per invitation).
    requirements : DataFrame
        ``unit``, ``responses_needed`` and optionally ``period`` (without it, the need holds in every period).
    burden : DataFrame, optional
        ``person``, ``unit``, ``touchpoint``, ``invitations``: each person's expected invitations at rate 1.
    step : float, optional
        Rates in multiples of ``step`` (e.g. 0.05; integer programme); None: any rate (linear programme).
    max_rate : float
        Largest allowed rate, in (0, 1].
    fix_at_max : list of str
        Units known to be infeasible (e.g. by simulation): their rates are held at ``max_rate`` and their
        requirement is not imposed.
    min_rates : DataFrame, optional
        ``unit``, ``touchpoint``, ``rate``: lower bounds (:func:`plan_rates` uses the last round's rates, so
        rounds only ever raise rates).
    start_profiles : int
        Persons with the most expected invitations put into the first burden programme (the rest are added
        when violated).

    Returns
    -------
    OptimisedRates

    Raises
    ------
    DataError
        Missing columns.
    ParameterError
        Negative yields, response rates outside [0, 1], a bad ``step`` or ``max_rate``.
    ConvergenceError
        The solver fails (not expected: the programme is feasible by construction).

    Notes
    -----
    Variables r_j, one per unit and touchpoint; E_j expected invitations at rate 1, R_jq expected responses
    at rate 1 in period q. A unit-period is infeasible when Σ_j max_rate·R_jq < need: its rates are fixed at
    ``max_rate`` (as close as the rules allow) and it is reported. For the others, lexicographically:

    1. minimise Σ_j E_j r_j subject to Σ_{j ∈ u} R_jq r_j ≥ need_uq for every unit-period;
    2. minimise B subject to the same, Σ_j E_j r_j ≤ (optimum of 1)·(1 + 1e-9) + 1e-9, and
       Σ_j a_pj r_j ≤ B for every person p (a_pj: the person's expected invitations at rate 1).

    Step 2 starts with the ``start_profiles`` heaviest persons and adds violated persons until none is
    (constraint generation; exact, as every person's constraint is checked with one sparse product). With
    ``step``, r_j = step·k_j with integer k_j (scipy ``milp``, HiGHS branch and bound); checked against brute
    force over every rate combination of a small case in ``tests/journey/test_optimise.py``. The model is
    linear in the rates: the yields carry the rules' losses (cooldown, cap) at the rates they were measured at,
    which :func:`plan_rates` refreshes by simulating again.

    References
    ----------
    Huangfu, Q. & Hall, J. A. J. (2018), Parallelizing the dual revised simplex method, Mathematical Programming
    Computation 10 (HiGHS, behind :func:`scipy.optimize.milp`); Isermann (1982) on lexicographic optimisation.
    """
    check_columns(yields, _KEYS + ["period", "eligible", "response_rate"], role="yield column")
    check_columns(requirements, ["unit", "responses_needed"], role="requirement column")
    max_rate = check_in_range(max_rate, "max_rate", 0.0, 1.0)
    if step is not None:
        step = check_in_range(step, "step", 0.0, 1.0)
    eligible = pd.to_numeric(yields["eligible"], errors="coerce").to_numpy(float)
    response = pd.to_numeric(yields["response_rate"], errors="coerce").to_numpy(float)
    if not np.all(eligible >= 0) or not np.all((response >= 0) & (response <= 1)):
        raise ParameterError(f"`yields` needs eligible >= 0 and response_rate in [0, 1]; got eligible "
                             f"{show_values(eligible[~(eligible >= 0)])}, response_rate "
                             f"{show_values(response[~((response >= 0) & (response <= 1))])}.")
    var_index = pd.MultiIndex.from_frame(yields[_KEYS]).unique().sort_values()
    j = var_index.get_indexer(pd.MultiIndex.from_frame(yields[_KEYS]))
    n_var = len(var_index)
    total = np.bincount(j, weights=eligible, minlength=n_var)
    req = requirements.copy()
    periods = sorted(yields["period"].unique())
    if "period" not in req:
        req = req.merge(pd.DataFrame({"period": periods}), how="cross")
    req = req.groupby(["unit", "period"], as_index=False)["responses_needed"].max()
    rows = pd.MultiIndex.from_frame(req[["unit", "period"]])
    r = rows.get_indexer(pd.MultiIndex.from_frame(yields[["unit", "period"]]))
    known = r >= 0
    matrix = sparse.csr_matrix((eligible[known] * response[known], (r[known], j[known])), shape=(len(req), n_var))
    need = req["responses_needed"].to_numpy(float)
    max_expected = np.asarray(matrix.sum(axis=1)).ravel() * max_rate
    infeasible = (need > max_expected + 1e-9) | req["unit"].isin(list(fix_at_max)).to_numpy()
    bad_units = set(req.loc[infeasible, "unit"])
    fixed = np.array([u in bad_units for u in var_index.get_level_values("unit")], dtype=bool)

    scale = step if step else 1.0
    upper = np.full(n_var, max_rate / scale)
    if step:
        upper = np.floor(upper + 1e-9)
    lower = np.zeros(n_var)
    if min_rates is not None:
        check_columns(min_rates, _KEYS + ["rate"], role="minimum-rate column")
        at = var_index.get_indexer(pd.MultiIndex.from_frame(min_rates[_KEYS]))
        floor = min_rates["rate"].to_numpy(float)[at >= 0] / scale
        lower[at[at >= 0]] = np.minimum(np.ceil(floor - 1e-9) if step else floor, upper[at[at >= 0]])
    lower = np.where(fixed, upper, lower)
    integer = np.ones(n_var) if step else np.zeros(n_var)
    active = ~infeasible & (need > 0)
    cover = LinearConstraint(matrix[active] * scale, lb=need[active], ub=np.inf)
    x, best = _solve(total * scale, [cover], lower, upper, integer)
    max_burden = np.nan
    if burden is not None and n_var:
        check_columns(burden, ["person", "unit", "touchpoint", "invitations"], role="burden column")
        bj = var_index.get_indexer(pd.MultiIndex.from_frame(burden[_KEYS]))
        person = pd.factorize(burden["person"])[0]
        keep = bj >= 0
        a = sparse.csr_matrix((burden["invitations"].to_numpy(float)[keep], (person[keep], bj[keep])),
                              shape=(int(person.max()) + 1 if len(person) else 0, n_var)) * scale
        budget = LinearConstraint(np.append(total * scale, 0.0)[None, :], lb=-np.inf, ub=best * (1 + 1e-9) + 1e-9)
        cover2 = LinearConstraint(sparse.hstack([matrix[active] * scale, sparse.csr_matrix((int(active.sum()), 1))]),
                                  lb=need[active], ub=np.inf)
        chosen = np.argsort(-np.asarray(a.sum(axis=1)).ravel(), kind="stable")[:start_profiles]
        for _ in range(100):
            rows_a = sparse.hstack([a[chosen], -np.ones((len(chosen), 1))]).tocsr()
            caps = LinearConstraint(rows_a, lb=-np.inf, ub=0.0)
            c = np.zeros(n_var + 1)
            c[-1] = 1.0
            y, max_burden = _solve(c, [cover2, budget, caps], np.append(lower, 0.0), np.append(upper, np.inf),
                                   np.append(integer, 0))
            loads = a @ y[:-1]
            violated = np.flatnonzero(loads > max_burden + 1e-7)
            if not len(violated):
                x = y[:-1]
                break
            chosen = np.union1d(chosen, violated[np.argsort(-loads[violated])[:100]])
        else:
            raise ConvergenceError("The burden programme did not settle within 100 rounds of added persons.")
    rate = np.clip(x * scale, 0.0, max_rate)
    if step:
        rate = np.round(np.round(x) * step, 10)
    rate = rate + 0.0  # a solver's -0.0 is 0 (it would print as "-0 %")
    out = pd.DataFrame(list(var_index), columns=_KEYS)
    out["rate"] = rate
    out["invitations"] = total * rate
    out["responses"] = np.bincount(j, weights=eligible * response, minlength=n_var) * rate
    units = req.rename(columns={"responses_needed": "needed"})
    units["max_expected"] = max_expected
    units["expected"] = matrix @ rate
    units["status"] = np.where(infeasible, "infeasible", np.where(need > 0, "ok", "no requirement"))
    return OptimisedRates(out, units, float(out["invitations"].sum()), float(max_burden))
