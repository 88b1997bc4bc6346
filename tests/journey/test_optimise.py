import itertools

import numpy as np
import pandas as pd
import pytest

from workbench.errors import DataError, ParameterError
from workbench.journey import optimise_rates

VARS = [("A", "x"), ("A", "y"), ("B", "x"), ("B", "z")]


def small_case(seed):
    rng = np.random.default_rng(seed)
    rows = [(u, t, q, float(rng.integers(20, 120)), float(rng.choice([0.1, 0.15, 0.2, 0.3])))
            for (u, t) in VARS for q in ("q1", "q2")]
    yields = pd.DataFrame(rows, columns=["unit", "touchpoint", "period", "eligible", "response_rate"])
    most = (yields.assign(r=yields["eligible"] * yields["response_rate"]).groupby(["unit", "period"])["r"].sum()
            .groupby("unit").min())  # what every rate at 1 yields in the unit's weaker period
    need = pd.DataFrame({"unit": ["A", "B"], "responses_needed": np.floor(most.to_numpy() * rng.uniform(0.3, 0.9, 2))})
    people = [(p, u, t, float(rng.integers(1, 6))) for p in range(6) for (u, t) in VARS if rng.random() < 0.5]
    burden = pd.DataFrame(people, columns=["person", "unit", "touchpoint", "invitations"])
    return yields, need, burden


def brute_force(yields, need, burden, step, fixed=()):
    """Every rate combination on the grid: the feasible ones, the fewest invitations, then the lowest burden."""
    levels = np.round(np.arange(0, 1 + 1e-9, step), 10)
    grid = np.array(list(itertools.product(levels, repeat=len(VARS))))
    for i, (u, _) in enumerate(VARS):
        if u in fixed:
            grid = grid[grid[:, i] == 1.0]
    y = yields.set_index(["unit", "touchpoint", "period"])
    total = np.array([y.loc[(u, t), "eligible"].sum() for u, t in VARS])
    ok = np.ones(len(grid), dtype=bool)
    for u, n in zip(need["unit"], need["responses_needed"]):
        if u in fixed:
            continue
        for q in ("q1", "q2"):
            coef = np.array([y.loc[(uu, t, q), "eligible"] * y.loc[(uu, t, q), "response_rate"] if uu == u else 0
                             for uu, t in VARS])
            ok &= grid @ coef >= n - 1e-9
    grid = grid[ok]
    invitations = grid @ total
    best = grid[invitations <= invitations.min() + 1e-6]
    a = np.zeros((burden["person"].nunique(), len(VARS)))
    persons = {p: i for i, p in enumerate(sorted(burden["person"].unique()))}
    for row in burden.itertuples():
        a[persons[row.person], VARS.index((row.unit, row.touchpoint))] += row.invitations
    return invitations.min(), (best @ a.T).max(axis=1).min()


@pytest.mark.parametrize("seed", range(6))
def test_matches_brute_force_on_a_small_case(seed):
    yields, need, burden = small_case(seed)
    result = optimise_rates(yields, need, burden=burden, step=0.1)
    invitations, max_burden = brute_force(yields, need, burden, 0.1)
    assert result.invitations == pytest.approx(invitations, abs=1e-6)
    assert result.max_burden == pytest.approx(max_burden, abs=1e-6)
    assert (result.units["expected"] >= result.units["needed"] - 1e-9).all()
    assert set(np.round(result.rates["rate"] * 10, 9) % 1) == {0.0}  # on the grid


def test_constraint_generation_starting_from_one_person_reaches_the_same_optimum():
    yields, need, burden = small_case(2)
    full = optimise_rates(yields, need, burden=burden, step=0.1, start_profiles=100)
    lean = optimise_rates(yields, need, burden=burden, step=0.1, start_profiles=1)
    assert lean.max_burden == pytest.approx(full.max_burden, abs=1e-6)
    assert lean.invitations == pytest.approx(full.invitations, abs=1e-6)


def test_continuous_rates_never_need_more_invitations_than_the_grid():
    yields, need, burden = small_case(3)
    lp = optimise_rates(yields, need)
    grid = optimise_rates(yields, need, step=0.1)
    assert lp.invitations <= grid.invitations + 1e-9 and np.isnan(lp.max_burden)
    assert (lp.units["expected"] >= lp.units["needed"] - 1e-6).all()


def test_an_infeasible_unit_is_reported_and_held_at_the_largest_rate():
    yields, need, burden = small_case(4)
    need.loc[need["unit"] == "B", "responses_needed"] = 10_000
    result = optimise_rates(yields, need, burden=burden, step=0.1)
    assert set(result.units.loc[result.units["status"] == "infeasible", "unit"]) == {"B"}
    assert (result.rates.loc[result.rates["unit"] == "B", "rate"] == 1.0).all()
    invitations, max_burden = brute_force(yields, need, burden, 0.1, fixed=("B",))
    assert result.invitations == pytest.approx(invitations, abs=1e-6)
    assert result.max_burden == pytest.approx(max_burden, abs=1e-6)
    assert (result.units.loc[result.units["unit"] == "A", "status"] == "ok").all()


def test_fixed_units_minimum_rates_and_max_rate():
    yields, need, _ = small_case(5)
    result = optimise_rates(yields, need, step=0.05, fix_at_max=["A"], max_rate=0.5,
                            min_rates=pd.DataFrame({"unit": ["B"], "touchpoint": ["z"], "rate": [0.33]}))
    rates = result.rates.set_index(["unit", "touchpoint"])["rate"]
    assert rates[("A", "x")] == 0.5 and rates[("A", "y")] == 0.5 and rates[("B", "z")] >= 0.35
    assert (result.rates["rate"] <= 0.5).all()


@pytest.mark.parametrize("change, error, match", [
    (lambda y, n: (y.drop(columns="eligible"), n), DataError, r"Yield column \['eligible'\] not found"),
    (lambda y, n: (y.assign(response_rate=1.5), n), ParameterError, r"`yields` needs eligible >= 0 and response_rate"),
    (lambda y, n: (y, n.rename(columns={"responses_needed": "n"})), DataError,
     r"Requirement column \['responses_needed'\] not found"),
])
def test_errors(change, error, match):
    yields, need, _ = small_case(0)
    with pytest.raises(error, match=match):
        optimise_rates(*change(yields, need))
    with pytest.raises(ParameterError, match=r"`step` must be in \(0.0, 1.0\]; got 0"):
        optimise_rates(yields, need, step=0)
